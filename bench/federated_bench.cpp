// Vertical logistic regression on the German credit data (risk/federated/vertical_lr.hpp): the
// 48 columns dealt round-robin to PARTIES parties (party 0, the guest, holds the labels), keys of
// BITS bits; prints the time, iterations, bytes and messages, per iteration too, beside the
// centralized fit (FitLogistic) of the same design and the Paillier operations' unit costs.
// A second run at twice the rows (the data stacked) shows how the cost grows with cases.
//   federated_bench [BITS] [PARTIES]   (docs/perf/federated.md)
//   federated_bench horizontal          the horizontal pooling alone
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string_view>

#include "risk/federated/horizontal_lr.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/vertical_lr.hpp"
#include "risk/scoring/german_credit.hpp"
#include "risk/scoring/logistic.hpp"

namespace {

using namespace corridor;
using namespace corridor::risk;
using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

void Run(const scoring::GermanCredit& g, size_t copies, size_t bits, size_t parties) {
  std::vector<std::vector<std::vector<double>>> cols(parties);
  std::vector<int> labels;
  for (size_t c = 0; c < copies; ++c) {
    for (size_t i = 0; i < g.rows.size(); ++i) {
      for (size_t k = 0; k < parties; ++k) cols[k].emplace_back();
      for (size_t j = 0; j < g.rows[i].size(); ++j)
        cols[j % parties].back().push_back(g.rows[i][j]);
      labels.push_back(g.bad[i]);
    }
  }
  auto t = SteadyClock::now();
  const auto fit = federated::FitVerticalLr(cols, labels, 0, {.key_bits = bits});
  const double s = Seconds(t);
  if (!fit) {
    fmt::print("vertical-lr failed: {}\n", Describe(fit.error()));
    std::exit(1);
  }
  std::vector<std::vector<double>> pooled;
  for (size_t c = 0; c < copies; ++c) pooled.insert(pooled.end(), g.rows.begin(), g.rows.end());
  t = SteadyClock::now();
  const auto central = scoring::FitLogistic(pooled, labels);
  const double cs = Seconds(t);
  fmt::print(
      "{} cases × {} columns, {} parties, {}-bit keys: {:.2f} s, {} iterations ({:.3f} s each), "
      "{:.1f} MB exchanged ({:.1f} kB an iteration), {} messages; log-likelihood {:.9f}, "
      "centralized {:.9f} in {:.4f} s ({} Newton steps)\n",
      labels.size(), g.names.size(), parties, bits, s, fit->iterations,
      s / std::max(1, fit->iterations), static_cast<double>(fit->bytes_exchanged) / 1e6,
      static_cast<double>(fit->bytes_exchanged) / 1e3 / std::max(1, fit->iterations), fit->messages,
      fit->log_likelihood, central->log_likelihood, cs, central->iterations);
}

// Horizontal pooling: the borrowers dealt to three banks, secure aggregation every step (the
// coordinator and each bank on its own thread, every message encoded as on the wire).
int Horizontal(const scoring::GermanCredit& g) {
  std::vector<federated::BankData> banks(3);
  for (size_t i = 0; i < g.rows.size(); ++i) {
    banks[i % 3].features.push_back(g.rows[i]);
    banks[i % 3].labels.push_back(g.bad[i]);
  }
  const auto t = SteadyClock::now();
  const auto h = federated::FitHorizontalLr(banks);
  if (!h) {
    fmt::print("horizontal-lr failed: {}\n", Describe(h.error()));
    return 1;
  }
  fmt::print(
      "horizontal, 3 banks × ~333 borrowers × 48 columns: {:.3f} s, {} rounds, {:.1f} kB a "
      "round; log-likelihood {:.9f}\n",
      Seconds(t), h->iterations,
      static_cast<double>(h->bytes_exchanged) / 1e3 / std::max(1, h->iterations),
      h->log_likelihood);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool horizontal_only = argc > 1 && std::string_view(argv[1]) == "horizontal";
  const size_t bits = argc > 1 && !horizontal_only ? std::strtoul(argv[1], nullptr, 10) : 2048;
  const size_t parties = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 3;
  const auto g = scoring::LoadGermanCredit();
  if (!g) {
    fmt::print("{}\n", Describe(g.error()));
    return 1;
  }
  if (horizontal_only) return Horizontal(*g);
  // Unit costs of the key holder's and a host's operations.
  auto random = federated::Randomness::FromSeed(1, "bench");
  auto t = SteadyClock::now();
  const auto key = federated::PaillierPrivateKey::Generate(bits, random);
  fmt::print("key generation ({} bits): {:.3f} s\n", bits, Seconds(t));
  const auto& pk = key.public_key();
  constexpr int kOps = 200;
  std::vector<federated::Big> c(kOps);
  t = SteadyClock::now();
  for (auto& v : c) v = pk.Encrypt(12345, random);
  fmt::print("encrypt (public key): {:.3f} ms\n", Seconds(t) * 1e3 / kOps);
  t = SteadyClock::now();
  for (auto& v : c) v = key.Encrypt(12345, random);
  fmt::print("encrypt (key holder, CRT): {:.3f} ms\n", Seconds(t) * 1e3 / kOps);
  t = SteadyClock::now();
  const federated::FastEncryptor fast(key, random);
  fmt::print("fast encryption tables (DJN, 8-bit windows): {:.3f} s\n", Seconds(t));
  std::vector<federated::Big> alpha(kOps);
  for (auto& a : alpha) a = fast.DrawExponent(random);
  t = SteadyClock::now();
  for (int i = 0; i < kOps; ++i) c[i] = fast.Encrypt(12345, alpha[i]);
  fmt::print("encrypt (key holder, DJN fixed base): {:.3f} ms\n", Seconds(t) * 1e3 / kOps);
  t = SteadyClock::now();
  for (const auto& v : c) (void)key.Decrypt(v);
  fmt::print("decrypt (CRT): {:.3f} ms\n", Seconds(t) * 1e3 / kOps);
  t = SteadyClock::now();
  for (const auto& v : c) (void)pk.MulPlain(v, federated::Big(1) << 41);
  fmt::print("scalar product, 42-bit scalar: {:.3f} ms\n", Seconds(t) * 1e3 / kOps);
  Run(*g, 1, bits, parties);
  Run(*g, 2, bits, parties);
  return Horizontal(*g);
}
