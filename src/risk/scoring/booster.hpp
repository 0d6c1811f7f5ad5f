#pragma once
// The challenger model: gradient-boosted trees by Debian's libxgboost (XGBoost's C API; Chen &
// Guestrin, KDD 2016), binary:logistic, with the per-feature contributions of every prediction
// (TreeSHAP: Lundberg et al., Nature Machine Intelligence 2020) so that its scores have reasons as
// the scorecard's have. Missing values go the way each split learned. Training is seeded and
// deterministic: the same model for the same data, seed and parameters, whatever the thread count
// (the tests check 1 and 2 threads). A model saves to and loads from XGBoost's JSON, the form a
// model version keeps. Thread-safe for concurrent predictions on one model.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::scoring {

struct BoosterOptions {
  int trees = 100;
  int max_depth = 4;
  double eta = 0.1;               // learning rate
  double min_child_weight = 1.0;  // hessian mass a leaf needs
  double subsample = 1.0;         // of the rows, per tree
  uint64_t seed = 0;
  int threads = 0;  // 0: the machine's cores
};

class Booster {
 public:
  // `rows`: one row per case (nullopt: missing), all the same width; `labels`: 1 bad. Errors name
  // /rows, /labels or the option.
  static Result<Booster> Train(std::span<const std::vector<std::optional<double>>> rows,
                               std::span<const int> labels, const BoosterOptions& options = {});
  static Result<Booster> Load(const std::string& json);

  Booster(Booster&&) noexcept;
  Booster& operator=(Booster&&) noexcept;
  ~Booster();

  size_t features() const { return features_; }
  // The PD of each row.
  Result<std::vector<double>> Predict(
      std::span<const std::vector<std::optional<double>>> rows) const;
  // Each row's contribution of each feature to the log-odds of bad, then the bias (features() + 1
  // values a row): they sum to the row's log-odds.
  Result<std::vector<std::vector<double>>> Contributions(
      std::span<const std::vector<std::optional<double>>> rows) const;
  Result<std::string> Save() const;

 private:
  Booster(void* handle, size_t features) : handle_(handle), features_(features) {}
  Result<std::vector<float>> Run(std::span<const std::vector<std::optional<double>>> rows,
                                 int type) const;
  void* handle_ = nullptr;
  size_t features_ = 0;
};

// The reasons of a challenger's score: the features that pushed the log-odds of bad up the most,
// at most four, the largest first, equal pushes in the features' order; a feature that lowered
// the risk is no reason.
struct Push {
  std::string feature;
  double log_odds = 0;
};
std::vector<Push> ReasonsOf(std::span<const double> contributions,
                            std::span<const std::string> names);

}  // namespace corridor::risk::scoring
