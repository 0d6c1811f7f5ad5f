#pragma once
// Data envelopment analysis on GLPK's simplex. Rows of every matrix are DMUs, columns the
// inputs or outputs. Models and conventions (docs/evaluation.md):
//
// Radial (CCR = constant returns, BCC = variable): input orientation min θ s.t. Xλ + s⁻ = θx₀,
// Yλ - s⁺ = y₀ (BCC: Σλ = 1), reported θ; output orientation max φ s.t. Xλ + s⁻ = x₀,
// Yλ - s⁺ = φy₀, reported 1/φ. A second stage, θ (φ) held, maximizes the slack sum on the
// mean-normalized data (units invariant). Andersen-Petersen super-efficiency drops DMU o from its
// own reference set; an infeasible program (possible under VRS) gives no score.
// SBM (Tone 2001, non-oriented): ρ = (1 - (1/m)Σs⁻/x₀) / (1 + (1/(s+b))(Σs⁺/y₀ + Σsᵇ/b₀)) with
// undesirable outputs b (Tone 2003: Bλ + sᵇ = b₀), solved by the Charnes-Cooper transformation.
// Super-SBM (Tone 2002) for SBM-efficient DMUs: δ = ((1/m)Σx̄/x₀) / ((1/s)Σȳ/y₀) over the set
// without o, x̄ ≥ x₀, 0 ≤ ȳ ≤ y₀; inefficient DMUs keep their SBM score.
// Malmquist (Färe, Grosskopf, Norris, Zhang 1994) from Farrell distances between consecutive
// periods: M = √(D^t(t+1)/D^t(t) · D^{t+1}(t+1)/D^{t+1}(t)), EC = D^{t+1}(t+1)/D^t(t), TC = M/EC.
//
// Every program is solved by column generation: a few λ columns to start, GLPK's row duals price
// all DMUs, the most attractive columns enter, until none has a negative reduced cost. The
// optimum is the full program's (only efficient DMUs ever carry weight), in a fraction of the
// time. Each DMU's program starts from the same columns whatever the thread count, so results
// do not depend on it.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "evaluate/mcdm.hpp"

namespace corridor::evaluate {

enum class Returns { kConstant, kVariable };
enum class Orientation { kInput, kOutput };

// One λ weight on a reference DMU.
struct Peer {
  int dmu = 0;
  double lambda = 0;
};

// Told how many DMUs are done of how many, after each DMU, from the solving threads: must be
// thread-safe and cheap (throttle in the sink). Null: no reports.
using DeaProgress = std::function<void(int64_t done, int64_t total)>;

struct DeaOptions {
  Returns returns = Returns::kConstant;
  Orientation orientation = Orientation::kInput;
  bool super_efficiency = false;
  bool slacks = true;  // run the max-slack second stage
  int threads = 1;
  // false: every program holds all n λ columns from the start (the straightforward solve, kept
  // for comparison and benchmarks).
  bool column_generation = true;
  DeaProgress progress = nullptr;
};

struct DeaResult {
  std::vector<std::optional<double>> efficiency;  // nullopt: super-efficiency infeasible
  std::vector<std::vector<Peer>> peers;           // nonzero λ, by DMU index
  Matrix input_slacks;
  Matrix output_slacks;
};

Result<DeaResult> Dea(const Matrix& inputs, const Matrix& outputs, const DeaOptions& options);

struct SbmOptions {
  Returns returns = Returns::kConstant;
  bool super = false;
  int threads = 1;
  DeaProgress progress = nullptr;
};

struct SbmResult {
  std::vector<std::optional<double>> efficiency;
  std::vector<std::vector<Peer>> peers;
  Matrix input_slacks;
  Matrix output_slacks;
  Matrix undesirable_slacks;
};

// `undesirable` may be empty (no undesirable outputs) or one row per DMU.
Result<SbmResult> Sbm(const Matrix& inputs, const Matrix& outputs, const Matrix& undesirable,
                      const SbmOptions& options);

struct Period {
  Matrix inputs;
  Matrix outputs;
};

struct MalmquistEntry {
  int dmu = 0;
  int from_period = 0;  // the pair (from_period, from_period + 1)
  std::optional<double> malmquist;
  std::optional<double> efficiency_change;
  std::optional<double> technical_change;
};

Result<std::vector<MalmquistEntry>> Malmquist(const std::vector<Period>& periods, Returns returns,
                                              Orientation orientation, int threads);

}  // namespace corridor::evaluate
