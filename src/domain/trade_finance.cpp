#include "domain/trade_finance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace corridor::domain {
namespace {

constexpr int64_t kBps = 10'000;
constexpr int64_t kMaxFen = 1'000'000'000'000'000;  // 10^15 fen: ten trillion yuan

Status CheckBps(std::string_view field, int64_t bps, int64_t lo = 0, int64_t hi = kBps) {
  if (bps < lo || bps > hi) {
    return Fail(Error::Invalid(std::string("/") + std::string(field),
                               fmt::format("must be {} to {} basis points", lo, hi)));
  }
  return {};
}

Status CheckFen(std::string_view field, int64_t fen) {
  if (fen < 0 || fen > kMaxFen) {
    return Fail(Error::Invalid(std::string("/") + std::string(field), "must be 0 to 10^15 fen"));
  }
  return {};
}

// ⌈a × b / d⌉ for non-negative a, b and positive d.
int64_t MulDivCeil(int64_t a, int64_t b, int64_t d) {
  const Int128 p = static_cast<Int128>(a) * b;
  return static_cast<int64_t>((p + d - 1) / d);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Order pool

std::string_view ToString(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPending:
      return "pending";
    case OrderStatus::kConfirmed:
      return "confirmed";
    case OrderStatus::kFulfilled:
      return "fulfilled";
    case OrderStatus::kExpired:
      return "expired";
    case OrderStatus::kCancelled:
      return "cancelled";
  }
  return "pending";
}

std::optional<OrderStatus> ParseOrderStatus(std::string_view s) {
  for (OrderStatus v : {OrderStatus::kPending, OrderStatus::kConfirmed, OrderStatus::kFulfilled,
                        OrderStatus::kExpired, OrderStatus::kCancelled}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

Result<OrderPoolLine> ComputeOrderPoolLine(const std::vector<PoolOrder>& orders,
                                           const OrderPoolTerms& terms) {
  CORRIDOR_TRY_STATUS(CheckBps("advance_rate_bps", terms.advance_rate_bps));
  CORRIDOR_TRY_STATUS(CheckBps("max_buyer_share_bps", terms.max_buyer_share_bps, 1));
  CORRIDOR_TRY_STATUS(CheckBps("fulfilment_rate_bps", terms.fulfilment_rate_bps));
  for (size_t k = 0; k < orders.size(); ++k) {
    const int64_t a = orders[k].amount_fen;
    if (a <= 0 || a > kMaxFen) {
      return Fail(
          Error::Invalid(fmt::format("/orders/{}/amount_fen", k), "must be 1 to 10^15 fen"));
    }
  }
  OrderPoolLine out;
  std::unordered_set<std::string_view> seen;
  seen.reserve(orders.size());
  std::vector<size_t> eligible;
  eligible.reserve(orders.size());
  for (size_t k = 0; k < orders.size(); ++k) {
    const PoolOrder& o = orders[k];
    out.pooled_fen += o.amount_fen;
    std::string reason;
    if (!seen.insert(o.id).second) {
      reason = "the same order is in the pool twice; an order backs one line only";
    } else if (o.status == OrderStatus::kPending) {
      reason = "not confirmed by the buyer";
    } else if (o.status == OrderStatus::kFulfilled) {
      reason = "fulfilled: paid, it no longer backs the line";
    } else if (o.status == OrderStatus::kCancelled) {
      reason = "cancelled";
    } else if (o.status == OrderStatus::kExpired) {
      reason = "expired";
    } else if (o.due_date < terms.as_of) {
      reason = fmt::format("past due since {}", o.due_date.ToString());
    }
    if (!reason.empty()) {
      out.excluded.push_back({o.id, std::move(reason), o.amount_fen});
      continue;
    }
    eligible.push_back(k);
  }
  int64_t total = 0;
  std::unordered_map<std::string_view, int64_t> by_buyer;
  for (size_t k : eligible) {
    total += orders[k].amount_fen;
    by_buyer[orders[k].buyer] += orders[k].amount_fen;
  }
  // A buyer's eligible amount may be at most ⌊total × cap⌋; at most 10,000 / cap buyers can be
  // above it. They are cut in the order of their names, so that the answer never depends on a
  // hash.
  const auto allowed =
      static_cast<int64_t>(static_cast<Int128>(total) * terms.max_buyer_share_bps / kBps);
  std::vector<std::pair<std::string_view, int64_t>> over;
  for (const auto& [buyer, amount] : by_buyer) {
    if (amount > allowed) over.emplace_back(buyer, amount);
  }
  std::sort(over.begin(), over.end());
  int64_t capped_out = 0;
  for (const auto& [buyer, amount] : over) {
    int64_t excess = amount - allowed;
    capped_out += excess;
    std::vector<size_t> own;
    for (size_t k : eligible) {
      if (orders[k].buyer == buyer) own.push_back(k);
    }
    // Latest due first; ties by the later position in the pool.
    std::sort(own.begin(), own.end(), [&](size_t a, size_t b) {
      return orders[a].due_date != orders[b].due_date ? orders[a].due_date > orders[b].due_date
                                                      : a > b;
    });
    for (size_t k : own) {
      if (excess == 0) break;
      const int64_t take = std::min(excess, orders[k].amount_fen);
      excess -= take;
      out.excluded.push_back(
          {orders[k].id,
           fmt::format("buyer {} above {}.{:02}% of the pool", buyer,
                       terms.max_buyer_share_bps / 100, terms.max_buyer_share_bps % 100),
           take});
    }
  }
  out.eligible_fen = total - capped_out;
  out.line_fen =
      static_cast<int64_t>(static_cast<Int128>(out.eligible_fen) * terms.advance_rate_bps *
                           terms.fulfilment_rate_bps / (static_cast<Int128>(kBps) * kBps));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Art. 768

Result<std::vector<FactorAllocation>> RankFactorClaims(int64_t receivable_fen,
                                                       const std::vector<FactorClaim>& claims) {
  CORRIDOR_TRY_STATUS(CheckFen("receivable_fen", receivable_fen));
  for (size_t k = 0; k < claims.size(); ++k) {
    if (claims[k].amount_fen <= 0 || claims[k].amount_fen > kMaxFen) {
      return Fail(
          Error::Invalid(fmt::format("/claims/{}/amount_fen", k), "must be 1 to 10^15 fen"));
    }
  }
  // The ranking key: (class, time); class 0 registered, 1 notified, 2 neither.
  struct Key {
    int cls;
    int64_t at;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys(claims.size());
  for (size_t k = 0; k < claims.size(); ++k) {
    const FactorClaim& c = claims[k];
    if (c.registered_at) {
      keys[k] = {0, *c.registered_at};
    } else if (c.notice_reached) {
      keys[k] = {1, *c.notice_reached};
    } else {
      keys[k] = {2, 0};
    }
  }
  std::vector<size_t> order(claims.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<FactorAllocation> out(claims.size());
  int64_t left = receivable_fen;
  int rank = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && keys[order[j]] == keys[order[i]]) ++j;
    ++rank;
    int64_t wanted = 0;
    std::vector<int64_t> weights;
    for (size_t t = i; t < j; ++t) {
      wanted += claims[order[t]].amount_fen;
      weights.push_back(claims[order[t]].amount_fen);
    }
    std::vector<int64_t> parts;
    if (wanted <= left) {
      parts = weights;
    } else {
      parts = CORRIDOR_TRY(SplitLargestRemainder(left, weights));
    }
    static constexpr std::array<std::string_view, 3> kBasis = {"registered", "notified",
                                                               "pro_rata"};
    for (size_t t = i; t < j; ++t) {
      const size_t k = order[t];
      out[k] = {claims[k].factor, parts[t - i], rank,
                std::string(kBasis[static_cast<size_t>(keys[k].cls)])};
      left -= parts[t - i];
    }
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Confirmation, recourse

Result<ReceivableConfirmation> ConfirmReceivable(const ReceivableConfirmation& current,
                                                 int64_t amount_fen, Date due_date) {
  if (current.state == ConfirmationState::kConfirmed) {
    return Fail(Error::Conflict("the buyer has already confirmed this receivable"));
  }
  if (current.state == ConfirmationState::kCancelled) {
    return Fail(Error::Conflict("the receivable was cancelled; it cannot be confirmed"));
  }
  if (amount_fen <= 0 || amount_fen > kMaxFen) {
    return Fail(Error::Invalid("/amount_fen", "must be 1 to 10^15 fen"));
  }
  return ReceivableConfirmation{ConfirmationState::kConfirmed, amount_fen, due_date};
}

Status CheckConfirmedDisbursement(const ReceivableConfirmation& confirmation, int64_t amount_fen,
                                  Date due_date) {
  if (confirmation.state == ConfirmationState::kUnconfirmed) {
    return Fail(Error::Conflict("the buyer has not confirmed this receivable"));
  }
  if (confirmation.state == ConfirmationState::kCancelled) {
    return Fail(Error::Conflict("the receivable was cancelled"));
  }
  std::vector<FieldError> errors;
  if (amount_fen != confirmation.amount_fen) {
    errors.push_back({"/amount_fen", fmt::format("must be the confirmed amount, {} fen",
                                                 confirmation.amount_fen)});
  }
  if (due_date != confirmation.due_date) {
    errors.push_back(
        {"/due_date", "must be the confirmed due date, " + confirmation.due_date.ToString()});
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

std::optional<Recourse> ParseRecourse(std::string_view s) {
  if (s == "with_recourse") return Recourse::kWithRecourse;
  if (s == "without_recourse") return Recourse::kWithoutRecourse;
  return std::nullopt;
}

std::string_view LossBearer(Recourse r) {
  return r == Recourse::kWithRecourse ? "seller" : "factor";
}

// ---------------------------------------------------------------------------------------------
// Milestone tranches

namespace {

Status CheckSchedule(int64_t approval_fen, const std::vector<Tranche>& tranches) {
  CORRIDOR_TRY_STATUS(CheckFen("approval_fen", approval_fen));
  Int128 total = 0;
  for (size_t k = 0; k < tranches.size(); ++k) {
    if (tranches[k].amount_fen <= 0 || tranches[k].amount_fen > kMaxFen) {
      return Fail(
          Error::Invalid(fmt::format("/tranches/{}/amount_fen", k), "must be 1 to 10^15 fen"));
    }
    total += tranches[k].amount_fen;
  }
  if (total > approval_fen) {
    return Fail(Error::Invalid(
        "/tranches", fmt::format("the tranches sum to {} fen, above the approval of {} fen",
                                 static_cast<int64_t>(total), approval_fen)));
  }
  return {};
}

}  // namespace

Status CheckTrancheDisbursement(int64_t approval_fen, const std::vector<Tranche>& tranches,
                                size_t k) {
  CORRIDOR_TRY_STATUS(CheckSchedule(approval_fen, tranches));
  if (k >= tranches.size()) {
    return Fail(
        Error::Invalid("/tranche", fmt::format("the schedule has {} tranches", tranches.size())));
  }
  if (tranches[k].disbursed) {
    return Fail(Error::Conflict(fmt::format("tranche {} is already disbursed", k + 1)));
  }
  for (size_t j = 0; j < k; ++j) {
    if (!tranches[j].disbursed) {
      return Fail(Error::Conflict(
          fmt::format("tranche {} comes first: tranches are paid in order", j + 1)));
    }
  }
  if (!tranches[k].milestone_confirmed) {
    return Fail(Error::Conflict(
        fmt::format("milestone {} ({}) is not confirmed", k + 1, tranches[k].milestone)));
  }
  return {};
}

Result<std::vector<Tranche>> InsertTranche(int64_t approval_fen, std::vector<Tranche> tranches,
                                           size_t at, Tranche tranche) {
  if (at > tranches.size()) {
    return Fail(Error::Invalid("/position", fmt::format("must be 0 to {}", tranches.size())));
  }
  if (tranche.disbursed || tranche.milestone_confirmed) {
    return Fail(Error::Invalid("/tranche", "a new tranche starts unconfirmed and unpaid"));
  }
  for (size_t j = at; j < tranches.size(); ++j) {
    if (tranches[j].disbursed) {
      return Fail(Error::Conflict(fmt::format(
          "tranche {} is already disbursed: a tranche may be added only after it", j + 1)));
    }
  }
  tranches.insert(tranches.begin() + static_cast<std::ptrdiff_t>(at), std::move(tranche));
  CORRIDOR_TRY_STATUS(CheckSchedule(approval_fen, tranches));
  return tranches;
}

// ---------------------------------------------------------------------------------------------
// IP pledge

Result<int64_t> IpPledgeLimit(int64_t valuation_fen, int64_t pledge_rate_bps) {
  CORRIDOR_TRY_STATUS(CheckFen("valuation_fen", valuation_fen));
  CORRIDOR_TRY_STATUS(CheckBps("pledge_rate_bps", pledge_rate_bps));
  return static_cast<int64_t>(static_cast<Int128>(valuation_fen) * pledge_rate_bps / kBps);
}

// ---------------------------------------------------------------------------------------------
// Capacity-sharing loans

bool WithinLtv(int64_t loan_fen, int64_t appraised_fen, int64_t ltv_cap_bps) {
  return static_cast<Int128>(loan_fen) * kBps <= static_cast<Int128>(appraised_fen) * ltv_cap_bps;
}

Result<CapacityLoanLimit> CapacityLoanLimitOf(int64_t equipment_appraised_fen,
                                              int64_t pledged_orders_fen, int64_t ltv_cap_bps) {
  CORRIDOR_TRY_STATUS(CheckFen("equipment_appraised_fen", equipment_appraised_fen));
  CORRIDOR_TRY_STATUS(CheckFen("pledged_orders_fen", pledged_orders_fen));
  CORRIDOR_TRY_STATUS(CheckBps("ltv_cap_bps", ltv_cap_bps));
  const auto by_equipment =
      static_cast<int64_t>(static_cast<Int128>(equipment_appraised_fen) * ltv_cap_bps / kBps);
  if (pledged_orders_fen < by_equipment)
    return CapacityLoanLimit{pledged_orders_fen, "pledged_orders"};
  return CapacityLoanLimit{by_equipment, "equipment_ltv"};
}

Result<ReappraisalOutcome> Reappraise(int64_t outstanding_fen, int64_t new_appraised_fen,
                                      int64_t ltv_cap_bps) {
  CORRIDOR_TRY_STATUS(CheckFen("outstanding_fen", outstanding_fen));
  CORRIDOR_TRY_STATUS(CheckFen("new_appraised_fen", new_appraised_fen));
  CORRIDOR_TRY_STATUS(CheckBps("ltv_cap_bps", ltv_cap_bps));
  ReappraisalOutcome r;
  const auto allowed =
      static_cast<int64_t>(static_cast<Int128>(new_appraised_fen) * ltv_cap_bps / kBps);
  r.ltv_bps = new_appraised_fen == 0 ? (outstanding_fen == 0 ? 0 : INT64_MAX)
                                     : MulDivCeil(outstanding_fen, kBps, new_appraised_fen);
  if (WithinLtv(outstanding_fen, new_appraised_fen, ltv_cap_bps)) {
    r.headroom_fen = allowed - outstanding_fen;
    return r;
  }
  r.action = ReappraisalAction::kTopUp;
  r.top_up_fen = outstanding_fen - allowed;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Dynamic margin

namespace {

Status CheckMonths(const std::vector<int>& peak_months) {
  for (size_t k = 0; k < peak_months.size(); ++k) {
    if (peak_months[k] < 1 || peak_months[k] > 12) {
      return Fail(Error::Invalid(fmt::format("/peak_months/{}", k), "must be a month 1 to 12"));
    }
  }
  return {};
}

}  // namespace

Result<DynamicMargin> DynamicMarginOn(int64_t exposure_fen, Date date,
                                      const std::vector<int>& peak_months, int64_t peak_bps,
                                      int64_t off_peak_bps) {
  CORRIDOR_TRY_STATUS(CheckFen("exposure_fen", exposure_fen));
  CORRIDOR_TRY_STATUS(CheckMonths(peak_months));
  CORRIDOR_TRY_STATUS(CheckBps("peak_bps", peak_bps));
  CORRIDOR_TRY_STATUS(CheckBps("off_peak_bps", off_peak_bps));
  const bool peak =
      std::find(peak_months.begin(), peak_months.end(), date.month()) != peak_months.end();
  const int64_t ratio = peak ? peak_bps : off_peak_bps;
  return DynamicMargin{MulDivCeil(exposure_fen, ratio, kBps), ratio, peak ? "peak" : "off_peak"};
}

Result<int64_t> MarginCall(int64_t exposure_fen, int64_t margin_held_fen, Date to,
                           const std::vector<int>& peak_months, int64_t peak_bps,
                           int64_t off_peak_bps) {
  CORRIDOR_TRY_STATUS(CheckFen("margin_held_fen", margin_held_fen));
  const auto m =
      CORRIDOR_TRY(DynamicMarginOn(exposure_fen, to, peak_months, peak_bps, off_peak_bps));
  return m.margin_fen - margin_held_fen;
}

// ---------------------------------------------------------------------------------------------
// Restrictions

bool UtilizationTooLow(int64_t used, int64_t capacity, int64_t min_bps) {
  if (capacity <= 0) return true;
  return static_cast<Int128>(used) * kBps < static_cast<Int128>(capacity) * min_bps;
}

bool CustomerConcentrationTooHigh(int64_t largest_buyer_fen, int64_t total_sales_fen,
                                  int64_t max_bps) {
  if (total_sales_fen <= 0) return false;
  return static_cast<Int128>(largest_buyer_fen) * kBps >
         static_cast<Int128>(total_sales_fen) * max_bps;
}

bool InventoryContradictsOrders(int64_t observed_units, int64_t required_units,
                                int64_t tolerance_bps) {
  return static_cast<Int128>(observed_units) * kBps <
         static_cast<Int128>(required_units) * (kBps - tolerance_bps);
}

}  // namespace corridor::domain
