#pragma once
// Life contingencies on a life table (docs/pension.md; notation of Dickson, Hardy & Waters,
// Actuarial Mathematics for Life Contingent Risks): life annuities of 1 a year paid in m
// instalments of 1/m, due (at the start of each 1/m of a year) or immediate (at its end),
// temporary or whole life, deferred; the insurance of 1 on the same basis (paid at the end of the
// 1/m of a year of death, within the same deferral and term); net premiums and reserves; and the
// valuation of many cohorts at once.
//
// Fractional ages: uniform distribution of deaths between integer ages (UDD), so that for whole
// life ä⁽ᵐ⁾ₓ = α(m)·äₓ − β(m) exactly. Identities that hold on any table and rate, and the tests
// check: A⁽ᵐ⁾ = 1 − d⁽ᵐ⁾·ä⁽ᵐ⁾ (whole life), a deferred annuity = ᵤEₓ · ä at x + u, and at 0%
// interest the whole-life insurance is 1. Pure and thread-safe.
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "pension/life_table.hpp"

namespace corridor::pension {

struct AnnuityBasis {
  int age = 65;                            // an integer age of the table
  double interest = 0.05;                  // the annual effective rate i, −0.5 < i ≤ 1
  std::optional<int> term = std::nullopt;  // years of payments after the deferral; none: whole life
  int deferral = 0;                        // years before the first payment period
  int payments_per_year = 1;               // m: 1, 2, 3, 4, 6, 12, 26, 52 or 365
  bool due = true;                         // at the start of each period (ä), or at its end (a)
};

struct AnnuityValue {
  double annuity = 0;         // the expected present value of 1 a year in m instalments
  double insurance = 0;       // of 1 at the end of the 1/m of a year of death, on the same basis
  double pure_endowment = 0;  // ᵤ₊ₙEₓ: 1 paid at the end of deferral and term if alive (0 for
                              // whole life)
};

// Errors name the field (/age, /interest, /term, /deferral, /payments_per_year).
Result<AnnuityValue> Value(const LifeTable& table, const AnnuityBasis& basis);

// The whole-life annuity-due äₓ at every age of the table, by the backward recursion
// äₓ = 1 + v·pₓ·äₓ₊₁ (index 0 is the table's start age).
std::vector<double> AnnuityDueByAge(const LifeTable& table, double interest);

// The annual net premium, paid at the start of each year while alive, of a whole-life insurance
// of 1 at the end of the year of death from age x: Pₓ = Aₓ / äₓ; and its reserve after t years,
// ₜV = Aₓ₊ₜ − Pₓ·äₓ₊ₜ.
Result<double> NetPremium(const LifeTable& table, int age, double interest);
Result<double> Reserve(const LifeTable& table, int age, int years, double interest);

// Pensioners in payment by cohort: `lives` aged `age`, each paid `annual_fen` a year in m
// instalments at the start of each period (the monthly pensions of a province: m = 12).
struct Cohort {
  int age = 0;
  int64_t lives = 0;
  int64_t annual_fen = 0;  // each life's pension a year
};
struct CohortValuation {
  int64_t liability_fen = 0;  // the expected present value of every payment, rounded to the fen
  int64_t lives = 0;
  std::vector<double> annuity_by_cohort;  // ä⁽ᵐ⁾ at each cohort's age
};
// Errors name /cohorts/k/... One pass over the table serves every cohort: the cost is the
// table's length plus the number of cohorts, whatever the number of lives.
Result<CohortValuation> ValueCohorts(const LifeTable& table, double interest, int payments_per_year,
                                     std::span<const Cohort> cohorts);

}  // namespace corridor::pension
