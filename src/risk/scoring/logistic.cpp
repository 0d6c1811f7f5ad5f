#include "risk/scoring/logistic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace corridor::risk::scoring {
namespace {

// log(1 + e^x) without overflow.
double Softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

double Sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// A symmetric positive-definite system A x = b by Cholesky (A row-major, m × m); false when A is
// not positive definite.
bool SolveCholesky(std::vector<double> a, std::vector<double>& b, size_t m) {
  for (size_t j = 0; j < m; ++j) {
    double d = a[j * m + j];
    for (size_t k = 0; k < j; ++k) d -= a[j * m + k] * a[j * m + k];
    if (!(d > 0)) return false;
    const double l = std::sqrt(d);
    a[j * m + j] = l;
    for (size_t i = j + 1; i < m; ++i) {
      double s = a[i * m + j];
      for (size_t k = 0; k < j; ++k) s -= a[i * m + k] * a[j * m + k];
      a[i * m + j] = s / l;
    }
  }
  for (size_t i = 0; i < m; ++i) {  // L y = b
    double s = b[i];
    for (size_t k = 0; k < i; ++k) s -= a[i * m + k] * b[k];
    b[i] = s / a[i * m + i];
  }
  for (size_t i = m; i-- > 0;) {  // Lᵀ x = y
    double s = b[i];
    for (size_t k = i + 1; k < m; ++k) s -= a[k * m + i] * b[k];
    b[i] = s / a[i * m + i];
  }
  return true;
}

std::string ColumnName(size_t design_column) {
  return design_column == 0 ? "the intercept" : fmt::format("column {}", design_column - 1);
}

// Refuses a design (the intercept, then the features) of which a column is a linear combination
// of the ones before it: a Cholesky factorization of the columns' normalized cross products, column
// by column; a column whose remaining pivot vanishes is dependent, and the projection on the
// independent columns before it names those involved.
Status CheckRank(std::span<const std::vector<double>> rows, size_t p) {
  const size_t m = p + 1;
  std::vector<double> g(m * m, 0.0);
  std::vector<double> x(m);
  for (const auto& row : rows) {
    x[0] = 1;
    std::copy(row.begin(), row.end(), x.begin() + 1);
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j <= i; ++j) g[i * m + j] += x[i] * x[j];
    }
  }
  for (size_t j = 1; j < m; ++j) {
    if (g[j * m + j] == 0) {
      return Fail(Error::Invalid(
          "/features", fmt::format("column {} is all zeros: the design is singular", j - 1)));
    }
  }
  std::vector<double> scale(m);
  for (size_t i = 0; i < m; ++i) scale[i] = 1.0 / std::sqrt(g[i * m + i]);
  const auto at = [&](size_t i, size_t j) {
    return (i >= j ? g[i * m + j] : g[j * m + i]) * scale[i] * scale[j];
  };
  constexpr double kTolerance = 1e-10;
  std::vector<size_t> independent;
  std::vector<double> l(m * m, 0.0);  // the factor's rows over `independent`
  for (size_t j = 0; j < m; ++j) {
    // Row j of L against the independent columns so far.
    std::vector<double> row(independent.size());
    double d = at(j, j);
    for (size_t a = 0; a < independent.size(); ++a) {
      double s = at(j, independent[a]);
      for (size_t b = 0; b < a; ++b) s -= row[b] * l[a * m + b];
      row[a] = s / l[a * m + a];
      d -= row[a] * row[a];
    }
    if (d > kTolerance) {
      const size_t a = independent.size();
      for (size_t b = 0; b < a; ++b) l[a * m + b] = row[b];
      l[a * m + a] = std::sqrt(d);
      independent.push_back(j);
      continue;
    }
    // Column j = Σ c_a x_independent[a]: solve Lᵀ c = row.
    std::vector<double> c(row);
    for (size_t a = c.size(); a-- > 0;) {
      double s = c[a];
      for (size_t b = a + 1; b < c.size(); ++b) s -= l[b * m + a] * c[b];
      c[a] = s / l[a * m + a];
    }
    std::vector<std::string> involved;
    for (size_t a = 0; a < c.size(); ++a) {
      if (std::abs(c[a]) > 1e-7) involved.push_back(ColumnName(independent[a]));
    }
    std::string list;
    for (size_t k = 0; k < involved.size(); ++k) {
      list += (k == 0 ? "" : k + 1 == involved.size() ? " and " : ", ") + involved[k];
    }
    return Fail(Error::Invalid(
        "/features",
        involved.size() == 1 && involved[0] == "the intercept"
            ? fmt::format("column {} is constant (a multiple of the intercept): the design is "
                          "singular",
                          j - 1)
            : fmt::format("column {} is a linear combination of {}: the design is singular", j - 1,
                          list)));
  }
  return {};
}

Error Separated(const std::vector<size_t>& columns) {
  std::string list;
  for (size_t k = 0; k < columns.size(); ++k) {
    list += fmt::format("{}{}", k == 0 ? "" : ", ", columns[k]);
  }
  return Error::Invalid(
      "/labels",
      columns.empty()
          ? std::string("the classes are separated by the features: the likelihood has no finite "
                        "maximum (give l2 > 0)")
          : fmt::format("the classes are (nearly) separated by column{} {}: the likelihood has no "
                        "finite maximum (give l2 > 0)",
                        columns.size() == 1 ? "" : "s", list));
}

}  // namespace

Result<LogisticFit> FitLogistic(std::span<const std::vector<double>> rows,
                                std::span<const int> labels, const LogisticOptions& options) {
  if (rows.empty()) return Fail(Error::Invalid("/features", "must hold at least one row"));
  const size_t n = rows.size();
  const size_t p = rows[0].size();
  std::vector<FieldError> problems;
  if (labels.size() != n) problems.push_back({"/labels", "must have one label per row"});
  if (!(options.l2 >= 0) || !std::isfinite(options.l2)) {
    problems.push_back({"/l2", "must be a finite number ≥ 0"});
  }
  for (size_t i = 0; i < n && problems.size() < 20; ++i) {
    if (rows[i].size() != p) {
      problems.push_back({fmt::format("/features/{}", i), fmt::format("must have {} values", p)});
      continue;
    }
    for (size_t j = 0; j < p; ++j) {
      if (!std::isfinite(rows[i][j])) {
        problems.push_back({fmt::format("/features/{}/{}", i, j), "must be a finite number"});
      }
    }
  }
  size_t positives = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      problems.push_back({fmt::format("/labels/{}", i), "must be 0 or 1"});
    }
    positives += labels[i] == 1 ? 1 : 0;
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  if (positives == 0 || positives == n) {
    return Fail(Error::Invalid("/labels", "must hold both classes (0 and 1)"));
  }
  if (options.l2 == 0) CORRIDOR_TRY_STATUS(CheckRank(rows, p));

  const size_t m = p + 1;
  std::vector<double> beta(m, 0.0), eta(n), x(m);
  const auto objective = [&](const std::vector<double>& b, double* loglik) {
    double ll = 0;
    for (size_t i = 0; i < n; ++i) {
      double e = b[0];
      for (size_t j = 0; j < p; ++j) e += b[j + 1] * rows[i][j];
      ll += labels[i] * e - Softplus(e);
    }
    double penalty = 0;
    for (size_t j = 1; j < m; ++j) penalty += b[j] * b[j];
    if (loglik != nullptr) *loglik = ll;
    return ll - 0.5 * options.l2 * penalty;
  };
  double loglik = 0;
  double current = objective(beta, &loglik);
  std::vector<double> h(m * m), grad(m);
  for (int it = 1; it <= options.max_iterations; ++it) {
    std::fill(h.begin(), h.end(), 0.0);
    std::fill(grad.begin(), grad.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      x[0] = 1;
      std::copy(rows[i].begin(), rows[i].end(), x.begin() + 1);
      double e = 0;
      for (size_t j = 0; j < m; ++j) e += beta[j] * x[j];
      const double mu = Sigmoid(e);
      const double w = mu * (1 - mu);
      const double r = labels[i] - mu;
      for (size_t a = 0; a < m; ++a) {
        grad[a] += r * x[a];
        const double wa = w * x[a];
        for (size_t b = 0; b <= a; ++b) h[a * m + b] += wa * x[b];
      }
    }
    for (size_t a = 0; a < m; ++a) {
      for (size_t b = 0; b < a; ++b) h[b * m + a] = h[a * m + b];
    }
    for (size_t j = 1; j < m; ++j) {
      h[j * m + j] += options.l2;
      grad[j] -= options.l2 * beta[j];
    }
    std::vector<double> step = grad;
    if (!SolveCholesky(h, step, m)) return Fail(Separated({}));
    // Step halving: never lower the objective.
    double t = 1;
    std::vector<double> next(m);
    double next_value = 0, next_loglik = 0;
    for (int halvings = 0;; ++halvings) {
      for (size_t j = 0; j < m; ++j) next[j] = beta[j] + t * step[j];
      next_value = objective(next, &next_loglik);
      if (next_value >= current - 1e-12 * std::abs(current) || halvings == 50) break;
      t /= 2;
    }
    // Converged when no coefficient moves; separated when the likelihood no longer changes
    // while some still move by more than a millionth (near a finite maximum the steps shrink
    // quadratically; along a separating direction they do not).
    std::vector<size_t> moving;
    bool striding = false;
    for (size_t j = 0; j < m; ++j) {
      const double move = std::abs(next[j] - beta[j]);
      if (move > options.tolerance * (1 + std::abs(next[j]))) moving.push_back(j);
      if (move > 1e-6 * (1 + std::abs(next[j]))) striding = true;
    }
    const bool flat = std::abs(next_value - current) <= 1e-14 * (std::abs(next_value) + 0.1);
    beta = next;
    current = next_value;
    loglik = next_loglik;
    if (moving.empty() || (flat && striding)) {
      std::vector<size_t> diverging;
      for (size_t j : moving) {
        if (j > 0) diverging.push_back(j - 1);
      }
      if (!moving.empty() && !options.stop_when_separated) return Fail(Separated(diverging));
      LogisticFit fit;
      fit.intercept = beta[0];
      fit.coefficients.assign(beta.begin() + 1, beta.end());
      fit.log_likelihood = loglik;
      fit.iterations = it;
      fit.separated = std::move(diverging);
      return fit;
    }
  }
  return Fail(Separated({}));
}

double Predict(const LogisticFit& fit, std::span<const double> row) {
  double e = fit.intercept;
  for (size_t j = 0; j < row.size() && j < fit.coefficients.size(); ++j) {
    e += fit.coefficients[j] * row[j];
  }
  return Sigmoid(e);
}

namespace {

// The order of the scores, ascending, and the class counts; errors when a class is missing.
Result<std::vector<size_t>> Ranked(std::span<const double> scores, std::span<const int> labels,
                                   size_t& positives) {
  if (scores.size() != labels.size()) {
    return Fail(Error::Invalid("/labels", "must have one label per score"));
  }
  positives = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      return Fail(Error::Invalid(fmt::format("/labels/{}", i), "must be 0 or 1"));
    }
    if (!std::isfinite(scores[i])) {
      return Fail(Error::Invalid(fmt::format("/scores/{}", i), "must be a finite number"));
    }
    positives += static_cast<size_t>(labels[i]);
  }
  if (positives == 0 || positives == labels.size()) {
    return Fail(Error::Invalid("/labels", "must hold both classes (0 and 1)"));
  }
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  return order;
}

}  // namespace

Result<double> Auc(std::span<const double> scores, std::span<const int> labels) {
  size_t positives = 0;
  const auto order = CORRIDOR_TRY(Ranked(scores, labels, positives));
  const size_t n = order.size();
  const size_t negatives = n - positives;
  // Σ of the positives' ranks, ties at their mean rank (ranks from 1).
  double rank_sum = 0;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin;
    size_t pos = 0;
    while (end < n && scores[order[end]] == scores[order[begin]]) pos += labels[order[end++]];
    const double mean_rank = 0.5 * static_cast<double>(begin + 1 + end);
    rank_sum += mean_rank * static_cast<double>(pos);
    begin = end;
  }
  const double np = static_cast<double>(positives);
  const double u = rank_sum - np * (np + 1) / 2;
  return u / (np * static_cast<double>(negatives));
}

Result<double> KsStatistic(std::span<const double> scores, std::span<const int> labels) {
  size_t positives = 0;
  const auto order = CORRIDOR_TRY(Ranked(scores, labels, positives));
  const size_t n = order.size();
  const auto np = static_cast<double>(positives);
  const auto nn = static_cast<double>(n - positives);
  double cum_pos = 0, cum_neg = 0, ks = 0;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin;
    while (end < n && scores[order[end]] == scores[order[begin]]) {
      (labels[order[end]] == 1 ? cum_pos : cum_neg) += 1;
      ++end;
    }
    ks = std::max(ks, std::abs(cum_pos / np - cum_neg / nn));
    begin = end;
  }
  return ks;
}

}  // namespace corridor::risk::scoring
