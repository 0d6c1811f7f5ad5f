#include "risk/federated/masking.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>

namespace corridor::risk::federated {

namespace {
constexpr double kSumScale = 18446744073709551616.0;  // 2^64
}

UInt128 ToFixed(double v) {
  if (v == 0) return 0;
  int e = 0;
  const auto mant = static_cast<int64_t>(std::ldexp(std::frexp(v, &e), 53));  // v = mant 2^(e−53)
  const int shift = e - 53 + 64;
  Int128 out = 0;
  if (shift >= 0) {
    out = static_cast<Int128>(mant) * (static_cast<Int128>(1) << std::min(shift, 73));
  } else if (shift > -64) {
    out = static_cast<Int128>(mant) >> (-shift);
  }
  return static_cast<UInt128>(out);
}

double FromFixed(UInt128 v) { return static_cast<double>(static_cast<Int128>(v)) / kSumScale; }

std::vector<UInt128> MaskStream(const MaskSeed& seed, uint8_t kind, uint32_t round, size_t count) {
  std::array<uint8_t, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
  nonce[0] = kind;
  for (size_t k = 0; k < 4; ++k) nonce[1 + k] = static_cast<uint8_t>(round >> (8 * k));
  std::vector<uint8_t> bytes(count * 16);
  crypto_stream_chacha20_ietf(bytes.data(), bytes.size(), nonce.data(), seed.data());
  std::vector<UInt128> out(count);
  for (size_t i = 0; i < count; ++i) {
    UInt128 v = 0;
    for (size_t k = 0; k < 16; ++k) v = (v << 8) | bytes[i * 16 + k];
    out[i] = v;
  }
  return out;
}

AgreementKey AgreementKey::FromSecret(const std::array<uint8_t, 32>& secret) {
  AgreementKey k;
  k.secret = secret;
  crypto_scalarmult_base(k.public_key.data(), k.secret.data());
  return k;
}

Result<MaskSeed> AgreeSeed(const AgreementKey& mine, std::span<const uint8_t> theirs, size_t a,
                           size_t b, std::string_view tag) {
  std::array<uint8_t, crypto_scalarmult_BYTES> shared{};
  if (theirs.size() != crypto_scalarmult_BYTES ||
      crypto_scalarmult(shared.data(), mine.secret.data(), theirs.data()) != 0) {
    return Fail(Error::Invalid("/message/agreement_key", "is not a usable X25519 public key"));
  }
  MaskSeed seed{};
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, seed.size());
  crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
  crypto_generichash_update(&h, shared.data(), shared.size());
  std::array<uint8_t, 8> pair{};
  const auto lo = static_cast<uint32_t>(std::min(a, b)), hi = static_cast<uint32_t>(std::max(a, b));
  for (size_t k = 0; k < 4; ++k) {
    pair[k] = static_cast<uint8_t>(lo >> (8 * k));
    pair[4 + k] = static_cast<uint8_t>(hi >> (8 * k));
  }
  crypto_generichash_update(&h, pair.data(), pair.size());
  crypto_generichash_final(&h, seed.data(), seed.size());
  sodium_memzero(shared.data(), shared.size());
  return seed;
}

}  // namespace corridor::risk::federated
