#pragma once
// SHA-256 and the RFC 9162 tree hashes. Backed by OpenSSL 3: the digest implementation is fetched
// once per process (EVP_MD_fetch) and each thread reuses one context, so a node hash costs two
// SHA-256 compressions and no allocation. Thread-safe.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::registry {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

using Bytes = std::span<const uint8_t>;
inline Bytes AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Hash Sha256(Bytes data);
// Several parts hashed as their concatenation.
Hash Sha256(std::initializer_list<Bytes> parts);

// RFC 9162 §2.1.1: leaf hash SHA-256(0x00 || data), node hash SHA-256(0x01 || left || right).
Hash LeafHash(Bytes data);
// NodeHash runs on the CPU's SHA extensions when it has them (about twice as fast as a digest
// API call); NodeHashPortable always goes through OpenSSL. Both give the same hash.
Hash NodeHash(const Hash& left, const Hash& right);
Hash NodeHashPortable(const Hash& left, const Hash& right);
// parents[i] = NodeHash(children[2i], children[2i + 1]) for every i < parents.size(); faster
// than one call per pair. children.size() >= 2 * parents.size().
void NodeHashPairs(std::span<const Hash> children, std::span<Hash> parents);
// The root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// Lower-case hex; parsing accepts either case and requires an even number of digits.
std::string ToHex(Bytes data);
inline std::string ToHex(const Hash& h) { return ToHex(Bytes(h)); }
std::optional<std::string> FromHex(std::string_view hex);
// One lower-case hex string per hash, in order (proofs as the API and calc models show them).
std::vector<std::string> ToHexList(std::span<const Hash> hashes);
// Exactly 64 hex digits.
std::optional<Hash> HashFromHex(std::string_view hex);

// Standard base64 with padding (RFC 4648 §4); parsing is strict (canonical padding, no spaces).
std::string ToBase64(Bytes data);
std::optional<std::string> FromBase64(std::string_view text);

}  // namespace corridor::registry
