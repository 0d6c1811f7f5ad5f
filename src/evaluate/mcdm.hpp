#pragma once
// Multi-criteria evaluation: entropy weights, TOPSIS and grey relational analysis. Pure
// functions; rows are alternatives (regions, years), columns criteria. Conventions differ across
// papers, so each function states its own (docs/evaluation.md):
//
// Entropy weights: `minmax` z = (x - min)/(max - min) for positive criteria, (max - x)/(max - min)
// for negative ones, plus `shift`; `sum` z = (x + shift)/Σ(x + shift) on the raw data (directions
// unused). p = z/Σz, e = -Σ p ln p / ln n with 0·ln 0 = 0, d = 1 - e, w = d/Σd, and
// composite_i = Σ_j w_j z_ij. A column without variation carries no information: e = 1, w = 0.
// TOPSIS: weights normalized to sum 1; `vector` r = x/√Σx², `minmax` r as the entropy's minmax with
// cost criteria reversed (then every column is a benefit); ideal and anti-ideal per criterion,
// Euclidean distances, score = D⁻/(D⁺ + D⁻); ranking[i] = 1 for the best score.
// Grey relational analysis (Deng): minmax-standardized by direction, reference sequence all ones,
// ξ = (Δmin + ρΔmax)/(Δ + ρΔmax) with Δmin and Δmax over the whole matrix, grade = Σ w ξ (weights
// normalized to sum 1).
#include <vector>

#include "core/result.hpp"

namespace corridor::evaluate {

using Matrix = std::vector<std::vector<double>>;

enum class Direction { kPositive, kNegative };  // benefit / cost
enum class Standardization { kMinMax, kSum };
enum class Normalization { kVector, kMinMax };

struct EntropyResult {
  std::vector<double> weights;
  std::vector<double> entropy;
  std::vector<double> composite;
};
// Min-max standardization by direction (the entropy method's `minmax`); a column without
// variation becomes all zeros.
Matrix MinMaxStandardize(const Matrix& x, const std::vector<Direction>& directions);

Result<EntropyResult> EntropyWeights(const Matrix& x, const std::vector<Direction>& directions,
                                     Standardization standardization, double shift);

struct TopsisResult {
  std::vector<double> scores;
  std::vector<int> ranking;  // 1-based rank of each alternative; ties keep input order
};
Result<TopsisResult> Topsis(const Matrix& x, const std::vector<double>& weights,
                            const std::vector<Direction>& types, Normalization normalization);

Result<std::vector<double>> GreyRelationalGrades(const Matrix& x,
                                                 const std::vector<double>& weights,
                                                 const std::vector<Direction>& directions,
                                                 double rho);

}  // namespace corridor::evaluate
