// A province's pensioners in payment valued at once (src/pension/actuarial.hpp): 10 million lives
// in cohorts by age (60 to 105) and monthly pension band (100 bands of 100 yuan from 1,500 yuan),
// paid monthly, on the Standard Ultimate Life Table at 3%. Prints the time of ValueCohorts and
// of one direct Value per cohort beside it; then a migratory-bird trust of 100,000 members in
// 310 groups projected 50 years over 10,000 seeded scenarios (docs/perf/pension.md).
//   pension_bench
#include <fmt/format.h>

#include <chrono>

#include "pension/actuarial.hpp"
#include "pension/trust.hpp"

namespace {
using SteadyClock = std::chrono::steady_clock;
double Seconds(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}
}  // namespace

int main() {
  namespace pension = corridor::pension;
  const auto table = pension::LifeTable::Named("sult");
  if (!table) return 1;
  std::vector<pension::Cohort> cohorts;
  int64_t lives = 0;
  for (int age = 60; age <= 105; ++age) {
    for (int band = 0; band < 100; ++band) {
      // Fewer lives at older ages; 10 million in all.
      const int64_t n = 4'400 - 95 * (age - 60);
      cohorts.push_back({.age = age, .lives = n, .annual_fen = 12 * (150'000 + 10'000 * band)});
      lives += n;
    }
  }
  auto t = SteadyClock::now();
  const auto v = pension::ValueCohorts(*table, 0.03, 12, cohorts);
  const double fast = Seconds(t);
  if (!v) return 1;
  t = SteadyClock::now();
  long double direct = 0;
  for (const auto& c : cohorts) {
    const auto a =
        pension::Value(*table, {.age = c.age, .interest = 0.03, .payments_per_year = 12});
    direct +=
        static_cast<long double>(c.lives) * static_cast<long double>(c.annual_fen) * a->annuity;
  }
  const double slow = Seconds(t);
  fmt::print("{} lives in {} cohorts: liability {:.2f} billion yuan\n", lives, cohorts.size(),
             static_cast<double>(v->liability_fen) / 1e11);
  fmt::print("ValueCohorts: {:.6f} s; a direct Value per cohort: {:.3f} s (agree to {:.2e})\n",
             fast, slow,
             std::abs(static_cast<double>(direct) - static_cast<double>(v->liability_fen)) /
                 static_cast<double>(direct));

  // The trust: ages 45 to 75, ten pension levels, 100,000 members.
  std::vector<pension::TrustMember> members;
  int64_t in_trust = 0;
  for (int age = 45; age <= 75; ++age) {
    for (int level = 0; level < 10; ++level) {
      const int64_t n = age == 75 && level == 9 ? 100'000 - in_trust : 322;
      members.push_back({.age = age,
                         .lives = n,
                         .retirement_age = 60,
                         .contribution_fen = 1'200'000 + 120'000 * level,
                         .benefit_fen = 2'400'000 + 240'000 * level,
                         .grassland_service_fen = 600'000,
                         .beijing_service_fen = 900'000});
      in_trust += n;
    }
  }
  const auto base = pension::ProjectTrust(*table, members, {.years = 1, .interest = 0.04});
  if (!base) return 1;
  t = SteadyClock::now();
  const auto p = pension::ProjectTrust(
      *table, members,
      {.years = 50,
       .assets_fen = base->liability_fen,
       .scenarios =
           pension::TrustScenarios{.mean_return = 0.04, .volatility = 0.1, .count = 10'000},
       .seed = 1});
  const double projected = Seconds(t);
  if (!p) return 1;
  fmt::print(
      "trust: {} members in {} groups, 50 years x 10,000 scenarios: {:.2f} s; shortfall "
      "probability {:.4f}, median assets at 50 years {:.2f} billion yuan\n",
      in_trust, members.size(), projected, *p->shortfall_probability,
      static_cast<double>(p->years.back().assets_median_fen) / 1e11);
}
