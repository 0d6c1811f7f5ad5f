#pragma once
// Coupling coordination of n subsystems with levels U ∈ [0, 1] (docs/evaluation.md).
//
// Traditional: C = n·[ΠUᵢ / (ΣUᵢ)ⁿ]^(1/n), T = Σαᵢ Uᵢ, D = √(C·T).
// Wang Shujia et al. (2021, 自然资源学报 36(3): 793-810), corrected coupling degree:
//   C = √{[1 - Σ_{i<j}|Uᵢ - Uⱼ| / Σ_{m=1}^{n-1} m] · [Π(Uᵢ / max U)]^(1/(n-1))},
// i.e. one minus the mean pairwise gap, times the geometric closeness to the leading subsystem;
// for two systems √((1 - |U₁ - U₂|)·U_min/U_max). T and D as above.
// Grades by D in steps of 0.1, (a, b] intervals, D = 0 in the first: 极度失调 … 优质协调.
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::evaluate {

enum class CouplingVariant { kTraditional, kWang2021 };

struct CoordinationGrade {
  std::string_view zh;
  std::string_view en;
};

struct Coupling {
  double c = 0, t = 0, d = 0;
  CoordinationGrade grade;
};

// `alpha` empty means equal weights; otherwise one non-negative weight per subsystem summing
// to 1.
Result<Coupling> CouplingCoordination(const std::vector<double>& u,
                                      const std::vector<double>& alpha, CouplingVariant variant);

CoordinationGrade GradeOf(double d);

}  // namespace corridor::evaluate
