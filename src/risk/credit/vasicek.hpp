#pragma once
// Vasicek's one-factor model (Vasicek 1987, 2002): obligor i defaults when
// √ρ·Z + √(1 - ρ)·εᵢ < Φ⁻¹(PD), so given the factor Z the default probability is
// p(Z) = Φ((Φ⁻¹(PD) - √ρ·Z)/√(1 - ρ)).
//
// Large homogeneous portfolio: the loss rate's α-quantile is LGD·Φ((Φ⁻¹(PD) + √ρ·Φ⁻¹(α))/√(1-ρ))
// and its expected shortfall LGD·Φ₂(Φ⁻¹(PD), -Φ⁻¹(α); √ρ)/(1 - α) (the mean of p(Z) over the
// worst 1 - α of factor outcomes).
// Finite homogeneous portfolio of N obligors: P(D ≤ k) = ∫ φ(z)·BinomialCdf(k; N, p(z)) dz,
// integrated numerically; the quantile is the least k with P(D ≤ k) ≥ α and the expected
// shortfall the discrete tail mean (E[D·1{D>q}] + q·(P(D ≤ q) - α))/(1 - α), using
// E[D·1{D>q}] = ∫ φ(z)·N·p(z)·P(Bin(N-1, p(z)) ≥ q) dz.
#include <cstdint>

#include "core/result.hpp"

namespace corridor::risk {

struct VasicekLhp {
  double quantile_loss_rate = 0;
  double expected_shortfall_rate = 0;
  double expected_loss_rate = 0;
};
Result<VasicekLhp> VasicekLargePortfolio(double pd, double rho, double confidence, double lgd);

// The conditional default probability p(z).
double ConditionalPd(double pd, double rho, double z);

struct VasicekFinite {
  int64_t quantile_defaults = 0;
  double cdf_at_quantile = 0;  // P(D ≤ quantile_defaults) ≥ confidence
  double expected_shortfall_default_rate = 0;
  double expected_default_rate = 0;
};
Result<VasicekFinite> VasicekFinitePortfolio(int64_t obligors, double pd, double rho,
                                             double confidence);
// P(D ≤ k) for the finite homogeneous portfolio.
double VasicekFiniteCdf(int64_t obligors, double pd, double rho, int64_t k);

}  // namespace corridor::risk
