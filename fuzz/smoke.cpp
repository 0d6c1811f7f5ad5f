// fuzz_smoke: every fuzz target over its seed corpus (fuzz/corpus/TARGET) and, for each seed,
// 300 deterministic mutations (bit flips, byte changes, truncations, insertions, splices with
// another seed). Seconds long; the real fuzzing runs under libFuzzer with `scripts/fuzz`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz.hpp"

namespace corridor::fuzz {

std::vector<Registered>& Targets() {
  static std::vector<Registered> targets;
  return targets;
}

namespace {

std::vector<std::vector<uint8_t>> Seeds(const std::string& name) {
  std::vector<std::vector<uint8_t>> seeds;
  const std::filesystem::path dir = std::filesystem::path(CORRIDOR_FUZZ_CORPUS) / name;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return seeds;
}

TEST(FuzzSmoke, EveryTargetSurvivesItsCorpusAndMutations) {
  ASSERT_EQ(Targets().size(), 5u);
  for (const auto& [name, target] : Targets()) {
    SCOPED_TRACE(name);
    const auto seeds = Seeds(name);
    ASSERT_FALSE(seeds.empty()) << "no seed corpus for " << name;
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto next = [&] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    for (const auto& seed : seeds) {
      target(seed.data(), seed.size());
      for (int m = 0; m < 300; ++m) {
        std::vector<uint8_t> x = seed;
        for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
          const size_t at = x.empty() ? 0 : next() % x.size();
          switch (next() % 5) {
            case 0:
              if (!x.empty()) x[at] ^= static_cast<uint8_t>(1u << (next() % 8));
              break;
            case 1:
              if (!x.empty()) x[at] = static_cast<uint8_t>(next());
              break;
            case 2:
              x.resize(at);
              break;
            case 3:
              x.insert(x.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(next()));
              break;
            default: {
              const auto& other = seeds[next() % seeds.size()];
              x.insert(x.begin() + static_cast<std::ptrdiff_t>(at), other.begin(),
                       other.begin() + static_cast<std::ptrdiff_t>(other.size() / 2));
            }
          }
        }
        target(x.data(), x.size());
      }
    }
  }
}

}  // namespace
}  // namespace corridor::fuzz
