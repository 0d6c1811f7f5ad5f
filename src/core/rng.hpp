#pragma once
// CounterRng: a counter-based random source built on Philox4x32-10 (Salmon et al., "Parallel
// random numbers: as easy as 1, 2, 3", SC11; Random123). The value at (stream, index) depends
// only on the seed and those two numbers, never on call order or thread, so every simulation is
// reproducible for any thread count: give each scenario or entity its own stream and draw by
// index. Stateless and const: safe to share between threads.
#include <array>
#include <cstdint>

namespace corridor {

class CounterRng {
 public:
  explicit CounterRng(uint64_t seed) : seed_(seed) {}

  uint64_t seed() const { return seed_; }
  // The raw Philox4x32-10 block for counter (stream, index) under key (seed).
  std::array<uint32_t, 4> Block(uint64_t stream, uint64_t index) const;
  // 64 uniformly random bits.
  uint64_t Bits(uint64_t stream, uint64_t index) const;
  // Uniform on the open interval (0, 1), 53 bits of resolution.
  double Uniform(uint64_t stream, uint64_t index) const;
  // Standard normal by Box-Muller on one block.
  double Normal(uint64_t stream, uint64_t index) const;
  // Uniform integer in [0, bound), bound > 0; unbiased (Lemire's multiply-shift with rejection,
  // rejection draws use subsequent sub-indices).
  uint64_t Below(uint64_t stream, uint64_t index, uint64_t bound) const;

  // Raw Philox4x32-10 with an explicit counter and key, for known-answer tests.
  static std::array<uint32_t, 4> Philox(std::array<uint32_t, 4> counter,
                                        std::array<uint32_t, 2> key);

 private:
  uint64_t seed_;
};

}  // namespace corridor
