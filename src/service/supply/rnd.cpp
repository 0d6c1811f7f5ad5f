// R&D funds disbursed by milestone (seed 002 §4.4): a bank's approval for an enterprise's R&D
// project, its schedule of tranches each tied to a milestone, milestones confirmed, tranches paid
// in order. The rules are domain::CheckTrancheDisbursement and domain::InsertTranche; tranches are
// addressed by their id, never by their position, so that a tranche added before others cannot
// make a confirmation or a payment land on the wrong one.
#include <fmt/format.h>

#include "domain/trade_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/supply/internal.hpp"
#include "service/supply/supply.hpp"
#include "store/db.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
using supply_internal::Appended;

namespace {

constexpr int64_t kMaxFen = int64_t{1'000'000'000'000'000};
constexpr size_t kMaxTranches = 200;

struct Fund {
  int64_t id = 0, bank_tenant_id = 0, enterprise_id = 0, enterprise_tenant_id = 0, approved_fen = 0,
          entry_index = 0, created_at = 0;
  std::string project;
};

struct StoredTranche {
  int64_t id = 0, amount_fen = 0;
  std::string milestone;
  std::optional<int64_t> confirmed_entry_index, disbursed_entry_index;
};

Result<std::optional<Fund>> LoadFund(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT f.id, f.bank_tenant_id, f.enterprise_id, e.tenant_id, "
                                    "f.approved_fen, f.entry_index, f.created_at, f.project FROM "
                                    "supply_rnd_funds f JOIN enterprises e ON e.id = "
                                    "f.enterprise_id WHERE f.id = ?",
                                    id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Fund>();
  return std::optional<Fund>(Fund{.id = q.Int(0),
                                  .bank_tenant_id = q.Int(1),
                                  .enterprise_id = q.Int(2),
                                  .enterprise_tenant_id = q.Int(3),
                                  .approved_fen = q.Int(4),
                                  .entry_index = q.Int(5),
                                  .created_at = q.Int(6),
                                  .project = q.Text(7)});
}

// The schedule in its order.
Result<std::vector<StoredTranche>> LoadTranches(Connection& c, int64_t fund_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, amount_fen, milestone, confirmed_entry_index, "
                                    "disbursed_entry_index FROM supply_rnd_tranches WHERE "
                                    "fund_id = ? ORDER BY position",
                                    fund_id));
  std::vector<StoredTranche> out;
  while (CORRIDOR_TRY(q.Next())) {
    out.push_back({.id = q.Int(0),
                   .amount_fen = q.Int(1),
                   .milestone = q.Text(2),
                   .confirmed_entry_index = q.OptInt(3),
                   .disbursed_entry_index = q.OptInt(4)});
  }
  return out;
}

std::vector<domain::Tranche> Schedule(const std::vector<StoredTranche>& stored) {
  std::vector<domain::Tranche> out;
  out.reserve(stored.size());
  for (const auto& t : stored) {
    out.push_back({.milestone = t.milestone,
                   .amount_fen = t.amount_fen,
                   .milestone_confirmed = t.confirmed_entry_index.has_value(),
                   .disbursed = t.disbursed_entry_index.has_value()});
  }
  return out;
}

bool SeesFund(const Caller& caller, const Fund& f) {
  if (internal::IsOversight(caller)) return true;
  if (caller.in_bank()) return caller.tenant_id == f.bank_tenant_id;
  return caller.role == Role::kEnterpriseUser && caller.enterprise_id == f.enterprise_id;
}

Result<Json> FundJson(Connection& c, const Fund& f) {
  const auto stored = CORRIDOR_TRY(LoadTranches(c, f.id));
  Json tranches = Json::array();
  int64_t scheduled = 0, disbursed = 0;
  std::optional<size_t> next;
  for (size_t k = 0; k < stored.size(); ++k) {
    const auto& t = stored[k];
    scheduled += t.amount_fen;
    if (t.disbursed_entry_index) disbursed += t.amount_fen;
    if (!t.disbursed_entry_index && !next) next = k;
    auto index = [](const std::optional<int64_t>& i) { return i ? Json(*i) : Json(nullptr); };
    tranches.push_back(Json{{"id", t.id},
                            {"position", static_cast<int64_t>(k)},
                            {"milestone", t.milestone},
                            {"amount_fen", t.amount_fen},
                            {"milestone_confirmed", t.confirmed_entry_index.has_value()},
                            {"disbursed", t.disbursed_entry_index.has_value()},
                            {"confirmed_log_index", index(t.confirmed_entry_index)},
                            {"disbursed_log_index", index(t.disbursed_entry_index)}});
  }
  return Json{{"id", f.id},
              {"bank_tenant_id", f.bank_tenant_id},
              {"enterprise_id", f.enterprise_id},
              {"project", f.project},
              {"approved_fen", f.approved_fen},
              {"scheduled_fen", scheduled},
              {"disbursed_fen", disbursed},
              {"unscheduled_fen", f.approved_fen - scheduled},
              {"next_tranche_id", next ? Json(stored[*next].id) : Json(nullptr)},
              {"tranches", std::move(tranches)},
              {"log_index", f.entry_index},
              {"created_at_us", f.created_at}};
}

// A tranche with its fund, the caller seeing the fund.
struct TrancheRef {
  Fund fund;
  std::vector<StoredTranche> schedule;
  size_t position = 0;
};
Result<TrancheRef> LoadTranche(Connection& c, const Caller& caller, int64_t tranche_id) {
  auto fund_id =
      CORRIDOR_TRY(QueryInt(c, "SELECT fund_id FROM supply_rnd_tranches WHERE id = ?", tranche_id));
  if (!fund_id) return Fail(Error::NotFound("tranche"));
  auto fund = CORRIDOR_TRY(LoadFund(c, *fund_id));
  if (!fund || !SeesFund(caller, *fund)) return Fail(Error::NotFound("tranche"));
  TrancheRef out{.fund = *fund, .schedule = CORRIDOR_TRY(LoadTranches(c, *fund_id)), .position = 0};
  while (out.schedule[out.position].id != tranche_id) ++out.position;
  return out;
}

// Validates one tranche of a request body at `pointer`.
domain::Tranche TrancheField(Input& in) {
  return domain::Tranche{.milestone = in.Str("milestone", 200),
                         .amount_fen = in.Int("amount_fen", 1, kMaxFen),
                         .milestone_confirmed = false,
                         .disbursed = false};
}

// A domain refusal as the API says it: the rule in the field error, the position renamed to the
// tranche's id where the domain names /tranches/k.
Error RndRefusal(const Error& e, std::string_view field) {
  return supply_internal::RuleRefusal("rnd_milestone", field, e.message);
}

}  // namespace

Result<Response> Supply::ApproveRndFund(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t enterprise = in.Int("enterprise_id", 1, INT64_MAX);
  const std::string project = in.Str("project", 200);
  const int64_t approved = in.Int("approved_fen", 1, kMaxFen);
  std::vector<domain::Tranche> tranches;
  if (auto it = body.find("tranches");
      it != body.end() && it->is_array() && !it->empty() && it->size() <= kMaxTranches) {
    for (size_t k = 0; k < it->size(); ++k) {
      if (!(*it)[k].is_object()) {
        in.Problem(fmt::format("tranches/{}", k), "must be an object");
        continue;
      }
      Input t((*it)[k], fmt::format("/tranches/{}", k));
      tranches.push_back(TrancheField(t));
      in.Include(t);
    }
  } else {
    in.Problem("tranches", "must list 1 to 200 tranches, each {milestone, amount_fen}");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  auto tenant =
      CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise));
  if (!tenant) return Fail(Error::Invalid("/enterprise_id", "no such enterprise"));
  // The schedule is built by the same insertion a later tranche goes through.
  std::vector<domain::Tranche> schedule;
  for (size_t k = 0; k < tranches.size(); ++k) {
    auto next = domain::InsertTranche(approved, schedule, schedule.size(), tranches[k]);
    if (!next) return Fail(RndRefusal(next.error(), fmt::format("/tranches/{}/amount_fen", k)));
    schedule = std::move(*next);
  }
  const int64_t now = clock_.NowMicros();
  Json listed = Json::array();
  for (const auto& t : schedule) {
    listed.push_back(Json{{"milestone", t.milestone}, {"amount_fen", t.amount_fen}});
  }
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "rnd_fund.approve", &caller,
                                                      Json{{"enterprise_id", enterprise},
                                                           {"project", project},
                                                           {"approved_fen", approved},
                                                           {"tranches", listed}},
                                                      {caller.tenant_id, *tenant}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_rnd_funds (bank_tenant_id, enterprise_id, project, approved_fen, "
      "entry_index, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      caller.tenant_id, enterprise, project, approved, ref.index, now));
  for (size_t k = 0; k < schedule.size(); ++k) {
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO supply_rnd_tranches (fund_id, position, milestone, "
                         "amount_fen, created_at) VALUES (?, ?, ?, ?, ?)",
                         id, static_cast<int64_t>(k), schedule[k].milestone, schedule[k].amount_fen,
                         now));
  }
  Json out = CORRIDOR_TRY(FundJson(c, *CORRIDOR_TRY(LoadFund(c, id))));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::AddRndTranche(Connection& c, const Caller& caller, int64_t fund_id,
                                       const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const domain::Tranche tranche = TrancheField(in);
  const auto before = in.OptInt("before_tranche_id", 1, INT64_MAX);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto fund = CORRIDOR_TRY(LoadFund(c, fund_id));
  if (!fund || !SeesFund(caller, *fund)) return Fail(Error::NotFound("R&D fund"));
  const auto stored = CORRIDOR_TRY(LoadTranches(c, fund_id));
  size_t at = stored.size();
  if (before) {
    at = 0;
    while (at < stored.size() && stored[at].id != *before) ++at;
    if (at == stored.size()) {
      return Fail(Error::Invalid("/before_tranche_id", "is not a tranche of this fund"));
    }
  }
  auto schedule = domain::InsertTranche(fund->approved_fen, Schedule(stored), at, tranche);
  if (!schedule) {
    return Fail(RndRefusal(schedule.error(), before ? "/before_tranche_id" : "/amount_fen"));
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(
      AppendLogEntry(c, "rnd_fund.add_tranche", &caller,
                     Json{{"fund_id", fund_id},
                          {"milestone", tranche.milestone},
                          {"amount_fen", tranche.amount_fen},
                          {"before_tranche_id", before ? Json(*before) : Json(nullptr)},
                          {"position", static_cast<int64_t>(at)}},
                     {fund->bank_tenant_id, fund->enterprise_tenant_id}, now));
  // Positions after the insertion move up by one (no unique index on them: the schedule's order
  // is rewritten inside this one transaction).
  CORRIDOR_TRY(Execute(c,
                       "UPDATE supply_rnd_tranches SET position = position + 1 WHERE fund_id = ? "
                       "AND position >= ?",
                       fund_id, static_cast<int64_t>(at)));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_rnd_tranches (fund_id, position, milestone, amount_fen, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      fund_id, static_cast<int64_t>(at), tranche.milestone, tranche.amount_fen, now));
  Json out = CORRIDOR_TRY(FundJson(c, *fund));
  out["tranche_id"] = id;
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::ConfirmRndMilestone(Connection& c, const Caller& caller,
                                             int64_t tranche_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kBureauAdmin}));
  Input in(body);
  const std::string evidence = in.Str("evidence", 500);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto ref = CORRIDOR_TRY(LoadTranche(c, caller, tranche_id));
  const StoredTranche& t = ref.schedule[ref.position];
  if (t.confirmed_entry_index) {
    return Fail(Error::Conflict(fmt::format("the milestone is already confirmed (log index {})",
                                            *t.confirmed_entry_index)));
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "rnd_fund.confirm_milestone", &caller,
                                  Json{{"fund_id", ref.fund.id},
                                       {"tranche_id", tranche_id},
                                       {"milestone", t.milestone},
                                       {"evidence", evidence}},
                                  {ref.fund.bank_tenant_id, ref.fund.enterprise_tenant_id}, now));
  CORRIDOR_TRY(Execute(c, "UPDATE supply_rnd_tranches SET confirmed_entry_index = ? WHERE id = ?",
                       entry.index, tranche_id));
  Json out = CORRIDOR_TRY(FundJson(c, ref.fund));
  out["log_entry"] = Appended(entry);
  return Response{std::move(out)};
}

Result<Response> Supply::DisburseRndTranche(Connection& c, const Caller& caller,
                                            int64_t tranche_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  auto ref = CORRIDOR_TRY(LoadTranche(c, caller, tranche_id));
  if (caller.tenant_id != ref.fund.bank_tenant_id) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the fund's bank disburses it", {}});
  }
  if (auto allowed = domain::CheckTrancheDisbursement(ref.fund.approved_fen, Schedule(ref.schedule),
                                                      ref.position);
      !allowed) {
    return Fail(RndRefusal(allowed.error(), "/tranche_id"));
  }
  const StoredTranche& t = ref.schedule[ref.position];
  const int64_t now = clock_.NowMicros();
  const LogEntryRef entry =
      CORRIDOR_TRY(AppendLogEntry(c, "rnd_fund.disburse", &caller,
                                  Json{{"fund_id", ref.fund.id},
                                       {"tranche_id", tranche_id},
                                       {"milestone", t.milestone},
                                       {"amount_fen", t.amount_fen}},
                                  {ref.fund.bank_tenant_id, ref.fund.enterprise_tenant_id}, now));
  CORRIDOR_TRY(Execute(c, "UPDATE supply_rnd_tranches SET disbursed_entry_index = ? WHERE id = ?",
                       entry.index, tranche_id));
  CORRIDOR_TRY_STATUS(internal::AddLedger(
      c, std::nullopt, "rnd_tranche_disbursement",
      fmt::format("loans_receivable:bank:{}", ref.fund.bank_tenant_id),
      fmt::format("deposits:enterprise:{}", ref.fund.enterprise_id), t.amount_fen, now));
  Json out = CORRIDOR_TRY(FundJson(c, ref.fund));
  out["log_entry"] = Appended(entry);
  return Response{std::move(out)};
}

Result<Json> Supply::ListRndFunds(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "f.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT f.id FROM supply_rnd_funds f WHERE {} AND (? OR f.bank_tenant_id = ? "
                    "OR f.enterprise_id = ?) ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, internal::IsOversight(caller), caller.in_bank() ? caller.tenant_id : 0,
        caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0, page.limit));
    std::vector<int64_t> ids;
    while (CORRIDOR_TRY(q.Next())) ids.push_back(q.Int(0));
    Json items = Json::array();
    for (int64_t id : ids)
      items.push_back(CORRIDOR_TRY(FundJson(c, *CORRIDOR_TRY(LoadFund(c, id)))));
    return internal::PageOf(std::move(items), ids.empty() ? 0 : ids.back(), page);
  });
}

Result<Json> Supply::GetRndFund(const Caller& caller, int64_t fund_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto fund = CORRIDOR_TRY(LoadFund(c, fund_id));
    if (!fund || !SeesFund(caller, *fund)) return Fail(Error::NotFound("R&D fund"));
    return FundJson(c, *fund);
  });
}

}  // namespace corridor::service
