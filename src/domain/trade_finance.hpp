#pragma once
// The rules of the supply-chain and ecosystem finance products (seed 002 §4.1, §4.4, §5.4; seed
// 001 §三): the order pool's revolving line, the ranking of competing factors on one receivable
// (Civil Code art. 768), the capacity-sharing loan's limit and its re-appraisal, the dynamic
// margin of order seasonality, and the automatic restrictions (capacity utilization, customer
// concentration, inventory that contradicts the financed orders).
//
// Exact throughout: money in integer fen, ratios in integer basis points, every threshold
// compared by cross-multiplication in 128-bit, so "at most 70%" holds at 70.00% and fails at
// 70.01%. Limits round down to the fen (a bank never lends the fraction above its cap); amounts
// owed to the bank (margins, top-ups) round up. Pure; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace corridor::domain {

// ---------------------------------------------------------------------------------------------
// Order-pool financing (订单池融资)

enum class OrderStatus { kPending, kConfirmed, kFulfilled, kExpired, kCancelled };
std::string_view ToString(OrderStatus s);
std::optional<OrderStatus> ParseOrderStatus(std::string_view s);

struct PoolOrder {
  std::string id;
  std::string buyer;
  int64_t amount_fen = 0;
  OrderStatus status = OrderStatus::kConfirmed;
  Date due_date;
};

struct OrderPoolTerms {
  int64_t advance_rate_bps = 0;     // share of the eligible orders lent against
  int64_t max_buyer_share_bps = 0;  // no buyer above this share of the eligible pool
  int64_t fulfilment_rate_bps = 0;  // the supplier's history: orders delivered as agreed
  Date as_of;
};

struct OrderExclusion {
  std::string order;
  std::string reason;
  int64_t excluded_fen = 0;  // the whole order, or the part above the buyer cap
};

struct OrderPoolLine {
  int64_t line_fen = 0;      // ⌊eligible × advance × fulfilment⌋
  int64_t eligible_fen = 0;  // after exclusions and the buyer cap
  int64_t pooled_fen = 0;    // every order offered, before exclusions
  std::vector<OrderExclusion> excluded;
};

// An order backs the line when it is confirmed by its buyer and not yet due (due on or after
// `as_of`); pending, fulfilled, cancelled, expired, past-due and repeated orders are excluded with
// their reason. A buyer's eligible orders above `max_buyer_share_bps` of the eligible pool (taken
// before the cap, the borrowing-base convention) are excluded from its latest-due orders first.
// Errors name the field: /orders/k/amount_fen, /advance_rate_bps, ...
Result<OrderPoolLine> ComputeOrderPoolLine(const std::vector<PoolOrder>& orders,
                                           const OrderPoolTerms& terms);

// ---------------------------------------------------------------------------------------------
// Receivables financing and factoring (应收账款融资/保理): Civil Code art. 768

struct FactorClaim {
  std::string factor;
  int64_t amount_fen = 0;                 // the financing or service fee claimed
  std::optional<int64_t> registered_at;   // registration time (µs), when registered
  std::optional<int64_t> notice_reached;  // when the transfer notice reached the debtor (µs)
};

struct FactorAllocation {
  std::string factor;
  int64_t allocated_fen = 0;
  int rank = 0;       // 1 first; claims sharing a rank share pro rata
  std::string basis;  // registered | notified | pro_rata
};

// Art. 768 (民法典第七百六十八条): registered claims first, by registration time; then unregistered
// claims by the first transfer notice to reach the debtor; then the rest pro rata to their
// amounts. Each rank takes what is left of `receivable_fen` up to its claims; claims tied at a
// rank (and the last group) share pro rata by the largest remainder, to the fen. Allocations are
// returned in the claims' order.
Result<std::vector<FactorAllocation>> RankFactorClaims(int64_t receivable_fen,
                                                       const std::vector<FactorClaim>& claims);

// The buyer's confirmation that gates a receivable's financing: once, for an amount and a due
// date; a second confirmation, or one after the receivable was cancelled, is refused; the bank
// disburses against exactly what was confirmed.
enum class ConfirmationState { kUnconfirmed, kConfirmed, kCancelled };
struct ReceivableConfirmation {
  ConfirmationState state = ConfirmationState::kUnconfirmed;
  int64_t amount_fen = 0;
  Date due_date;
};

// The confirmation after the buyer confirms `amount_fen` due on `due_date` (Conflict when already
// confirmed or cancelled; /amount_fen when not positive).
Result<ReceivableConfirmation> ConfirmReceivable(const ReceivableConfirmation& current,
                                                 int64_t amount_fen, Date due_date);

// Whether a disbursement of `amount_fen` against a receivable due on `due_date` matches the
// buyer's confirmation: confirmed, the same amount and the same date (errors name /amount_fen or
// /due_date, or say the receivable is unconfirmed or cancelled).
Status CheckConfirmedDisbursement(const ReceivableConfirmation& confirmation, int64_t amount_fen,
                                  Date due_date);

// With recourse the seller answers for the buyer's default; without, the factor bears it.
enum class Recourse { kWithRecourse, kWithoutRecourse };
std::optional<Recourse> ParseRecourse(std::string_view s);  // with_recourse | without_recourse
// Who bears an unpaid receivable at maturity: "seller" (with recourse) or "factor".
std::string_view LossBearer(Recourse r);

// ---------------------------------------------------------------------------------------------
// R&D funds disbursed by milestone

struct Tranche {
  std::string milestone;
  int64_t amount_fen = 0;
  bool milestone_confirmed = false;
  bool disbursed = false;
};

// Whether tranche `k` (0-based) may be disbursed: every tranche before it disbursed (in order),
// milestone k confirmed, k itself not yet paid, and the schedule within the approval. Errors say
// which rule refused (Conflict) or name /tranches/k.
Status CheckTrancheDisbursement(int64_t approval_fen, const std::vector<Tranche>& tranches,
                                size_t k);

// Inserts `tranche` before position `at` (at = size appends). History is fixed: no insertion
// before a disbursed tranche, nor a tranche that arrives disbursed or confirmed; the schedule's
// total stays within the approval. Returns the new schedule, positions renumbered by the vector.
Result<std::vector<Tranche>> InsertTranche(int64_t approval_fen, std::vector<Tranche> tranches,
                                           size_t at, Tranche tranche);

// ---------------------------------------------------------------------------------------------
// IP (patent-portfolio) pledge loans (知识产权质押)

// The largest loan against a patent portfolio valued at `valuation_fen` at `pledge_rate_bps`
// (⌊valuation × rate⌋); a revaluation is a re-appraisal at the pledge rate (Reappraise).
Result<int64_t> IpPledgeLimit(int64_t valuation_fen, int64_t pledge_rate_bps);

// ---------------------------------------------------------------------------------------------
// Capacity-sharing loans (产能共享贷) and equipment pledges

// The capacity-sharing loan against equipment: at most 70% of its appraised value (seed 002).
inline constexpr int64_t kCapacityLoanLtvCapBps = 7'000;

struct CapacityLoanLimit {
  int64_t max_loan_fen = 0;
  std::string_view binding_constraint;  // equipment_ltv | pledged_orders
};

// The largest loan: ⌊appraised × ltv_cap⌋, and no more than the pledged orders that repay it.
// A tie binds on the equipment.
Result<CapacityLoanLimit> CapacityLoanLimitOf(int64_t equipment_appraised_fen,
                                              int64_t pledged_orders_fen,
                                              int64_t ltv_cap_bps = kCapacityLoanLtvCapBps);

// Whether `loan_fen` is at most `ltv_cap_bps` of `appraised_fen` (exact).
bool WithinLtv(int64_t loan_fen, int64_t appraised_fen, int64_t ltv_cap_bps);

enum class ReappraisalAction { kNone, kTopUp };
struct ReappraisalOutcome {
  ReappraisalAction action = ReappraisalAction::kNone;
  int64_t top_up_fen = 0;    // collateral value to add (or principal to repay) to be within
  int64_t headroom_fen = 0;  // how much more could be lent at the new value
  int64_t ltv_bps = 0;       // outstanding / new value, rounded up to the basis point
};

// After a re-appraisal: when the outstanding principal is above the cap of the new value, the
// borrower must top up by outstanding − ⌊new × cap⌋ (or repay that much) and the loan is
// restricted until it does.
Result<ReappraisalOutcome> Reappraise(int64_t outstanding_fen, int64_t new_appraised_fen,
                                      int64_t ltv_cap_bps = kCapacityLoanLtvCapBps);

// ---------------------------------------------------------------------------------------------
// Dynamic margin (动态保证金) by order seasonality

inline constexpr int64_t kPeakSeasonMarginBps = 1'000;     // 10% in the peak season (seed 002)
inline constexpr int64_t kOffPeakSeasonMarginBps = 3'000;  // 30% off-season (seed 002)

struct DynamicMargin {
  int64_t margin_fen = 0;  // ⌈exposure × ratio⌉
  int64_t ratio_bps = 0;
  std::string_view season;  // peak | off_peak
};

// The margin on `exposure_fen` on `date`: the peak ratio when the date's month is one of
// `peak_months` (1–12), else the off-peak ratio.
Result<DynamicMargin> DynamicMarginOn(int64_t exposure_fen, Date date,
                                      const std::vector<int>& peak_months,
                                      int64_t peak_bps = kPeakSeasonMarginBps,
                                      int64_t off_peak_bps = kOffPeakSeasonMarginBps);

// The margin call when the season changes between `from` and `to` with the margin held: what the
// borrower must add (positive) or may withdraw (negative) so that the held margin is the new one.
Result<int64_t> MarginCall(int64_t exposure_fen, int64_t margin_held_fen, Date to,
                           const std::vector<int>& peak_months,
                           int64_t peak_bps = kPeakSeasonMarginBps,
                           int64_t off_peak_bps = kOffPeakSeasonMarginBps);

// ---------------------------------------------------------------------------------------------
// Automatic restrictions (seed 002)

// New financing is refused while a firm's capacity utilization is below 60%.
inline constexpr int64_t kMinCapacityUtilizationBps = 6'000;
// A firm selling more than 60% to one buyer is flagged.
inline constexpr int64_t kMaxCustomerConcentrationBps = 6'000;

// Whether used / capacity is below the minimum (59.9% is below, 60% is not). A capacity of zero
// is below.
bool UtilizationTooLow(int64_t used, int64_t capacity,
                       int64_t min_bps = kMinCapacityUtilizationBps);

// Whether the largest buyer's sales are more than the limit of the total (60% is not, 60.01% is).
bool CustomerConcentrationTooHigh(int64_t largest_buyer_fen, int64_t total_sales_fen,
                                  int64_t max_bps = kMaxCustomerConcentrationBps);

// Whether the stock an IoT sensor reports contradicts the financed orders: the goods for the
// orders not yet delivered must be in stock (less a tolerance for counting), so observed stock
// below required × (1 − tolerance) is an anomaly that freezes undisbursed funds.
bool InventoryContradictsOrders(int64_t observed_units, int64_t required_units,
                                int64_t tolerance_bps);

}  // namespace corridor::domain
