// A province's pensioners in payment valued at once (src/pension/actuarial.hpp): 10 million lives
// in cohorts by age (60 to 105) and monthly pension band (100 bands of 100 yuan from 1,500 yuan),
// paid monthly, on the Standard Ultimate Life Table at 3%. Prints the time of ValueCohorts and
// of one direct Value per cohort beside it (docs/perf/pension.md).
//   pension_bench
#include <fmt/format.h>

#include <chrono>

#include "pension/actuarial.hpp"

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
}
