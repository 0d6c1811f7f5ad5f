#include "risk/credit/creditriskplus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace corridor::risk {

Result<CreditRiskPlusResult> CreditRiskPlus(const CreditRiskPlusInput& in) {
  const size_t sectors = in.sector_volatilities.size();
  if (!(in.unit_loss > 0)) return Fail(Error::Invalid("/unit_loss", "must be positive"));
  if (sectors == 0) return Fail(Error::Invalid("/sector_volatilities", "needs one per sector"));
  for (size_t k = 0; k < sectors; ++k) {
    if (!(in.sector_volatilities[k] >= 0 && std::isfinite(in.sector_volatilities[k]))) {
      return Fail(Error::Invalid(fmt::format("/sector_volatilities/{}", k),
                                 "must be a non-negative number"));
    }
  }
  std::vector<std::vector<double>> rho = in.sector_correlation;
  if (rho.empty()) {
    rho.assign(sectors, std::vector<double>(sectors, 0.0));
    for (size_t k = 0; k < sectors; ++k) rho[k][k] = 1;
  }
  if (rho.size() != sectors) {
    return Fail(Error::Invalid("/sector_correlation", "needs one row per sector"));
  }
  for (size_t k = 0; k < sectors; ++k) {
    if (rho[k].size() != sectors) {
      return Fail(
          Error::Invalid(fmt::format("/sector_correlation/{}", k), "needs one entry per sector"));
    }
    for (size_t l = 0; l < sectors; ++l) {
      const double v = rho[k][l];
      if (!(v >= -1 && v <= 1) || (k == l && v != 1) || v != rho[l][k]) {
        return Fail(Error::Invalid(fmt::format("/sector_correlation/{}/{}", k, l),
                                   "must be a symmetric correlation (1 on the diagonal)"));
      }
    }
  }
  if (in.obligors.empty()) return Fail(Error::Invalid("/obligors", "needs at least one obligor"));
  for (double q : in.quantiles) {
    if (!(q > 0 && q < 1)) return Fail(Error::Invalid("/quantiles", "each must be in (0, 1)"));
  }

  CreditRiskPlusResult r;
  r.sector_expected_loss.assign(sectors, 0);
  std::vector<double> idio(sectors, 0);  // Σ pᵢEᵢ² per sector
  double mu = 0;                         // expected number of defaults (banded pd)
  std::vector<double> band_mass;         // Σ banded pᵢ per exposure band ν
  for (size_t i = 0; i < in.obligors.size(); ++i) {
    const auto& o = in.obligors[i];
    const auto field = [&](const char* name) { return fmt::format("/obligors/{}/{}", i, name); };
    if (!(o.exposure >= 0 && std::isfinite(o.exposure))) {
      return Fail(Error::Invalid(field("exposure"), "must be a non-negative number"));
    }
    if (!(o.pd >= 0 && o.pd <= 1)) return Fail(Error::Invalid(field("pd"), "must be in [0, 1]"));
    if (o.sector < 0 || static_cast<size_t>(o.sector) >= sectors) {
      return Fail(Error::Invalid(field("sector"),
                                 fmt::format("must be a sector index 0 to {}", sectors - 1)));
    }
    if (o.count < 1) return Fail(Error::Invalid(field("count"), "must be at least 1"));
    if (o.exposure == 0 || o.pd == 0) continue;
    const double n = static_cast<double>(o.count);
    r.sector_expected_loss[o.sector] += n * o.pd * o.exposure;
    idio[o.sector] += n * o.pd * o.exposure * o.exposure;
    const double units = std::max(1.0, std::round(o.exposure / in.unit_loss));
    if (units > 10'000'000) {
      return Fail(Error::Invalid(field("exposure"),
                                 "is more than 10,000,000 unit losses; raise unit_loss"));
    }
    const size_t nu = static_cast<size_t>(units);
    const double banded_pd = n * o.pd * o.exposure / (units * in.unit_loss);
    if (band_mass.size() <= nu) band_mass.resize(nu + 1, 0.0);
    band_mass[nu] += banded_pd;
    mu += banded_pd;
  }
  double ul2 = 0, idio_total = 0;
  r.sector_unexpected_loss.assign(sectors, 0);
  for (size_t k = 0; k < sectors; ++k) {
    r.expected_loss += r.sector_expected_loss[k];
    idio_total += idio[k];
    const double s = in.sector_volatilities[k] * r.sector_expected_loss[k];
    r.sector_unexpected_loss[k] = std::sqrt(s * s + idio[k]);
    for (size_t l = 0; l < sectors; ++l) {
      ul2 += rho[k][l] * in.sector_volatilities[k] * in.sector_volatilities[l] *
             r.sector_expected_loss[k] * r.sector_expected_loss[l];
    }
  }
  ul2 += idio_total;
  r.unexpected_loss = std::sqrt(std::max(0.0, ul2));
  if (r.expected_loss == 0) {
    r.quantile_losses.assign(in.quantiles.size(), 0.0);
    return r;
  }
  r.relative_default_variance =
      std::max(0.0, (ul2 - idio_total) / (r.expected_loss * r.expected_loss));

  // Panjer's recursion on values scaled by exp(-log_scale), until the largest quantile.
  const double target =
      in.quantiles.empty() ? 0.0 : *std::max_element(in.quantiles.begin(), in.quantiles.end());
  const double s2 = r.relative_default_variance;
  const bool poisson = s2 < 1e-12;
  const double alpha = poisson ? 0 : 1 / s2;
  const double q = poisson ? 0 : s2 * mu / (1 + s2 * mu);
  const double log_g0 = poisson ? -mu : alpha * std::log1p(-q);
  std::vector<double> f(band_mass.size(), 0.0);
  for (size_t j = 1; j < band_mass.size(); ++j) f[j] = band_mass[j] / mu;
  const size_t jmax = f.size() - 1;
  std::vector<double> g{1.0};  // scaled g₀
  double log_scale = log_g0;
  double cdf = std::exp(log_g0);
  std::vector<size_t> order(in.quantiles.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return in.quantiles[a] < in.quantiles[b]; });
  r.quantile_losses.assign(in.quantiles.size(), 0.0);
  size_t next = 0;
  while (next < order.size() && cdf >= in.quantiles[order[next]]) {
    r.quantile_losses[order[next++]] = 0;
  }
  constexpr int64_t kMaxUnits = 50'000'000;
  int64_t n = 0;
  while (next < order.size()) {
    ++n;
    if (n > kMaxUnits) {
      return Fail(Error::Invalid("/unit_loss",
                                 "the distribution needs more than 50,000,000 unit losses to "
                                 "reach the quantile; raise unit_loss"));
    }
    double v = 0;
    const size_t top = std::min<size_t>(static_cast<size_t>(n), jmax);
    const double dn = static_cast<double>(n);
    for (size_t j = 1; j <= top; ++j) {
      if (f[j] == 0) continue;
      const double coef = poisson ? mu * static_cast<double>(j) / dn
                                  : q + (alpha - 1) * q * static_cast<double>(j) / dn;
      v += coef * f[j] * g[static_cast<size_t>(n) - j];
    }
    g.push_back(v);
    if (v > 1e250) {  // rescale everything kept so far
      for (double& x : g) x *= 1e-250;
      log_scale += 250 * std::log(10.0);
    }
    cdf += std::exp(std::log(g.back()) + log_scale);
    while (next < order.size() && cdf >= in.quantiles[order[next]]) {
      r.quantile_losses[order[next++]] = dn * in.unit_loss;
    }
    if (cdf >= target && next >= order.size()) break;
  }
  r.distribution_units = n;
  return r;
}

}  // namespace corridor::risk
