// Credit portfolio Monte Carlo throughput, in obligor-draws per second (obligors × scenarios /
// wall time of the simulation pass).
//
//   credit_bench homogeneous OBLIGORS SCENARIOS THREADS
//       one factor, every obligor alike (PD 1%, ρ = 0.2), one line of OBLIGORS
//   credit_bench factors OBLIGORS FACTORS SCENARIOS THREADS
//       inhomogeneous: PDs on a 25-grade master scale (0.03%-20%), EADs log-spread over a
//       factor e^4, 20 sectors with their own loadings on
//       FACTORS correlated factors
//   credit_bench grades OBLIGORS FACTORS SCENARIOS THREADS
//       the same sectors and master scale, but the obligors of each (sector, grade) pair given as
//       one line with a count (500 lines): every obligor still draws its own uniform; this is
//       how 10^7 obligors × 10^5 scenarios stream through in bounded memory
//   add "contributions" to time the Euler contribution pass too, "is" for importance sampling,
//   "cuda" to run pass 1 on the first CUDA device (the time in the device engine is printed
//   apart: that is the fused kernel's throughput, the rest is host work: sort, tail pass)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "gpu/gpu.hpp"
#include "risk/credit/portfolio_mc.hpp"

using corridor::risk::McInput;

namespace {

// Times the calls into another engine.
class Timed final : public corridor::risk::ScenarioEngine {
 public:
  explicit Timed(corridor::risk::ScenarioEngine& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  corridor::Status Load(const corridor::risk::McModel& m) override {
    const auto start = std::chrono::steady_clock::now();
    auto s = inner_.Load(m);
    load_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
  }
  corridor::Status Losses(const corridor::risk::McModel& m, uint64_t seed,
                          std::span<const double> shift, uint32_t stream_base, uint64_t first,
                          int64_t count, double* loss, double* weight) override {
    const auto start = std::chrono::steady_clock::now();
    auto s = inner_.Losses(m, seed, shift, stream_base, first, count, loss, weight);
    losses_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    scenarios_ += count;
    return s;
  }
  double load_ = 0, losses_ = 0;
  int64_t scenarios_ = 0;

 private:
  corridor::risk::ScenarioEngine& inner_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: credit_bench homogeneous N S THREADS | factors|grades N K S THREADS "
                 "[contributions] [is]\n");
    return 2;
  }
  McInput in;
  in.seed = 20261123;
  in.confidence_levels = {0.99, 0.999};
  in.contributions = false;
  int64_t obligors = std::atoll(argv[2]);
  int arg = 3;
  if (!std::strcmp(argv[1], "homogeneous")) {
    in.obligors = {{1.0, 0.01, 0.45, {std::sqrt(0.2)}, "all", "", obligors}};
  } else if (!std::strcmp(argv[1], "grades")) {
    const int k = std::atoi(argv[arg++]);
    for (int s = 0; s < 20; ++s) {
      for (int grade = 0; grade < 25; ++grade) {
        std::vector<double> a(k, 0.0);
        a[s % k] += 0.35;
        a[(s + 1) % k] += 0.25;
        const double pd = 0.0003 * std::pow(0.2 / 0.0003, grade / 24.0);
        const int64_t line = s * 25 + grade;
        const int64_t count = obligors / 500 + (line < obligors % 500 ? 1 : 0);
        in.obligors.push_back({1e5, pd, 0.45, a, "sector" + std::to_string(s), "", count});
      }
    }
    in.factor_correlation.assign(k, std::vector<double>(k, 0.3));
    for (int j = 0; j < k; ++j) in.factor_correlation[j][j] = 1;
  } else {
    const int k = std::atoi(argv[arg++]);
    // Sector s loads 0.35 on factor s mod K and 0.25 on factor (s + 1) mod K.
    for (int64_t i = 0; i < obligors; ++i) {
      const int s = static_cast<int>(i % 20);
      std::vector<double> a(k, 0.0);
      a[s % k] += 0.35;
      a[(s + 1) % k] += 0.25;
      // A 25-grade master scale from 0.03% to 20%, as IRB banks rate obligors.
      const int grade = static_cast<int>((i * 7919) % 25);
      const double pd = 0.0003 * std::pow(0.2 / 0.0003, grade / 24.0);
      const double ead = 1e4 * std::exp(static_cast<double>((i * 104729) % 1000) / 250);
      in.obligors.push_back({ead, pd, 0.45, a, "sector" + std::to_string(s), "", 1});
    }
    in.factor_correlation.assign(k, std::vector<double>(k, 0.3));
    for (int j = 0; j < k; ++j) in.factor_correlation[j][j] = 1;
  }
  in.scenarios = std::atoll(argv[arg++]);
  in.threads = std::atoi(argv[arg++]);
  bool cuda = false;
  for (; arg < argc; ++arg) {
    if (!std::strcmp(argv[arg], "contributions")) in.contributions = true;
    if (!std::strcmp(argv[arg], "is")) in.importance_sampling = true;
    if (!std::strcmp(argv[arg], "cuda")) cuda = true;
  }
  std::unique_ptr<corridor::risk::ScenarioEngine> device;
  std::optional<Timed> timed;
  if (cuda) {
    auto e = corridor::gpu::MakeMcEngine();
    if (!e) {
      std::fprintf(stderr, "cuda: %s\n", e.error().message.c_str());
      return 1;
    }
    device = std::move(*e);
    timed.emplace(*device);
    in.engine = &*timed;
    const auto d = corridor::gpu::Device();
    std::printf("device: %s (sm_%d%d, %d SMs, %.0f GiB)\n", d->name.c_str(), d->compute_major,
                d->compute_minor, d->multiprocessors,
                static_cast<double>(d->memory_bytes) / (1 << 30));
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = corridor::risk::PortfolioMonteCarlo(in);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  const double draws = static_cast<double>(obligors) * static_cast<double>(in.scenarios);
  std::printf(
      "%s obligors=%lld scenarios=%lld threads=%d: %.2f s, %.3g obligor-draws/s; EL %.6g "
      "(analytic %.6g), VaR99.9 %.6g, ES99.9 %.6g%s\n",
      argv[1], static_cast<long long>(obligors), static_cast<long long>(in.scenarios), in.threads,
      secs, draws / secs, r->expected_loss, r->analytic_expected_loss, r->var[1], r->es[1],
      in.contributions ? " (with contributions)" : "");
  if (r->variance_reduction) std::printf("variance reduction %.1f\n", *r->variance_reduction);
  if (timed) {
    // Pass 1 and the importance-sampling pilot; the tail re-draw runs on the CPU.
    std::printf(
        "device engine: load %.3f s, %lld scenarios' losses %.3f s, %.3g obligor-draws/s\n",
        timed->load_, static_cast<long long>(timed->scenarios_), timed->losses_,
        static_cast<double>(obligors) * static_cast<double>(timed->scenarios_) / timed->losses_);
  }
  return 0;
}
