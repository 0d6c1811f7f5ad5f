#include "risk/federated/random.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace corridor::risk::federated {

namespace {

void EnsureSodium() {
  static const int kReady = sodium_init();
  if (kReady < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

Randomness Randomness::FromSeed(uint64_t seed, std::string_view purpose) {
  EnsureSodium();
  Randomness r;
  r.seeded_ = true;
  std::array<uint8_t, 8> seed_bytes{};
  for (size_t k = 0; k < 8; ++k) seed_bytes[k] = static_cast<uint8_t>(seed >> (8 * k));
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, r.key_.size());
  crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>("corridor/federated/random/v1"),
                            28);
  crypto_generichash_update(&h, seed_bytes.data(), seed_bytes.size());
  crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>(purpose.data()), purpose.size());
  crypto_generichash_final(&h, r.key_.data(), r.key_.size());
  return r;
}

Randomness Randomness::System() {
  EnsureSodium();
  return Randomness();
}

void Randomness::Fill(std::span<uint8_t> out) {
  if (!seeded_) {
    randombytes_buf(out.data(), out.size());
    return;
  }
  // Each call is one ChaCha20 stream under the key with the call's counter as its nonce, so the
  // bytes depend only on the seed, the purpose and how many calls came before.
  std::array<uint8_t, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
  for (size_t k = 0; k < 8; ++k) nonce[k] = static_cast<uint8_t>(block_ >> (8 * k));
  ++block_;
  crypto_stream_chacha20_ietf(out.data(), out.size(), nonce.data(), key_.data());
}

Big Randomness::Below(const Big& bound) {
  if (bound <= 0) throw std::invalid_argument("Randomness::Below: bound must be positive");
  const size_t bits = mpz_sizeinbase(bound.get_mpz_t(), 2);
  std::vector<uint8_t> buf((bits + 7) / 8);
  const auto top_mask = static_cast<uint8_t>(bits % 8 == 0 ? 0xFF : (1U << (bits % 8)) - 1);
  for (;;) {
    Fill(buf);
    buf[0] &= top_mask;
    Big v = FromBytes(std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
    if (v < bound) return v;
  }
}

Big Randomness::UnitBelow(const Big& n) {
  for (;;) {
    Big r = Below(n);
    if (r == 0) continue;
    Big g;
    mpz_gcd(g.get_mpz_t(), r.get_mpz_t(), n.get_mpz_t());
    if (g == 1) return r;
  }
}

Big Randomness::WithBits(size_t bits) {
  Big top = 1;
  top <<= bits - 1;
  return top + Below(top);
}

std::string ToBytes(const Big& v) {
  if (v == 0) return std::string(1, '\0');
  size_t count = 0;
  std::string out((mpz_sizeinbase(v.get_mpz_t(), 2) + 7) / 8, '\0');
  mpz_export(out.data(), &count, 1, 1, 1, 0, v.get_mpz_t());
  out.resize(count);
  return out;
}

Big FromBytes(std::string_view bytes) {
  Big v;
  mpz_import(v.get_mpz_t(), bytes.size(), 1, 1, 1, 0, bytes.data());
  return v;
}

}  // namespace corridor::risk::federated
