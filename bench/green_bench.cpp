// Financed emissions (PCAF) and green labels over a book of loans (seeded): the time of each and
// of both, with the label decisions split over threads (each loan's decision is independent).
//
//   green_bench [LOANS] [THREADS]     default 1,000,000 loans, 2 threads
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "green/green.hpp"
#include "green/label.hpp"

using namespace corridor::green;

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  std::mt19937_64 g(20261123);
  std::uniform_real_distribution<double> u(0, 1);
  static const char* kCategories[] = {"clean_energy", "energy_saving", "environmental_protection",
                                      "resource_recycling", "ecological_restoration"};
  static const char* kActivities[] = {"solar_pv", "efficiency_retrofit", "wastewater", "recycling",
                                      "grassland_restoration"};
  std::vector<PcafLoan> loans(n);
  std::vector<Project> projects(n);
  for (size_t i = 0; i < n; ++i) {
    PcafLoan& l = loans[i];
    l.outstanding = 1e5 + 1e7 * u(g);
    if (i % 5 == 0) {
      l.evic = l.outstanding * (2 + 20 * u(g));
    } else {
      l.total_equity_plus_debt = l.outstanding * (1.5 + 10 * u(g));
    }
    l.scope1 = 5'000 * u(g);
    l.scope2 = 1'000 * u(g);
    l.scope3 = 20'000 * u(g);
    l.removals = i % 7 == 0 ? 500 * u(g) : 0;
    l.data_quality_score = 1 + static_cast<double>(g() % 5);
    const size_t c = g() % 5;
    Project& p = projects[i];
    p.category = kCategories[c];
    p.industry = c == 4 && i % 50 == 0 ? "coal_mining" : "manufacturing";
    p.activity = kActivities[c];
    if (c == 0) {
      p.intensity_gco2e_per_kwh = 150 * u(g);
    } else {
      p.emission_reduction_pct = 60 * u(g);
    }
    if (i % 3) p.evidence = {"metered_data"};
    p.proceeds_purpose = kActivities[c];
  }
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto fe = FinancedEmissions(loans);
  const auto t1 = Clock::now();
  std::vector<Label> labels(n);
  std::vector<size_t> flagged(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const size_t lo = n * t / threads, hi = n * (t + 1) / threads;
      for (size_t i = lo; i < hi; ++i) {
        const auto d = DecideLabel(projects[i]);
        labels[i] = d->label;
        flagged[t] += !d->greenwashing_flags.empty();
      }
    });
  }
  for (auto& th : pool) th.join();
  const auto t2 = Clock::now();
  if (!fe) return 1;
  size_t counts[5] = {}, flags = 0;
  for (Label l : labels) ++counts[static_cast<int>(l)];
  for (size_t f : flagged) flags += f;
  const auto s = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf(
      "%zu loans: financed emissions %.3f s (1 thread; scope 1 %.0f t, weighted data quality "
      "%.3f), labels %.3f s (%d threads; dark %zu, medium %zu, light %zu, transition %zu, not "
      "green %zu, flagged %zu), both %.3f s\n",
      n, s(t0, t1), fe->scope1, fe->weighted_data_quality, s(t1, t2), threads, counts[4], counts[3],
      counts[2], counts[1], counts[0], flags, s(t0, t2));
  return 0;
}
