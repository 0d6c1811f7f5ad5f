#pragma once
// The standard normal distribution: Φ, Φ⁻¹ (Boost.Math, full double precision) and the bivariate
// normal CDF Φ₂(a, b; r) by adaptive Gauss-Kronrod quadrature of
// ∫_{-∞}^{b} φ(z) Φ((a - r z)/√(1 - r²)) dz.
namespace corridor::risk {

double NormalCdf(double x);
double NormalPdf(double x);
// p in (0, 1).
double NormalQuantile(double p);
// |r| < 1.
double BivariateNormalCdf(double a, double b, double r);

}  // namespace corridor::risk
