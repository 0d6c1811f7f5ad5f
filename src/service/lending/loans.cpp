// Loan booking, schedules, repayments and the loans and guarantees a caller may read.
#include <fmt/format.h>

#include "domain/rates.hpp"
#include "domain/schedule.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/kernel/json_writer.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/lending.hpp"
#include "service/lending/rows.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::Query;

namespace {

constexpr std::string_view kGuaranteeColumns =
    "g.id, g.loan_id, g.guarantor_tenant_id, t.name, g.cover_bps, g.covered_fen, g.fee_bps, "
    "g.created_at";

Json GuaranteeRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"loan_id", q.Int(1)},
              {"guarantor_tenant_id", q.Int(2)},
              {"guarantor_name", q.Text(3)},
              {"cover_bps", q.Int(4)},
              {"covered_fen", q.Int(5)},
              {"fee_bps", q.Int(6)},
              {"created_at_us", q.Int(7)}};
}

}  // namespace

namespace {

Result<std::string> LoanText(Connection& c, int64_t loan_id, Date today, const Caller* viewer) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT l.id, l.offer_id, l.bank_tenant_id, l.enterprise_id, l.principal_fen, "
      "l.annual_rate_bps, l.borrower_rate_bps, l.subsidy_rate_bps, l.lpr_bps, l.term_months, "
      "l.method, l.kind, l.start_date, l.booked_at, g.id, g.guarantor_tenant_id, t.name, "
      "g.cover_bps, g.covered_fen, g.fee_bps, g.created_at FROM loans l "
      "LEFT JOIN guarantees g ON g.loan_id = l.id "
      "LEFT JOIN tenants t ON t.id = g.guarantor_tenant_id WHERE l.id = ?",
      loan_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("loan"));
  if (viewer != nullptr && !internal::Sees(*viewer, q.Int(2), q.Int(3), q.OptInt(15))) {
    return Fail(Error::NotFound("loan"));
  }
  const bool guaranteed = !q.IsNull(14);
  const int64_t guarantee_id = guaranteed ? q.Int(14) : 0;
  const int64_t guarantor_id = guaranteed ? q.Int(15) : 0;
  const std::string guarantor_name = guaranteed ? q.Text(16) : std::string();
  const int64_t cover_bps = guaranteed ? q.Int(17) : 0, covered_fen = guaranteed ? q.Int(18) : 0;
  const int64_t fee_bps = guaranteed ? q.Int(19) : 0, guaranteed_at = guaranteed ? q.Int(20) : 0;
  JsonWriter w;
  w.BeginObject();
  auto int_or_null = [&](std::string_view key, int column) {
    w.Key(key);
    if (q.IsNull(column)) {
      w.Null();
    } else {
      w.Int(q.Int(column));
    }
  };
  w.Int("id", q.Int(0));
  int_or_null("offer_id", 1);
  w.Int("bank_tenant_id", q.Int(2));
  w.Int("enterprise_id", q.Int(3));
  w.Int("principal_fen", q.Int(4));
  w.Int("annual_rate_bps", q.Int(5));
  w.Int("borrower_rate_bps", q.Int(6));
  w.Int("subsidy_rate_bps", q.Int(7));
  int_or_null("lpr_bps", 8);
  w.Int("term_months", q.Int(9));
  w.Str("method", q.Text(10));
  w.Str("kind", q.Text(11));
  w.Str("start_date", q.Text(12));
  w.Int("booked_at_us", q.Int(13));

  auto s = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT seq, due_date, principal_fen, interest_fen, subsidy_interest_fen, payment_fen, "
      "balance_fen, paid_fen, paid_on FROM installments WHERE loan_id = ? ORDER BY seq",
      loan_id));
  int64_t total_interest = 0, outstanding = 0, overdue_fen = 0;
  std::optional<Date> first_overdue;
  const std::string today_text = today.ToString();
  w.Key("schedule");
  w.BeginObject();
  w.Key("installments");
  w.BeginArray();
  while (CORRIDOR_TRY(s.Next())) {
    const int64_t due = s.Int(5) - s.Int(4);  // what the borrower owes
    const int64_t paid = s.Int(7);
    const std::string due_date = s.Text(1);
    total_interest += s.Int(3);
    outstanding += due - paid;
    const bool late = paid < due && due_date < today_text;
    if (late) {
      overdue_fen += due - paid;
      if (!first_overdue) first_overdue = *Date::Parse(due_date);
    }
    w.BeginObject();
    w.Int("seq", s.Int(0));
    w.Str("due_date", due_date);
    w.Int("principal_fen", s.Int(2));
    w.Int("interest_fen", s.Int(3));
    w.Int("subsidy_interest_fen", s.Int(4));
    w.Int("payment_fen", s.Int(5));
    w.Int("borrower_payment_fen", due);
    w.Int("balance_fen", s.Int(6));
    w.Int("paid_fen", paid);
    w.Key("paid_on");
    if (s.IsNull(8)) {
      w.Null();
    } else {
      w.Str(s.Text(8));
    }
    w.Str("status", paid >= due ? "paid" : (late ? "overdue" : "due"));
    w.EndObject();
  }
  w.EndArray();
  w.Int("total_interest_fen", total_interest);
  w.EndObject();
  w.Int("outstanding_fen", outstanding);
  w.Int("overdue_fen", overdue_fen);
  w.Str("status", outstanding == 0 ? "repaid" : (first_overdue ? "overdue" : "active"));
  w.Int("days_overdue",
        first_overdue ? today.days_since_epoch() - first_overdue->days_since_epoch() : 0);

  w.Key("guarantee");
  if (guaranteed) {
    w.BeginObject();
    w.Int("id", guarantee_id);
    w.Int("loan_id", loan_id);
    w.Int("guarantor_tenant_id", guarantor_id);
    w.Str("guarantor_name", guarantor_name);
    w.Int("cover_bps", cover_bps);
    w.Int("covered_fen", covered_fen);
    w.Int("fee_bps", fee_bps);
    w.Int("created_at_us", guaranteed_at);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

Result<Json> LoanJson(Connection& c, int64_t loan_id, Date today) {
  return Json::parse(CORRIDOR_TRY(LoanText(c, loan_id, today, nullptr)));
}

}  // namespace

Result<Response> Lending::BookLoan(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t offer_id = in.Int("offer_id", 1, INT64_MAX);
  const Date start = in.DateField("start_date");
  const auto request_id = in.OptInt("guarantee_request_id", 1, INT64_MAX);
  if (in.Has("guarantee")) {
    in.Problem("guarantee",
               "ask the guarantee agency first (POST /api/v1/offers/{id}/"
               "guarantee-requests) and pass the approved guarantee_request_id");
  }
  CORRIDOR_TRY_STATUS(in.Finish());

  auto o = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT o.bank_tenant_id, o.status, o.amount_fen, o.annual_rate_bps, o.term_months, "
      "o.method, o.kind, o.need_id, n.enterprise_id, p.collateral_free FROM offers o "
      "JOIN needs n ON n.id = o.need_id LEFT JOIN products p ON p.id = o.product_id "
      "WHERE o.id = ?",
      offer_id));
  if (!CORRIDOR_TRY(o.Next()) || o.Int(0) != caller.tenant_id) {
    return Fail(Error::NotFound("offer"));
  }
  if (o.Text(1) != "accepted") {
    return Fail(Error::Conflict("only an accepted offer can be booked; this one is " + o.Text(1)));
  }
  const int64_t principal = o.Int(2);
  const int64_t rate = o.Int(3);
  const auto term = static_cast<int32_t>(o.Int(4));
  const std::string method_text = o.Text(5);
  const std::string kind = o.Text(6);
  const int64_t need_id = o.Int(7);
  const int64_t enterprise_id = o.Int(8);
  const bool secured_product = !o.IsNull(9) && o.Int(9) == 0;
  const auto method = CORRIDOR_TRY(domain::ParseRepaymentMethod(method_text));

  // LPR in force on the start date, and the rate split.
  std::vector<domain::LprEntry> table;
  {
    auto l = CORRIDOR_TRY(Query::Make(c, "SELECT effective_date, tenor, rate_bps FROM lpr_rates"));
    while (CORRIDOR_TRY(l.Next())) {
      table.push_back({*Date::Parse(l.Text(0)), *domain::ParseLprTenor(l.Text(1)), l.Int(2)});
    }
  }
  const auto lpr = domain::LprOn(table, domain::TenorForTerm(term), start);
  domain::RateSplit split{.borrower_rate_bps = rate, .subsidy_rate_bps = 0};
  // The guarantee, if any: an approved request of the guarantee agency for this very offer.
  struct Cover {
    int64_t guarantor = 0, cover_bps = 0, fee_bps = 0;
  };
  std::optional<Cover> cover;
  if (request_id) {
    auto g = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT guarantor_tenant_id, cover_bps, fee_bps FROM guarantee_requests WHERE id = ? AND "
        "offer_id = ? AND bank_tenant_id = ? AND status = 'approved'",
        *request_id, offer_id, caller.tenant_id));
    if (!CORRIDOR_TRY(g.Next())) {
      return Fail(Error::Invalid("/guarantee_request_id",
                                 "not an approved guarantee request for this offer"));
    }
    cover = Cover{g.Int(0), g.Int(1), g.Int(2)};
  }
  if (kind == "entrepreneurship") {
    if (!cover) {
      return Fail(Error::Invalid("/guarantee_request_id",
                                 "entrepreneurship guarantee loans require an approved guarantee"));
    }
    if (secured_product) {
      return Fail(
          Error::Conflict("entrepreneurship guarantee loans are collateral-free; the "
                          "offer's product requires collateral"));
    }
    if (!lpr) {
      return Fail(Error::Invalid("/start_date",
                                 "no LPR is in force on this date; the bureau "
                                 "must publish one first"));
    }
    const int64_t spread =
        CORRIDOR_TRY(
            QueryInt(c, "SELECT value FROM settings WHERE key = 'entrepreneurship_spread_bps'"))
            .value_or(domain::kDefaultEntrepreneurshipSpreadBps);
    split = CORRIDOR_TRY(domain::SplitEntrepreneurshipRate(rate, *lpr, spread));
  }

  const domain::LoanTerms terms{.principal = Money::FromFen(principal),
                                .annual_rate_bps = rate,
                                .term_months = term,
                                .method = method,
                                .start_date = start};
  const auto schedule = CORRIDOR_TRY(domain::BuildSchedule(terms));
  // A core enterprise stays within its ecosystems' cap (seed 002 §4.4: at most 30%).
  CORRIDOR_TRY_STATUS(CheckCoreCap(c, enterprise_id, principal));
  const int64_t now = clock_.NowMicros();
  const int64_t loan_id = CORRIDOR_TRY(lending::InsertLoan(c, {.offer_id = offer_id,
                                                               .bank_tenant_id = caller.tenant_id,
                                                               .enterprise_id = enterprise_id,
                                                               .principal_fen = principal,
                                                               .annual_rate_bps = rate,
                                                               .split = split,
                                                               .lpr_bps = lpr,
                                                               .term_months = term,
                                                               .method = method,
                                                               .kind = kind,
                                                               .start_date = start,
                                                               .booked_at = now}));
  for (const auto& i : schedule.installments) {
    CORRIDOR_TRY_STATUS(lending::InsertInstallment(c, loan_id, i, split.subsidy_rate_bps));
  }
  if (cover) {
    CORRIDOR_TRY_STATUS(lending::InsertGuarantee(c, {.loan_id = loan_id,
                                                     .enterprise_id = enterprise_id,
                                                     .guarantor_tenant_id = cover->guarantor,
                                                     .principal_fen = principal,
                                                     .cover_bps = cover->cover_bps,
                                                     .fee_bps = cover->fee_bps,
                                                     .request_id = *request_id,
                                                     .created_at = now}));
    CORRIDOR_TRY(
        Execute(c, "UPDATE guarantee_requests SET status = 'used' WHERE id = ?", *request_id));
  }
  CORRIDOR_TRY(Execute(c, "UPDATE offers SET status = 'booked' WHERE id = ?", offer_id));
  CORRIDOR_TRY(Execute(c, "UPDATE needs SET status = 'funded' WHERE id = ?", need_id));
  CORRIDOR_TRY_STATUS(internal::BumpStats(c, 0, 0, 1, principal));
  Json loan = CORRIDOR_TRY(LoanJson(c, loan_id, clock_.Today()));
  const auto enterprise_tenant = CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  CORRIDOR_TRY(
      AppendLogEntry(c, "policy.loan_booked", &caller,
                     Json{{"loan_id", loan_id},
                          {"offer_id", offer_id},
                          {"enterprise_id", enterprise_id},
                          {"principal_fen", principal},
                          {"annual_rate_bps", loan["annual_rate_bps"]},
                          {"guarantee_request_id", request_id ? Json(*request_id) : Json(nullptr)}},
                     {caller.tenant_id, enterprise_tenant.value_or(caller.tenant_id)}, now));
  return Response{std::move(loan)};
}

Result<std::string> Lending::GetLoan(const Caller& caller, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<std::string> {
    return LoanText(c, id, clock_.Today(), &caller);
  });
}

Result<Json> Lending::ListLoans(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool bank = caller.in_bank();
    const bool enterprise = caller.in_enterprise();
    const bool guarantor = caller.in_guarantor();
    const auto k = internal::KeysetOf(page, "l.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format(
            "SELECT l.id, l.bank_tenant_id, l.enterprise_id, l.principal_fen, l.annual_rate_bps, "
            "l.term_months, l.method, l.kind, l.start_date FROM loans l "
            "LEFT JOIN guarantees g ON g.loan_id = l.id WHERE {} "
            "AND (? = 0 OR l.bank_tenant_id = ?) AND (? = 0 OR l.enterprise_id = ?) "
            "AND (? = 0 OR g.guarantor_tenant_id = ?) ORDER BY {} LIMIT ?",
            k.where, k.order),
        k.bound, bank, caller.tenant_id, enterprise, caller.enterprise_id, guarantor,
        caller.tenant_id, page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      return Json{{"id", row.Int(0)},
                  {"bank_tenant_id", row.Int(1)},
                  {"enterprise_id", row.Int(2)},
                  {"principal_fen", row.Int(3)},
                  {"annual_rate_bps", row.Int(4)},
                  {"term_months", row.Int(5)},
                  {"method", row.Text(6)},
                  {"kind", row.Text(7)},
                  {"start_date", row.Text(8)}};
    });
  });
}

Result<Response> Lending::Repay(Connection& c, const Caller& caller, int64_t loan_id,
                                const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser, Role::kBankOfficer}));
  if (!CORRIDOR_TRY(internal::CanSeeLoan(c, caller, loan_id))) {
    return Fail(Error::NotFound("loan"));
  }
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, domain::kMaxPrincipalFen * 2);
  const Date paid_on = in.Has("paid_on") ? in.DateField("paid_on") : clock_.Today();
  CORRIDOR_TRY_STATUS(in.Finish());

  struct Due {
    int64_t seq, borrower_interest, principal, paid;
  };
  std::vector<Due> dues;
  int64_t outstanding = 0;
  {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT seq, interest_fen - subsidy_interest_fen, principal_fen, paid_fen FROM "
        "installments WHERE loan_id = ? AND paid_fen < payment_fen - subsidy_interest_fen "
        "ORDER BY seq",
        loan_id));
    while (CORRIDOR_TRY(q.Next())) {
      dues.push_back({q.Int(0), q.Int(1), q.Int(2), q.Int(3)});
      outstanding += q.Int(1) + q.Int(2) - q.Int(3);
    }
  }
  if (amount > outstanding) {
    return Fail(
        Error::Invalid("/amount_fen", fmt::format("exceeds the outstanding {} fen", outstanding)));
  }
  int64_t left = amount, to_interest = 0, to_principal = 0;
  for (const Due& d : dues) {
    if (left == 0) break;
    // Interest first, then principal, within each installment in due order.
    const int64_t interest_left = std::max<int64_t>(0, d.borrower_interest - d.paid);
    const int64_t principal_left = d.principal - std::max<int64_t>(0, d.paid - d.borrower_interest);
    const int64_t i = std::min(left, interest_left);
    const int64_t p = std::min(left - i, principal_left);
    left -= i + p;
    to_interest += i;
    to_principal += p;
    const bool settled = d.paid + i + p == d.borrower_interest + d.principal;
    CORRIDOR_TRY(Execute(c,
                         "UPDATE installments SET paid_fen = paid_fen + ?, paid_on = CASE WHEN ? "
                         "THEN ? ELSE paid_on END WHERE loan_id = ? AND seq = ?",
                         i + p, settled, paid_on.ToString(), loan_id, d.seq));
  }
  const int64_t now = clock_.NowMicros();
  auto parties = CORRIDOR_TRY(
      Query::Make(c, "SELECT bank_tenant_id, enterprise_id FROM loans WHERE id = ?", loan_id));
  CORRIDOR_TRY(parties.Next());
  const int64_t repayment_id = CORRIDOR_TRY(lending::InsertRepayment(
      c, loan_id, parties.Int(0), parties.Int(1), to_interest, to_principal, paid_on, now));
  Json loan = CORRIDOR_TRY(LoanJson(c, loan_id, clock_.Today()));
  return Response{Json{{"repayment",
                        {{"id", repayment_id},
                         {"amount_fen", amount},
                         {"interest_fen", to_interest},
                         {"principal_fen", to_principal},
                         {"paid_on", paid_on.ToString()}}},
                       {"loan", std::move(loan)}}};
}

Result<Json> Lending::ListGuarantees(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool guarantor = caller.in_guarantor();
    const bool bank = caller.in_bank();
    const bool enterprise = caller.in_enterprise();
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM guarantees g JOIN tenants t ON t.id = g.guarantor_tenant_id "
                    "JOIN loans l ON l.id = g.loan_id WHERE g.id > ? "
                    "AND (? = 0 OR g.guarantor_tenant_id = ?) AND (? = 0 OR l.bank_tenant_id = ?) "
                    "AND (? = 0 OR l.enterprise_id = ?) ORDER BY g.id LIMIT ?",
                    kGuaranteeColumns),
        page.after_id.value_or(0), guarantor, caller.tenant_id, bank, caller.tenant_id, enterprise,
        caller.enterprise_id, page.limit));
    return internal::CollectPage(q, page, GuaranteeRow);
  });
}

}  // namespace corridor::service
