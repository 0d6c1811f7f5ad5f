#include "core/rng.hpp"

#include <Random123/philox.h>

#include <cmath>
#include <numbers>

#include "core/int128.hpp"

namespace corridor {

std::array<uint32_t, 4> CounterRng::Philox(std::array<uint32_t, 4> counter,
                                           std::array<uint32_t, 2> key) {
  r123::Philox4x32 philox;
  r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto r = philox(c, k);
  return {r[0], r[1], r[2], r[3]};
}

std::array<uint32_t, 4> CounterRng::Block(uint64_t stream, uint64_t index) const {
  return Philox({static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32),
                 static_cast<uint32_t>(stream), static_cast<uint32_t>(stream >> 32)},
                {static_cast<uint32_t>(seed_), static_cast<uint32_t>(seed_ >> 32)});
}

uint64_t CounterRng::Bits(uint64_t stream, uint64_t index) const {
  const auto b = Block(stream, index);
  return (static_cast<uint64_t>(b[0]) << 32) | b[1];
}

double CounterRng::Uniform(uint64_t stream, uint64_t index) const {
  // (k + 0.5) / 2^53 lies strictly inside (0, 1).
  const uint64_t k = Bits(stream, index) >> 11;
  return (static_cast<double>(k) + 0.5) * 0x1.0p-53;
}

double CounterRng::Normal(uint64_t stream, uint64_t index) const {
  const auto b = Block(stream, index);
  const double u1 =
      ((static_cast<double>((static_cast<uint64_t>(b[0]) << 21) ^ b[1]) + 0.5) * 0x1.0p-53);
  const double u2 = (static_cast<double>(b[2]) + 0.5) * 0x1.0p-32;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

uint64_t CounterRng::Below(uint64_t stream, uint64_t index, uint64_t bound) const {
  // Each rejection retry uses index + k * 2^40 so retries never collide with other indices in
  // practice (indices stay below 2^40).
  for (uint64_t attempt = 0;; ++attempt) {
    const uint64_t x = Bits(stream, index + (attempt << 40));
    const UInt128 m = static_cast<UInt128>(x) * bound;
    const uint64_t low = static_cast<uint64_t>(m);
    const uint64_t threshold = (0 - bound) % bound;
    if (low >= threshold) return static_cast<uint64_t>(m >> 64);
  }
}

}  // namespace corridor
