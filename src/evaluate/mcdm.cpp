#include "evaluate/mcdm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace corridor::evaluate {
namespace {

// Rows >= min_rows, every row as wide as the first, every value finite.
Status CheckMatrix(const Matrix& x, size_t min_rows) {
  if (x.size() < min_rows) {
    return Fail(Error::Invalid("/matrix", fmt::format("needs at least {} rows", min_rows)));
  }
  if (x[0].empty()) return Fail(Error::Invalid("/matrix", "rows need at least one column"));
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].size() != x[0].size()) {
      return Fail(
          Error::Invalid(fmt::format("/matrix/{}", i), "has a different number of columns"));
    }
    for (size_t j = 0; j < x[i].size(); ++j) {
      if (!std::isfinite(x[i][j])) {
        return Fail(Error::Invalid(fmt::format("/matrix/{}/{}", i, j), "must be a finite number"));
      }
    }
  }
  return {};
}

Status CheckSize(size_t got, size_t want, const char* field) {
  if (got != want) {
    return Fail(Error::Invalid(field, fmt::format("needs one entry per column ({})", want)));
  }
  return {};
}

Result<std::vector<double>> NormalizedWeights(const std::vector<double>& w, size_t columns) {
  CORRIDOR_TRY_STATUS(CheckSize(w.size(), columns, "/weights"));
  double sum = 0;
  for (size_t j = 0; j < w.size(); ++j) {
    if (!std::isfinite(w[j]) || w[j] < 0) {
      return Fail(Error::Invalid(fmt::format("/weights/{}", j), "must be a non-negative number"));
    }
    sum += w[j];
  }
  if (sum <= 0) return Fail(Error::Invalid("/weights", "must not all be zero"));
  std::vector<double> out(w);
  for (double& v : out) v /= sum;
  return out;
}

}  // namespace

Matrix MinMaxStandardize(const Matrix& x, const std::vector<Direction>& directions) {
  Matrix z(x.size(), std::vector<double>(x[0].size(), 0.0));
  for (size_t j = 0; j < x[0].size(); ++j) {
    double lo = x[0][j], hi = x[0][j];
    for (const auto& row : x) {
      lo = std::min(lo, row[j]);
      hi = std::max(hi, row[j]);
    }
    if (hi == lo) continue;
    for (size_t i = 0; i < x.size(); ++i) {
      z[i][j] = directions[j] == Direction::kPositive ? (x[i][j] - lo) / (hi - lo)
                                                      : (hi - x[i][j]) / (hi - lo);
    }
  }
  return z;
}

Result<EntropyResult> EntropyWeights(const Matrix& x, const std::vector<Direction>& directions,
                                     Standardization standardization, double shift) {
  CORRIDOR_TRY_STATUS(CheckMatrix(x, 2));
  const size_t n = x.size(), m = x[0].size();
  CORRIDOR_TRY_STATUS(CheckSize(directions.size(), m, "/directions"));
  if (!std::isfinite(shift) || shift < 0) {
    return Fail(Error::Invalid("/shift", "must be a non-negative number"));
  }
  Matrix z;
  if (standardization == Standardization::kMinMax) {
    z = MinMaxStandardize(x, directions);
    for (auto& row : z) {
      for (double& v : row) v += shift;
    }
  } else {
    z = x;
    for (size_t j = 0; j < m; ++j) {
      double sum = 0;
      for (size_t i = 0; i < n; ++i) {
        z[i][j] += shift;
        if (z[i][j] < 0) {
          return Fail(Error::Invalid(fmt::format("/matrix/{}/{}", i, j),
                                     "is negative after the shift; sum standardization needs "
                                     "non-negative data"));
        }
        sum += z[i][j];
      }
      for (size_t i = 0; i < n; ++i) z[i][j] = sum > 0 ? z[i][j] / sum : 0.0;
    }
  }
  EntropyResult r;
  r.entropy.assign(m, 1.0);
  std::vector<double> d(m, 0.0);
  const double k = 1.0 / std::log(static_cast<double>(n));
  for (size_t j = 0; j < m; ++j) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += z[i][j];
    bool constant = true;
    for (size_t i = 1; i < n; ++i) constant = constant && z[i][j] == z[0][j];
    if (sum <= 0 || constant) continue;  // no information: e = 1, d = 0
    double h = 0;
    for (size_t i = 0; i < n; ++i) {
      const double p = z[i][j] / sum;
      if (p > 0) h -= p * std::log(p);
    }
    r.entropy[j] = k * h;
    d[j] = 1.0 - r.entropy[j];
  }
  const double dsum = std::accumulate(d.begin(), d.end(), 0.0);
  if (dsum <= 0)
    return Fail(Error::Invalid("/matrix", "no column varies: every weight would be 0"));
  r.weights.resize(m);
  for (size_t j = 0; j < m; ++j) r.weights[j] = d[j] / dsum;
  r.composite.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) r.composite[i] += r.weights[j] * z[i][j];
  }
  return r;
}

Result<TopsisResult> Topsis(const Matrix& x, const std::vector<double>& weights,
                            const std::vector<Direction>& types, Normalization normalization) {
  CORRIDOR_TRY_STATUS(CheckMatrix(x, 1));
  const size_t n = x.size(), m = x[0].size();
  CORRIDOR_TRY_STATUS(CheckSize(types.size(), m, "/types"));
  const auto w = CORRIDOR_TRY(NormalizedWeights(weights, m));
  Matrix v;
  std::vector<Direction> effective = types;
  if (normalization == Normalization::kMinMax) {
    v = MinMaxStandardize(x, types);
    std::fill(effective.begin(), effective.end(), Direction::kPositive);
  } else {
    v = x;
    for (size_t j = 0; j < m; ++j) {
      double norm = 0;
      for (size_t i = 0; i < n; ++i) norm += x[i][j] * x[i][j];
      norm = std::sqrt(norm);
      for (size_t i = 0; i < n; ++i) v[i][j] = norm > 0 ? x[i][j] / norm : 0.0;
    }
  }
  std::vector<double> best(m), worst(m);
  for (size_t j = 0; j < m; ++j) {
    double lo = v[0][j] * w[j], hi = lo;
    for (size_t i = 0; i < n; ++i) {
      v[i][j] *= w[j];
      lo = std::min(lo, v[i][j]);
      hi = std::max(hi, v[i][j]);
    }
    best[j] = effective[j] == Direction::kPositive ? hi : lo;
    worst[j] = effective[j] == Direction::kPositive ? lo : hi;
  }
  TopsisResult r;
  r.scores.resize(n);
  for (size_t i = 0; i < n; ++i) {
    double dp = 0, dm = 0;
    for (size_t j = 0; j < m; ++j) {
      dp += (v[i][j] - best[j]) * (v[i][j] - best[j]);
      dm += (v[i][j] - worst[j]) * (v[i][j] - worst[j]);
    }
    dp = std::sqrt(dp);
    dm = std::sqrt(dm);
    // Every alternative at the ideal and the anti-ideal at once (no variation): equally good.
    r.scores[i] = dp + dm > 0 ? dm / (dp + dm) : 1.0;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return r.scores[a] > r.scores[b]; });
  r.ranking.resize(n);
  for (size_t k = 0; k < n; ++k) r.ranking[order[k]] = static_cast<int>(k + 1);
  return r;
}

Result<std::vector<double>> GreyRelationalGrades(const Matrix& x,
                                                 const std::vector<double>& weights,
                                                 const std::vector<Direction>& directions,
                                                 double rho) {
  CORRIDOR_TRY_STATUS(CheckMatrix(x, 1));
  const size_t n = x.size(), m = x[0].size();
  CORRIDOR_TRY_STATUS(CheckSize(directions.size(), m, "/directions"));
  if (!std::isfinite(rho) || rho <= 0 || rho > 1) {
    return Fail(Error::Invalid("/rho", "must be in (0, 1]"));
  }
  const auto w = CORRIDOR_TRY(NormalizedWeights(weights, m));
  const Matrix z = MinMaxStandardize(x, directions);
  double dmin = 1.0, dmax = 0.0;
  for (const auto& row : z) {
    for (double v : row) {
      dmin = std::min(dmin, 1.0 - v);
      dmax = std::max(dmax, 1.0 - v);
    }
  }
  std::vector<double> grades(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) {
      // With dmax = 0 every alternative equals the reference: ξ = 1.
      const double xi = dmax > 0 ? (dmin + rho * dmax) / ((1.0 - z[i][j]) + rho * dmax) : 1.0;
      grades[i] += w[j] * xi;
    }
  }
  return grades;
}

}  // namespace corridor::evaluate
