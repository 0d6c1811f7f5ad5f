#pragma once
// Supply-chain finance on the platform (seed 002 §4.1, §4.4, §5.4; PRODUCT.md §B): the order
// pool of an ecosystem's core firm and the revolving lines banks grant its suppliers against it,
// their draws and repayments, the dynamic margin of order seasonality, and the automatic
// restrictions fed by the firms' production readings (IoT).
//
// The order pool:
//  - the core enterprise of an ecosystem opens its pool; a bank grants a member supplier a line
//    in it (at most one active line per supplier and pool) with its advance rate, buyer cap,
//    fulfilment rate and an approved ceiling;
//  - an order enters the pool when its buyer (a member of the ecosystem) puts it in: that is the
//    buyer's confirmation. The order is pledged in the registry to the line's bank, so that the
//    registry's one active pledge per asset makes an order back one line only, whatever the
//    interleaving of requests (across pools and against a direct pledge alike);
//  - the line is computed from the registry at every read (domain::ComputeOrderPoolLine), so it
//    moves the same day as orders enter, are delivered (fulfilled), fall due (expired) or are
//    cancelled by their buyer (the pledge released). The fulfilment rate applied is the lower of
//    the bank's and the supplier's history on the platform (orders delivered against orders
//    delivered or past due, by amount);
//  - draws never exceed min(ceiling, line) − drawn; a repayment reduces the drawn amount. Every
//    act is an entry of the transparency log; every draw and repayment a ledger line.
//
// Restrictions (seed 002 §5.4), checked on every draw:
//  - the supplier's latest capacity utilization below 60% refuses new financing, naming the
//    reading, until a reading at or above 60%; so does an open equipment-utilization alert of the
//    early-warning monitor on one of its projects, until the alert is resolved;
//  - stock below what the pooled, undelivered orders need (less the line's tolerance) freezes the
//    line's undisbursed funds and alerts the bank (a log entry to it); only the bank releases the
//    freeze, and not while the latest reading still contradicts the orders;
//  - a buyer above 60% of the supplier's registered orders is flagged on the line.
//
// Margin: a line's margin follows the season of its peak months (10% peak, 30% off-peak of the
// drawn amount, domain::DynamicMarginOn); a margin run on a date opens a call for every line
// whose required margin differs from the margin held, superseding the line's open calls; a draw
// is refused while a call to add margin is open.
//
// Visibility: a line is seen by its bank, its supplier, the pool's core enterprise and the
// oversight roles; a pool by its core enterprise, the ecosystem's members, the banks and the
// oversight roles, each bank and supplier seeing only its own lines in it.
#include "core/clock.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

class Supply {
 public:
  Supply(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Transactions::Mutate) ---
  // The core enterprise's user opens the pool of its ecosystem.
  Result<Response> CreatePool(store::Connection& c, const Caller& caller, const Json& body);
  // A bank officer grants a supplier a line in the pool.
  Result<Response> GrantLine(store::Connection& c, const Caller& caller, int64_t pool_id,
                             const Json& body);
  // The order's buyer puts a registered order into the pool; it backs its supplier's line.
  Result<Response> PoolOrder(store::Connection& c, const Caller& caller, int64_t pool_id,
                             const Json& body);
  // The buyer cancels a pooled order: the pledge is released, the line shrinks.
  Result<Response> CancelOrder(store::Connection& c, const Caller& caller, int64_t pool_order_id);
  // The supplier draws on its line, or repays.
  Result<Response> Draw(store::Connection& c, const Caller& caller, int64_t line_id,
                        const Json& body);
  Result<Response> Repay(store::Connection& c, const Caller& caller, int64_t line_id,
                         const Json& body);
  // An enterprise records its production reading for a date (capacity, used, stock).
  Result<Response> RecordReading(store::Connection& c, const Caller& caller, const Json& body);
  // The line's bank releases a freeze.
  Result<Response> ReleaseFreeze(store::Connection& c, const Caller& caller, int64_t line_id,
                                 const Json& body);
  // The bank's margin run on a date over its active lines.
  Result<Response> RunMargins(store::Connection& c, const Caller& caller, const Json& body);
  // The supplier meets a call to add margin; the bank meets one to return margin.
  Result<Response> MeetMarginCall(store::Connection& c, const Caller& caller, int64_t call_id);

  // Receivables and factoring. The receivable's buyer (debtor) confirms it once, for an amount
  // and a due date; the buyer or the seller cancels it (not while it is factored). A bank factors
  // a confirmed receivable for exactly the confirmed amount and date, with or without recourse;
  // the receivable is pledged to it in the registry (one active pledge: a second factor is
  // refused with the log index of the first).
  Result<Response> ConfirmReceivable(store::Connection& c, const Caller& caller, int64_t asset_id,
                                     const Json& body);
  Result<Response> CancelReceivable(store::Connection& c, const Caller& caller, int64_t asset_id);
  Result<Response> Factor(store::Connection& c, const Caller& caller, const Json& body);

  // The FX table (bureau) and cross-border settlement records (free-trade-zone enterprises),
  // each converted to yuan at the latest rate on or before its date, the rate kept and shown.
  Result<Response> RecordFxRate(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> RecordSettlement(store::Connection& c, const Caller& caller, const Json& body);

  // Secured loans (bank): a capacity-sharing loan against registered equipment and pledged
  // orders, at most ltv_cap_bps (default 70%) of the equipment's appraisal and no more than the
  // orders; a patent-portfolio pledge loan at most pledge_rate_bps of the valuation, with
  // loan-plus-warrant terms recorded. Both are refused while the borrower's capacity utilization
  // is below 60%, and their collateral is pledged in the registry. A re-appraisal below the cap
  // restricts the loan and calls for a top-up (principal to repay) until it is within again.
  Result<Response> GrantCapacityLoan(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> GrantIpLoan(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> Reappraise(store::Connection& c, const Caller& caller, int64_t loan_id,
                              const Json& body);
  Result<Response> RepaySecured(store::Connection& c, const Caller& caller, int64_t loan_id,
                                const Json& body);

  // R&D funds by milestone (bank): the approval with its schedule of tranches, a tranche added
  // anywhere after the last paid one (before_tranche_id, or at the end), a milestone confirmed
  // (the bank or the bureau, with its evidence), a tranche paid only after every earlier one and
  // its own milestone; the schedule never sums above the approval.
  Result<Response> ApproveRndFund(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> AddRndTranche(store::Connection& c, const Caller& caller, int64_t fund_id,
                                 const Json& body);
  Result<Response> ConfirmRndMilestone(store::Connection& c, const Caller& caller,
                                       int64_t tranche_id, const Json& body);
  Result<Response> DisburseRndTranche(store::Connection& c, const Caller& caller,
                                      int64_t tranche_id);

  // --- reads ---
  Result<Json> ListRndFunds(const Caller& caller, const Page& page);
  Result<Json> GetRndFund(const Caller& caller, int64_t fund_id);
  Result<Json> ListSecuredLoans(const Caller& caller, const Page& page);
  Result<Json> GetSecuredLoan(const Caller& caller, int64_t loan_id);
  Result<Json> GetConfirmation(const Caller& caller, int64_t asset_id);
  Result<Json> ListFactorings(const Caller& caller, const Page& page);
  Result<Json> ListFxRates(const Caller& caller, const Page& page);
  // Settlements with their yuan equivalents and the totals in yuan by direction.
  Result<Json> ListSettlements(const Caller& caller, const Page& page);
  Result<Json> ListPools(const Caller& caller, const Page& page);
  Result<Json> GetPool(const Caller& caller, int64_t pool_id);
  // frozen, when given, keeps only the lines frozen (true) or not frozen (false).
  Result<Json> ListLines(const Caller& caller, const Page& page,
                         std::optional<bool> frozen = std::nullopt);
  // The line as of today: pooled, eligible and excluded orders, the line, drawn and available,
  // restrictions and flags, margin.
  Result<Json> GetLine(const Caller& caller, int64_t line_id);
  // The same inside the caller's transaction.
  Result<Json> GetLine(store::Connection& c, const Caller& caller, int64_t line_id);
  Result<Json> ListMarginCalls(const Caller& caller, const Page& page);
  Result<Json> ListReadings(const Caller& caller, int64_t enterprise_id, const Page& page);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace corridor::service
