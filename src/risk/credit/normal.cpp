#include "risk/credit/normal.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <numbers>

namespace corridor::risk {

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double NormalPdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi); }

double NormalQuantile(double p) { return -std::numbers::sqrt2 * boost::math::erfc_inv(2 * p); }

double BivariateNormalCdf(double a, double b, double r) {
  if (r == 0) return NormalCdf(a) * NormalCdf(b);
  const double s = std::sqrt(1 - r * r);
  const double upper = std::min(b, 40.0);
  if (upper < -40) return 0.0;
  auto f = [&](double z) { return NormalPdf(z) * NormalCdf((a - r * z) / s); };
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, -40.0, upper, 15, 1e-14);
}

}  // namespace corridor::risk
