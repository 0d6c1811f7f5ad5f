#include "registry/hash.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>

#include "registry/sha256_ni.hpp"

namespace corridor::registry {
namespace {

const EVP_MD* Sha256Md() {
  // Fetched once: implicit fetching by EVP_sha256() repeats the provider lookup on every init.
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (m == nullptr) std::abort();
    return m;
  }();
  return md;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

Hash Digest(std::initializer_list<Bytes> parts) {
  EVP_MD_CTX* ctx = ThreadContext();
  Hash out;
  if (EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) std::abort();
  for (Bytes p : parts) {
    if (!p.empty() && EVP_DigestUpdate(ctx, p.data(), p.size()) != 1) std::abort();
  }
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != kHashSize) std::abort();
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Hash Sha256(Bytes data) { return Digest({data}); }
Hash Sha256(std::initializer_list<Bytes> parts) { return Digest(parts); }

Hash LeafHash(Bytes data) {
  static constexpr uint8_t kPrefix = 0x00;
  return Digest({Bytes(&kPrefix, 1), data});
}

Hash NodeHash(const Hash& left, const Hash& right) {
  if (internal::HaveShaNi()) {
    Hash out;
    internal::NodeHashShaNi(left.data(), right.data(), out.data());
    return out;
  }
  return NodeHashPortable(left, right);
}

void NodeHashPairs(std::span<const Hash> children, std::span<Hash> parents) {
  if (internal::HaveShaNi()) {
    static_assert(sizeof(Hash) == kHashSize);
    internal::NodeHashPairsShaNi(children.data()->data(), parents.size(), parents.data()->data());
    return;
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    parents[i] = NodeHashPortable(children[2 * i], children[2 * i + 1]);
  }
}

Hash NodeHashPortable(const Hash& left, const Hash& right) {
  // One contiguous buffer: a single update call is measurably faster than three.
  std::array<uint8_t, 1 + 2 * kHashSize> buf;
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 1 + kHashSize);
  return Digest({Bytes(buf)});
}

Hash EmptyRoot() { return Digest({}); }

std::string ToHex(Bytes data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::vector<std::string> ToHexList(std::span<const Hash> hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const Hash& h : hashes) out.push_back(ToHex(h));
  return out;
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::optional<Hash> HashFromHex(std::string_view hex) {
  if (hex.size() != 2 * kHashSize) return std::nullopt;
  auto bytes = FromHex(hex);
  if (!bytes) return std::nullopt;
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

std::string ToBase64(Bytes data) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  // Canonical form only: re-encoding must give the same text (rejects non-zero padding bits).
  if (ToBase64(AsBytes(out)) != text) return std::nullopt;
  return out;
}

}  // namespace corridor::registry
