// Contagion at scale on random sparse networks (seeded): every single-node DebtRank scenario,
// and Eisenberg–Noe clearing.
//
//   contagion_bench debtrank NODES EDGES_PER_NODE THREADS [original|linear|threshold]
//                   [CAPITAL_SHARE [PREFIX]]
//   contagion_bench clearing NODES EDGES_PER_NODE
//
// With PREFIX, the network and the results are written for a peer to run the same scenarios
// (bench/peers/networkriskmeasures.R): PREFIX.edges.csv (creditor, debtor, amount; nodes from 1),
// PREFIX.capital.csv and PREFIX.corridor.csv (each node's DebtRank).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "risk/contagion/clearing.hpp"
#include "risk/contagion/debtrank.hpp"

using namespace corridor::risk;

SparseMatrix Network(int n, int k, std::mt19937_64& g, double lo, double hi) {
  SparseMatrix m{n, std::vector<std::vector<std::pair<int, double>>>(n)};
  std::uniform_real_distribution<double> u(lo, hi);
  for (int i = 0; i < n; ++i) {
    for (int e = 0; e < k; ++e) {
      int j = static_cast<int>(g() % static_cast<uint64_t>(n));
      if (j == i) j = (j + 1) % n;
      m.rows[i].emplace_back(j, u(g));
    }
    std::sort(m.rows[i].begin(), m.rows[i].end());
    m.rows[i].erase(std::unique(m.rows[i].begin(), m.rows[i].end(),
                                [](auto a, auto b) { return a.first == b.first; }),
                    m.rows[i].end());
  }
  return m;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: contagion_bench debtrank N K THREADS [variant] | clearing N K\n");
    return 2;
  }
  const int n = std::atoi(argv[2]), k = std::atoi(argv[3]);
  std::mt19937_64 g(20261123);
  if (!std::strcmp(argv[1], "debtrank")) {
    const int threads = std::atoi(argv[4]);
    const char* name = argc > 5 ? argv[5] : "linear";
    const auto variant = !std::strcmp(name, "original")    ? DebtRankVariant::kOriginal
                         : !std::strcmp(name, "threshold") ? DebtRankVariant::kThreshold
                                                           : DebtRankVariant::kLinear;
    const auto a = Network(n, k, g, 1, 10);
    // Capital as a share of each node's interbank claims (default 0.5; 0.2 makes almost every
    // default a system-wide cascade, the worst case for the propagation).
    const double share = argc > 6 ? std::atof(argv[6]) : 0.5;
    std::vector<double> capital(n, 1.0);
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (auto [j, v] : a.rows[i]) s += v;
      capital[i] = std::max(1.0, share * s);
    }
    auto d = DebtRank::Make(a, capital, {});
    if (!d) return 1;
    const auto t0 = std::chrono::steady_clock::now();
    const auto all = d->AllSingleDefaults(variant, threads);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (argc > 7) {
      const std::string prefix = argv[7];
      std::ofstream edges(prefix + ".edges.csv"), cap(prefix + ".capital.csv"),
          ours(prefix + ".corridor.csv");
      edges.precision(17);
      cap.precision(17);
      ours.precision(17);
      edges << "creditor,debtor,amount\n";
      cap << "capital\n";
      ours << "debtrank\n";
      for (int i = 0; i < n; ++i) {
        for (auto [j, v] : a.rows[i]) edges << i + 1 << ',' << j + 1 << ',' << v << '\n';
        cap << capital[i] << '\n';
        ours << all[i].debtrank << '\n';
      }
    }
    double top = 0;
    long defaults = 0, rounds = 0;
    for (const auto& r : all) {
      top = std::max(top, r.debtrank);
      defaults += r.additional_defaults;
      rounds += r.rounds;
    }
    std::printf(
        "debtrank %s n=%d k=%d threads=%d: all %d single-node scenarios in %.3f s; max "
        "DebtRank %.4f, mean additional defaults %.2f, mean rounds %.1f\n",
        name, n, k, threads, n, s, top, static_cast<double>(defaults) / n,
        static_cast<double>(rounds) / n);
  } else {
    const auto l = Network(n, k, g, 1, 10);
    std::vector<double> external(n);
    std::uniform_real_distribution<double> u(0, 40);
    for (double& e : external) e = u(g);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = EisenbergNoe(l, external, 1, 1);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r) return 1;
    long defaulted = 0;
    for (bool d : r->defaulted) defaulted += d;
    std::printf("eisenberg-noe n=%d k=%d: %.3f s, %d rounds, %ld defaulted\n", n, k, s, r->rounds,
                defaulted);
  }
  return 0;
}
