#pragma once
// The loan book's rows, written in one place: the use cases (booking, repayment, guarantee
// requests, subsidy programmes, the LPR table) and the demo's history (demo/) both go through
// these, so a column added to a loan is added once.
// Each runs inside the caller's write transaction.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.hpp"
#include "domain/rates.hpp"
#include "domain/schedule.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service::lending {

struct NewLoan {
  int64_t offer_id = 0;
  int64_t bank_tenant_id = 0;
  int64_t enterprise_id = 0;
  int64_t principal_fen = 0;
  int64_t annual_rate_bps = 0;
  domain::RateSplit split;  // what the borrower pays and what a subsidy covers
  std::optional<int64_t> lpr_bps =
      std::nullopt;  // in force on the start date, when one was published
  int32_t term_months = 0;
  domain::RepaymentMethod method = domain::RepaymentMethod::kEqualInstallment;
  std::string_view kind = "standard";  // standard | entrepreneurship
  Date start_date;
  int64_t booked_at = 0;  // micros
};

// The loan and its disbursement on the ledger (the bank's receivable to the borrower's
// deposits); returns the loan's id.
Result<int64_t> InsertLoan(store::Connection& c, const NewLoan& loan);

// One installment of the loan's schedule with the interest a subsidy covers, and what the
// borrower has paid of it (`paid_on` once settled).
Status InsertInstallment(store::Connection& c, int64_t loan_id, const domain::Installment& inst,
                         int64_t subsidy_rate_bps, int64_t paid_fen = 0,
                         std::optional<Date> paid_on = std::nullopt);

struct NewGuarantee {
  int64_t loan_id = 0;
  int64_t enterprise_id = 0;  // the borrower, who pays the fee
  int64_t guarantor_tenant_id = 0;
  int64_t principal_fen = 0;
  int64_t cover_bps = 0;
  int64_t fee_bps = 0;
  int64_t request_id = 0;  // the approved request it uses
  int64_t created_at = 0;
};

// The guarantee, covering principal × cover_bps / 10,000 (half away from zero), and its one-off
// fee, covered × fee_bps / 10,000, on the ledger from the borrower to the agency.
Status InsertGuarantee(store::Connection& c, const NewGuarantee& g);

// A repayment and its split on the ledger (interest to the bank's income, principal back to its
// receivable); returns the repayment's id.
Result<int64_t> InsertRepayment(store::Connection& c, int64_t loan_id, int64_t bank_tenant_id,
                                int64_t enterprise_id, int64_t to_interest_fen,
                                int64_t to_principal_fen, Date paid_on, int64_t at);

struct NewGuaranteeRequest {
  int64_t offer_id = 0;
  int64_t bank_tenant_id = 0;
  int64_t guarantor_tenant_id = 0;
  int64_t cover_bps = 0;
  int64_t fee_bps = 0;
  std::string_view status = "requested";  // requested | approved | declined | used
  int64_t created_at = 0;
  std::optional<int64_t> decided_at = std::nullopt;  // set once the agency decided
};
Result<int64_t> InsertGuaranteeRequest(store::Connection& c, const NewGuaranteeRequest& r);

struct NewSubsidyProgram {
  std::string_view name;
  int64_t subsidy_bps = 0;
  int64_t budget_fen = 0;
  bool by_green_label = false;  // the green loan programme pays by the loan's green label
  int64_t created_at = 0;
};
Result<int64_t> InsertSubsidyProgram(store::Connection& c, const NewSubsidyProgram& p);

// The LPR fixing of `tenor` ("1y" | "5y") effective from `effective_date`, replacing one of the
// same date and tenor.
Status PutLpr(store::Connection& c, Date effective_date, std::string_view tenor, int64_t rate_bps);

}  // namespace corridor::service::lending
