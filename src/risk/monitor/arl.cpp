#include "risk/monitor/arl.hpp"

#include <cmath>
#include <vector>

namespace corridor::risk::monitor {
namespace {

constexpr int kMaxStates = 2'000;

double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The expected number of steps to absorption from `start`, for the transient transitions Q
// (m × m, row-major): solves (I − Q)·a = 1 by Gaussian elimination with partial pivoting.
double ExpectedSteps(std::vector<double> q, int m, int start) {
  const auto n = static_cast<size_t>(m);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) q[i * n + j] = (i == j ? 1.0 : 0.0) - q[i * n + j];
  }
  std::vector<double> b(n, 1.0);
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::abs(q[r * n + col]) > std::abs(q[pivot * n + col])) pivot = r;
    }
    if (pivot != col) {
      for (size_t j = 0; j < n; ++j) std::swap(q[col * n + j], q[pivot * n + j]);
      std::swap(b[col], b[pivot]);
    }
    const double d = q[col * n + col];
    for (size_t r = col + 1; r < n; ++r) {
      const double f = q[r * n + col] / d;
      if (f == 0) continue;
      double* row = &q[r * n];
      const double* top = &q[col * n];
      for (size_t j = col; j < n; ++j) row[j] -= f * top[j];
      b[r] -= f * b[col];
    }
  }
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t j = i + 1; j < n; ++j) s -= q[i * n + j] * b[j];
    b[i] = s / q[i * n + i];
  }
  return b[static_cast<size_t>(start)];
}

// Upper chart reflected at 0 (the CUSUM, and the one-sided EWMA): the statistic moves to
// max(0, a·s + b·x − c) with x ~ N(δ, 1); m cells below `limit`, cell 0 holding the zero.
double ReflectedArl(int m, double limit, double a, double b, double c, double shift) {
  const double w = 2 * limit / (2 * m - 1);
  const auto n = static_cast<size_t>(m);
  std::vector<double> q(n * n);
  for (size_t i = 0; i < n; ++i) {
    const double from = a * static_cast<double>(i) * w - c;
    // The next statistic is at most `edge` when x ≤ (edge − from)/b.
    double below = Phi((0.5 * w - from) / b - shift);
    q[i * n] = below;
    for (size_t j = 1; j < n; ++j) {
      const double upper = Phi(((static_cast<double>(j) + 0.5) * w - from) / b - shift);
      q[i * n + j] = upper - below;
      below = upper;
    }
  }
  return ExpectedSteps(std::move(q), m, 0);
}

// Two-sided EWMA in standardized units: z' = (1 − λ)z + λx inside (−c, c), m cells (m odd).
double TwoSidedEwmaArl(int m, double lambda, double c, double shift) {
  const double w = 2 * c / m;
  const auto n = static_cast<size_t>(m);
  std::vector<double> q(n * n);
  for (size_t i = 0; i < n; ++i) {
    const double from = (1 - lambda) * (-c + (static_cast<double>(i) + 0.5) * w);
    double below = Phi((-c - from) / lambda - shift);
    for (size_t j = 0; j < n; ++j) {
      const double upper = Phi((-c + (static_cast<double>(j) + 1) * w - from) / lambda - shift);
      q[i * n + j] = upper - below;
      below = upper;
    }
  }
  return ExpectedSteps(std::move(q), m, m / 2);
}

// Richardson's extrapolation of two solutions whose error falls as 1/n² (n: cells per limit).
double Extrapolate(double n1, double arl1, double n2, double arl2) {
  return (n2 * n2 * arl2 - n1 * n1 * arl1) / (n2 * n2 - n1 * n1);
}

Status CheckStates(int states) {
  if (states != 0 && (states < 10 || states > kMaxStates)) {
    return Fail(Error::Invalid("/states", "must be from 10 to 2000 (0: the default)"));
  }
  return {};
}

Status CheckShift(double shift) {
  if (!std::isfinite(shift) || std::abs(shift) > 100) {
    return Fail(Error::Invalid("/shift", "must be a number of σ from -100 to 100"));
  }
  return {};
}

}  // namespace

Result<double> CusumArl(const CusumArlParams& p) {
  if (!std::isfinite(p.k) || p.k < 0 || p.k > 100) {
    return Fail(Error::Invalid("/k", "must be from 0 to 100"));
  }
  if (!std::isfinite(p.h) || p.h <= 0 || p.h > 1000) {
    return Fail(Error::Invalid("/h", "must be greater than 0 and at most 1000"));
  }
  CORRIDOR_TRY_STATUS(CheckShift(p.shift));
  CORRIDOR_TRY_STATUS(CheckStates(p.states));
  const int m = p.states == 0 ? 200 : p.states;
  const auto one_sided = [&](double shift) {
    const double coarse = ReflectedArl(m, p.h, 1, 1, p.k, shift);
    const double fine = ReflectedArl(2 * m, p.h, 1, 1, p.k, shift);
    return Extrapolate(m - 0.5, coarse, 2 * m - 0.5, fine);
  };
  const double upper = one_sided(p.shift);
  if (!p.two_sided) return upper;
  const double lower = one_sided(-p.shift);
  return 1 / (1 / upper + 1 / lower);
}

Result<double> EwmaArl(const EwmaArlParams& p) {
  if (!std::isfinite(p.lambda) || p.lambda <= 0 || p.lambda > 1) {
    return Fail(Error::Invalid("/lambda", "must be in (0, 1]"));
  }
  if (!std::isfinite(p.l) || p.l <= 0 || p.l > 100) {
    return Fail(Error::Invalid("/l", "must be greater than 0 and at most 100"));
  }
  CORRIDOR_TRY_STATUS(CheckShift(p.shift));
  CORRIDOR_TRY_STATUS(CheckStates(p.states));
  const double c = p.l * std::sqrt(p.lambda / (2 - p.lambda));
  if (p.two_sided) {
    int m = p.states == 0 ? 201 : p.states;
    if (m % 2 == 0) ++m;  // the start, z = 0, is the middle cell's midpoint
    const int fine = 2 * m + 1;
    return Extrapolate(m, TwoSidedEwmaArl(m, p.lambda, c, p.shift), fine,
                       TwoSidedEwmaArl(fine, p.lambda, c, p.shift));
  }
  const int m = p.states == 0 ? 200 : p.states;
  const double coarse = ReflectedArl(m, c, 1 - p.lambda, p.lambda, 0, p.shift);
  const double fine = ReflectedArl(2 * m, c, 1 - p.lambda, p.lambda, 0, p.shift);
  return Extrapolate(m - 0.5, coarse, 2 * m - 0.5, fine);
}

}  // namespace corridor::risk::monitor
