#pragma once
// Horizontal logistic regression: banks that hold the same columns of different borrowers fit one
// model on all their borrowers without showing a row. Each Newton step (IRLS, as
// risk/scoring/logistic.hpp) needs only sums over the borrowers — the log-likelihood, the
// gradient Xᵀ(y − p) and the information matrix Xᵀ W X — so each bank computes its own and the
// coordinator learns only their total, by secure aggregation (secagg.hpp): it sees the pooled
// statistics of every step, never one bank's. The fit is the pooled fit: the maximum of the
// likelihood of all the banks' borrowers together.
//
// A bank that drops out in the middle of a step (after its masks are fixed, before its input
// arrives) does not stop the step: the others' shares unmask the survivors' sum, that step is
// taken on it, and the fit goes on with the survivors; the model is then the pooled fit of the
// survivors' borrowers. At least two banks must remain (the sum of one is that bank's own).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::federated {

struct BankData {
  std::vector<std::vector<double>>
      features;             // one row per borrower, the same columns at every bank
  std::vector<int> labels;  // 0 or 1
};

struct HorizontalLrOptions {
  uint64_t seed = 1;  // every bank's keys and masks
  int max_iterations = 100;
  double tolerance = 1e-10;  // no coefficient moves by more than tolerance · (1 + |β|)
  uint32_t threshold = 0;    // shares needed to unmask; 0: a majority of the banks, at least 2
  struct Dropout {
    size_t bank = 0;
    int iteration = 1;  // 1-based: the bank goes silent in this step, after sharing its keys
  };
  std::optional<Dropout> drop = std::nullopt;
};

struct HorizontalLrFit {
  double intercept = 0;
  std::vector<double> coefficients;
  double log_likelihood = 0;  // of the banks in the final model, at the fit
  int iterations = 0;         // aggregation rounds, halved steps included
  bool converged = false;
  std::vector<size_t> banks;  // whose borrowers the final model is fitted on
  uint64_t bytes_exchanged = 0;
  std::vector<double> trace;  // the pooled log-likelihood of each round
};

// Errors name /banks/k/... (shape, labels, values beyond the fixed-point range), /threshold,
// or the step that failed (fewer survivors than the threshold, a singular information matrix).
Result<HorizontalLrFit> FitHorizontalLr(std::span<const BankData> banks,
                                        const HorizontalLrOptions& options = {});

}  // namespace corridor::risk::federated
