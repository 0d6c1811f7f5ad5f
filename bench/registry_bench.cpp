// Registry log benchmarks. Results and peers: docs/perf/registry.md.
//   registry_bench hash [SECONDS]                 node hashes per second, one core
//   registry_bench append DB [THREADS] [SECONDS]  durable appends per second, group commit,
//                                                 integration running as in the server
//   registry_bench proofs DB N [THREADS] [SECONDS] [SPAN]  inclusion proofs per second from a log
//                                                 of N entries (filled through the real path
//                                                 first), leaves drawn from the first SPAN
//   registry_bench scale DB N                     tiles for N leaves in bounded memory
#include <fmt/format.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "registry/merkle.hpp"
#include "service/kernel/log.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace corridor;
using Clock = std::chrono::steady_clock;
using service::Json;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long MaxRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

int Die(const Error& e) {
  fmt::print(stderr, "registry_bench: {}\n", e.message);
  return 1;
}

int Hash(double seconds) {
  // As the tiles use it: a row of independent pairs hashed into the row above.
  std::vector<registry::Hash> row(4096), up(2048);
  for (size_t i = 0; i < row.size(); ++i) row[i][i % 32] = static_cast<uint8_t>(i);
  uint64_t n = 0;
  const auto start = Clock::now();
  while (Seconds(start) < seconds) {
    for (int rep = 0; rep < 50; ++rep) {
      registry::NodeHashPairs(row, up);
      row[0] = up[up.size() - 1];
      n += up.size();
    }
  }
  const double t = Seconds(start);
  fmt::print("node hashes: {:.2f} M/s on one core ({} in {:.2f} s; SHA extensions {})\n",
             n / t / 1e6, n, t,
             registry::NodeHash(row[0], row[1]) == registry::NodeHashPortable(row[0], row[1])
                 ? "agree"
                 : "DISAGREE");
  // The same through OpenSSL's EVP interface, for comparison.
  n = 0;
  const auto evp = Clock::now();
  while (Seconds(evp) < seconds / 3) {
    for (size_t i = 0; i < up.size(); ++i)
      up[i] = registry::NodeHashPortable(row[2 * i], row[2 * i + 1]);
    n += up.size();
  }
  fmt::print("node hashes through EVP_Digest*: {:.2f} M/s\n", n / Seconds(evp) / 1e6);
  return 0;
}

Json EntryBody(uint64_t i) {
  return Json{{"type", "receivable"},
              {"document_type", "invoice"},
              {"document_number", fmt::format("INV{:012d}", i)},
              {"debtor_uscc", "91150402MA0000002Y"},
              {"creditor_uscc", "91150402MA00000016"},
              {"amount_fen", 50'000'000 + static_cast<int64_t>(i)},
              {"due_date", "2026-12-31"}};
}

int Append(const std::string& db, int threads, double seconds) {
  auto store = store::SqliteStore::Open({.path = db});
  if (!store) return Die(store.error());
  SystemClock clock;
  service::TransparencyLog log(**store, clock, registry::NoteSigner::Generate("bench/registry"));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> appended{0}, seq{0};
  std::thread integrator([&] {
    while (!stop.load()) {
      (void)log.Integrate();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const auto start = Clock::now();
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&] {
      while (Seconds(start) < seconds) {
        const uint64_t i = seq.fetch_add(1);
        auto r = (*store)->Write([&](store::Connection& c) {
          return service::AppendLogEntry(c, "receivable.register", nullptr, EntryBody(i), {},
                                         clock.NowMicros());
        });
        if (r) appended.fetch_add(1);
      }
    });
  }
  for (auto& w : writers) w.join();
  const double t = Seconds(start);
  stop = true;
  integrator.join();
  const auto integrate_start = Clock::now();
  auto cp = log.Integrate();
  if (!cp) return Die(cp.error());
  fmt::print(
      "durable appends: {:.0f}/s ({} in {:.2f} s, {} writer threads, synchronous=FULL); log size "
      "{}, final integration {:.3f} s\n",
      appended.load() / t, appended.load(), t, threads, cp->size, Seconds(integrate_start));
  return 0;
}

int Proofs(const std::string& db, uint64_t n, int threads, double seconds, uint64_t span) {
  auto store = store::SqliteStore::Open({.path = db, .synchronous_full = false});
  if (!store) return Die(store.error());
  SystemClock clock;
  service::TransparencyLog log(**store, clock, registry::NoteSigner::Generate("bench/registry"));
  auto cp = log.Integrate();
  if (!cp) return Die(cp.error());
  if (cp->size < n) {
    const auto fill = Clock::now();
    for (uint64_t done = cp->size; done < n;) {
      const uint64_t batch = std::min<uint64_t>(100'000, n - done);
      auto r = (*store)->Write([&](store::Connection& c) -> Result<int64_t> {
        for (uint64_t i = 0; i < batch; ++i) {
          CORRIDOR_TRY(service::AppendLogEntry(c, "receivable.register", nullptr,
                                               EntryBody(done + i), {}, clock.NowMicros()));
        }
        return int64_t{0};
      });
      if (!r) return Die(r.error());
      done += batch;
    }
    const double sequenced = Seconds(fill);
    const auto integrate = Clock::now();
    cp = log.Integrate();
    if (!cp) return Die(cp.error());
    fmt::print("filled {} entries: sequenced in {:.1f} s, integrated in {:.1f} s ({:.0f}/s)\n", n,
               sequenced, Seconds(integrate), n / Seconds(integrate));
  }
  const uint64_t size = cp->size;
  std::atomic<uint64_t> proofs{0}, bad{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) + 1);
      uint64_t k = 0;
      while (Seconds(start) < seconds) {
        const uint64_t i = rng() % std::min(size, span);
        auto proof = log.InclusionProof(i, size);
        if (!proof) {
          bad.fetch_add(1);
          continue;
        }
        // Verify one in 64 against the checkpoint, leaf hash read back from the log.
        if (++k % 64 == 0) {
          auto e = log.Entry(i);
          const auto leaf = registry::LeafHash(registry::AsBytes((*e)->data));
          if (!registry::VerifyInclusion(i, size, leaf, *proof, cp->root).valid) bad.fetch_add(1);
        }
        proofs.fetch_add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  const double t = Seconds(start);
  fmt::print(
      "inclusion proofs: {:.0f}/s from a log of {} entries ({} threads, {} failed), max "
      "RSS {} MiB\n",
      proofs.load() / t, size, threads, bad.load(), MaxRssMiB());
  return bad.load() == 0 ? 0 : 1;
}

// Builds the tiles of an N-leaf tree directly (no entry rows), in batches, holding one batch
// and the tiles it touches in memory; then checks proofs against a compact range kept alongside.
int Scale(const std::string& db, uint64_t n) {
  auto store = store::SqliteStore::Open({.path = db, .synchronous_full = false});
  if (!store) return Die(store.error());
  service::TileCache cache(64);
  registry::CompactRange range;
  const uint64_t kBatch = 1 << 16;
  const auto start = Clock::now();
  std::vector<registry::Hash> leaves;
  for (uint64_t size = 0; size < n;) {
    const uint64_t batch = std::min(kBatch, n - size);
    leaves.clear();
    for (uint64_t i = 0; i < batch; ++i) {
      const uint64_t v = size + i;
      leaves.push_back(
          registry::LeafHash(registry::Bytes(reinterpret_cast<const uint8_t*>(&v), sizeof v)));
      range.Append(leaves.back());
    }
    auto r = (*store)->Write([&](store::Connection& c) -> Result<int64_t> {
      service::StoreTileReader tiles(c, cache);
      auto changed = CORRIDOR_TRY(registry::AppendLeaves(tiles, size, leaves));
      CORRIDOR_TRY_STATUS(service::WriteTiles(c, changed));
      return int64_t{0};
    });
    if (!r) return Die(r.error());
    size += batch;
    if (size % (uint64_t{1} << 24) == 0) {
      fmt::print("  {} leaves after {:.0f} s, max RSS {} MiB\n", size, Seconds(start), MaxRssMiB());
      std::fflush(stdout);
    }
  }
  const double built = Seconds(start);
  auto check = (*store)->Read([&](store::Connection& c) -> Result<int> {
    service::StoreTileReader tiles(c, cache);
    registry::TileNodeSource nodes(tiles);
    const auto root = CORRIDOR_TRY(registry::Root(nodes, n));
    if (root != range.Root()) return Fail(Error::Internal("tiled root differs from the range"));
    std::mt19937_64 rng(1);
    for (int k = 0; k < 1000; ++k) {
      const uint64_t i = rng() % n;
      const auto proof = CORRIDOR_TRY(registry::InclusionProof(nodes, i, n));
      const auto leaf =
          registry::LeafHash(registry::Bytes(reinterpret_cast<const uint8_t*>(&i), sizeof i));
      if (!registry::VerifyInclusion(i, n, leaf, proof, root).valid) {
        return Fail(Error::Internal("a proof failed"));
      }
    }
    return 0;
  });
  if (!check) return Die(check.error());
  fmt::print(
      "scale: {} leaves tiled in {:.1f} s ({:.0f} leaves/s), root {}, 1000 proofs verified, "
      "max RSS {} MiB, database {:.2f} GiB\n",
      n, built, n / built, registry::ToHex(range.Root()), MaxRssMiB(),
      static_cast<double>(std::filesystem::file_size(db)) / (1u << 30));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  auto num = [&](size_t i, double fallback) { return a.size() > i ? std::stod(a[i]) : fallback; };
  if (!a.empty() && a[0] == "hash") return Hash(num(1, 3));
  if (a.size() >= 2 && a[0] == "append") {
    return Append(a[1], static_cast<int>(num(2, 32)), num(3, 10));
  }
  if (a.size() >= 3 && a[0] == "proofs") {
    return Proofs(a[1], static_cast<uint64_t>(num(2, 1e7)), static_cast<int>(num(3, 2)), num(4, 10),
                  static_cast<uint64_t>(num(5, 1e18)));
  }
  if (a.size() >= 3 && a[0] == "scale") return Scale(a[1], static_cast<uint64_t>(num(2, 1e8)));
  fmt::print(stderr, "usage: see the comment at the top of bench/registry_bench.cpp\n");
  return 2;
}
