// The grassland pension risk-compensation fund and eco-index pension insurance on the platform
// (service/pension/pension.hpp).
#include <vector>

#include "core/date.hpp"
#include "pension/eco_index.hpp"
#include "pension/fund.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/log.hpp"
#include "service/pension/internal.hpp"
#include "service/pension/pension.hpp"

namespace corridor::service {

using internal::QueryInt;
using pension_internal::kMaxFen;
using pension_internal::RequirePensionParty;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

constexpr size_t kMaxLayers = 20;

// Eco-index policies and assessments are their insurer's and the bureau's.
Status RequireEcoInsuranceParty(const Caller& caller) {
  if (caller.platform() || caller.in_insurer()) return {};
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "eco-index insurance records are for the insurers and the bureau",
                    {}});
}

struct StoredRules {
  int64_t id = 0, created_at = 0;
  pension::FundRules rules;
};

Json LayersJson(const std::vector<pension::ReinsuranceLayer>& layers) {
  Json out = Json::array();
  for (const auto& l : layers) {
    out.push_back({{"attachment_fen", l.attachment_fen},
                   {"limit_fen", l.limit_fen},
                   {"share_bps", l.share_bps}});
  }
  return out;
}

Json RulesJson(const StoredRules& r) {
  return Json{{"id", r.id},
              {"beijing_share_bps", r.rules.beijing_share_bps},
              {"inner_mongolia_share_bps", 10'000 - r.rules.beijing_share_bps},
              {"floor_fen", r.rules.floor_fen},
              {"layers", LayersJson(r.rules.layers)},
              {"set_at_us", r.created_at}};
}

Result<std::optional<StoredRules>> RulesInForce(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, beijing_share_bps, floor_fen, layers, created_at "
                                    "FROM pension_fund_rules ORDER BY id DESC LIMIT 1"));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<StoredRules>();
  StoredRules r;
  r.id = q.Int(0);
  r.created_at = q.Int(4);
  r.rules.beijing_share_bps = q.Int(1);
  r.rules.floor_fen = q.Int(2);
  for (const auto& l : Json::parse(q.Text(3))) {
    r.rules.layers.push_back({.attachment_fen = l.at("attachment_fen").get<int64_t>(),
                              .limit_fen = l.at("limit_fen").get<int64_t>(),
                              .share_bps = l.at("share_bps").get<int64_t>()});
  }
  return std::optional<StoredRules>(std::move(r));
}

constexpr std::string_view kEventColumns =
    "id, kind, event_date, area, amount_fen, affected_members, loss_per_member_fen, rules_id, "
    "beijing_fen, inner_mongolia_fen, gross_claim_fen, recovered_fen, paid_fen, deferred_fen, "
    "balance_fen, owed_fen, note, created_at";
Json EventRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"kind", q.Text(1)},
              {"date", q.Text(2)},
              {"area", q.Text(3)},
              {"amount_fen", q.Int(4)},
              {"affected_members", q.Int(5)},
              {"loss_per_member_fen", q.Int(6)},
              {"rules_id", q.Int(7)},
              {"beijing_fen", q.Int(8)},
              {"inner_mongolia_fen", q.Int(9)},
              {"gross_claim_fen", q.Int(10)},
              {"recovered_fen", q.Int(11)},
              {"paid_fen", q.Int(12)},
              {"deferred_fen", q.Int(13)},
              {"balance_fen", q.Int(14)},
              {"owed_fen", q.Int(15)},
              {"needs_top_up", q.Int(15) > 0},
              {"note", q.Text(16)},
              {"created_at_us", q.Int(17)}};
}

constexpr std::string_view kObservationColumns =
    "id, county, year, days_observed, good_air_days, ndvi_e4, baseline_ndvi_e4, source, "
    "created_at";
Json ObservationRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"county", q.Text(1)},
              {"year", q.Int(2)},
              {"days_observed", q.Int(3)},
              {"good_air_days", q.Int(4)},
              {"ndvi_e4", q.Int(5)},
              {"baseline_ndvi_e4", q.Int(6)},
              {"source", q.Text(7)},
              {"created_at_us", q.Int(8)}};
}

constexpr std::string_view kPolicyColumns =
    "p.id, p.insurer_tenant_id, t.name, p.member, p.county, p.premium_fen, p.benefit_fen, "
    "p.sum_insured_fen, p.created_at";
Json EcoPolicyRow(const Query& q) {
  return Json{
      {"id", q.Int(0)},          {"insurer_tenant_id", q.Int(1)}, {"insurer", q.Text(2)},
      {"member", q.Text(3)},     {"county", q.Text(4)},           {"premium_fen", q.Int(5)},
      {"benefit_fen", q.Int(6)}, {"sum_insured_fen", q.Int(7)},   {"created_at_us", q.Int(8)}};
}

constexpr std::string_view kAssessmentColumns =
    "a.id, a.policy_id, p.member, p.county, a.year, a.observation_id, a.air_bps, "
    "a.vegetation_bps, a.index_bps, a.discounted, a.uplifted, a.premium_fen, a.benefit_fen, "
    "a.payout_fen, a.explanation_zh, a.explanation_en, a.rules, a.created_at";
Json AssessmentRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"policy_id", q.Int(1)},
              {"member", q.Text(2)},
              {"county", q.Text(3)},
              {"year", q.Int(4)},
              {"observation_id", q.Int(5)},
              {"air_bps", q.Int(6)},
              {"vegetation_bps", q.Int(7)},
              {"index_bps", q.Int(8)},
              {"discounted", q.Int(9) != 0},
              {"uplifted", q.Int(10) != 0},
              {"premium_fen", q.Int(11)},
              {"benefit_fen", q.Int(12)},
              {"payout_fen", q.Int(13)},
              {"explanation_zh", q.Text(14)},
              {"explanation_en", q.Text(15)},
              {"rules", Json::parse(q.Text(16))},
              {"created_at_us", q.Int(17)}};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The compensation fund

Result<Response> PensionFinance::SetFundRules(Connection& c, const Caller& caller,
                                              const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  StoredRules r;
  r.rules.beijing_share_bps = in.Int("beijing_share_bps", 0, 10'000);
  r.rules.floor_fen = in.Int("floor_fen", 0, kMaxFen);
  if (in.Has("layers")) {
    const Json& layers = body["layers"];
    if (!layers.is_array() || layers.size() > kMaxLayers) {
      in.Problem("layers", "a list of at most 20 layers");
    } else {
      for (size_t k = 0; k < layers.size(); ++k) {
        Input l(layers[k], fmt::format("/layers/{}", k));
        pension::ReinsuranceLayer layer;
        layer.attachment_fen = l.Int("attachment_fen", 0, kMaxFen);
        layer.limit_fen = l.Int("limit_fen", 1, kMaxFen);
        layer.share_bps = l.Int("share_bps", 0, 10'000);
        in.Include(l);
        r.rules.layers.push_back(layer);
      }
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  CORRIDOR_TRY(pension::RunFund(r.rules, pension::FundState{}, {}));
  r.created_at = clock_.NowMicros();
  r.id = CORRIDOR_TRY(InsertReturningId(c,
                                        "INSERT INTO pension_fund_rules (beijing_share_bps, "
                                        "floor_fen, layers, set_by, created_at) VALUES (?, ?, ?, "
                                        "?, ?) RETURNING id",
                                        r.rules.beijing_share_bps, r.rules.floor_fen,
                                        LayersJson(r.rules.layers).dump(), caller.user_id,
                                        r.created_at));
  Json out = RulesJson(r);
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "pension.fund_rules", &caller, out, {}, r.created_at));
  out["log_index"] = entry.index;
  return Response{std::move(out)};
}

Result<Response> PensionFinance::RecordFundEvent(Connection& c, const Caller& caller,
                                                 const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string kind = in.Str("kind", 20);
  const Date date = in.DateField("date");
  std::string area = in.OptStr("area", 100).value_or("");
  const std::string note = in.OptStr("note", 500).value_or("");
  const bool disaster = kind == "blizzard" || kind == "sandstorm";
  pension::FundEvent event;
  int64_t amount = 0, affected = 0, loss = 0;
  if (kind == "contribution" || kind == "top_up") {
    amount = in.Int("amount_fen", 1, kMaxFen);
    if (kind == "top_up") {
      if (area != "beijing" && area != "inner_mongolia") {
        in.Problem("area", "the region that tops the fund up: beijing or inner_mongolia");
      }
      event = pension::TopUp{.region = area, .amount_fen = amount};
    } else {
      event = pension::Contribution{.amount_fen = amount};
    }
  } else if (disaster) {
    affected = in.Int("affected_members", 1, 100'000'000);
    loss = in.Int("loss_per_member_fen", 1, 1'000'000'000);
    if (area.empty()) in.Problem("area", "the league or county struck");
    event =
        pension::Disaster{.kind = kind, .affected_members = affected, .loss_per_member_fen = loss};
  } else if (!kind.empty()) {
    in.Problem("kind", "contribution, blizzard, sandstorm or top_up");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto rules = CORRIDOR_TRY(RulesInForce(c));
  if (!rules) return Fail(Error::Conflict("the fund has no rules yet: the bureau sets them first"));
  pension::FundState opening;
  {
    auto q = CORRIDOR_TRY(Query::Make(
        c, "SELECT balance_fen, owed_fen FROM pension_fund_events ORDER BY id DESC LIMIT 1"));
    if (CORRIDOR_TRY(q.Next())) opening = {.balance_fen = q.Int(0), .owed_fen = q.Int(1)};
  }
  auto run = pension::RunFund(rules->rules, opening, {event});
  if (!run) {
    // The engine names /events/0/FIELD; the request has the field at its top.
    Error e = run.error();
    for (auto& f : e.fields) {
      if (f.field.starts_with("/events/0/")) f.field = "/" + f.field.substr(10);
    }
    return Fail(std::move(e));
  }
  const pension::FundState s = run->at(0);
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO pension_fund_events (kind, event_date, area, amount_fen, affected_members, "
      "loss_per_member_fen, rules_id, beijing_fen, inner_mongolia_fen, gross_claim_fen, "
      "recovered_fen, paid_fen, deferred_fen, balance_fen, owed_fen, note, recorded_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      kind, date.ToString(), area, amount, affected, loss, rules->id, s.beijing_fen,
      s.inner_mongolia_fen, s.gross_claim_fen, s.recovered_fen, s.paid_fen, s.deferred_fen,
      s.balance_fen, s.owed_fen, note, caller.user_id, now));
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM pension_fund_events WHERE id = ?", kEventColumns), id));
  CORRIDOR_TRY(q.Next());
  Json out = EventRow(q);
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "pension.fund_event", &caller, out, {}, now));
  out["log_index"] = entry.index;
  // The double-entry lines: money in by region; claims paid; reinsurance recovered.
  constexpr std::string_view kBalance = "pension_fund:balance";
  const auto line = [&](std::string_view what, std::string_view debit, std::string_view credit,
                        int64_t fen) {
    return internal::AddLedger(c, std::nullopt, what, debit, credit, fen, now);
  };
  CORRIDOR_TRY_STATUS(
      line("pension_fund_in", kBalance, "pension_fund:from:beijing", s.beijing_fen));
  CORRIDOR_TRY_STATUS(
      line("pension_fund_in", kBalance, "pension_fund:from:inner_mongolia", s.inner_mongolia_fen));
  CORRIDOR_TRY_STATUS(
      line("pension_fund_claim", fmt::format("pension_fund:claims:{}", id), kBalance, s.paid_fen));
  CORRIDOR_TRY_STATUS(line("pension_fund_reinsured", "pension_fund:reinsurance_recoverable",
                           fmt::format("pension_fund:claims:{}", id), s.recovered_fen));
  return Response{std::move(out)};
}

Result<Json> PensionFinance::Fund(const Caller& caller) {
  CORRIDOR_TRY_STATUS(RequirePensionParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto rules = CORRIDOR_TRY(RulesInForce(c));
    Json out{{"rules", rules ? RulesJson(*rules) : Json()}};
    auto last = CORRIDOR_TRY(Query::Make(
        c, "SELECT balance_fen, owed_fen FROM pension_fund_events ORDER BY id DESC LIMIT 1"));
    const bool any = CORRIDOR_TRY(last.Next());
    out["balance_fen"] = any ? last.Int(0) : 0;
    out["owed_fen"] = any ? last.Int(1) : 0;
    out["needs_top_up"] = any && last.Int(1) > 0;
    auto t = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT count(*), coalesce(sum(beijing_fen), 0), coalesce(sum(inner_mongolia_fen), 0), "
        "coalesce(sum(gross_claim_fen), 0), coalesce(sum(recovered_fen), 0), "
        "coalesce(sum(paid_fen), 0), coalesce(sum(CASE WHEN kind IN ('blizzard', 'sandstorm') "
        "THEN affected_members END), 0), coalesce(sum(CASE WHEN kind IN ('blizzard', "
        "'sandstorm') THEN 1 END), 0) FROM pension_fund_events"));
    CORRIDOR_TRY(t.Next());
    out["events"] = t.Int(0);
    out["from_beijing_fen"] = t.Int(1);
    out["from_inner_mongolia_fen"] = t.Int(2);
    out["gross_claims_fen"] = t.Int(3);
    out["recovered_fen"] = t.Int(4);
    out["paid_fen"] = t.Int(5);
    out["members_affected"] = t.Int(6);
    out["disasters"] = t.Int(7);
    return out;
  });
}

Result<Json> PensionFinance::ListFundEvents(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequirePensionParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(c, page,
                              fmt::format("SELECT {} FROM pension_fund_events", kEventColumns),
                              "id", "1 = 1", EventRow);
  });
}

// ---------------------------------------------------------------------------------------------
// Eco-index pension insurance

Result<Response> PensionFinance::RecordObservation(Connection& c, const Caller& caller,
                                                   const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kInsuranceOfficer}));
  Input in(body);
  const std::string county = in.Str("county", 100);
  const int64_t year = in.Int("year", 1990, 2200);
  const int64_t days = in.Int("days_observed", 1, 366);
  const int64_t good = in.Int("good_air_days", 0, 366);
  const int64_t ndvi = in.Int("ndvi_e4", 0, 10'000);
  const int64_t baseline = in.Int("baseline_ndvi_e4", 1, 10'000);
  const std::string source = in.Str("source", 200);
  if (good > days) in.Problem("good_air_days", "at most the days observed");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM eco_observations WHERE county = ? AND year = ?",
                            county, year))) {
    return Fail(Error::Conflict(fmt::format("{} already has its observation of {}", county, year)));
  }
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO eco_observations (county, year, days_observed, good_air_days, ndvi_e4, "
      "baseline_ndvi_e4, source, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      county, year, days, good, ndvi, baseline, source, caller.user_id, now));
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM eco_observations WHERE id = ?", kObservationColumns), id));
  CORRIDOR_TRY(q.Next());
  Json out = ObservationRow(q);
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "pension.eco_observed", &caller, out, {}, now));
  out["log_index"] = entry.index;
  return Response{std::move(out)};
}

Result<Json> PensionFinance::ListObservations(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequirePensionParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(c, page,
                              fmt::format("SELECT {} FROM eco_observations", kObservationColumns),
                              "id", "1 = 1", ObservationRow);
  });
}

Result<Response> PensionFinance::CreateEcoPolicy(Connection& c, const Caller& caller,
                                                 const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kInsuranceOfficer}));
  Input in(body);
  const std::string member = in.Str("member", 64);
  const std::string county = in.Str("county", 100);
  const int64_t premium = in.Int("premium_fen", 0, 1'000'000'000);
  const int64_t benefit = in.Int("benefit_fen", 0, 1'000'000'000);
  const int64_t sum_insured = in.Int("sum_insured_fen", 0, 1'000'000'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (CORRIDOR_TRY(
          QueryInt(c, "SELECT id FROM eco_policies WHERE insurer_tenant_id = ? AND member = ?",
                   caller.tenant_id, member))) {
    return Fail(Error::Invalid("/member", "the member already has an eco-index policy here"));
  }
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO eco_policies (insurer_tenant_id, member, county, premium_fen, benefit_fen, "
      "sum_insured_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      caller.tenant_id, member, county, premium, benefit, sum_insured, clock_.NowMicros()));
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT {} FROM eco_policies p JOIN tenants t ON t.id = p.insurer_tenant_id "
                  "WHERE p.id = ?",
                  kPolicyColumns),
      id));
  CORRIDOR_TRY(q.Next());
  return Response{EcoPolicyRow(q)};
}

Result<Json> PensionFinance::ListEcoPolicies(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireEcoInsuranceParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(
        c, page,
        fmt::format("SELECT {} FROM eco_policies p JOIN tenants t ON t.id = p.insurer_tenant_id",
                    kPolicyColumns),
        "p.id", "? OR p.insurer_tenant_id = ?", EcoPolicyRow, caller.platform(), caller.tenant_id);
  });
}

Result<Response> PensionFinance::Assess(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kInsuranceOfficer}));
  Input in(body);
  const std::string county = in.Str("county", 100);
  const int64_t year = in.Int("year", 1990, 2200);
  pension::EcoRules rules;
  if (const Json* r = in.Object("rules")) {
    Input ri(*r, "/rules");
    const auto bps = [&](std::string_view f, int64_t fallback) {
      return ri.OptInt(f, 0, 10'000).value_or(fallback);
    };
    rules.discount_threshold_bps = bps("discount_threshold_bps", rules.discount_threshold_bps);
    rules.discount_bps = bps("discount_bps", rules.discount_bps);
    rules.uplift_threshold_bps = bps("uplift_threshold_bps", rules.uplift_threshold_bps);
    rules.uplift_bps = bps("uplift_bps", rules.uplift_bps);
    rules.payout_threshold_bps = bps("payout_threshold_bps", rules.payout_threshold_bps);
    in.Include(ri);
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  auto o = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM eco_observations WHERE county = ? AND year = ?",
                              kObservationColumns),
                  county, year));
  if (!CORRIDOR_TRY(o.Next())) {
    return Fail(Error::Conflict(fmt::format("{} has no observation of {} yet", county, year)));
  }
  const Json observation = ObservationRow(o);
  const pension::EcoObservation obs{.days_observed = o.Int(3),
                                    .good_air_days = o.Int(4),
                                    .ndvi_e4 = o.Int(5),
                                    .baseline_ndvi_e4 = o.Int(6)};
  const Json rules_json{{"discount_threshold_bps", rules.discount_threshold_bps},
                        {"discount_bps", rules.discount_bps},
                        {"uplift_threshold_bps", rules.uplift_threshold_bps},
                        {"uplift_bps", rules.uplift_bps},
                        {"payout_threshold_bps", rules.payout_threshold_bps}};
  struct Policy {
    int64_t id = 0, premium = 0, benefit = 0, sum_insured = 0;
  };
  std::vector<Policy> policies;
  int64_t already = 0;
  {
    auto p = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT p.id, p.premium_fen, p.benefit_fen, p.sum_insured_fen, (SELECT count(*) FROM "
        "eco_assessments a WHERE a.policy_id = p.id AND a.year = ?) FROM eco_policies p WHERE "
        "p.insurer_tenant_id = ? AND p.county = ? ORDER BY p.id",
        year, caller.tenant_id, county));
    while (CORRIDOR_TRY(p.Next())) {
      if (p.Int(4) > 0) {
        ++already;
      } else {
        policies.push_back({p.Int(0), p.Int(1), p.Int(2), p.Int(3)});
      }
    }
  }
  if (policies.empty()) {
    return Fail(Error::Conflict(
        already > 0 ? fmt::format("every policy in {} is already assessed for {}", county, year)
                    : fmt::format("the insurer has no eco-index policy in {}", county)));
  }
  const int64_t now = clock_.NowMicros();
  int64_t payout = 0, discounted = 0, uplifted = 0;
  pension::EcoDecision last;
  for (const auto& p : policies) {
    const auto d =
        CORRIDOR_TRY(pension::ApplyEcoIndex(rules, obs, p.premium, p.benefit, p.sum_insured));
    CORRIDOR_TRY(Execute(
        c,
        "INSERT INTO eco_assessments (policy_id, year, observation_id, rules, air_bps, "
        "vegetation_bps, index_bps, discounted, uplifted, premium_fen, benefit_fen, payout_fen, "
        "explanation_zh, explanation_en, assessed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id, year, observation["id"].get<int64_t>(), rules_json.dump(), d.air_bps,
        d.vegetation_bps, d.index_bps, d.discounted, d.uplifted, d.premium_fen, d.benefit_fen,
        d.payout_fen, d.explanation_zh, d.explanation_en, caller.user_id, now));
    payout += d.payout_fen;
    discounted += d.discounted ? 1 : 0;
    uplifted += d.uplifted ? 1 : 0;
    last = d;
  }
  Json out{{"county", county},
           {"year", year},
           {"observation", observation},
           {"rules", rules_json},
           {"air_bps", last.air_bps},
           {"vegetation_bps", last.vegetation_bps},
           {"index_bps", last.index_bps},
           {"assessed", static_cast<int64_t>(policies.size())},
           {"already_assessed", already},
           {"discounted", discounted},
           {"uplifted", uplifted},
           {"payout_fen", payout}};
  const LogEntryRef entry = CORRIDOR_TRY(
      AppendLogEntry(c, "pension.eco_assessed", &caller, out, {caller.tenant_id}, now));
  CORRIDOR_TRY_STATUS(internal::AddLedger(
      c, std::nullopt, "eco_insurance_payout",
      fmt::format("eco_insurance:insurer:{}:payouts", caller.tenant_id),
      fmt::format("eco_insurance:insurer:{}:members_payable", caller.tenant_id), payout, now));
  out["log_index"] = entry.index;
  return Response{std::move(out)};
}

Result<Json> PensionFinance::ListAssessments(const Caller& caller, std::optional<int64_t> policy_id,
                                             const Page& page) {
  CORRIDOR_TRY_STATUS(RequireEcoInsuranceParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(
        c, page,
        fmt::format("SELECT {} FROM eco_assessments a JOIN eco_policies p ON p.id = a.policy_id",
                    kAssessmentColumns),
        "a.id", "(? OR p.insurer_tenant_id = ?) AND (? = 0 OR a.policy_id = ?)", AssessmentRow,
        caller.platform(), caller.tenant_id, policy_id.value_or(0), policy_id.value_or(0));
  });
}

}  // namespace corridor::service
