#pragma once
// Vertical logistic regression: parties that hold different columns of the same enterprises
// (aligned beforehand by private set intersection, psi.hpp) fit one logistic model, the pooled
// maximum-likelihood fit, while each party's rows stay with it. One party (the guest) holds the
// labels and the Paillier key; the others (hosts) hold columns only. docs/federated.md gives the
// protocol message by message and what each party sees.
//
// In brief, per iteration of L-BFGS on the standardized columns:
//   1. the guest knows every case's linear predictor u (it starts at 0 and moves by α·X d each
//      step) and sends its residuals σ(u) − y encrypted under its key;
//   2. each host turns them into its block of the gradient, encrypted, Xₕᵀ E(σ(u) − y), masks it
//      with uniform residues, has the guest decrypt the masked values and removes the masks: it
//      alone learns its gradient block, the guest learns nothing of it;
//   3. each party sends the inner products of its block of the L-BFGS vectors (its last steps,
//      gradient changes and gradient), hosts' masked so that only their sum is revealed; the
//      guest runs the two-loop recursion on the summed Gram matrix and sends back the direction
//      as coefficients of those vectors, which each party applies to its own block;
//   4. each host sends Xₕ dₕ (masked likewise), and the guest searches the step length on its own.
// The masks between hosts come from pairwise X25519 agreements and cancel in the sum (as in
// Bonawitz et al., CCS 2017); with one host its sum is its own.
//
// Everything a party receives is checked (ciphertexts in Z*_{n²}, lengths, rounds, sequence
// numbers): a malformed or replayed message stops the fit with an error naming it.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/wire.hpp"

namespace corridor::risk::federated {

struct VerticalLrOptions {
  size_t key_bits = kMinKeyBits;  // the guest's Paillier modulus; tests may use less (from 256)
  size_t min_key_bits = 256;      // a host refuses a guest's modulus shorter than this
  uint64_t seed = 1;              // the keys, blinding factors and masks: same seed, same bytes
  int max_iterations = 500;
  int history = 10;  // L-BFGS memory
  // Stop when the gradient's Euclidean norm (standardized columns) is at most this.
  double gradient_tolerance = 1e-5;
  int frac_bits = 40;  // fixed-point bits of residuals and features under encryption
  // Whether the randomness comes from `seed` (tests, `corridor calc`) or from the operating
  // system (parties in production, whose seed nobody else may know).
  bool seeded = true;
  // Called by the guest after each iteration with its number and the log-likelihood (progress
  // for a job or a command line); must be quick and not throw.
  std::function<void(int iteration, double log_likelihood)> on_iteration = nullptr;
};

struct VerticalLrFit {
  double intercept = 0;
  std::vector<std::vector<double>> coefficients;  // per party, in its columns' order
  double log_likelihood = 0;
  int iterations = 0;
  double gradient_norm = 0;
  bool converged = false;
  uint64_t bytes_exchanged = 0;  // every frame between every pair, headers included
  uint64_t messages = 0;
  std::vector<double> trace;  // the log-likelihood after each iteration
};

// One party's share of the fit.
struct VerticalLrPartyFit {
  std::vector<double> coefficients;  // its raw columns'
  std::vector<double> means;         // its columns' means over the cases (for scoring's reasons)
  // The guest's alone:
  double intercept = 0;
  double log_likelihood = 0, gradient_norm = 0;
  int iterations = 0;
  bool converged = false;
  std::vector<double> trace;
  std::vector<double> linear_predictor;  // each case's log-odds under the fit
};

// One party of the fit, when the parties run apart (`corridor federated`): channels[k] leads to
// party k (null at `me`), over any links; `labels` are read by the guest (me == label_party)
// only. The other parties' channels must not be used by anything else meanwhile.
Result<VerticalLrPartyFit> RunVerticalLrParty(std::span<Channel* const> channels, size_t me,
                                              size_t label_party,
                                              const std::vector<std::vector<double>>& features,
                                              std::span<const int> labels,
                                              const VerticalLrOptions& options = {});

// parties[k]: party k's columns, one row per case, the same cases in the same order for all;
// labels (0 or 1) belong to parties[label_party]. Each party runs on its own thread and every
// message is encoded as on the wire. Errors name /parties/k/... (shape, non-finite values, a
// constant column), /labels, /label_party, or the message a party refused.
Result<VerticalLrFit> FitVerticalLr(std::span<const std::vector<std::vector<double>>> parties,
                                    std::span<const int> labels, size_t label_party,
                                    const VerticalLrOptions& options = {});

}  // namespace corridor::risk::federated
