// Secured supply-chain loans: capacity-sharing loans (产能共享贷) against equipment and pledged
// orders, patent-portfolio pledge loans (知识产权质押) with loan-plus-warrant terms (投贷联动), and
// their re-appraisals.
#include <fmt/format.h>

#include "core/int128.hpp"
#include "domain/trade_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/registry/registry.hpp"
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
using supply_internal::RuleRefusal;
using supply_internal::UsccOf;

namespace {

constexpr int64_t kMaxFen = int64_t{1'000'000'000'000'000};  // 10^13 yuan
constexpr int64_t kBps = 10'000;
constexpr size_t kMaxPledgedOrders = 1'000;
constexpr size_t kMaxPatents = 1'000;

struct SecuredLoan {
  int64_t id = 0, bank_tenant_id = 0, enterprise_id = 0, enterprise_tenant_id = 0,
          principal_fen = 0, outstanding_fen = 0, collateral_fen = 0, cap_bps = 0,
          pledged_orders_fen = 0, top_up_fen = 0, entry_index = 0, created_at = 0;
  std::optional<int64_t> equipment_asset_id;
  std::string kind, patents, status;
  std::optional<std::string> warrant;
};

constexpr std::string_view kLoanColumns =
    "s.id, s.bank_tenant_id, s.enterprise_id, e.tenant_id, s.principal_fen, s.outstanding_fen, "
    "s.collateral_fen, s.cap_bps, s.pledged_orders_fen, s.top_up_fen, s.entry_index, "
    "s.created_at, s.equipment_asset_id, s.kind, s.patents, s.status, s.warrant";

SecuredLoan LoanFrom(const Query& q) {
  SecuredLoan l;
  l.id = q.Int(0);
  l.bank_tenant_id = q.Int(1);
  l.enterprise_id = q.Int(2);
  l.enterprise_tenant_id = q.Int(3);
  l.principal_fen = q.Int(4);
  l.outstanding_fen = q.Int(5);
  l.collateral_fen = q.Int(6);
  l.cap_bps = q.Int(7);
  l.pledged_orders_fen = q.Int(8);
  l.top_up_fen = q.Int(9);
  l.entry_index = q.Int(10);
  l.created_at = q.Int(11);
  l.equipment_asset_id = q.OptInt(12);
  l.kind = q.Text(13);
  l.patents = q.Text(14);
  l.status = q.Text(15);
  if (!q.IsNull(16)) l.warrant = q.Text(16);
  return l;
}

Result<std::optional<SecuredLoan>> LoadLoan(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM supply_secured_loans s JOIN enterprises e ON e.id = "
                              "s.enterprise_id WHERE s.id = ?",
                              kLoanColumns),
                  id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<SecuredLoan>();
  return std::optional<SecuredLoan>(LoanFrom(q));
}

bool SeesLoan(const Caller& caller, const SecuredLoan& l) {
  if (internal::IsOversight(caller)) return true;
  if (caller.in_bank()) return caller.tenant_id == l.bank_tenant_id;
  return caller.role == Role::kEnterpriseUser && caller.enterprise_id == l.enterprise_id;
}

Result<Json> LoanJson(Connection& c, const SecuredLoan& l) {
  Json appraisals = Json::array();
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, appraisal_date, appraised_fen, outstanding_fen, "
                                    "ltv_bps, top_up_fen, entry_index FROM supply_appraisals "
                                    "WHERE loan_id = ? ORDER BY id",
                                    l.id));
  while (CORRIDOR_TRY(q.Next())) {
    appraisals.push_back(Json{{"id", q.Int(0)},
                              {"date", q.Text(1)},
                              {"appraised_fen", q.Int(2)},
                              {"outstanding_fen", q.Int(3)},
                              {"ltv_bps", q.Int(4)},
                              {"top_up_fen", q.Int(5)},
                              {"log_index", q.Int(6)}});
  }
  Json patents = Json::array();
  for (size_t at = 0; !l.patents.empty() && at <= l.patents.size();) {
    const size_t next = std::min(l.patents.find(',', at), l.patents.size());
    patents.push_back(l.patents.substr(at, next - at));
    at = next + 1;
  }
  const auto headroom =
      static_cast<int64_t>(static_cast<Int128>(l.collateral_fen) * l.cap_bps / kBps) -
      l.outstanding_fen;
  return Json{
      {"id", l.id},
      {"kind", l.kind},
      {"bank_tenant_id", l.bank_tenant_id},
      {"enterprise_id", l.enterprise_id},
      {"principal_fen", l.principal_fen},
      {"outstanding_fen", l.outstanding_fen},
      {"collateral_fen", l.collateral_fen},
      {"cap_bps", l.cap_bps},
      {"headroom_fen", headroom},
      {"equipment_asset_id", l.equipment_asset_id ? Json(*l.equipment_asset_id) : Json(nullptr)},
      {"pledged_orders_fen", l.pledged_orders_fen},
      {"patents", std::move(patents)},
      {"warrant", l.warrant ? Json::parse(*l.warrant, nullptr, false) : Json(nullptr)},
      {"status", l.status},
      {"top_up_fen", l.top_up_fen},
      {"appraisals", std::move(appraisals)},
      {"log_index", l.entry_index},
      {"created_at_us", l.created_at}};
}

// The borrower, which must be on the platform; its tenant for the log.
Result<int64_t> BorrowerTenant(Connection& c, int64_t enterprise_id) {
  auto t =
      CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  if (!t) return Fail(Error::Invalid("/enterprise_id", "no such enterprise"));
  return *t;
}

// The optional loan-plus-warrant terms: the equity share, the strike and the expiry, as agreed.
Json WarrantField(Input& in) {
  const Json* w = in.Object("warrant");
  if (w == nullptr) return nullptr;
  Input terms(*w, "/warrant");
  const int64_t equity = terms.Int("equity_bps", 1, kBps);
  const int64_t strike = terms.Int("strike_fen", 0, kMaxFen);
  const Date expiry = terms.DateField("expiry_date");
  const std::string text = terms.OptStr("terms", 500).value_or("");
  in.Include(terms);
  return Json{{"equity_bps", equity},
              {"strike_fen", strike},
              {"expiry_date", expiry.ToString()},
              {"terms", text}};
}

}  // namespace

Result<Response> Supply::GrantCapacityLoan(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t enterprise = in.Int("enterprise_id", 1, INT64_MAX);
  const int64_t equipment = in.Int("equipment_asset_id", 1, INT64_MAX);
  const int64_t appraised = in.Int("appraised_fen", 1, kMaxFen);
  const int64_t principal = in.Int("principal_fen", 1, kMaxFen);
  const int64_t cap = in.OptInt("ltv_cap_bps", 1, domain::kCapacityLoanLtvCapBps)
                          .value_or(domain::kCapacityLoanLtvCapBps);
  std::vector<int64_t> orders;
  if (auto it = body.find("order_asset_ids");
      it != body.end() && it->is_array() && !it->empty() && it->size() <= kMaxPledgedOrders) {
    for (const Json& o : *it) {
      if (!o.is_number_integer() || o.get<int64_t>() < 1) {
        in.Problem("order_asset_ids", "must be asset ids");
        break;
      }
      orders.push_back(o.get<int64_t>());
    }
  } else {
    in.Problem("order_asset_ids", "must list 1 to 1000 registered orders");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t tenant = CORRIDOR_TRY(BorrowerTenant(c, enterprise));
  CORRIDOR_TRY_STATUS(
      supply_internal::CheckUtilization(c, enterprise, clock_.Today(), "/principal_fen"));
  const std::string uscc = CORRIDOR_TRY(UsccOf(c, enterprise));
  auto eq = CORRIDOR_TRY(FindRegisteredAsset(c, equipment));
  if (!eq || eq->type != "equipment" || eq->creditor_uscc != uscc) {
    return Fail(
        Error::Invalid("/equipment_asset_id", "must be equipment registered by the borrower"));
  }
  int64_t orders_fen = 0;
  for (size_t k = 0; k < orders.size(); ++k) {
    auto o = CORRIDOR_TRY(FindRegisteredAsset(c, orders[k]));
    if (!o || o->type != "order" || o->creditor_uscc != uscc || o->status != "registered") {
      return Fail(Error::Invalid(fmt::format("/order_asset_ids/{}", k),
                                 "must be an undelivered order of the borrower"));
    }
    orders_fen += o->amount_fen;
  }
  const auto limit = CORRIDOR_TRY(domain::CapacityLoanLimitOf(appraised, orders_fen, cap));
  if (principal > limit.max_loan_fen) {
    return Fail(RuleRefusal(
        "capacity_loan_limit", "/principal_fen",
        fmt::format("the most is {} fen, bound by {} ({}.{:02}% of the {} fen appraisal is {} "
                    "fen; the pledged orders are {} fen)",
                    limit.max_loan_fen, limit.binding_constraint, cap / 100, cap % 100, appraised,
                    static_cast<int64_t>(static_cast<Int128>(appraised) * cap / kBps),
                    orders_fen)));
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "capacity_loan.grant", &caller,
                                                      Json{{"enterprise_id", enterprise},
                                                           {"equipment_asset_id", equipment},
                                                           {"order_asset_ids", orders},
                                                           {"appraised_fen", appraised},
                                                           {"ltv_cap_bps", cap},
                                                           {"pledged_orders_fen", orders_fen},
                                                           {"principal_fen", principal}},
                                                      {caller.tenant_id, tenant}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_secured_loans (kind, bank_tenant_id, enterprise_id, principal_fen, "
      "outstanding_fen, collateral_fen, cap_bps, equipment_asset_id, pledged_orders_fen, status, "
      "entry_index, created_at) VALUES ('capacity', ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?) "
      "RETURNING id",
      caller.tenant_id, enterprise, principal, principal, appraised, cap, equipment, orders_fen,
      ref.index, now));
  // The collateral is pledged in the registry: the equipment, then each order.
  const Json detail{{"capacity_loan_id", id}};
  CORRIDOR_TRY(PledgeRegisteredAsset(
      c, caller, equipment, caller.tenant_id,
      eq->amount_fen > 0 ? std::min(principal, eq->amount_fen) : principal, "pledge", detail, now));
  for (int64_t o : orders) {
    auto order = CORRIDOR_TRY(FindRegisteredAsset(c, o));
    CORRIDOR_TRY(PledgeRegisteredAsset(c, caller, o, caller.tenant_id, order->amount_fen, "pledge",
                                       detail, now));
  }
  CORRIDOR_TRY_STATUS(internal::AddLedger(c, std::nullopt, "capacity_loan_disbursement",
                                          fmt::format("loans_receivable:bank:{}", caller.tenant_id),
                                          fmt::format("deposits:enterprise:{}", enterprise),
                                          principal, now));
  Json out = CORRIDOR_TRY(LoanJson(c, *CORRIDOR_TRY(LoadLoan(c, id))));
  out["binding_constraint"] = limit.binding_constraint;
  out["max_loan_fen"] = limit.max_loan_fen;
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::GrantIpLoan(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t enterprise = in.Int("enterprise_id", 1, INT64_MAX);
  const std::vector<std::string> patents = in.StrList("patents");
  const int64_t valuation = in.Int("valuation_fen", 1, kMaxFen);
  const int64_t rate = in.Int("pledge_rate_bps", 1, kBps);
  const int64_t principal = in.Int("principal_fen", 1, kMaxFen);
  const Json warrant = WarrantField(in);
  if (patents.empty() || patents.size() > kMaxPatents) {
    in.Problem("patents", "must list 1 to 1000 patent numbers");
  }
  for (const auto& p : patents) {
    if (p.empty() || p.size() > 40 || p.find(',') != std::string::npos) {
      in.Problem("patents", "each patent number must be 1 to 40 characters, without commas");
      break;
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t tenant = CORRIDOR_TRY(BorrowerTenant(c, enterprise));
  CORRIDOR_TRY_STATUS(
      supply_internal::CheckUtilization(c, enterprise, clock_.Today(), "/principal_fen"));
  const int64_t limit = CORRIDOR_TRY(domain::IpPledgeLimit(valuation, rate));
  if (principal > limit) {
    return Fail(RuleRefusal(
        "ip_pledge_limit", "/principal_fen",
        fmt::format("the most is {} fen: {} bp of the {} fen valuation", limit, rate, valuation)));
  }
  const std::string joined = fmt::format("{}", fmt::join(patents, ","));
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "ip_loan.grant", &caller,
                                                      Json{{"enterprise_id", enterprise},
                                                           {"patents", patents},
                                                           {"valuation_fen", valuation},
                                                           {"pledge_rate_bps", rate},
                                                           {"principal_fen", principal},
                                                           {"warrant", warrant}},
                                                      {caller.tenant_id, tenant}, now));
  const std::optional<std::string> warrant_text =
      warrant.is_null() ? std::nullopt : std::optional<std::string>(warrant.dump());
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_secured_loans (kind, bank_tenant_id, enterprise_id, principal_fen, "
      "outstanding_fen, collateral_fen, cap_bps, patents, warrant, status, entry_index, "
      "created_at) VALUES ('ip', ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?) RETURNING id",
      caller.tenant_id, enterprise, principal, principal, valuation, rate, joined, warrant_text,
      ref.index, now));
  CORRIDOR_TRY_STATUS(internal::AddLedger(c, std::nullopt, "ip_loan_disbursement",
                                          fmt::format("loans_receivable:bank:{}", caller.tenant_id),
                                          fmt::format("deposits:enterprise:{}", enterprise),
                                          principal, now));
  Json out = CORRIDOR_TRY(LoanJson(c, *CORRIDOR_TRY(LoadLoan(c, id))));
  out["max_loan_fen"] = limit;
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::Reappraise(Connection& c, const Caller& caller, int64_t loan_id,
                                    const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t appraised = in.Int("appraised_fen", 0, kMaxFen);
  const Date date = in.DateField("date");
  CORRIDOR_TRY_STATUS(in.Finish());
  auto loan = CORRIDOR_TRY(LoadLoan(c, loan_id));
  if (!loan || !SeesLoan(caller, *loan)) return Fail(Error::NotFound("loan"));
  if (loan->status == "repaid") return Fail(Error::Conflict("the loan is repaid"));
  const auto outcome =
      CORRIDOR_TRY(domain::Reappraise(loan->outstanding_fen, appraised, loan->cap_bps));
  const bool top_up = outcome.action == domain::ReappraisalAction::kTopUp;
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, loan->kind + "_loan.reappraise", &caller,
                                  Json{{"loan_id", loan_id},
                                       {"date", date.ToString()},
                                       {"appraised_fen", appraised},
                                       {"outstanding_fen", loan->outstanding_fen},
                                       {"ltv_bps", outcome.ltv_bps},
                                       {"top_up_fen", outcome.top_up_fen}},
                                  {loan->bank_tenant_id, loan->enterprise_tenant_id}, now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO supply_appraisals (loan_id, appraisal_date, appraised_fen, "
                       "outstanding_fen, ltv_bps, top_up_fen, recorded_by, entry_index, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       loan_id, date.ToString(), appraised, loan->outstanding_fen,
                       std::min<int64_t>(outcome.ltv_bps, INT64_MAX), outcome.top_up_fen,
                       caller.user_id, ref.index, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE supply_secured_loans SET collateral_fen = ?, status = ?, "
                       "top_up_fen = ? WHERE id = ?",
                       appraised, top_up ? "restricted" : "active", outcome.top_up_fen, loan_id));
  Json out = CORRIDOR_TRY(LoanJson(c, *CORRIDOR_TRY(LoadLoan(c, loan_id))));
  out["action"] = top_up ? "top_up" : "none";
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::RepaySecured(Connection& c, const Caller& caller, int64_t loan_id,
                                      const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxFen);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto loan = CORRIDOR_TRY(LoadLoan(c, loan_id));
  if (!loan || !SeesLoan(caller, *loan)) return Fail(Error::NotFound("loan"));
  if (amount > loan->outstanding_fen) {
    return Fail(Error::Invalid(
        "/amount_fen", fmt::format("exceeds the outstanding {} fen", loan->outstanding_fen)));
  }
  const int64_t outstanding = loan->outstanding_fen - amount;
  // A restricted loan is released once the principal is back within the cap of the collateral.
  std::string status = loan->status;
  int64_t top_up = std::max<int64_t>(0, loan->top_up_fen - amount);
  if (outstanding == 0) {
    status = "repaid";
    top_up = 0;
  } else if (status == "restricted" &&
             domain::WithinLtv(outstanding, loan->collateral_fen, loan->cap_bps)) {
    status = "active";
    top_up = 0;
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, loan->kind + "_loan.repay", &caller,
                                  Json{{"loan_id", loan_id},
                                       {"amount_fen", amount},
                                       {"outstanding_fen", outstanding},
                                       {"status", status}},
                                  {loan->bank_tenant_id, loan->enterprise_tenant_id}, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE supply_secured_loans SET outstanding_fen = ?, status = ?, "
                       "top_up_fen = ? WHERE id = ?",
                       outstanding, status, top_up, loan_id));
  CORRIDOR_TRY_STATUS(internal::AddLedger(
      c, std::nullopt, loan->kind + "_loan_repayment",
      fmt::format("deposits:enterprise:{}", loan->enterprise_id),
      fmt::format("loans_receivable:bank:{}", loan->bank_tenant_id), amount, now));
  Json out = CORRIDOR_TRY(LoanJson(c, *CORRIDOR_TRY(LoadLoan(c, loan_id))));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Json> Supply::ListSecuredLoans(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "s.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM supply_secured_loans s JOIN enterprises e ON e.id = "
                    "s.enterprise_id WHERE {} AND (? OR s.bank_tenant_id = ? OR s.enterprise_id = "
                    "?) ORDER BY {} LIMIT ?",
                    kLoanColumns, k.where, k.order),
        k.bound, internal::IsOversight(caller), caller.in_bank() ? caller.tenant_id : 0,
        caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0, page.limit));
    std::vector<SecuredLoan> loans;
    while (CORRIDOR_TRY(q.Next())) loans.push_back(LoanFrom(q));
    Json items = Json::array();
    for (const auto& l : loans) items.push_back(CORRIDOR_TRY(LoanJson(c, l)));
    return internal::PageOf(std::move(items), loans.empty() ? 0 : loans.back().id, page);
  });
}

Result<Json> Supply::GetSecuredLoan(const Caller& caller, int64_t loan_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto loan = CORRIDOR_TRY(LoadLoan(c, loan_id));
    if (!loan || !SeesLoan(caller, *loan)) return Fail(Error::NotFound("loan"));
    return LoanJson(c, *loan);
  });
}

}  // namespace corridor::service
