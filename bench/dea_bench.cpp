// DEA at scale: N DMUs with 5 inputs and 3 outputs drawn from a seeded Cobb-Douglas technology
// with inefficiency, solved by column generation and, for comparison, by one full LP per DMU
// through the same GLPK simplex.
//
//   dea_bench N THREADS [crs|vrs] [input|output] [full] [noslacks]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "evaluate/dea.hpp"

using corridor::evaluate::Matrix;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: dea_bench N THREADS [crs|vrs] [input|output] [full] [noslacks]\n");
    return 2;
  }
  const int n = std::atoi(argv[1]);
  corridor::evaluate::DeaOptions opt;
  opt.threads = std::atoi(argv[2]);
  opt.returns = corridor::evaluate::Returns::kVariable;
  for (int a = 3; a < argc; ++a) {
    if (!std::strcmp(argv[a], "crs")) opt.returns = corridor::evaluate::Returns::kConstant;
    if (!std::strcmp(argv[a], "output")) opt.orientation = corridor::evaluate::Orientation::kOutput;
    if (!std::strcmp(argv[a], "full")) opt.column_generation = false;
    if (!std::strcmp(argv[a], "noslacks")) opt.slacks = false;
  }
  // Inputs uniform on [10, 100]; each output a Cobb-Douglas of the inputs (elasticities summing
  // to 0.9, decreasing returns) times exp(-u), u ~ |N(0, 0.3)| inefficiency, times noise.
  std::mt19937_64 g(20261123);
  std::uniform_real_distribution<double> in(10, 100);
  std::normal_distribution<double> ineff(0, 0.3), noise(0, 0.1);
  Matrix x(n, std::vector<double>(5)), y(n, std::vector<double>(3));
  for (int j = 0; j < n; ++j) {
    double logsum = 0;
    for (double& v : x[j]) {
      v = in(g);
      logsum += 0.18 * std::log(v);
    }
    const double u = std::abs(ineff(g));
    for (double& v : y[j]) v = std::exp(logsum - u + noise(g));
  }
  auto start = std::chrono::steady_clock::now();
  auto r = corridor::evaluate::Dea(x, y, opt);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r) {
    std::fprintf(stderr, "dea: %s\n", r.error().message.c_str());
    return 1;
  }
  int efficient = 0;
  double sum = 0;
  for (const auto& e : r->efficiency) {
    if (e && *e > 1 - 1e-7) ++efficient;
    if (e) sum += *e;
  }
  std::printf(
      "dmus=%d threads=%d %s %s %s slacks=%d: %.2f s, %.0f DMUs/s, efficient=%d mean=%.6f\n", n,
      opt.threads, opt.returns == corridor::evaluate::Returns::kVariable ? "vrs" : "crs",
      opt.orientation == corridor::evaluate::Orientation::kInput ? "input" : "output",
      opt.column_generation ? "column-generation" : "full-lp", opt.slacks ? 1 : 0, secs, n / secs,
      efficient, sum / n);
  return 0;
}
