// In-process cost of the API's hot reads against a Chifeng demo database, without the network:
// what one request costs the server's CPU. Usage: api_bench DB TOKEN LOAN_ID [benchmark flags].
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "api/api.hpp"
#include "app/app.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

struct Env {
  std::unique_ptr<corridor::store::SqliteStore> store;
  corridor::SystemClock clock;
  std::unique_ptr<corridor::app::App> app;
  std::unique_ptr<corridor::api::Api> api;
  std::string token;
  std::string loan;
};
Env* env = nullptr;

void Run(benchmark::State& state, const std::string& target) {
  corridor::api::HttpRequest req{"GET", target, {{"authorization", "Bearer " + env->token}}, ""};
  for (auto _ : state) {
    auto r = env->api->Handle(req);
    if (r.status != 200) state.SkipWithError(r.body.c_str());
    benchmark::DoNotOptimize(r);
  }
}

void BM_Api_Stats(benchmark::State& state) { Run(state, "/api/v1/stats"); }
void BM_Api_Products(benchmark::State& state) { Run(state, "/api/v1/products"); }
void BM_Api_LoanWithSchedule(benchmark::State& state) { Run(state, "/api/v1/loans/" + env->loan); }
BENCHMARK(BM_Api_Stats);
BENCHMARK(BM_Api_Products);
BENCHMARK(BM_Api_LoanWithSchedule);

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: api_bench DB TOKEN LOAN_ID [benchmark flags]\n";
    return 2;
  }
  Env e;
  auto store = corridor::store::SqliteStore::Open({.path = argv[1]});
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  e.store = std::move(*store);
  e.app = std::make_unique<corridor::app::App>(*e.store, e.clock);
  e.api = std::make_unique<corridor::api::Api>(*e.app);
  e.token = argv[2];
  e.loan = argv[3];
  env = &e;
  int bench_argc = argc - 3;
  argv[3] = argv[0];
  benchmark::Initialize(&bench_argc, argv + 3);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
