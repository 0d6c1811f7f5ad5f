#include "service/lending/rows.hpp"

#include <fmt/format.h>

#include "core/money.hpp"

namespace corridor::service::lending {

using store::Execute;
using store::InsertReturningId;

Result<int64_t> InsertLoan(store::Connection& c, const NewLoan& loan) {
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO loans (offer_id, bank_tenant_id, enterprise_id, principal_fen, "
      "annual_rate_bps, borrower_rate_bps, subsidy_rate_bps, lpr_bps, term_months, method, kind, "
      "start_date, booked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      loan.offer_id, loan.bank_tenant_id, loan.enterprise_id, loan.principal_fen,
      loan.annual_rate_bps, loan.split.borrower_rate_bps, loan.split.subsidy_rate_bps, loan.lpr_bps,
      loan.term_months, domain::ToString(loan.method), loan.kind, loan.start_date.ToString(),
      loan.booked_at));
  CORRIDOR_TRY_STATUS(internal::AddLedger(
      c, id, "disbursement", fmt::format("loans_receivable:bank:{}", loan.bank_tenant_id),
      fmt::format("deposits:enterprise:{}", loan.enterprise_id), loan.principal_fen,
      loan.booked_at));
  return id;
}

Status InsertInstallment(store::Connection& c, int64_t loan_id, const domain::Installment& inst,
                         int64_t subsidy_rate_bps, int64_t paid_fen, std::optional<Date> paid_on) {
  const int64_t subsidy = domain::SubsidyInterest(inst, subsidy_rate_bps).fen();
  CORRIDOR_TRY(
      Execute(c,
              "INSERT INTO installments (loan_id, seq, due_date, principal_fen, interest_fen, "
              "subsidy_interest_fen, payment_fen, balance_fen, paid_fen, paid_on) VALUES "
              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              loan_id, inst.seq, inst.due_date.ToString(), inst.principal.fen(),
              inst.interest.fen(), subsidy, inst.payment.fen(), inst.balance.fen(), paid_fen,
              paid_on ? std::optional<std::string>(paid_on->ToString()) : std::nullopt));
  return {};
}

Status InsertGuarantee(store::Connection& c, const NewGuarantee& g) {
  const int64_t covered = CORRIDOR_TRY(Money::FromFen(g.principal_fen).ApplyBps(g.cover_bps)).fen();
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO guarantees (loan_id, guarantor_tenant_id, cover_bps, "
                       "covered_fen, fee_bps, created_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       g.loan_id, g.guarantor_tenant_id, g.cover_bps, covered, g.fee_bps,
                       g.created_at, g.request_id));
  const int64_t fee = CORRIDOR_TRY(Money::FromFen(covered).ApplyBps(g.fee_bps)).fen();
  return internal::AddLedger(
      c, g.loan_id, "guarantee_fee", fmt::format("deposits:enterprise:{}", g.enterprise_id),
      fmt::format("fee_income:guarantor:{}", g.guarantor_tenant_id), fee, g.created_at);
}

Result<int64_t> InsertRepayment(store::Connection& c, int64_t loan_id, int64_t bank_tenant_id,
                                int64_t enterprise_id, int64_t to_interest_fen,
                                int64_t to_principal_fen, Date paid_on, int64_t at) {
  const std::string borrower = fmt::format("deposits:enterprise:{}", enterprise_id);
  CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, "repayment_interest", borrower,
                                          fmt::format("interest_income:bank:{}", bank_tenant_id),
                                          to_interest_fen, at));
  CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, "repayment_principal", borrower,
                                          fmt::format("loans_receivable:bank:{}", bank_tenant_id),
                                          to_principal_fen, at));
  return InsertReturningId(
      c,
      "INSERT INTO repayments (loan_id, amount_fen, paid_on, created_at) VALUES (?, ?, ?, ?) "
      "RETURNING id",
      loan_id, to_interest_fen + to_principal_fen, paid_on.ToString(), at);
}

Result<int64_t> InsertGuaranteeRequest(store::Connection& c, const NewGuaranteeRequest& r) {
  return InsertReturningId(
      c,
      "INSERT INTO guarantee_requests (offer_id, bank_tenant_id, guarantor_tenant_id, cover_bps, "
      "fee_bps, status, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      r.offer_id, r.bank_tenant_id, r.guarantor_tenant_id, r.cover_bps, r.fee_bps, r.status,
      r.created_at, r.decided_at);
}

Result<int64_t> InsertSubsidyProgram(store::Connection& c, const NewSubsidyProgram& p) {
  return InsertReturningId(
      c,
      "INSERT INTO subsidy_programs (name, subsidy_bps, budget_fen, created_at, by_green_label) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      p.name, p.subsidy_bps, p.budget_fen, p.created_at, p.by_green_label ? 1 : 0);
}

Status PutLpr(store::Connection& c, Date effective_date, std::string_view tenor, int64_t rate_bps) {
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO lpr_rates (effective_date, tenor, rate_bps) VALUES (?, ?, ?) "
                       "ON CONFLICT (effective_date, tenor) DO UPDATE SET rate_bps = "
                       "excluded.rate_bps",
                       effective_date.ToString(), tenor, rate_bps));
  return {};
}

}  // namespace corridor::service::lending
