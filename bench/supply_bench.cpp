// The supply-chain rules at province scale: an order pool of up to a million orders from a
// thousand buyers, the art. 768 ranking of many factors on one receivable, and currency
// conversion. Run: build/release/bench/supply_bench (docs/perf/supply-chain.md).
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "domain/currency.hpp"
#include "domain/trade_finance.hpp"

namespace corridor::domain {
namespace {

std::vector<PoolOrder> MakePool(int64_t n) {
  std::vector<PoolOrder> orders;
  orders.reserve(static_cast<size_t>(n));
  const Date base = *Date::Parse("2026-06-01");
  for (int64_t k = 0; k < n; ++k) {
    // One buyer in five is the core firm (a concentrated pool); one order in ten is not eligible.
    const int64_t buyer = k % 5 == 0 ? 0 : 1 + (k * 7919) % 999;
    const auto status = k % 10 == 3 ? OrderStatus::kFulfilled : OrderStatus::kConfirmed;
    orders.push_back({"PO-" + std::to_string(k), "buyer-" + std::to_string(buyer),
                      10'000 + (k * 104'729) % 5'000'000, status,
                      base.AddDays(static_cast<int32_t>(k % 180))});
  }
  return orders;
}

void BM_OrderPoolLine(benchmark::State& state) {
  const auto orders = MakePool(state.range(0));
  const OrderPoolTerms terms{8'000, 1'500, 9'500, *Date::Parse("2026-06-01")};
  for (auto _ : state) benchmark::DoNotOptimize(ComputeOrderPoolLine(orders, terms));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// The floor under the pool: putting each order's id once into a hash set, which refusing an order
// offered twice needs whatever else the line does.
void BM_OrderPoolFloor_HashIds(benchmark::State& state) {
  const auto orders = MakePool(state.range(0));
  for (auto _ : state) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(orders.size());
    for (const auto& o : orders) seen.insert(o.id);
    benchmark::DoNotOptimize(seen.size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_OrderPoolFloor_HashIds)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_OrderPoolLine)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_RankFactorClaims(benchmark::State& state) {
  std::vector<FactorClaim> claims;
  for (int64_t k = 0; k < state.range(0); ++k) {
    FactorClaim c{"factor-" + std::to_string(k), 1'000 + k, std::nullopt, std::nullopt};
    if (k % 3 == 0) c.registered_at = (k * 7919) % 100'000;
    if (k % 3 == 1) c.notice_reached = (k * 104'729) % 100'000;
    claims.push_back(std::move(c));
  }
  for (auto _ : state) benchmark::DoNotOptimize(RankFactorClaims(500'000'000, claims));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RankFactorClaims)->Arg(10)->Arg(10'000)->Unit(benchmark::kMicrosecond);

void BM_Convert(benchmark::State& state) {
  std::vector<FxRate> rates;
  const Date base = *Date::Parse("2025-01-01");
  for (int32_t d = 0; d < 365; ++d) {
    rates.push_back({base.AddDays(d), "USD", "CNY", *ParseDecimalRate("7.1186", "/r"), "CFETS"});
  }
  const Date on = base.AddDays(364);
  int64_t amount = 1;
  for (auto _ : state) benchmark::DoNotOptimize(Convert(amount++, "CNY", "USD", on, rates));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Convert);

}  // namespace
}  // namespace corridor::domain
