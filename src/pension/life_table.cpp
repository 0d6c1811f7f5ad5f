#include "pension/life_table.hpp"

#include <fmt/format.h>

#include <cmath>

namespace corridor::pension {

namespace {
constexpr int kMaxAges = 150;
constexpr int kMakehamLastAge = 130;
}  // namespace

Result<LifeTable> LifeTable::FromQx(int start_age, std::span<const double> qx) {
  if (start_age < 0 || start_age > 120) return Fail(Error::Invalid("/start_age", "0 to 120"));
  if (qx.empty() || qx.size() > kMaxAges) return Fail(Error::Invalid("/qx", "1 to 150 ages"));
  LifeTable t;
  t.start_ = start_age;
  for (size_t k = 0; k < qx.size(); ++k) {
    if (!(qx[k] >= 0 && qx[k] <= 1)) {
      return Fail(Error::Invalid(fmt::format("/qx/{}", k), "must be a probability in [0, 1]"));
    }
    t.q_.push_back(qx[k]);
  }
  t.q_.back() = 1;  // the last age: nobody outlives the table
  return t;
}

Result<LifeTable> LifeTable::Makeham(double a, double b, double c, int radix_age) {
  if (!(a >= 0) || !std::isfinite(a)) return Fail(Error::Invalid("/makeham/a", "must be ≥ 0"));
  if (!(b > 0) || !std::isfinite(b)) return Fail(Error::Invalid("/makeham/b", "must be > 0"));
  if (!(c > 1) || !std::isfinite(c) || c > 10) {
    return Fail(Error::Invalid("/makeham/c", "must be above 1 (and at most 10)"));
  }
  if (radix_age < 0 || radix_age >= kMakehamLastAge) {
    return Fail(Error::Invalid("/radix_age", "0 to 129"));
  }
  std::vector<double> qx;
  const double k = b * (c - 1) / std::log(c);
  for (int x = radix_age; x <= kMakehamLastAge; ++x) {
    qx.push_back(-std::expm1(-a - k * std::pow(c, x)));
  }
  return FromQx(radix_age, qx);
}

Result<LifeTable> LifeTable::Named(std::string_view name) {
  if (name == "sult") return Makeham(0.00022, 2.7e-6, 1.124, 20);
  return Fail(Error::NotFound(fmt::format("life table {} (shipped: sult)", name)));
}

double LifeTable::q(int x) const {
  if (x < start_) return 0;
  if (x > last_age()) return 1;
  return q_[static_cast<size_t>(x - start_)];
}

double LifeTable::p(int x, double t) const {
  double out = 1;
  int age = x;
  while (t >= 1 && out > 0) {
    out *= 1 - q(age);
    ++age;
    t -= 1;
  }
  if (t > 0) out *= 1 - t * q(age);
  return out;
}

}  // namespace corridor::pension
