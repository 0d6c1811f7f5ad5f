#pragma once
// Cryptographic randomness for the federated protocols: key generation, Paillier's blinding
// factors, the PSI secrets and the secure-aggregation masks.
//
// Two sources, one interface. A seeded stream (ChaCha20 keyed by BLAKE2b of the seed, the purpose
// and a block counter, through libsodium) gives the same keys and ciphertexts for the same seed,
// as the project's simulations must — for tests, `corridor calc` and reproducing a run. The
// system source (libsodium's randombytes, the kernel's getrandom) is what parties in production
// use: a seed known to anyone else would give their keys away.
//
// Not thread-safe: one per thread.
#include <gmpxx.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace corridor::risk::federated {

using Big = mpz_class;

class Randomness {
 public:
  // The same bytes for the same (seed, purpose); different purposes give independent streams.
  static Randomness FromSeed(uint64_t seed, std::string_view purpose);
  // The operating system's randomness.
  static Randomness System();

  void Fill(std::span<uint8_t> out);
  // Uniform in [0, bound), bound > 0 (rejection sampling on whole bytes, top bits masked).
  Big Below(const Big& bound);
  // Uniform in Z*_n: in [1, n) and coprime to n.
  Big UnitBelow(const Big& n);
  // Uniform with exactly `bits` bits (the top bit set).
  Big WithBits(size_t bits);

 private:
  Randomness() = default;
  bool seeded_ = false;
  std::array<uint8_t, 32> key_{};  // the seeded stream's ChaCha20 key
  uint64_t block_ = 0;             // blocks drawn so far
};

// Big integers to and from big-endian bytes (the wire form) and decimal text (JSON).
std::string ToBytes(const Big& v);
Big FromBytes(std::string_view bytes);

}  // namespace corridor::risk::federated
