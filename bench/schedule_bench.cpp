// Schedule generation: the exact (big-integer) annuity payment and a whole schedule.
#include <benchmark/benchmark.h>

#include "domain/schedule.hpp"

namespace corridor::domain {
namespace {

void BM_Schedule_EqualInstallment(benchmark::State& state) {
  const LoanTerms terms{.principal = Money::FromFen(100'000'000),
                        .annual_rate_bps = 490,
                        .term_months = static_cast<int32_t>(state.range(0)),
                        .method = RepaymentMethod::kEqualInstallment,
                        .start_date = *Date::Parse("2025-01-31")};
  for (auto _ : state) benchmark::DoNotOptimize(BuildSchedule(terms));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Schedule_EqualInstallment)->Arg(12)->Arg(36)->Arg(360);

void BM_Schedule_EqualPrincipal(benchmark::State& state) {
  const LoanTerms terms{.principal = Money::FromFen(100'000'000),
                        .annual_rate_bps = 490,
                        .term_months = static_cast<int32_t>(state.range(0)),
                        .method = RepaymentMethod::kEqualPrincipal,
                        .start_date = *Date::Parse("2025-01-31")};
  for (auto _ : state) benchmark::DoNotOptimize(BuildSchedule(terms));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Schedule_EqualPrincipal)->Arg(12)->Arg(360);

}  // namespace
}  // namespace corridor::domain
