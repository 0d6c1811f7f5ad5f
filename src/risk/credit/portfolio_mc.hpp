#pragma once
// Multi-factor Gaussian-copula Monte Carlo for an inhomogeneous credit portfolio.
//
// Factors F = L·Z with Z standard normal (L the Cholesky factor of the factor correlation).
// Obligor i has asset value Xᵢ = aᵢ·F + √(1 - aᵢᵀΣaᵢ)·εᵢ and defaults when Xᵢ < Φ⁻¹(PDᵢ); given
// the factors its default probability is pᵢ(Z) = Φ((Φ⁻¹(PDᵢ) - bᵢ·Z)/sᵢ) with bᵢ = Lᵀaᵢ and
// sᵢ = √(1 - |bᵢ|²). A line with `count` n stands for n independent obligors alike. Loss =
// Σ defaults × EAD × LGD.
//
// Random numbers: Philox4x32-10 keyed by the seed, counter (draw block, scenario, stream), so
// scenario s is the same whichever thread draws it and the results are bit-identical for any
// thread count. Factor normals come from stream 0 (Box-Muller), default uniforms from stream 1:
// the k-th obligor draw of a scenario is lane k mod 4 of block k/4, and an obligor defaults when
// that 32-bit uniform is below ⌊pᵢ(Z)·2³²⌋ (a PD resolution of 2.3·10⁻¹⁰).
//
// VaR_α is the least simulated loss v with (1/n)Σ w·1{L > v} ≤ 1 - α (w the likelihood ratio, 1
// without importance sampling: the usual empirical quantile); ES_α the weighted mean of the
// losses at or above VaR_α. Euler contributions to ES at the highest level are
// E[Lᵢ | L ≥ VaR]: the tail scenarios are drawn again (same counters) with per-obligor losses
// kept, so the contributions sum to ES exactly.
//
// Importance sampling (Glasserman & Li 2005, the factor mean shift): a pilot run of
// `scenarios`/10 plain draws (its own stream) estimates VaR at the highest level x; the shift μ
// is the point nearest the origin, along the direction in which the conditional expected loss
// rises fastest, where E[L | Z = μ] = x. Scenarios draw Z + μ and carry the likelihood ratio
// exp(-μ·Z - |μ|²/2). The variance reduction reported is p(1 - p)/Var(w·1{L > VaR}), the
// variance of the plain tail-probability estimator over that of the weighted one.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

struct McObligor {
  double ead = 0;
  double pd = 0;
  double lgd = 0;
  std::vector<double> loadings;
  std::string sector;
  std::string bank;  // optional grouping for contributions
  int64_t count = 1;
};

// The portfolio after validation, as the simulation reads it: flat arrays that a GPU backend
// copies as they are.
struct McModel {
  int k = 0;                 // factors
  std::vector<double> rows;  // distinct loading rows bᵢ = Lᵀaᵢ in Z space, k per row
  // Lines that share a loading row, threshold and idiosyncratic weight share their conditional
  // PD in every scenario (obligors rated on a master scale share PDs): one Φ per class.
  std::vector<int32_t> class_row;
  std::vector<double> class_c;      // Φ⁻¹(PD)
  std::vector<double> class_inv_s;  // 1/√(1 - |b|²)
  // Per obligor line.
  std::vector<int32_t> klass;
  std::vector<double> loss;  // EAD × LGD
  std::vector<int64_t> count;
  std::vector<uint64_t> offset;  // first draw of the line within a scenario's obligor stream
  uint64_t draws = 0;            // obligor draws per scenario

  size_t Lines() const { return klass.size(); }
  size_t Classes() const { return class_c.size(); }
  size_t Rows() const { return rows.size() / static_cast<size_t>(k); }
  const double* Row(size_t r) const { return rows.data() + r * static_cast<size_t>(k); }
};

// Where pass 1 (every scenario's loss and weight) runs. The CPU is the default; a CUDA engine
// (src/gpu) draws the same random numbers by the same counters (risk/credit/mc_kernel.hpp).
class ScenarioEngine {
 public:
  virtual ~ScenarioEngine() = default;
  virtual std::string Name() const = 0;
  // Called once per run, before any Losses, with the model every Losses call of the run gets
  // (a device engine uploads it here).
  virtual Status Load(const McModel& m) = 0;
  // Loss and likelihood-ratio weight of scenarios [first, first + count): factor normals from
  // stream stream_base, obligor uniforms from stream_base + 1, factors shifted by `shift` (empty
  // for none).
  virtual Status Losses(const McModel& m, uint64_t seed, std::span<const double> shift,
                        uint32_t stream_base, uint64_t first, int64_t count, double* loss,
                        double* weight) = 0;
};

struct McInput {
  std::vector<McObligor> obligors;
  std::vector<std::vector<double>> factor_correlation;  // identity when empty
  int64_t scenarios = 100'000;
  uint64_t seed = 1;
  std::vector<double> confidence_levels = {0.99, 0.999};
  bool importance_sampling = false;
  int threads = 1;
  bool contributions = true;
  // Called now and then with the fraction of the work done (from one of the worker threads).
  std::function<void(double)> progress;
  // When set and it becomes true, the simulation stops and fails with "cancelled".
  const std::atomic<bool>* cancel = nullptr;
  // Pass 1 on another engine (not owned); the CPU threads when null. The Euler contribution
  // pass re-draws the few tail scenarios on the CPU by the same counters.
  ScenarioEngine* engine = nullptr;
};

struct GroupContribution {
  std::string name;
  double es_contribution = 0;
};

struct McResult {
  double expected_loss = 0;
  double loss_std = 0;
  std::vector<double> var;  // per confidence level, as given
  std::vector<double> es;
  double contribution_level = 0;
  std::vector<double> contributions;  // per obligor line, summing to the ES at that level
  std::vector<GroupContribution> sector_contributions;
  std::vector<GroupContribution> bank_contributions;
  int64_t scenarios = 0;
  int64_t tail_scenarios = 0;
  std::vector<double> shift;                 // the importance-sampling factor mean (Z space)
  std::optional<double> variance_reduction;  // with importance sampling
  double analytic_expected_loss = 0;         // Σ n·EAD·LGD·PD, to compare with expected_loss
  std::string backend = "cpu";               // the engine that ran pass 1
  // The loss distribution: kHistogramBins equal bins over [0, the largest scenario loss], each
  // with its (importance-weighted) probability; the masses sum to 1.
  static constexpr int kHistogramBins = 50;
  double histogram_bin_width = 0;
  std::vector<double> histogram;
};

Result<McModel> BuildMcModel(const McInput& in);

Result<McResult> PortfolioMonteCarlo(const McInput& in);

}  // namespace corridor::risk
