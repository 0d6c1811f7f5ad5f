#pragma once
// Logistic regression fitted exactly: the maximum of the (optionally L2-penalized) log-likelihood
// by Newton–Raphson, which for the logistic model is iteratively reweighted least squares (IRLS;
// McCullagh & Nelder, Generalized Linear Models, §4.4), run to convergence, with step halving
// whenever a full step would lower the objective. The intercept is never penalized:
//   maximize  Σᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − (l2 / 2) Σⱼ βⱼ²,   ηᵢ = β₀ + Σⱼ βⱼ xᵢⱼ.
// Without a penalty the fit is R's glm(y ~ ., family = binomial) to its convergence tolerance.
//
// A singular design (a column that is a linear combination of the intercept and the columns
// before it, a constant column among them) has no unique fit: it is refused naming the columns
// involved; so is a design whose classes the features separate (no finite maximum without a
// penalty). Pure; thread-safe.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::scoring {

struct LogisticOptions {
  double l2 = 0;             // ≥ 0
  int max_iterations = 100;  // Newton steps
  // Converged when no coefficient moves by more than tolerance · (1 + |β|) in a step.
  double tolerance = 1e-10;
  // Classes (nearly) separated by some columns have no finite maximum: those columns'
  // coefficients grow without end while the likelihood stops changing. By default the fit is
  // refused naming them; with stop_when_separated it stops as R's glm does — when the objective
  // changes by less than 1e-14 of itself — and is answered with `separated` set.
  bool stop_when_separated = false;
};

struct LogisticFit {
  double intercept = 0;
  std::vector<double> coefficients;  // one per feature column
  double log_likelihood = 0;  // Σ yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ), without the penalty
  int iterations = 0;
  // The columns still diverging when the fit stopped on a flat likelihood (stop_when_separated).
  std::vector<size_t> separated;
};

// `rows`: one row of features per case, all the same length; `labels`: 0 or 1 per row. Errors
// name /features (shape, non-finite values, a singular design with its columns), /labels (not 0
// or 1, one class only, separated classes) or /l2.
Result<LogisticFit> FitLogistic(std::span<const std::vector<double>> rows,
                                std::span<const int> labels, const LogisticOptions& options = {});

// The fitted probability of the positive class for one row.
double Predict(const LogisticFit& fit, std::span<const double> row);

// The area under the ROC curve of `scores` (higher: more likely positive) against `labels`: the
// Mann–Whitney U / (n₁ n₀), ties counted half (exact, by ranks). Errors name /labels when a class
// is missing.
Result<double> Auc(std::span<const double> scores, std::span<const int> labels);

// The Kolmogorov–Smirnov statistic: the largest gap between the score distributions of the two
// classes, max over thresholds t of |F₁(t) − F₀(t)| (ties kept together).
Result<double> KsStatistic(std::span<const double> scores, std::span<const int> labels);

}  // namespace corridor::risk::scoring
