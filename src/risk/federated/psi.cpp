#include "risk/federated/psi.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <numeric>

#include "core/check.hpp"

namespace corridor::risk::federated {

namespace {

constexpr std::string_view kDomain = "corridor/psi/v1";

// RFC 9496 §4.3.1: an encoding is a little-endian s < p = 2^255 − 19 that is non-negative (even);
// libsodium 1.0.18 ignores the top bit, so it is checked here.
bool IsUsable(const Point& p) {
  static const Point kIdentity{};
  return (p[31] & 0x80) == 0 && crypto_core_ristretto255_is_valid_point(p.data()) == 1 &&
         p != kIdentity;
}

}  // namespace

Point HashToPoint(std::string_view id) {
  std::array<uint8_t, crypto_hash_sha512_BYTES> h{};
  crypto_hash_sha512_state s;
  crypto_hash_sha512_init(&s);
  crypto_hash_sha512_update(&s, reinterpret_cast<const uint8_t*>(kDomain.data()), kDomain.size());
  crypto_hash_sha512_update(&s, reinterpret_cast<const uint8_t*>(id.data()), id.size());
  crypto_hash_sha512_final(&s, h.data());
  Point p{};
  crypto_core_ristretto255_from_hash(p.data(), h.data());
  return p;
}

PsiParty::PsiParty(std::vector<std::string> ids, Randomness& random) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ids_ = std::move(ids);
  // A uniform non-zero scalar: 64 random bytes reduced mod the group order.
  std::array<uint8_t, crypto_core_ristretto255_NONREDUCEDSCALARBYTES> wide{};
  static const std::array<uint8_t, 32> kZero{};
  do {
    random.Fill(wide);
    crypto_core_ristretto255_scalar_reduce(scalar_.data(), wide.data());
  } while (scalar_ == kZero);
  std::vector<Point> points(ids_.size());
  for (size_t k = 0; k < ids_.size(); ++k) {
    const Point h = HashToPoint(ids_[k]);
    CORRIDOR_CHECK(crypto_scalarmult_ristretto255(points[k].data(), scalar_.data(), h.data()) == 0);
  }
  std::vector<size_t> order(points.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a] < points[b]; });
  blinded_.reserve(order.size());
  for (size_t k : order) {
    blinded_.push_back(points[k]);
    blinded_id_.push_back(k);
  }
}

std::vector<Point> PsiParty::Blinded() const { return blinded_; }

Result<std::vector<Point>> PsiParty::Reblind(std::span<const Point> theirs) const {
  std::vector<Point> out(theirs.size());
  for (size_t k = 0; k < theirs.size(); ++k) {
    if (!IsUsable(theirs[k]) ||
        crypto_scalarmult_ristretto255(out[k].data(), scalar_.data(), theirs[k].data()) != 0) {
      return Fail(Error::Invalid(fmt::format("/points/{}", k),
                                 "is not the encoding of a ristretto255 element other than the "
                                 "identity"));
    }
  }
  return out;
}

Result<std::vector<std::string>> PsiParty::Intersect(std::span<const Point> mine_doubled,
                                                     std::span<const Point> theirs_doubled) const {
  if (mine_doubled.size() != blinded_.size()) {
    return Fail(Error::Invalid("/points", fmt::format("must return all {} points sent, not {}",
                                                      blinded_.size(), mine_doubled.size())));
  }
  std::vector<Point> theirs(theirs_doubled.begin(), theirs_doubled.end());
  std::sort(theirs.begin(), theirs.end());
  std::vector<size_t> common;
  for (size_t k = 0; k < mine_doubled.size(); ++k) {
    if (!IsUsable(mine_doubled[k])) {
      return Fail(Error::Invalid(fmt::format("/points/{}", k),
                                 "is not the encoding of a ristretto255 element other than the "
                                 "identity"));
    }
    if (std::binary_search(theirs.begin(), theirs.end(), mine_doubled[k])) {
      common.push_back(blinded_id_[k]);
    }
  }
  std::sort(common.begin(), common.end());
  std::vector<std::string> out;
  out.reserve(common.size());
  for (size_t k : common) out.push_back(ids_[k]);
  return out;
}

}  // namespace corridor::risk::federated
