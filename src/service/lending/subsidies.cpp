// Interest-subsidy programmes and their payments, never beyond the budget.
#include <fmt/format.h>

#include "domain/rates.hpp"
#include "domain/schedule.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/lending.hpp"
#include "service/lending/rows.hpp"

namespace corridor::service {

using internal::AddLedger;
using internal::IsOversight;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

Json ProgramRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"name", q.Text(1)},
              {"subsidy_bps", q.Int(2)},
              {"budget_fen", q.Int(3)},
              {"spent_fen", q.Int(4)},
              {"remaining_fen", q.Int(3) - q.Int(4)},
              {"by_green_label", q.Int(5) != 0}};
}

}  // namespace

Result<Response> Lending::CreateSubsidyProgram(Connection& c, const Caller& caller,
                                               const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string name = in.Str("name");
  const int64_t bps = in.Int("subsidy_bps", 1, 2000);
  const int64_t budget = in.Int("budget_fen", 1, domain::kMaxPrincipalFen);
  const bool by_label = in.Bool("by_green_label", false);
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t id =
      CORRIDOR_TRY(lending::InsertSubsidyProgram(c, {.name = name,
                                                     .subsidy_bps = bps,
                                                     .budget_fen = budget,
                                                     .by_green_label = by_label,
                                                     .created_at = clock_.NowMicros()}));
  CORRIDOR_TRY(AppendLogEntry(c, "policy.subsidy_program_created", &caller,
                              Json{{"program_id", id},
                                   {"name", name},
                                   {"subsidy_bps", bps},
                                   {"budget_fen", budget},
                                   {"by_green_label", by_label}},
                              {}, clock_.NowMicros()));
  return Response{Json{{"id", id},
                       {"name", name},
                       {"subsidy_bps", bps},
                       {"by_green_label", by_label},
                       {"budget_fen", budget},
                       {"spent_fen", 0},
                       {"remaining_fen", budget}}};
}

Result<Json> Lending::ListSubsidyPrograms(const Caller& /*caller*/, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(
        Query::Make(c,
                    "SELECT id, name, subsidy_bps, budget_fen, spent_fen, by_green_label FROM "
                    "subsidy_programs WHERE id > ? ORDER BY id LIMIT ?",
                    page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, ProgramRow);
  });
}

Result<Response> Lending::PaySubsidy(Connection& c, const Caller& caller, int64_t program_id,
                                     const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const int64_t loan_id = in.Int("loan_id", 1, INT64_MAX);
  const int64_t seq = in.Int("installment_seq", 1, domain::kMaxTermMonths);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto p = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT id, name, subsidy_bps, budget_fen, spent_fen, by_green_label FROM "
                  "subsidy_programs WHERE id = ?",
                  program_id));
  if (!CORRIDOR_TRY(p.Next())) return Fail(Error::NotFound("subsidy programme"));
  int64_t bps = p.Int(2);
  if (p.Int(5) != 0) {
    // Differentiated by green label: the rate the rule table gave the loan's newest granted
    // label, never above the programme's rate.
    const auto label_bps = CORRIDOR_TRY(QueryInt(c,
                                                 "SELECT subsidy_bps FROM green_labels WHERE "
                                                 "loan_id = ? AND status = 'granted' ORDER BY id "
                                                 "DESC LIMIT 1",
                                                 loan_id));
    if (!label_bps || *label_bps == 0) {
      return Fail(Error::Conflict(
          "this programme subsidises by green label; the loan has no granted green label"));
    }
    bps = std::min(bps, *label_bps);
  }
  auto i = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT i.balance_fen + i.principal_fen, l.enterprise_id, "
                  "i.interest_fen - i.subsidy_interest_fen, (SELECT coalesce(sum(amount_fen), 0) "
                  "FROM subsidy_payments s WHERE s.loan_id = i.loan_id AND s.installment_seq = "
                  "i.seq) FROM installments i JOIN loans l ON l.id = i.loan_id "
                  "WHERE i.loan_id = ? AND i.seq = ?",
                  loan_id, seq));
  if (!CORRIDOR_TRY(i.Next())) {
    return Fail(Error::Invalid({{"/loan_id", "no such loan installment"},
                                {"/installment_seq", "no such loan installment"}}));
  }
  // Subsidies never exceed the interest the borrower owes for the installment, across every
  // programme and the entrepreneurship-loan subsidy already built into the schedule.
  const int64_t borrower_interest_left = i.Int(2) - i.Int(3);
  const int64_t amount = std::min(domain::MonthlyInterest(Money::FromFen(i.Int(0)), bps).fen(),
                                  borrower_interest_left);
  const int64_t enterprise_id = i.Int(1);
  if (amount <= 0) {
    return Fail(
        Error::Conflict("nothing to subsidise: the installment's interest is already "
                        "fully subsidised or the balance is zero"));
  }
  if (CORRIDOR_TRY(QueryInt(c,
                            "SELECT id FROM subsidy_payments WHERE program_id = ? AND loan_id = ? "
                            "AND installment_seq = ?",
                            program_id, loan_id, seq))) {
    return Fail(Error::Conflict("this installment was already subsidised by this programme"));
  }
  // The budget check and the debit are one statement: no interleaving can overdraw it, and the
  // table's CHECK (spent_fen <= budget_fen) holds even against a faulty caller.
  const int64_t changed =
      CORRIDOR_TRY(Execute(c,
                           "UPDATE subsidy_programs SET spent_fen = spent_fen + ? WHERE id = ? AND "
                           "spent_fen + ? <= budget_fen",
                           amount, program_id, amount));
  if (changed == 0) {
    return Fail(Error{ErrorCode::kBudgetExhausted,
                      fmt::format("the programme has {} fen left; this payment needs {} fen",
                                  p.Int(3) - p.Int(4), amount),
                      {}});
  }
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO subsidy_payments (program_id, loan_id, installment_seq, amount_fen, paid_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      program_id, loan_id, seq, amount, now));
  CORRIDOR_TRY_STATUS(AddLedger(c, loan_id, "interest_subsidy",
                                fmt::format("subsidy_expense:programme:{}", program_id),
                                fmt::format("deposits:enterprise:{}", enterprise_id), amount, now));
  const auto enterprise_tenant = CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  CORRIDOR_TRY(AppendLogEntry(c, "policy.subsidy_paid", &caller,
                              Json{{"payment_id", id},
                                   {"program_id", program_id},
                                   {"loan_id", loan_id},
                                   {"installment_seq", seq},
                                   {"amount_fen", amount}},
                              {enterprise_tenant.value_or(caller.tenant_id)}, now));
  return Response{Json{{"id", id},
                       {"program_id", program_id},
                       {"loan_id", loan_id},
                       {"installment_seq", seq},
                       {"amount_fen", amount},
                       {"paid_at_us", now}}};
}

Result<Json> Lending::ListSubsidyPayments(const Caller& caller, int64_t program_id,
                                          const Page& page) {
  if (!IsOversight(caller)) return Fail(Error::NotFound("subsidy programme"));
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM subsidy_programs WHERE id = ?", program_id))) {
      return Fail(Error::NotFound("subsidy programme"));
    }
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT id, loan_id, installment_seq, amount_fen, paid_at FROM subsidy_payments "
        "WHERE program_id = ? AND id > ? ORDER BY id LIMIT ?",
        program_id, page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      return Json{{"id", row.Int(0)},
                  {"loan_id", row.Int(1)},
                  {"installment_seq", row.Int(2)},
                  {"amount_fen", row.Int(3)},
                  {"paid_at_us", row.Int(4)}};
    });
  });
}

}  // namespace corridor::service
