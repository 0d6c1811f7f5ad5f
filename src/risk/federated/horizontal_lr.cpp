#include "risk/federated/horizontal_lr.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "risk/federated/masking.hpp"
#include "risk/federated/random.hpp"
#include "risk/federated/secagg.hpp"

namespace corridor::risk::federated {

namespace {

constexpr double kMaxFixed = 4.0e18;  // below 2^62: sums of a few banks stay below 2^63

// One bank's sums at β: [log-likelihood, gradient (p + 1), information's upper triangle].
std::vector<double> LocalSums(const BankData& bank, const std::vector<double>& beta) {
  const size_t q = beta.size();
  std::vector<double> out(1 + q + q * (q + 1) / 2, 0.0);
  std::vector<double> x(q);
  for (size_t i = 0; i < bank.features.size(); ++i) {
    x[0] = 1;
    std::copy(bank.features[i].begin(), bank.features[i].end(), x.begin() + 1);
    double eta = 0;
    for (size_t j = 0; j < q; ++j) eta += beta[j] * x[j];
    const double p = eta >= 0 ? 1 / (1 + std::exp(-eta)) : std::exp(eta) / (1 + std::exp(eta));
    const int y = bank.labels[i];
    out[0] += y * eta - (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)));
    const double w = p * (1 - p);
    for (size_t j = 0; j < q; ++j) out[1 + j] += (y - p) * x[j];
    size_t t = 1 + q;
    for (size_t a = 0; a < q; ++a) {
      for (size_t b = a; b < q; ++b) out[t++] += w * x[a] * x[b];
    }
  }
  return out;
}

// Solves H δ = g by Cholesky; H symmetric positive definite (upper triangle given).
Result<std::vector<double>> Solve(std::span<const double> upper, std::span<const double> g) {
  const size_t q = g.size();
  std::vector<std::vector<double>> l(q, std::vector<double>(q, 0.0));
  size_t t = 0;
  std::vector<std::vector<double>> h(q, std::vector<double>(q));
  for (size_t a = 0; a < q; ++a) {
    for (size_t b = a; b < q; ++b) h[a][b] = h[b][a] = upper[t++];
  }
  for (size_t j = 0; j < q; ++j) {
    double d = h[j][j];
    for (size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (!(d > 1e-12 * std::max(1.0, h[j][j]))) {
      return Fail(Error::Invalid(
          "/banks", fmt::format("the pooled design is singular at column {}", j == 0 ? 0 : j - 1)));
    }
    l[j][j] = std::sqrt(d);
    for (size_t i = j + 1; i < q; ++i) {
      double s = h[i][j];
      for (size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  std::vector<double> z(q), x(q);
  for (size_t i = 0; i < q; ++i) {
    double s = g[i];
    for (size_t k = 0; k < i; ++k) s -= l[i][k] * z[k];
    z[i] = s / l[i][i];
  }
  for (size_t i = q; i-- > 0;) {
    double s = z[i];
    for (size_t k = i + 1; k < q; ++k) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

}  // namespace

Result<HorizontalLrFit> FitHorizontalLr(std::span<const BankData> banks,
                                        const HorizontalLrOptions& options) {
  if (banks.size() < 2 || banks.size() > 1000) {
    return Fail(Error::Invalid("/banks", "from 2 to 1,000 banks"));
  }
  const size_t p = banks[0].features.empty() ? 0 : banks[0].features[0].size();
  if (p == 0 || p > 200) return Fail(Error::Invalid("/banks/0/features", "1 to 200 columns"));
  for (size_t k = 0; k < banks.size(); ++k) {
    const auto& b = banks[k];
    if (b.features.empty() || b.features.size() != b.labels.size()) {
      return Fail(Error::Invalid(fmt::format("/banks/{}/labels", k),
                                 "one label for every row, and at least one row"));
    }
    for (size_t i = 0; i < b.features.size(); ++i) {
      if (b.features[i].size() != p) {
        return Fail(Error::Invalid(fmt::format("/banks/{}/features/{}", k, i),
                                   fmt::format("must have {} values like every bank's", p)));
      }
      for (double v : b.features[i]) {
        // The information matrix's sums must stay inside the fixed-point range.
        if (!std::isfinite(v) ||
            std::fabs(v) * std::fabs(v) * static_cast<double>(b.features.size()) > kMaxFixed / 4) {
          return Fail(Error::Invalid(fmt::format("/banks/{}/features/{}", k, i),
                                     "must be finite and of a size whose squares sum below 1e18"));
        }
      }
      if (b.labels[i] != 0 && b.labels[i] != 1) {
        return Fail(Error::Invalid(fmt::format("/banks/{}/labels/{}", k, i), "must be 0 or 1"));
      }
    }
  }
  if (options.drop && options.drop->bank >= banks.size()) {
    return Fail(Error::Invalid("/drop/bank", "must be the index of a bank"));
  }
  auto random = Randomness::FromSeed(options.seed, "horizontal-lr");
  std::vector<size_t> active(banks.size());
  for (size_t k = 0; k < banks.size(); ++k) active[k] = k;

  HorizontalLrFit fit;
  const size_t q = p + 1;
  std::vector<double> beta(q, 0.0), base = beta, step(q, 0.0);
  double accepted = -std::numeric_limits<double>::infinity();
  int halvings = 0;
  for (int round = 1; round <= options.max_iterations; ++round) {
    const auto n = static_cast<uint32_t>(active.size());
    if (n < 2) {
      return Fail(Error{ErrorCode::kUnavailable,
                        "one bank remains: its sums would be its own, so the fit stops",
                        {}});
    }
    const uint32_t threshold =
        options.threshold != 0 ? std::min(options.threshold, n) : std::max<uint32_t>(2, n / 2 + 1);
    if (options.threshold != 0 && options.threshold < 2) {
      return Fail(Error::Invalid("/threshold", "must be at least 2"));
    }
    std::vector<std::vector<UInt128>> inputs;
    for (size_t k : active) {
      const auto sums = LocalSums(banks[k], beta);
      std::vector<UInt128> v(sums.size());
      for (size_t i = 0; i < sums.size(); ++i) v[i] = ToFixed(sums[i]);
      inputs.push_back(std::move(v));
    }
    std::vector<uint32_t> drop;
    if (options.drop && options.drop->iteration == round) {
      const auto it = std::find(active.begin(), active.end(), options.drop->bank);
      if (it != active.end()) drop.push_back(static_cast<uint32_t>(it - active.begin()));
    }
    const auto agg =
        CORRIDOR_TRY(SecureSum(inputs, threshold, static_cast<uint32_t>(round), random, drop));
    fit.bytes_exchanged += agg.bytes;
    std::vector<size_t> survivors;
    for (uint32_t i : agg.survivors) survivors.push_back(active[i]);
    active = survivors;
    std::vector<double> total(agg.sum.size());
    for (size_t i = 0; i < total.size(); ++i) total[i] = FromFixed(agg.sum[i]);
    ++fit.iterations;
    fit.trace.push_back(total[0]);
    // A survivor set that changed has another likelihood: start its comparison afresh.
    if (!drop.empty()) accepted = -std::numeric_limits<double>::infinity();
    if (total[0] < accepted - 1e-12 * std::fabs(accepted) && halvings < 40) {
      // The full step lowered the likelihood: halve it (as glm does) and aggregate again.
      ++halvings;
      for (size_t j = 0; j < q; ++j) {
        step[j] /= 2;
        beta[j] = base[j] + step[j];
      }
      continue;
    }
    halvings = 0;
    accepted = total[0];
    fit.log_likelihood = total[0];
    const auto delta =
        CORRIDOR_TRY(Solve(std::span(total).subspan(1 + q), std::span(total).subspan(1, q)));
    bool small = true;
    for (size_t j = 0; j < q; ++j) {
      if (std::fabs(delta[j]) > options.tolerance * (1 + std::fabs(beta[j]))) small = false;
    }
    if (small && drop.empty()) {
      fit.converged = true;
      break;
    }
    base = beta;
    step = delta;
    for (size_t j = 0; j < q; ++j) beta[j] += delta[j];
  }
  fit.intercept = beta[0];
  fit.coefficients.assign(beta.begin() + 1, beta.end());
  fit.banks = active;
  return fit;
}

}  // namespace corridor::risk::federated
