// Migratory-bird pension trusts on the platform (service/pension/pension.hpp): the trustee's
// trusts, their members, every movement of the assets, and projections by the actuarial engine.
#include <map>
#include <tuple>
#include <vector>

#include "core/date.hpp"
#include "pension/life_table.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/log.hpp"
#include "service/pension/internal.hpp"
#include "service/pension/pension.hpp"

namespace corridor::service {

using internal::QueryInt;
using pension_internal::kMaxFen;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

// The projections' table: the SOA Standard Ultimate Life Table (pension/life_table.hpp), which
// starts at age 20.
constexpr std::string_view kTable = "sult";
constexpr int kYoungestMember = 20, kOldestMember = 110;
// Members added in one request: a league's seasonal residents.
constexpr size_t kMaxMembersPerRequest = 100'000;

Status RequireTrustParty(const Caller& caller) {
  if (caller.platform() || caller.in_trustee()) return {};
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "pension trusts are for their trust managers and the bureau",
                    {}});
}

int CurrentYear(const Clock& clock) { return clock.Today().year(); }

// The trust when the caller may read it (its trustee, the bureau); NotFound otherwise.
struct TrustRow {
  int64_t id = 0, trustee = 0, interest_bps = 0, assets_fen = 0, created_at = 0;
  std::string name, trustee_name;
};
Result<TrustRow> VisibleTrust(Connection& c, const Caller& caller, int64_t trust_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT p.id, p.trustee_tenant_id, p.interest_bps, "
                                    "p.assets_fen, p.created_at, p.name, t.name FROM "
                                    "pension_trusts p JOIN tenants t ON t.id = "
                                    "p.trustee_tenant_id WHERE p.id = ?",
                                    trust_id));
  if (!CORRIDOR_TRY(q.Next()) || (!caller.platform() && q.Int(1) != caller.tenant_id)) {
    return Fail(Error::NotFound("trust"));
  }
  return TrustRow{q.Int(0), q.Int(1), q.Int(2), q.Int(3), q.Int(4), q.Text(5), q.Text(6)};
}

Json TrustJson(const TrustRow& t) {
  return Json{{"id", t.id},
              {"trustee_tenant_id", t.trustee},
              {"trustee", t.trustee_name},
              {"name", t.name},
              {"interest_bps", t.interest_bps},
              {"assets_fen", t.assets_fen},
              {"created_at_us", t.created_at}};
}

constexpr std::string_view kMemberColumns =
    "id, member, birth_year, retirement_age, contribution_fen, benefit_fen, "
    "grassland_service_fen, beijing_service_fen, status";
Json MemberRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"member", q.Text(1)},
              {"birth_year", q.Int(2)},
              {"retirement_age", q.Int(3)},
              {"contribution_fen", q.Int(4)},
              {"benefit_fen", q.Int(5)},
              {"grassland_service_fen", q.Int(6)},
              {"beijing_service_fen", q.Int(7)},
              {"status", q.Text(8)}};
}

// The sign of each movement on the assets: money in, money out, or either (returns).
enum class Flow { kIn, kOut, kEither, kNone };
Flow FlowOf(std::string_view kind) {
  if (kind == "contribution") return Flow::kIn;
  if (kind == "benefit" || kind == "grassland_service" || kind == "beijing_service") {
    return Flow::kOut;
  }
  if (kind == "investment_return") return Flow::kEither;
  if (kind == "death") return Flow::kNone;
  return Flow::kNone;
}

}  // namespace

Json TrustProjectionJson(const pension::TrustProjection& p, bool stochastic) {
  Json years = Json::array();
  for (const auto& y : p.years) {
    Json j = {{"year", y.year},
              {"lives", y.lives},
              {"contributions_fen", y.contributions_fen},
              {"benefits_fen", y.benefits_fen},
              {"grassland_service_fen", y.grassland_fen},
              {"beijing_service_fen", y.beijing_fen},
              {"assets_end_fen", y.assets_end_fen}};
    if (stochastic) {
      j["assets_p5_fen"] = y.assets_p5_fen;
      j["assets_median_fen"] = y.assets_median_fen;
      j["assets_mean_fen"] = y.assets_mean_fen;
    }
    years.push_back(std::move(j));
  }
  return Json{
      {"years", years},
      {"liability_fen", p.liability_fen},
      {"funding_ratio", p.funding_ratio ? Json(*p.funding_ratio) : Json()},
      {"shortfall_probability", p.shortfall_probability ? Json(*p.shortfall_probability) : Json()},
      {"scenarios", p.scenarios}};
}

Result<Response> PensionFinance::CreateTrust(Connection& c, const Caller& caller,
                                             const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kTrustOfficer}));
  Input in(body);
  const std::string name = in.Str("name", 200);
  const int64_t interest = in.Int("interest_bps", -500, 2'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (CORRIDOR_TRY(
          QueryInt(c, "SELECT id FROM pension_trusts WHERE trustee_tenant_id = ? AND name = ?",
                   caller.tenant_id, name))) {
    return Fail(Error::Invalid("/name", "the trustee already has a trust of this name"));
  }
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO pension_trusts (trustee_tenant_id, name, interest_bps, "
      "assets_fen, created_by, created_at) VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
      caller.tenant_id, name, interest, caller.user_id, now));
  return Response{TrustJson(CORRIDOR_TRY(VisibleTrust(c, caller, id)))};
}

Result<Response> PensionFinance::AddMembers(Connection& c, const Caller& caller, int64_t trust_id,
                                            const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kTrustOfficer}));
  const TrustRow trust = CORRIDOR_TRY(VisibleTrust(c, caller, trust_id));
  const auto* list = body.is_object() && body.contains("members") ? &body["members"] : nullptr;
  if (list == nullptr || !list->is_array() || list->empty() ||
      list->size() > kMaxMembersPerRequest) {
    return Fail(Error::Invalid("/members", "a list of 1 to 100,000 members"));
  }
  const int year = CurrentYear(clock_);
  const int64_t now = clock_.NowMicros();
  Input all(body);
  struct Row {
    std::string member;
    int64_t birth = 0, retirement = 0, contribution = 0, benefit = 0, grassland = 0, beijing = 0;
  };
  std::vector<Row> rows;
  rows.reserve(list->size());
  for (size_t k = 0; k < list->size(); ++k) {
    Input m((*list)[k], fmt::format("/members/{}", k));
    Row r;
    r.member = m.Str("member", 64);
    r.birth = m.Int("birth_year", year - kOldestMember, year - kYoungestMember);
    r.retirement = m.Int("retirement_age", 40, 80);
    r.contribution = m.OptInt("contribution_fen", 0, 10'000'000'000).value_or(0);
    r.benefit = m.OptInt("benefit_fen", 0, 10'000'000'000).value_or(0);
    r.grassland = m.OptInt("grassland_service_fen", 0, 10'000'000'000).value_or(0);
    r.beijing = m.OptInt("beijing_service_fen", 0, 10'000'000'000).value_or(0);
    all.Include(m);
    rows.push_back(std::move(r));
  }
  CORRIDOR_TRY_STATUS(all.Finish());
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM trust_members WHERE trust_id = ? AND member = ?",
                              trust_id, r.member))) {
      return Fail(
          Error::Invalid(fmt::format("/members/{}/member", k), "already a member of this trust"));
    }
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO trust_members (trust_id, member, birth_year, retirement_age, "
                         "contribution_fen, benefit_fen, grassland_service_fen, "
                         "beijing_service_fen, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                         "?, 'active', ?)",
                         trust_id, r.member, r.birth, r.retirement, r.contribution, r.benefit,
                         r.grassland, r.beijing, now));
  }
  const int64_t members =
      CORRIDOR_TRY(QueryInt(c, "SELECT count(*) FROM trust_members WHERE trust_id = ?", trust_id))
          .value_or(0);
  return Response{Json{
      {"trust_id", trust.id}, {"added", static_cast<int64_t>(rows.size())}, {"members", members}}};
}

Result<Response> PensionFinance::RecordMovement(Connection& c, const Caller& caller,
                                                int64_t trust_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kTrustOfficer}));
  const TrustRow trust = CORRIDOR_TRY(VisibleTrust(c, caller, trust_id));
  Input in(body);
  const std::string kind = in.Str("kind", 40);
  const auto member_id = in.OptInt("member_id", 1, std::numeric_limits<int64_t>::max());
  const int64_t amount = in.OptInt("amount_fen", -kMaxFen, kMaxFen).value_or(0);
  const Date date = in.DateField("date");
  const std::string note = in.OptStr("note", 500).value_or("");
  const Flow flow = FlowOf(kind);
  if (!kind.empty() && flow == Flow::kNone && kind != "death") {
    in.Problem("kind",
               "contribution, benefit, grassland_service, beijing_service, investment_return or "
               "death");
  }
  if ((flow == Flow::kIn || flow == Flow::kOut) && amount <= 0) {
    in.Problem("amount_fen", "more than 0");
  }
  if (kind == "death" && amount != 0) in.Problem("amount_fen", "a death moves no money");
  if (kind == "investment_return" && amount == 0) in.Problem("amount_fen", "not 0");
  const bool needs_member = kind != "investment_return";
  if (needs_member && !member_id) in.Problem("member_id", "the member this concerns");
  if (!needs_member && member_id) in.Problem("member_id", "a return is the whole trust's");
  CORRIDOR_TRY_STATUS(in.Finish());
  std::string member;
  if (member_id) {
    auto m = CORRIDOR_TRY(
        Query::Make(c, "SELECT member, status FROM trust_members WHERE id = ? AND trust_id = ?",
                    *member_id, trust_id));
    if (!CORRIDOR_TRY(m.Next())) {
      return Fail(Error::Invalid("/member_id", "not a member of this trust"));
    }
    if (m.Text(1) != "active") {
      return Fail(Error::Conflict(fmt::format("member {} is deceased", m.Text(0))));
    }
    member = m.Text(0);
  }
  const int64_t delta = flow == Flow::kOut ? -amount : amount;
  const int64_t after = trust.assets_fen + delta;
  if (after < 0) {
    return Fail(Error::Conflict(fmt::format(
        "the trust holds {} fen; paying {} fen would overdraw it", trust.assets_fen, amount)));
  }
  if (after > kMaxFen) return Fail(Error::Invalid("/amount_fen", "the trust's assets overflow"));
  const int64_t now = clock_.NowMicros();
  CORRIDOR_TRY(
      Execute(c, "UPDATE pension_trusts SET assets_fen = ? WHERE id = ?", after, trust_id));
  if (kind == "death") {
    CORRIDOR_TRY(
        Execute(c, "UPDATE trust_members SET status = 'deceased' WHERE id = ?", *member_id));
  }
  Json record{{"trust_id", trust_id},
              {"kind", kind},
              {"member_id", member_id ? Json(*member_id) : Json()},
              {"member", member_id ? Json(member) : Json()},
              {"amount_fen", delta},
              {"date", date.ToString()},
              {"assets_after_fen", after}};
  if (!note.empty()) record["note"] = note;
  const LogEntryRef entry = CORRIDOR_TRY(
      AppendLogEntry(c, "pension.trust_movement", &caller, record, {trust.trustee}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO trust_movements (trust_id, member_id, kind, amount_fen, movement_date, "
      "assets_after_fen, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      trust_id, member_id, kind, delta, date.ToString(), after, caller.user_id, now));
  const std::string assets = fmt::format("trust:{}:assets", trust_id);
  const std::string other = member_id ? fmt::format("trust:{}:{}:{}", trust_id, kind, *member_id)
                                      : fmt::format("trust:{}:investment_income", trust_id);
  if (delta > 0) {
    CORRIDOR_TRY_STATUS(internal::AddLedger(c, std::nullopt, fmt::format("trust_{}", kind), assets,
                                            other, delta, now));
  } else if (delta < 0) {
    CORRIDOR_TRY_STATUS(internal::AddLedger(c, std::nullopt, fmt::format("trust_{}", kind), other,
                                            assets, -delta, now));
  }
  record["id"] = id;
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

Result<Json> PensionFinance::ListTrusts(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireTrustParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(
        c, page,
        "SELECT p.id, p.trustee_tenant_id, p.interest_bps, p.assets_fen, p.created_at, p.name, "
        "t.name, (SELECT count(*) FROM trust_members m WHERE m.trust_id = p.id AND m.status = "
        "'active') FROM pension_trusts p JOIN tenants t ON t.id = p.trustee_tenant_id",
        "p.id", "? OR p.trustee_tenant_id = ?",
        [](const Query& r) {
          Json j = TrustJson(
              TrustRow{r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), r.Text(6)});
          j["active_members"] = r.Int(7);
          return j;
        },
        caller.platform(), caller.tenant_id);
  });
}

Result<Json> PensionFinance::GetTrust(const Caller& caller, int64_t trust_id) {
  CORRIDOR_TRY_STATUS(RequireTrustParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    Json out = TrustJson(CORRIDOR_TRY(VisibleTrust(c, caller, trust_id)));
    auto m = CORRIDOR_TRY(Query::Make(
        c, "SELECT status, count(*) FROM trust_members WHERE trust_id = ? GROUP BY status",
        trust_id));
    Json members{{"active", 0}, {"deceased", 0}};
    while (CORRIDOR_TRY(m.Next())) members[m.Text(0)] = m.Int(1);
    out["members"] = members;
    auto t = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT kind, count(*), sum(amount_fen) FROM "
                                      "trust_movements WHERE trust_id = ? GROUP BY kind",
                                      trust_id));
    Json totals = Json::object();
    while (CORRIDOR_TRY(t.Next())) {
      totals[t.Text(0)] = {{"movements", t.Int(1)}, {"amount_fen", t.Int(2)}};
    }
    out["movements"] = totals;
    return out;
  });
}

Result<Json> PensionFinance::ListMembers(const Caller& caller, int64_t trust_id, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireTrustParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    CORRIDOR_TRY(VisibleTrust(c, caller, trust_id));
    return internal::ReadPage(c, page, fmt::format("SELECT {} FROM trust_members", kMemberColumns),
                              "id", "trust_id = ?", MemberRow, trust_id);
  });
}

Result<Json> PensionFinance::ListMovements(const Caller& caller, int64_t trust_id,
                                           const Page& page) {
  CORRIDOR_TRY_STATUS(RequireTrustParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    CORRIDOR_TRY(VisibleTrust(c, caller, trust_id));
    return internal::ReadPage(
        c, page,
        "SELECT v.id, v.kind, v.member_id, m.member, v.amount_fen, v.movement_date, "
        "v.assets_after_fen, v.created_at FROM trust_movements v LEFT JOIN trust_members m ON "
        "m.id = v.member_id",
        "v.id", "v.trust_id = ?",
        [](const Query& r) {
          return Json{{"id", r.Int(0)},
                      {"kind", r.Text(1)},
                      {"member_id", r.IsNull(2) ? Json() : Json(r.Int(2))},
                      {"member", r.IsNull(3) ? Json() : Json(r.Text(3))},
                      {"amount_fen", r.Int(4)},
                      {"date", r.Text(5)},
                      {"assets_after_fen", r.Int(6)},
                      {"created_at_us", r.Int(7)}};
        },
        trust_id);
  });
}

Result<Json> PensionFinance::Project(const Caller& caller, int64_t trust_id,
                                     const ProjectionRequest& request) {
  CORRIDOR_TRY_STATUS(RequireTrustParty(caller));
  const int year = CurrentYear(clock_);
  TrustRow trust;
  // Identical members are one group of lives: the engine's cost follows the groups.
  std::map<std::tuple<int, int, int64_t, int64_t, int64_t, int64_t>, int64_t> groups;
  CORRIDOR_TRY_STATUS(store_.Read([&](Connection& c) -> Status {
    trust = CORRIDOR_TRY(VisibleTrust(c, caller, trust_id));
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT birth_year, retirement_age, contribution_fen, "
                                      "benefit_fen, grassland_service_fen, beijing_service_fen "
                                      "FROM trust_members WHERE trust_id = ? AND status = "
                                      "'active'",
                                      trust_id));
    while (CORRIDOR_TRY(q.Next())) {
      ++groups[{year - static_cast<int>(q.Int(0)), static_cast<int>(q.Int(1)), q.Int(2), q.Int(3),
                q.Int(4), q.Int(5)}];
    }
    return {};
  }));
  std::vector<pension::TrustMember> members;
  members.reserve(groups.size());
  for (const auto& [g, lives] : groups) {
    const auto& [age, retirement, contribution, benefit, grassland, beijing] = g;
    members.push_back({.age = std::max(age, kYoungestMember),
                       .lives = lives,
                       .retirement_age = retirement,
                       .contribution_fen = contribution,
                       .benefit_fen = benefit,
                       .grassland_service_fen = grassland,
                       .beijing_service_fen = beijing});
  }
  pension::TrustOptions o;
  o.years = request.years;
  o.interest = static_cast<double>(request.interest_bps.value_or(trust.interest_bps)) / 10'000.0;
  o.assets_fen = trust.assets_fen;
  o.seed = request.seed;
  if (request.scenarios > 0) {
    o.scenarios = pension::TrustScenarios{
        .mean_return = static_cast<double>(request.mean_return_bps) / 10'000.0,
        .volatility = static_cast<double>(request.volatility_bps) / 10'000.0,
        .count = request.scenarios};
  }
  const auto table = CORRIDOR_TRY(pension::LifeTable::Named(kTable));
  const auto p = CORRIDOR_TRY(pension::ProjectTrust(table, members, o));
  Json out = TrustProjectionJson(p, o.scenarios.has_value());
  out["trust_id"] = trust_id;
  out["as_of_year"] = year;
  out["table"] = kTable;
  out["assets_fen"] = trust.assets_fen;
  out["interest_bps"] = request.interest_bps.value_or(trust.interest_bps);
  out["members"] = static_cast<int64_t>(0);
  for (const auto& m : members) out["members"] = out["members"].get<int64_t>() + m.lives;
  out["groups"] = static_cast<int64_t>(members.size());
  out["seed"] = request.seed;
  return out;
}

}  // namespace corridor::service
