#pragma once
// Spatial autocorrelation (docs/evaluation.md). Weights are sparse rows; w_ii must be 0.
//
// Global Moran's I (Cliff & Ord 1981): z = x - x̄, S₀ = ΣΣw, I = (n/S₀)·Σᵢⱼ wᵢⱼzᵢzⱼ / Σzᵢ²,
// E[I] = -1/(n-1); variance under normality (n²S₁ - nS₂ + 3S₀²)/((n²-1)S₀²) - E[I]², under
// randomization with the kurtosis b₂; S₁ = ½ΣΣ(wᵢⱼ + wⱼᵢ)², S₂ = Σ(wᵢ. + w.ᵢ)². p values are
// one-tailed in the direction of z (P(Z ≥ z) for z ≥ 0, else P(Z ≤ z)); two-tailed doubles them.
// Local Moran (Anselin 1995): Iᵢ = (zᵢ/m₂)·Σⱼ wᵢⱼzⱼ with m₂ = Σz²/n (so ΣIᵢ = S₀·I),
// E[Iᵢ] = -wᵢ/(n-1), variance under randomization (Anselin 1995, eq. 13), and optionally a
// conditional-permutation pseudo p value from a seeded generator.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace corridor::evaluate {

struct SpatialWeights {
  std::vector<std::vector<std::pair<int, double>>> rows;  // (j, w_ij)
};

// Binary contiguity from neighbor lists (symmetric or not, as given).
Result<SpatialWeights> WeightsFromNeighbors(const std::vector<std::vector<int>>& neighbors);
Result<SpatialWeights> WeightsFromMatrix(const std::vector<std::vector<double>>& w);
// Each row divided by its sum; rows without neighbors stay empty.
void RowStandardize(SpatialWeights& w);
// A GeoDa/PySAL .gal file: a header whose last field is n, then "id count" and the neighbor ids.
// Ids are mapped to 0-based rows in the order the records appear.
Result<SpatialWeights> ParseGal(std::string_view text);

struct MoranResult {
  double i = 0, expected = 0;
  double variance_normal = 0, variance_randomization = 0;
  double z_normal = 0, z_randomization = 0;
  double p_normal = 0, p_randomization = 0;  // one-tailed
};
Result<MoranResult> MoranI(const std::vector<double>& values, const SpatialWeights& w);

struct LocalMoranResult {
  std::vector<double> i, expected, variance, z, p;  // p one-tailed, normal approximation
  std::vector<double> p_permutation;                // empty unless permutations > 0
  std::vector<std::string_view> quadrant;           // HH, LL, HL, LH (value, spatial lag)
};
Result<LocalMoranResult> LocalMoran(const std::vector<double>& values, const SpatialWeights& w,
                                    int permutations, uint64_t seed);

// One-tailed normal tail in the direction of z.
double OneTailedP(double z);

}  // namespace corridor::evaluate
