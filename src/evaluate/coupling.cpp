#include "evaluate/coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace corridor::evaluate {

CoordinationGrade GradeOf(double d) {
  static constexpr CoordinationGrade kGrades[] = {
      {"极度失调", "extreme disorder"},     {"严重失调", "serious disorder"},
      {"中度失调", "moderate disorder"},    {"轻度失调", "mild disorder"},
      {"濒临失调", "verge of disorder"},    {"勉强协调", "barely coordinated"},
      {"初级协调", "primary coordination"}, {"中级协调", "intermediate coordination"},
      {"良好协调", "good coordination"},    {"优质协调", "high-quality coordination"}};
  // (0.1k, 0.1(k+1)] is grade k; a 1e-9 allowance so that 0.3 (3.0000000000000004 tenths) lands in
  // (0.2, 0.3].
  int k = static_cast<int>(std::ceil(d * 10 - 1e-9)) - 1;
  return kGrades[std::clamp(k, 0, 9)];
}

Result<Coupling> CouplingCoordination(const std::vector<double>& u,
                                      const std::vector<double>& alpha, CouplingVariant variant) {
  const size_t n = u.size();
  if (n < 2) return Fail(Error::Invalid("/u", "needs at least two subsystems"));
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(u[i]) || u[i] < 0 || u[i] > 1) {
      return Fail(Error::Invalid(fmt::format("/u/{}", i), "must be in [0, 1]"));
    }
  }
  std::vector<double> a = alpha;
  if (a.empty()) a.assign(n, 1.0 / static_cast<double>(n));
  if (a.size() != n) {
    return Fail(Error::Invalid("/alpha", fmt::format("needs one weight per subsystem ({})", n)));
  }
  double sum_a = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i]) || a[i] < 0) {
      return Fail(Error::Invalid(fmt::format("/alpha/{}", i), "must be a non-negative number"));
    }
    sum_a += a[i];
  }
  if (std::abs(sum_a - 1) > 1e-9) return Fail(Error::Invalid("/alpha", "must sum to 1"));

  Coupling out;
  const double max_u = *std::max_element(u.begin(), u.end());
  if (max_u > 0) {
    const double dn = static_cast<double>(n);
    if (variant == CouplingVariant::kTraditional) {
      double sum = 0, log_prod = 0;
      bool zero = false;
      for (double v : u) {
        sum += v;
        if (v == 0)
          zero = true;
        else
          log_prod += std::log(v);
      }
      // n·[ΠU/(ΣU)ⁿ]^(1/n) = n·exp((Σ ln U)/n) / ΣU, in logs to stay finite for many systems.
      out.c = zero ? 0.0 : dn * std::exp(log_prod / dn) / sum;
    } else {
      double gaps = 0, log_ratio = 0;
      bool zero = false;
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j) gaps += std::abs(u[i] - u[j]);
        if (u[i] == 0)
          zero = true;
        else
          log_ratio += std::log(u[i] / max_u);
      }
      const double pairs = dn * (dn - 1) / 2;  // Σ_{m=1}^{n-1} m
      const double closeness = zero ? 0.0 : std::exp(log_ratio / (dn - 1));
      out.c = std::sqrt(std::max(0.0, 1 - gaps / pairs) * closeness);
    }
    out.c = std::min(out.c, 1.0);
  }
  for (size_t i = 0; i < n; ++i) out.t += a[i] * u[i];
  out.d = std::sqrt(out.c * out.t);
  out.grade = GradeOf(out.d);
  return out;
}

}  // namespace corridor::evaluate
