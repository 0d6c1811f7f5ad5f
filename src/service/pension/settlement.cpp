// Cross-region settlement on the platform (service/pension/pension.hpp): the insurers' policies,
// the claims of care advanced for another region's members, and the period's settlement.
#include "pension/settlement.hpp"

#include <map>
#include <vector>

#include "core/date.hpp"
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

namespace pension_internal {

Result<std::string> InsurerName(Connection& c, int64_t tenant_id, std::string_view field) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT kind, name FROM tenants WHERE id = ?", tenant_id));
  if (!CORRIDOR_TRY(q.Next()) || q.Text(0) != "insurer") {
    return Fail(Error::Invalid(std::string(field), "no insurer has this id"));
  }
  return q.Text(1);
}

}  // namespace pension_internal

namespace {

using pension_internal::InsurerName;
using pension_internal::RequirePensionParty;

// Claims and settlements are the insurers' and the bureau's.
Status RequireSettlementParty(const Caller& caller) {
  if (caller.platform() || caller.in_insurer()) return {};
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "claims and settlements are for the insurers and the bureau",
                    {}});
}

constexpr std::string_view kPolicyColumns =
    "p.id, p.insurer_tenant_id, t.name, p.deductible_fen, p.reimbursement_bps, p.cap_fen, "
    "p.created_at";
// The policy in force of each insurer: its newest version.
constexpr std::string_view kPolicyInForce =
    "p.id = (SELECT max(p2.id) FROM pension_policies p2 WHERE p2.insurer_tenant_id = "
    "p.insurer_tenant_id)";

Json PolicyRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"insurer_tenant_id", q.Int(1)},
              {"insurer", q.Text(2)},
              {"deductible_fen", q.Int(3)},
              {"reimbursement_bps", q.Int(4)},
              {"cap_fen", q.Int(5)},
              {"set_at_us", q.Int(6)}};
}

constexpr std::string_view kClaimColumns =
    "c.id, c.period, c.care_tenant_id, tc.name, c.insuring_tenant_id, ti.name, c.member, "
    "c.care_date, c.provider, c.eligible_fen, c.settlement_id, c.member_bears_fen, "
    "c.reimbursed_fen, c.created_at";
constexpr std::string_view kClaimFrom =
    "care_claims c JOIN tenants tc ON tc.id = c.care_tenant_id JOIN tenants ti ON ti.id = "
    "c.insuring_tenant_id";

Json ClaimRow(const Query& q) {
  Json j{{"id", q.Int(0)},
         {"period", q.Text(1)},
         {"care_tenant_id", q.Int(2)},
         {"care_insurer", q.Text(3)},
         {"insuring_tenant_id", q.Int(4)},
         {"insuring_insurer", q.Text(5)},
         {"member", q.Text(6)},
         {"care_date", q.Text(7)},
         {"provider", q.Text(8)},
         {"eligible_fen", q.Int(9)},
         {"settlement_id", q.IsNull(10) ? Json() : Json(q.Int(10))},
         {"created_at_us", q.Int(13)}};
  if (!q.IsNull(10)) {
    j["member_bears_fen"] = q.Int(11);
    j["reimbursed_fen"] = q.Int(12);
  }
  return j;
}

// A stored settlement as `caller` may read it: an insurer sees its own obligations and position.
Json SettlementView(const Caller& caller, int64_t id, const std::string& period, int64_t claims,
                    int64_t eligible, int64_t reimbursed, const Json& result, int64_t at) {
  Json out{{"id", id},
           {"period", period},
           {"claims", claims},
           {"eligible_fen", eligible},
           {"reimbursed_fen", reimbursed},
           {"settled_at_us", at}};
  const auto mine = [&](const Json& row) {
    if (caller.platform()) return true;
    for (const char* k : {"payer_tenant_id", "payee_tenant_id", "tenant_id"}) {
      if (row.contains(k) && row[k].get<int64_t>() == caller.tenant_id) return true;
    }
    return false;
  };
  for (const char* part : {"owed", "net", "positions"}) {
    Json rows = Json::array();
    for (const auto& row : result.at(part)) {
      if (mine(row)) rows.push_back(row);
    }
    out[part] = std::move(rows);
  }
  out["policies"] = result.at("policies");
  out["log_index"] = result.at("log_index");
  return out;
}

}  // namespace

Result<Response> PensionFinance::SetPolicy(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kInsuranceOfficer}));
  Input in(body);
  const int64_t deductible = in.Int("deductible_fen", 0, 10'000'000'000);
  const int64_t bps = in.Int("reimbursement_bps", 0, 10'000);
  const int64_t cap = in.OptInt("cap_fen", 0, kMaxFen).value_or(0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO pension_policies (insurer_tenant_id, deductible_fen, "
      "reimbursement_bps, cap_fen, set_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      caller.tenant_id, deductible, bps, cap, caller.user_id, now));
  const std::string name = CORRIDOR_TRY(InsurerName(c, caller.tenant_id, "/insurer"));
  Json policy{{"id", id},
              {"insurer_tenant_id", caller.tenant_id},
              {"insurer", name},
              {"deductible_fen", deductible},
              {"reimbursement_bps", bps},
              {"cap_fen", cap},
              {"set_at_us", now}};
  const LogEntryRef entry = CORRIDOR_TRY(
      AppendLogEntry(c, "pension.policy_set", &caller, policy, {caller.tenant_id}, now));
  policy["log_index"] = entry.index;
  return Response{std::move(policy)};
}

Result<Json> PensionFinance::Policies(const Caller& caller) {
  CORRIDOR_TRY_STATUS(RequirePensionParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(
        Query::Make(c, fmt::format("SELECT {} FROM pension_policies p JOIN tenants t ON t.id = "
                                   "p.insurer_tenant_id WHERE {} ORDER BY p.insurer_tenant_id",
                                   kPolicyColumns, kPolicyInForce)));
    Json items = Json::array();
    while (CORRIDOR_TRY(q.Next())) items.push_back(PolicyRow(q));
    auto t = CORRIDOR_TRY(
        Query::Make(c, "SELECT id, name FROM tenants WHERE kind = 'insurer' ORDER BY id"));
    Json insurers = Json::array();
    while (CORRIDOR_TRY(t.Next()))
      insurers.push_back({{"tenant_id", t.Int(0)}, {"name", t.Text(1)}});
    return Json{{"policies", std::move(items)}, {"insurers", std::move(insurers)}};
  });
}

Result<Response> PensionFinance::RecordClaim(Connection& c, const Caller& caller,
                                             const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kInsuranceOfficer}));
  Input in(body);
  const int64_t insuring = in.Int("insuring_tenant_id", 1, std::numeric_limits<int64_t>::max());
  const std::string member = in.Str("member", 64);
  const std::string period = in.Str("period", 7);
  const Date care_date = in.DateField("care_date");
  const std::string provider = in.Str("provider", 200);
  const int64_t eligible = in.Int("eligible_fen", 1, 10'000'000'000);
  if (!period.empty() && !pension_internal::ValidMonth(period)) {
    in.Problem("period", "a month, YYYY-MM");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (care_date.ToString().substr(0, 7) != period) {
    return Fail(Error::Invalid("/care_date", fmt::format("a day of the period {}", period)));
  }
  if (insuring == caller.tenant_id) {
    return Fail(Error::Invalid("/insuring_tenant_id",
                               "care of the insurer's own members is not a cross-region claim"));
  }
  const std::string insuring_name = CORRIDOR_TRY(InsurerName(c, insuring, "/insuring_tenant_id"));
  if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM pension_settlements WHERE period = ?", period))) {
    return Fail(Error::Conflict(fmt::format("the period {} is settled", period)));
  }
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO care_claims (period, care_tenant_id, insuring_tenant_id, member, care_date, "
      "provider, eligible_fen, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      period, caller.tenant_id, insuring, member, care_date.ToString(), provider, eligible,
      caller.user_id, now));
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM {} WHERE c.id = ?", kClaimColumns, kClaimFrom), id));
  CORRIDOR_TRY(q.Next());
  return Response{ClaimRow(q)};
}

Result<Json> PensionFinance::ListClaims(const Caller& caller, std::optional<std::string> period,
                                        const Page& page) {
  CORRIDOR_TRY_STATUS(RequireSettlementParty(caller));
  if (period && !pension_internal::ValidMonth(*period)) {
    return Fail(Error::Invalid("/period", "a month, YYYY-MM"));
  }
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(
        c, page, fmt::format("SELECT {} FROM {}", kClaimColumns, kClaimFrom), "c.id",
        "(? OR c.care_tenant_id = ? OR c.insuring_tenant_id = ?) AND (? = '' OR c.period = ?)",
        ClaimRow, caller.platform(), caller.tenant_id, caller.tenant_id, period.value_or(""),
        period.value_or(""));
  });
}

Result<Response> PensionFinance::Settle(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string period = in.Str("period", 7);
  if (!period.empty() && !pension_internal::ValidMonth(period)) {
    in.Problem("period", "a month, YYYY-MM");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM pension_settlements WHERE period = ?", period))) {
    return Fail(Error::Conflict(fmt::format("the period {} is settled", period)));
  }
  // The claims in the order recorded, each insuring region's policy in force.
  std::vector<int64_t> ids;
  std::vector<pension::CareClaim> claims;
  std::map<int64_t, std::string> names;
  {
    auto q =
        CORRIDOR_TRY(Query::Make(c,
                                 fmt::format("SELECT {} FROM {} WHERE c.period = ? ORDER BY c.id",
                                             kClaimColumns, kClaimFrom),
                                 period));
    while (CORRIDOR_TRY(q.Next())) {
      ids.push_back(q.Int(0));
      names[q.Int(2)] = q.Text(3);
      names[q.Int(4)] = q.Text(5);
      claims.push_back({.member = q.Text(6),
                        .insuring_region = std::to_string(q.Int(4)),
                        .care_region = std::to_string(q.Int(2)),
                        .eligible_fen = q.Int(9)});
    }
  }
  if (claims.empty()) {
    return Fail(Error::Conflict(fmt::format("the period {} has no claims", period)));
  }
  std::map<std::string, pension::ReimbursementPolicy> policies;
  Json policies_json = Json::array();
  for (const auto& cl : claims) {
    if (policies.contains(cl.insuring_region)) continue;
    const int64_t insurer = std::stoll(cl.insuring_region);
    auto q = CORRIDOR_TRY(
        Query::Make(c,
                    fmt::format("SELECT {} FROM pension_policies p JOIN tenants t ON t.id = "
                                "p.insurer_tenant_id WHERE p.insurer_tenant_id = ? AND {}",
                                kPolicyColumns, kPolicyInForce),
                    insurer));
    if (!CORRIDOR_TRY(q.Next())) {
      return Fail(Error::Conflict(
          fmt::format("{} has no reimbursement policy: it sets one before the period is settled",
                      names[insurer])));
    }
    policies[cl.insuring_region] = {
        .deductible_fen = q.Int(3), .reimbursement_bps = q.Int(4), .cap_fen = q.Int(5)};
    policies_json.push_back(PolicyRow(q));
  }
  const auto s = CORRIDOR_TRY(pension::SettlePeriod(policies, claims));

  const int64_t now = clock_.NowMicros();
  int64_t eligible = 0, reimbursed = 0;
  for (const auto& sc : s.claims) {
    eligible += sc.eligible_fen;
    reimbursed += sc.reimbursed_fen;
  }
  const auto party = [&](const std::string& region) {
    const int64_t id = std::stoll(region);
    return std::pair<int64_t, std::string>(id, names[id]);
  };
  Json owed = Json::array(), net = Json::array(), positions = Json::array();
  std::vector<int64_t> parties;
  for (const auto& [payer, row] : s.owed) {
    for (const auto& [payee, amount] : row) {
      owed.push_back({{"payer_tenant_id", party(payer).first},
                      {"payer", party(payer).second},
                      {"payee_tenant_id", party(payee).first},
                      {"payee", party(payee).second},
                      {"amount_fen", amount}});
    }
  }
  for (const auto& [a, row] : s.bilateral) {
    for (const auto& [b, amount] : row) {
      if (amount == 0) continue;
      const auto& payer = amount > 0 ? a : b;
      const auto& payee = amount > 0 ? b : a;
      net.push_back({{"payer_tenant_id", party(payer).first},
                     {"payer", party(payer).second},
                     {"payee_tenant_id", party(payee).first},
                     {"payee", party(payee).second},
                     {"amount_fen", amount > 0 ? amount : -amount}});
    }
  }
  for (const auto& [region, position] : s.position) {
    positions.push_back({{"tenant_id", party(region).first},
                         {"insurer", party(region).second},
                         {"position_fen", position}});
    parties.push_back(party(region).first);
  }
  Json result{{"owed", owed}, {"net", net}, {"positions", positions}, {"policies", policies_json}};
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "pension.settled", &caller,
                                  Json{{"period", period},
                                       {"claims", static_cast<int64_t>(claims.size())},
                                       {"eligible_fen", eligible},
                                       {"reimbursed_fen", reimbursed},
                                       {"net", net},
                                       {"positions", positions}},
                                  parties, now));
  result["log_index"] = entry.index;
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO pension_settlements (period, claims, eligible_fen, reimbursed_fen, result, "
      "settled_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      period, static_cast<int64_t>(claims.size()), eligible, reimbursed, result.dump(),
      caller.user_id, now));
  for (size_t k = 0; k < ids.size(); ++k) {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE care_claims SET settlement_id = ?, member_bears_fen = ?, "
                         "reimbursed_fen = ? WHERE id = ?",
                         id, s.claims[k].member_bears_fen, s.claims[k].reimbursed_fen, ids[k]));
  }
  for (const auto& p : positions) {
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO pension_settlement_positions (settlement_id, tenant_id, "
                         "position_fen) VALUES (?, ?, ?)",
                         id, p["tenant_id"].get<int64_t>(), p["position_fen"].get<int64_t>()));
  }
  for (const auto& n : net) {
    CORRIDOR_TRY_STATUS(internal::AddLedger(
        c, std::nullopt, "pension_settlement",
        fmt::format("settlement_receivable:insurer:{}", n["payee_tenant_id"].get<int64_t>()),
        fmt::format("settlement_payable:insurer:{}", n["payer_tenant_id"].get<int64_t>()),
        n["amount_fen"].get<int64_t>(), now));
  }
  return Response{SettlementView(caller, id, period, static_cast<int64_t>(claims.size()), eligible,
                                 reimbursed, result, now)};
}

Result<Json> PensionFinance::ListSettlements(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireSettlementParty(caller));
  return store_.Read([&](Connection& c) {
    return internal::ReadPage(
        c, page,
        "SELECT s.id, s.period, s.claims, s.eligible_fen, s.reimbursed_fen, s.result, "
        "s.created_at FROM pension_settlements s",
        "s.id",
        "? OR EXISTS (SELECT 1 FROM pension_settlement_positions sp WHERE sp.settlement_id = "
        "s.id AND sp.tenant_id = ?)",
        [&](const Query& r) {
          return SettlementView(caller, r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4),
                                Json::parse(r.Text(5)), r.Int(6));
        },
        caller.platform(), caller.tenant_id);
  });
}

Result<Json> PensionFinance::GetSettlement(const Caller& caller, int64_t id) {
  CORRIDOR_TRY_STATUS(RequireSettlementParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(
        Query::Make(c,
                    "SELECT s.id, s.period, s.claims, s.eligible_fen, s.reimbursed_fen, s.result, "
                    "s.created_at FROM pension_settlements s WHERE s.id = ? AND (? OR EXISTS "
                    "(SELECT 1 FROM pension_settlement_positions sp WHERE sp.settlement_id = s.id "
                    "AND sp.tenant_id = ?))",
                    id, caller.platform(), caller.tenant_id));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("settlement"));
    return SettlementView(caller, q.Int(0), q.Text(1), q.Int(2), q.Int(3), q.Int(4),
                          Json::parse(q.Text(5)), q.Int(6));
  });
}

}  // namespace corridor::service
