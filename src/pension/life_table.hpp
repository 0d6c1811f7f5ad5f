#pragma once
// Life tables for the actuarial engine (docs/pension.md): a table is its one-year death
// probabilities q_x from a starting age to the last age, where everyone still alive dies within
// the year (q = 1 there, whatever was given). A table comes as data (q_x by age) or from Makeham's
// law μ_x = A + B·c^x (then q_x = 1 − exp(−A − B·c^x·(c − 1)/ln c)) up to age 130.
//
// Shipped: "sult", the Society of Actuaries' Standard Ultimate Life Table (Makeham A = 0.00022,
// B = 2.7 × 10⁻⁶, c = 1.124, from age 20; Dickson, Hardy & Waters, Actuarial Mathematics for Life
// Contingent Risks, 2nd ed., Appendix D, and the SOA's "Excel Workbook for FAM-L Tables").
//
// Between integer ages deaths are spread uniformly (UDD): ₜp_x = ⌊t⌋p_x · (1 − f·q_{x+⌊t⌋}) for
// the fraction f of t. Pure and thread-safe.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::pension {

class LifeTable {
 public:
  // q_x for x = start_age, start_age + 1, ...; each in [0, 1], at most 150 ages, start 0..120.
  static Result<LifeTable> FromQx(int start_age, std::span<const double> qx);
  // Makeham's law from radix_age to age 130: A ≥ 0, B > 0, c > 1 (and A + B·c^x finite).
  static Result<LifeTable> Makeham(double a, double b, double c, int radix_age);
  // A shipped table by name ("sult"); NotFound for another name.
  static Result<LifeTable> Named(std::string_view name);

  int start_age() const { return start_; }
  int last_age() const { return start_ + static_cast<int>(q_.size()) - 1; }
  // q_x at an integer age of the table (1 past the last age).
  double q(int x) const;
  // ₜp_x for an integer age x of the table and t ≥ 0 (UDD between integer ages).
  double p(int x, double t) const;

 private:
  int start_ = 0;
  std::vector<double> q_;
};

}  // namespace corridor::pension
