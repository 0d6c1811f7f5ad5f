#include "risk/credit/vasicek.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>

#include "risk/credit/normal.hpp"

namespace corridor::risk {
namespace {

Status CheckModel(double pd, double rho, double confidence) {
  if (!(pd > 0 && pd < 1)) return Fail(Error::Invalid("/pd", "must be in (0, 1)"));
  if (!(rho >= 0 && rho < 1)) return Fail(Error::Invalid("/rho", "must be in [0, 1)"));
  if (!(confidence > 0 && confidence < 1)) {
    return Fail(Error::Invalid("/confidence", "must be in (0, 1)"));
  }
  return {};
}

// ∫ φ(z) f(z) dz over the factor, where the integrand is negligible beyond ±12.
template <typename F>
double OverFactor(F f) {
  auto g = [&](double z) { return NormalPdf(z) * f(z); };
  double total = 0;
  // Panels keep the adaptive rule on the region where the binomial terms turn sharply.
  for (int panel = 0; panel < 16; ++panel) {
    const double a = -12 + 1.5 * panel;  // exact in binary: the same panels as stepping by 1.5
    total +=
        boost::math::quadrature::gauss_kronrod<double, 31>::integrate(g, a, a + 1.5, 10, 1e-13);
  }
  return total;
}

// P(Bin(n, p) ≤ k).
double BinomialCdf(int64_t n, double p, int64_t k) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  return boost::math::ibetac(static_cast<double>(k + 1), static_cast<double>(n - k), p);
}

}  // namespace

double ConditionalPd(double pd, double rho, double z) {
  return NormalCdf((NormalQuantile(pd) - std::sqrt(rho) * z) / std::sqrt(1 - rho));
}

Result<VasicekLhp> VasicekLargePortfolio(double pd, double rho, double confidence, double lgd) {
  CORRIDOR_TRY_STATUS(CheckModel(pd, rho, confidence));
  if (!(lgd >= 0 && lgd <= 1)) return Fail(Error::Invalid("/lgd", "must be in [0, 1]"));
  const double c = NormalQuantile(pd), q = NormalQuantile(confidence);
  VasicekLhp r;
  r.expected_loss_rate = lgd * pd;
  r.quantile_loss_rate = lgd * NormalCdf((c + std::sqrt(rho) * q) / std::sqrt(1 - rho));
  r.expected_shortfall_rate =
      rho == 0 ? lgd * pd : lgd * BivariateNormalCdf(c, -q, std::sqrt(rho)) / (1 - confidence);
  return r;
}

double VasicekFiniteCdf(int64_t n, double pd, double rho, int64_t k) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return OverFactor([&](double z) { return BinomialCdf(n, ConditionalPd(pd, rho, z), k); });
}

Result<VasicekFinite> VasicekFinitePortfolio(int64_t n, double pd, double rho, double confidence) {
  CORRIDOR_TRY_STATUS(CheckModel(pd, rho, confidence));
  if (n < 1 || n > 100'000'000) {
    return Fail(Error::Invalid("/obligors", "must be 1 to 100,000,000"));
  }
  // The least k with F(k) ≥ α, by bisection on the monotone CDF.
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (VasicekFiniteCdf(n, pd, rho, mid) >= confidence) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  VasicekFinite r;
  r.quantile_defaults = lo;
  r.cdf_at_quantile = VasicekFiniteCdf(n, pd, rho, lo);
  r.expected_default_rate = pd;
  const int64_t q = lo;
  // E[D·1{D > q}] = ∫ φ N p P(Bin(N-1, p) ≥ q).
  const double tail = OverFactor([&](double z) {
    const double p = ConditionalPd(pd, rho, z);
    const double at_least_q = q == 0 ? 1.0 : 1.0 - BinomialCdf(n - 1, p, q - 1);
    return static_cast<double>(n) * p * at_least_q;
  });
  const double es =
      (tail + static_cast<double>(q) * (r.cdf_at_quantile - confidence)) / (1 - confidence);
  r.expected_shortfall_default_rate = es / static_cast<double>(n);
  return r;
}

}  // namespace corridor::risk
