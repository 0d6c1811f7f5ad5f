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
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/random.hpp"
#include "risk/federated/wire.hpp"

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
  int iterations = 0;         // aggregation rounds, halved steps and restarts included
  bool converged = false;
  std::vector<size_t> banks;  // whose borrowers the final model is fitted on
  uint64_t bytes_exchanged = 0;
  std::vector<double> trace;         // the pooled log-likelihood of each completed round
  std::vector<std::string> columns;  // as every bank named them (the protocol's hello)
  struct Dropped {
    size_t bank = 0;
    uint32_t round = 0;
    std::string reason;
  };
  std::vector<Dropped> dropped;  // banks lost on the way, in order
};

// Errors name /banks/k/... (shape, labels, values beyond the fixed-point range), /threshold,
// or the step that failed (fewer survivors than the threshold, a singular information matrix).
// The banks and the coordinator run the protocol below in one process, each bank on a thread,
// every message encoded as on the wire.
Result<HorizontalLrFit> FitHorizontalLr(std::span<const BankData> banks,
                                        const HorizontalLrOptions& options = {});

// --- the protocol between processes (`corridor federated pool`) ---
//
//   hello:   each bank → coordinator: its column names; they must be the same at every bank.
//   round a: coordinator → each active bank i: step (i, n, threshold, β); the bank computes its
//            sums at β and the four rounds of secure aggregation follow (secagg.hpp), the
//            coordinator routing keys and encrypted shares; then it has the pooled sums and takes
//            the Newton step (or halves it). A bank silent or failing before its masks are fixed
//            (keys, shares) is dropped and the round restarts as a+1 without it; one silent after
//            (masked input, unmasking) is dropped and the round completes on the survivors.
//   done:    coordinator → each remaining bank: the model.
// The coordinator learns the pooled sums of every round and who took part; a bank learns the
// steps β (the model's path) and the final model; neither sees a bank's own sums.

struct PoolOptions {
  int max_iterations = 100;
  double tolerance = 1e-10;
  uint32_t threshold = 0;  // as HorizontalLrOptions
  // After each completed round: its number, the pooled log-likelihood, the banks in it.
  std::function<void(uint32_t round, double log_likelihood, size_t banks)> on_round = nullptr;
};

// banks[k] leads to bank k. A bank whose Expect fails (silent past the link's timeout, gone,
// stopped, or sending what does not parse) is dropped. The whole fit fails when fewer than two
// banks (or fewer than the threshold) remain, the columns differ, or the design is singular;
// the remaining banks are told why.
Result<HorizontalLrFit> RunPoolCoordinator(std::span<Channel* const> banks,
                                           const PoolOptions& options = {});

struct PoolBankOptions {
  // Drills and tests: the bank stops without a word in this round after its masks are fixed, as
  // a bank whose line fails; the result is then an error of kind kUnavailable.
  std::optional<uint32_t> silent_at = std::nullopt;
  // At each step the coordinator asks for: the round.
  std::function<void(uint32_t round)> on_step = nullptr;
};

// One bank: its borrowers (checked as FitHorizontalLr does), named columns, and its randomness
// (secret: its keys and self-masks). Returns the model the coordinator sends at the end.
Result<HorizontalLrFit> RunPoolBank(Channel& coordinator, const BankData& data,
                                    const std::vector<std::string>& columns, Randomness& random,
                                    const PoolBankOptions& options = {});

}  // namespace corridor::risk::federated
