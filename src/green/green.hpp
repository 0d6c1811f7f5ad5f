#pragma once
// Green finance computations (pure): the green project risk reserve and decommissioning
// deposits, sustainability-linked margin steps, and financed emissions by the PCAF standard.
//
// Reserve (seed 000): 1% of the financing amount, to the fen (half away from zero).
// Decommissioning deposit for wind and solar: installed capacity (MW, up to 6 decimals) × the
// bureau's yuan-per-MW setting in fen, to the fen.
//
// Sustainability-linked margin: each KPI is met when actual ≤ target (`lower_is_better`) or
// actual ≥ target (`higher_is_better`); a met KPI steps the margin down by its step, a missed one
// up by it (`symmetric`) or not at all (`downward_only`); the result is clamped to
// [floor, cap]. Applied to a schedule from the next period by the workflow, not here.
//
// PCAF (Global GHG Accounting and Reporting Standard for the Financial Industry, business loans
// and project finance): attribution factor = outstanding / EVIC for listed firms, else
// outstanding / (total equity + debt); attributed emissions = factor × the firm's emissions,
// scope by scope; removals and carbon credits are reported separately, never netted; the
// portfolio data-quality score is the outstanding-weighted mean of the loans' scores (1-5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::green {

struct Reserve {
  int64_t risk_reserve_fen = 0;
  int64_t decommissioning_deposit_fen = 0;
};
// The green project risk reserve (seed 000): 1% = 100 bp of the financing amount.
inline constexpr int64_t kRiskReserveBps = 100;

// capacity_micro_mw: installed capacity in millionths of a MW (so 12.5 MW is 12,500,000).
Result<Reserve> GreenReserve(int64_t financing_fen, int64_t capacity_micro_mw,
                             int64_t deposit_fen_per_mw);

enum class KpiDirection { kLowerIsBetter, kHigherIsBetter };
enum class Ratchet { kSymmetric, kDownwardOnly };

struct Kpi {
  std::string name;
  double target = 0;
  double actual = 0;
  KpiDirection direction = KpiDirection::kLowerIsBetter;
  int64_t step_bps = 0;
};

struct KpiAdjustment {
  std::string name;
  bool met = false;
  int64_t change_bps = 0;
};

struct SllMargin {
  int64_t margin_bps = 0;
  int64_t unclamped_bps = 0;
  std::vector<KpiAdjustment> adjustments;
};

Result<SllMargin> SustainabilityLinkedMargin(int64_t base_margin_bps, const std::vector<Kpi>& kpis,
                                             Ratchet ratchet, int64_t floor_bps, int64_t cap_bps);

struct PcafLoan {
  double outstanding = 0;
  std::optional<double> total_equity_plus_debt;
  std::optional<double> evic;
  double scope1 = 0, scope2 = 0, scope3 = 0;
  double removals = 0, credits_retired = 0, credits_generated = 0;
  double data_quality_score = 5;
  // PCAF asks for scope 3's weighted score apart from that of scopes 1 and 2; the loan's own
  // score when not given.
  std::optional<double> scope3_data_quality_score;
};

struct PcafLoanResult {
  double attribution_factor = 0;
  double scope1 = 0, scope2 = 0, scope3 = 0;
  double removals = 0, credits_retired = 0, credits_generated = 0;
};

struct PcafResult {
  double scope1 = 0, scope2 = 0, scope3 = 0;
  double removals = 0, credits_retired = 0, credits_generated = 0;
  double weighted_data_quality = 0;  // Σ outstanding × score / Σ outstanding
  // The same over the loans that report scope 3 emissions; empty when none does.
  std::optional<double> weighted_data_quality_scope3;
  std::vector<PcafLoanResult> loans;
};

Result<PcafResult> FinancedEmissions(const std::vector<PcafLoan>& loans);

}  // namespace corridor::green
