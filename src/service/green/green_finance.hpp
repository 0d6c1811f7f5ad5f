#pragma once
// Green finance on the platform (PRODUCT.md §D; seed 000 §二(三), §三(三); seed 002 §4.2.3).
//
//  - Rule tables: the bureau publishes versions of the label rule table (green/label.hpp); the
//    newest published is in force (the built-in default until one is). Every publication is
//    logged; versions are never changed or deleted.
//  - Labels: a bank labels its loan, the bureau any loan or a catalogue project, from evidence,
//    by the table in force. A decision without greenwashing flags is granted at once; one with
//    flags waits in the bureau's review queue, which grants or rejects it with a note. Every
//    decision and review is logged. A granted label of a catalogue project sets the project's
//    label; a granted green or transition label of a loan holds its reserves.
//  - Reserves: a granted loan holds the green project risk reserve, 1% of the principal (seed
//    000), and, for wind and solar with an installed capacity, the decommissioning deposit at the
//    bureau's rate per MW (setting green_decommissioning_deposit_fen_per_mw) fixed at that time;
//    both are taken from the borrower's deposits into a reserve account (double entry). The bureau
//    releases a decommissioning deposit on verified decommissioning, a risk reserve once the loan
//    is repaid.
//  - Statistics: green loans by the Catalogue's top-level categories, as the People's Bank of
//    China's green-loan statistics report them: number, principal and balance, by label.
//  - Carbon accounts (碳账户): an enterprise's emissions by scope, reductions and output per
//    period, with data quality; intensity over time and the pricing adjustment it earns.
//  - Financed emissions (PCAF): a book's attributed emissions, removals and credits per period
//    from the borrowers' carbon records, with coverage and weighted data quality.
//  - Sustainability-linked loans: KPI terms on a loan; each period's observation moves the
//    margin (green/green.hpp SustainabilityLinkedMargin), and a change re-prices the schedule
//    from the next unpaid installment, logged.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "green/label.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

// The "project" object of a label request or of the green-label calc model (errors name
// /project/...).
Result<green::Project> ParseGreenProject(const Json& body);
Json LabelDecisionJson(const green::LabelDecision& d);

Json RuleTableJson(const green::RuleTable& t);
// A table from JSON; absent fields take the default table's values. Errors name the field.
Result<green::RuleTable> ParseRuleTable(const Json& body);

// The pricing adjustment an enterprise's carbon account earns: its latest period against the
// previous one of the same kind and output unit (none without such a pair).
struct CarbonPricing {
  int64_t bps = 0;
  std::string reason;
};
Result<std::optional<CarbonPricing>> CarbonPricingOf(store::Connection& c, int64_t enterprise_id);

class GreenFinance {
 public:
  GreenFinance(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Transactions::Mutate) ---
  Result<Response> PublishRuleTable(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> DecideLabel(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> ReviewLabel(store::Connection& c, const Caller& caller, int64_t label_id,
                               const Json& body);
  Result<Response> ReleaseReserve(store::Connection& c, const Caller& caller, int64_t reserve_id,
                                  const Json& body);
  Result<Response> RecordCarbon(store::Connection& c, const Caller& caller, int64_t enterprise_id,
                                const Json& body);
  Result<Response> LinkSustainability(store::Connection& c, const Caller& caller, int64_t loan_id,
                                      const Json& body);
  Result<Response> ObserveKpis(store::Connection& c, const Caller& caller, int64_t loan_id,
                               const Json& body);

  // --- reads ---
  Result<Json> RuleTables();
  // Labels the caller may see; `status` filters (the bureau's review queue is under_review).
  Result<Json> ListLabels(const Caller& caller, std::optional<std::string> status,
                          const Page& page);
  // Held sums every reserve the caller sees, not only this page's.
  Result<Json> ListReserves(const Caller& caller, const Page& page);
  Result<Json> Statistics(const Caller& caller);
  Result<Json> CarbonAccount(const Caller& caller, int64_t enterprise_id);
  // Financed emissions of the bank's book (the platform's for the bureau) in a reporting period,
  // by the PCAF Standard for business loans: each loan with outstanding principal, attributed
  // by outstanding / (EVIC or equity + debt) from its borrower's carbon record of the period;
  // loans without the data listed as not covered, with the reason and the coverage share.
  Result<Json> FinancedEmissions(const Caller& caller, const std::string& period);
  Result<Json> Sustainability(const Caller& caller, int64_t loan_id);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace corridor::service
