#include "green/green.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace corridor::green {

Result<Reserve> GreenReserve(int64_t financing_fen, int64_t capacity_micro_mw,
                             int64_t deposit_fen_per_mw) {
  if (financing_fen < 0) return Fail(Error::Invalid("/financing_fen", "must not be negative"));
  if (capacity_micro_mw < 0) return Fail(Error::Invalid("/capacity_mw", "must not be negative"));
  if (deposit_fen_per_mw < 0) {
    return Fail(Error::Invalid("/deposit_fen_per_mw", "must not be negative"));
  }
  Reserve r;
  r.risk_reserve_fen = static_cast<int64_t>(
      DivRoundHalfAway(static_cast<Int128>(financing_fen) * kRiskReserveBps, 10'000));
  const Int128 deposit =
      DivRoundHalfAway(static_cast<Int128>(capacity_micro_mw) * deposit_fen_per_mw, 1'000'000);
  if (deposit > INT64_MAX) {
    return Fail(Error::Invalid("/capacity_mw", "deposit exceeds the largest amount"));
  }
  r.decommissioning_deposit_fen = static_cast<int64_t>(deposit);
  return r;
}

Result<SllMargin> SustainabilityLinkedMargin(int64_t base, const std::vector<Kpi>& kpis,
                                             Ratchet ratchet, int64_t floor_bps, int64_t cap_bps) {
  if (floor_bps > cap_bps) return Fail(Error::Invalid("/floor_bps", "must not exceed cap_bps"));
  // No KPIs is a loan whose margin does not move: the base, within floor and cap.
  SllMargin r;
  r.unclamped_bps = base;
  for (size_t k = 0; k < kpis.size(); ++k) {
    const Kpi& kpi = kpis[k];
    if (!std::isfinite(kpi.target) || !std::isfinite(kpi.actual)) {
      return Fail(Error::Invalid(fmt::format("/kpis/{}", k), "target and actual must be numbers"));
    }
    if (kpi.step_bps < 0) {
      return Fail(Error::Invalid(fmt::format("/kpis/{}/step_bps", k), "must not be negative"));
    }
    const bool met = kpi.direction == KpiDirection::kLowerIsBetter ? kpi.actual <= kpi.target
                                                                   : kpi.actual >= kpi.target;
    const int64_t change =
        met ? -kpi.step_bps : (ratchet == Ratchet::kSymmetric ? kpi.step_bps : 0);
    r.unclamped_bps += change;
    r.adjustments.push_back({kpi.name, met, change});
  }
  r.margin_bps = std::clamp(r.unclamped_bps, floor_bps, cap_bps);
  return r;
}

Result<PcafResult> FinancedEmissions(const std::vector<PcafLoan>& loans) {
  // An empty book finances no emissions: every sum is 0 (and the weighted score 0, as for a
  // book with nothing outstanding).
  PcafResult r;
  double outstanding = 0, weighted = 0, outstanding3 = 0, weighted3 = 0;
  for (size_t k = 0; k < loans.size(); ++k) {
    const PcafLoan& l = loans[k];
    auto field = [&](const char* name) { return fmt::format("/loans/{}/{}", k, name); };
    if (!(l.outstanding >= 0) || !std::isfinite(l.outstanding)) {
      return Fail(Error::Invalid(field("outstanding"), "must be a non-negative number"));
    }
    const std::optional<double>& base = l.evic ? l.evic : l.total_equity_plus_debt;
    if (!base) {
      return Fail(Error::Invalid(field("total_equity_plus_debt"),
                                 "or evic is required (the attribution factor's denominator)"));
    }
    if (!(*base > 0) || !std::isfinite(*base)) {
      return Fail(
          Error::Invalid(field(l.evic ? "evic" : "total_equity_plus_debt"), "must be positive"));
    }
    if (l.outstanding > *base) {
      return Fail(Error::Invalid(field("outstanding"),
                                 "exceeds the borrower's equity plus debt (attribution above 1)"));
    }
    for (auto [name, v] : {std::pair{"scope1", l.scope1}, std::pair{"scope2", l.scope2},
                           std::pair{"scope3", l.scope3}, std::pair{"removals", l.removals},
                           std::pair{"credits_retired", l.credits_retired},
                           std::pair{"credits_generated", l.credits_generated}}) {
      if (!(v >= 0) || !std::isfinite(v)) {
        return Fail(Error::Invalid(field(name), "must be a non-negative number"));
      }
    }
    if (!(l.data_quality_score >= 1 && l.data_quality_score <= 5)) {
      return Fail(Error::Invalid(field("data_quality_score"), "must be 1 to 5"));
    }
    const double score3 = l.scope3_data_quality_score.value_or(l.data_quality_score);
    if (!(score3 >= 1 && score3 <= 5)) {
      return Fail(Error::Invalid(field("scope3_data_quality_score"), "must be 1 to 5"));
    }
    PcafLoanResult x;
    x.attribution_factor = l.outstanding / *base;
    x.scope1 = x.attribution_factor * l.scope1;
    x.scope2 = x.attribution_factor * l.scope2;
    x.scope3 = x.attribution_factor * l.scope3;
    x.removals = x.attribution_factor * l.removals;
    x.credits_retired = x.attribution_factor * l.credits_retired;
    x.credits_generated = x.attribution_factor * l.credits_generated;
    r.scope1 += x.scope1;
    r.scope2 += x.scope2;
    r.scope3 += x.scope3;
    r.removals += x.removals;
    r.credits_retired += x.credits_retired;
    r.credits_generated += x.credits_generated;
    outstanding += l.outstanding;
    weighted += l.outstanding * l.data_quality_score;
    if (l.scope3 > 0) {
      outstanding3 += l.outstanding;
      weighted3 += l.outstanding * score3;
    }
    r.loans.push_back(x);
  }
  r.weighted_data_quality = outstanding > 0 ? weighted / outstanding : 0;
  if (outstanding3 > 0) r.weighted_data_quality_scope3 = weighted3 / outstanding3;
  return r;
}

}  // namespace corridor::green
