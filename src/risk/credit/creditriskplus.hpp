#pragma once
// CreditRisk+ (Credit Suisse First Boston, 1997) with correlated sectors (Bürgisser, Kurth,
// Wagner, Wolf, "Integrating correlations", Risk, July 1999).
//
// Obligor i: exposure Eᵢ (net of recovery), default probability pᵢ, sector k(i); sector default
// rates are gamma-distributed with relative standard deviation σ_k and correlation ρ_kl.
// EL_k = Σ_{i∈k} pᵢEᵢ; UL² = Σ_kl ρ_kl σ_k σ_l EL_k EL_l + Σᵢ pᵢEᵢ²; the sector UL_k² =
// σ_k² EL_k² + Σ_{i∈k} pᵢEᵢ². The loss distribution is that of one sector with the relative
// default variance σ̂² = (UL² - Σ pᵢEᵢ²)/EL² (Bürgisser et al.), computed in units of
// `unit_loss`: exposures are banded to νᵢ = round(Eᵢ/unit) ≥ 1 with pᵢ scaled by Eᵢ/(νᵢ·unit)
// so that expected loss is kept; the compound negative binomial is summed by Panjer's recursion,
// g₀ = (1 - q)^α, gₙ = Σⱼ (q + (α - 1)q·j/n)·fⱼ·gₙ₋ⱼ with α = 1/σ̂², q = σ̂²μ/(1 + σ̂²μ),
// μ = Σ pᵢ (Poisson when σ̂² = 0). The recursion runs on rescaled values (log scale kept), so
// g₀ may underflow a double without harm.
#include <cstdint>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

struct CrpObligor {
  double exposure = 0;
  double pd = 0;
  int sector = 0;
  int64_t count = 1;
};

struct CreditRiskPlusInput {
  double unit_loss = 1;
  std::vector<double> sector_volatilities;
  std::vector<std::vector<double>> sector_correlation;  // identity when empty
  std::vector<CrpObligor> obligors;
  std::vector<double> quantiles;
};

struct CreditRiskPlusResult {
  double expected_loss = 0;
  double unexpected_loss = 0;
  std::vector<double> sector_expected_loss;
  std::vector<double> sector_unexpected_loss;
  double relative_default_variance = 0;  // σ̂²
  std::vector<double> quantile_losses;   // one per requested quantile, in exposure units
  int64_t distribution_units = 0;        // how many unit losses the distribution was summed to
};

Result<CreditRiskPlusResult> CreditRiskPlus(const CreditRiskPlusInput& in);

}  // namespace corridor::risk
