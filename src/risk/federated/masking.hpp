#pragma once
// Masks that cancel in a sum (Bonawitz et al., "Practical Secure Aggregation for
// Privacy-Preserving Machine Learning", CCS 2017): real values travel as fixed point in Z_{2^128}
// (64 fractional bits, magnitudes to 2^63), so that a uniform mask in Z_{2^128} hides a value
// perfectly and masks added by one party and subtracted by another vanish from the total. Two
// parties agree on a pairwise seed by X25519; a seed expands into masks by ChaCha20, one stream
// per (kind, round).
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/int128.hpp"
#include "core/result.hpp"

namespace corridor::risk::federated {

using MaskSeed = std::array<uint8_t, 32>;

UInt128 ToFixed(double v);
double FromFixed(UInt128 v);

// `count` words of the stream of `seed` for (kind, round).
std::vector<UInt128> MaskStream(const MaskSeed& seed, uint8_t kind, uint32_t round, size_t count);

// An X25519 key pair for agreeing seeds.
struct AgreementKey {
  std::array<uint8_t, 32> secret{}, public_key{};
  static AgreementKey FromSecret(const std::array<uint8_t, 32>& secret);
};

// The seed two parties share: BLAKE2b(tag ‖ X25519(mine, theirs) ‖ min(a, b) ‖ max(a, b)), the
// same on both sides. Errors when `theirs` is not a usable public key (a low-order point).
Result<MaskSeed> AgreeSeed(const AgreementKey& mine, std::span<const uint8_t> theirs, size_t a,
                           size_t b, std::string_view tag);

}  // namespace corridor::risk::federated
