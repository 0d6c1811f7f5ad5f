#pragma once
// Average run lengths of the CUSUM and EWMA charts by the Markov-chain method of Brook and Evans
// (1972, Biometrika 59:539–548), so that limits are chosen by their false-alarm rate. Readings are
// N(μ₀ + δσ, σ²); everything is in units of σ. Pure computation; thread-safe.
//
// The chart's statistic, up to its limit, is cut into m cells and carried as a Markov chain whose
// transient states are the cells' midpoints; with Q the transitions among the transient states,
// the ARLs from each state are (I − Q)⁻¹·1 (a dense LU solve, O(m³)). The discretization error
// falls as 1/m², so each ARL is solved at m and 2m and extrapolated (Richardson): at the default m
// this matches the integral-equation values of R's `spc` 0.6.7 (Knoth) to about 10⁻⁷ relative.
//
//  - One-sided (upper) CUSUM, C⁺ = max(0, C⁺ + x − k), limit h: m cells of width w = 2h/(2m − 1),
//    cell 0 is [0, w/2] (the sum at zero), cell j is ((j − ½)w, (j + ½)w]; start in cell 0.
//    Two-sided: 1/ARL = 1/ARL⁺(δ) + 1/ARL⁺(−δ) (van Dobben de Bruyn 1968; Lucas & Crosier 1982),
//    the relation behind the published tables (Montgomery Table 9.3: k = ½, h = 5 → 465 in
//    control, 10.4 at δ = 1).
//  - EWMA with asymptotic limits ±L√(λ/(2 − λ)) (Lucas & Saccucci 1990, Technometrics 32:1–12,
//    whose tables these reproduce: λ = 0.1, L = 2.814 → 500): two-sided, m (odd) cells across the
//    limits, start in the middle one. One-sided (an upper chart reflected at the target,
//    z = max(0, (1 − λ)z + λx), as `spc`'s sided = "one" with zr = 0): cells as the CUSUM's.
//    The chart's exact time-varying limits are narrower for the first readings, so its ARL is
//    slightly shorter than this; the difference is a head start's and vanishes as (1 − λ)^{2i}.
#include "core/result.hpp"

namespace corridor::risk::monitor {

struct CusumArlParams {
  double k = 0.5;  // ≥ 0
  double h = 5;    // > 0
  double shift = 0;
  bool two_sided = true;
  int states = 0;  // cells below h, 10 to 2000; 0: the default (200)
};
// Errors name k, h, shift or states.
Result<double> CusumArl(const CusumArlParams& params);

struct EwmaArlParams {
  double lambda = 0.1;  // (0, 1]
  double l = 3;         // > 0
  double shift = 0;
  bool two_sided = true;
  int states = 0;  // 10 to 2000; 0: the default (201 two-sided, 200 one-sided)
};
Result<double> EwmaArl(const EwmaArlParams& params);

}  // namespace corridor::risk::monitor
