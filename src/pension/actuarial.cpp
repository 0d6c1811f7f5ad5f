#include "pension/actuarial.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace corridor::pension {

namespace {

constexpr std::array<int, 9> kFrequencies = {1, 2, 3, 4, 6, 12, 26, 52, 365};

Status CheckRate(double interest) {
  if (!std::isfinite(interest) || interest <= -0.5 || interest > 1) {
    return Fail(Error::Invalid("/interest", "must be an annual rate above −0.5 and at most 1"));
  }
  return {};
}

Status CheckFrequency(int m) {
  for (int f : kFrequencies) {
    if (f == m) return {};
  }
  return Fail(Error::Invalid("/payments_per_year", "must be 1, 2, 3, 4, 6, 12, 26, 52 or 365"));
}

// α(m) and β(m) of UDD: ä⁽ᵐ⁾ = α(m)·ä − β(m) for whole life (DHW §5.11).
std::pair<double, double> AlphaBeta(double i, int m) {
  if (m == 1) return {1.0, 0.0};
  if (std::fabs(i) < 1e-12) return {1.0, (m - 1) / (2.0 * m)};
  const double d = i / (1 + i);
  const double im = m * (std::pow(1 + i, 1.0 / m) - 1);
  const double dm = m * (1 - std::pow(1 + i, -1.0 / m));
  return {i * d / (im * dm), (i - im) / (im * dm)};
}

}  // namespace

Result<AnnuityValue> Value(const LifeTable& table, const AnnuityBasis& basis) {
  CORRIDOR_TRY_STATUS(CheckRate(basis.interest));
  CORRIDOR_TRY_STATUS(CheckFrequency(basis.payments_per_year));
  if (basis.age < table.start_age() || basis.age > table.last_age()) {
    return Fail(Error::Invalid("/age", fmt::format("must be an age of the table, {} to {}",
                                                   table.start_age(), table.last_age())));
  }
  if (basis.deferral < 0 || basis.deferral > 150) {
    return Fail(Error::Invalid("/deferral", "0 to 150 years"));
  }
  if (basis.term && (*basis.term < 1 || *basis.term > 150)) {
    return Fail(Error::Invalid("/term", "1 to 150 years"));
  }
  const int m = basis.payments_per_year;
  const double v = 1 / (1 + basis.interest);
  const int horizon = table.last_age() + 1 - basis.age;  // nobody is alive after this
  const int years = basis.term ? std::min(*basis.term, horizon - basis.deferral) : horizon;
  AnnuityValue out;
  if (years <= 0) return out;
  // Walk the 1/m periods of the payment years, the survival kept as we go (UDD within a year).
  const double start_survival = table.p(basis.age, basis.deferral);
  double year_survival = start_survival;  // ₖpₓ at the start of the current year
  for (int year = 0; year < years && year_survival > 0; ++year) {
    const int age = basis.age + basis.deferral + year;
    const double qx = table.q(age);
    for (int j = 0; j < m; ++j) {
      const double f0 = static_cast<double>(j) / m, f1 = static_cast<double>(j + 1) / m;
      const double t0 = basis.deferral + year + f0, t1 = basis.deferral + year + f1;
      const double alive0 = year_survival * (1 - f0 * qx);
      const double alive1 = year_survival * (1 - f1 * qx);
      out.annuity += (basis.due ? std::pow(v, t0) * alive0 : std::pow(v, t1) * alive1) / m;
      out.insurance += std::pow(v, t1) * (alive0 - alive1);
    }
    year_survival *= 1 - qx;
  }
  if (basis.term) {
    out.pure_endowment = std::pow(v, basis.deferral + *basis.term) *
                         table.p(basis.age, basis.deferral + *basis.term);
  }
  return out;
}

std::vector<double> AnnuityDueByAge(const LifeTable& table, double interest) {
  const double v = 1 / (1 + interest);
  const int n = table.last_age() - table.start_age() + 1;
  std::vector<double> out(static_cast<size_t>(n));
  double next = 0;
  for (int k = n - 1; k >= 0; --k) {
    next = 1 + v * (1 - table.q(table.start_age() + k)) * next;
    out[static_cast<size_t>(k)] = next;
  }
  return out;
}

Result<double> NetPremium(const LifeTable& table, int age, double interest) {
  const auto whole = CORRIDOR_TRY(Value(table, {.age = age, .interest = interest}));
  return whole.insurance / whole.annuity;
}

Result<double> Reserve(const LifeTable& table, int age, int years, double interest) {
  if (years < 0 || age + years > table.last_age()) {
    return Fail(Error::Invalid("/years", "must keep the age within the table"));
  }
  const double premium = CORRIDOR_TRY(NetPremium(table, age, interest));
  const auto later = CORRIDOR_TRY(Value(table, {.age = age + years, .interest = interest}));
  return later.insurance - premium * later.annuity;
}

Result<CohortValuation> ValueCohorts(const LifeTable& table, double interest, int payments_per_year,
                                     std::span<const Cohort> cohorts) {
  CORRIDOR_TRY_STATUS(CheckRate(interest));
  CORRIDOR_TRY_STATUS(CheckFrequency(payments_per_year));
  const auto by_age = AnnuityDueByAge(table, interest);
  const auto [alpha, beta] = AlphaBeta(interest, payments_per_year);
  CohortValuation out;
  long double total = 0;
  for (size_t k = 0; k < cohorts.size(); ++k) {
    const auto& c = cohorts[k];
    if (c.age < table.start_age() || c.age > table.last_age()) {
      return Fail(Error::Invalid(fmt::format("/cohorts/{}/age", k), "must be an age of the table"));
    }
    if (c.lives < 0 || c.lives > 2'000'000'000) {
      return Fail(Error::Invalid(fmt::format("/cohorts/{}/lives", k), "0 to 2,000,000,000"));
    }
    if (c.annual_fen < 0 || c.annual_fen > 100'000'000'000) {
      return Fail(Error::Invalid(fmt::format("/cohorts/{}/annual_fen", k),
                                 "0 to 1,000,000,000 yuan a year"));
    }
    const double a = alpha * by_age[static_cast<size_t>(c.age - table.start_age())] - beta;
    out.annuity_by_cohort.push_back(a);
    total += static_cast<long double>(c.lives) * static_cast<long double>(c.annual_fen) * a;
    out.lives += c.lives;
  }
  out.liability_fen = static_cast<int64_t>(std::llround(static_cast<double>(total)));
  return out;
}

}  // namespace corridor::pension
