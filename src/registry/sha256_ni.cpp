// SHA-256 compression with the x86 SHA extensions (SHA-NI), for the RFC 9162 node hash: a node
// hash is exactly two blocks, so going through a generic digest API costs more than the hashing
// itself. The round structure follows FIPS 180-4 §6.2.2; the instruction usage (ABEF/CDGH state
// layout, sha256msg1/msg2 for the message schedule, two rounds per sha256rnds2) is the one Intel
// documents for these instructions. Checked against OpenSSL in hash_test.cpp.
#include "registry/sha256_ni.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#include <cstring>

namespace corridor::registry::internal {

#if defined(__x86_64__)

namespace {

// FIPS 180-4 §4.2.2.
alignas(16) constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// FIPS 180-4 §5.3.3.
constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// Compresses `blocks` blocks for each of `Lanes` independent messages, their rounds interleaved:
// one message's rounds form a dependency chain, so two chains keep the SHA unit busy.
template <int Lanes>
__attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline void Compress(
    uint32_t* const* states, const uint8_t* const* data, size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i state0[Lanes], state1[Lanes];
  for (int l = 0; l < Lanes; ++l) {
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&states[l][0]));
    state1[l] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&states[l][4]));
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                 // CDAB
    state1[l] = _mm_shuffle_epi32(state1[l], 0x1B);     // EFGH
    state0[l] = _mm_alignr_epi8(tmp, state1[l], 8);     // ABEF
    state1[l] = _mm_blend_epi16(state1[l], tmp, 0xF0);  // CDGH
  }
  for (size_t b = 0; b < blocks; ++b) {
    __m128i abef[Lanes], cdgh[Lanes], w[Lanes][4];
    for (int l = 0; l < Lanes; ++l) {
      abef[l] = state0[l];
      cdgh[l] = state1[l];
    }
    for (int i = 0; i < 16; ++i) {
      const __m128i k =
          _mm_load_si128(reinterpret_cast<const __m128i*>(&kK[4 * static_cast<size_t>(i)]));
      for (int l = 0; l < Lanes; ++l) {
        __m128i wi;
        if (i < 4) {
          wi = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                    data[l] + 64 * b + 16 * static_cast<size_t>(i))),
                                byte_swap);
        } else {
          // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at a time.
          __m128i t = _mm_sha256msg1_epu32(w[l][(i - 4) & 3], w[l][(i - 3) & 3]);
          t = _mm_add_epi32(t, _mm_alignr_epi8(w[l][(i - 1) & 3], w[l][(i - 2) & 3], 4));
          wi = _mm_sha256msg2_epu32(t, w[l][(i - 1) & 3]);
        }
        w[l][i & 3] = wi;
        __m128i msg = _mm_add_epi32(wi, k);
        state1[l] = _mm_sha256rnds2_epu32(state1[l], state0[l], msg);
        msg = _mm_shuffle_epi32(msg, 0x0E);
        state0[l] = _mm_sha256rnds2_epu32(state0[l], state1[l], msg);
      }
    }
    for (int l = 0; l < Lanes; ++l) {
      state0[l] = _mm_add_epi32(state0[l], abef[l]);
      state1[l] = _mm_add_epi32(state1[l], cdgh[l]);
    }
  }
  for (int l = 0; l < Lanes; ++l) {
    const __m128i tmp = _mm_shuffle_epi32(state0[l], 0x1B);  // FEBA
    const __m128i s1 = _mm_shuffle_epi32(state1[l], 0xB1);   // DCHG
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&states[l][0]),
                     _mm_blend_epi16(tmp, s1, 0xF0));  // DCBA
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&states[l][4]),
                     _mm_alignr_epi8(s1, tmp, 8));  // HGFE
  }
}

// 0x01 || left || right is 65 bytes: two blocks with the padding and the 520-bit length.
void NodeBlocks(const uint8_t* left, const uint8_t* right, uint8_t block[128]) {
  std::memset(block, 0, 128);
  block[0] = 0x01;
  std::memcpy(block + 1, left, 32);
  std::memcpy(block + 33, right, 32);
  block[65] = 0x80;
  block[126] = 520 >> 8;
  block[127] = 520 & 0xff;
}

void StoreDigest(const uint32_t state[8], uint8_t* out) {
  for (int i = 0; i < 8; ++i) {
    out[4 * static_cast<size_t>(i)] = static_cast<uint8_t>(state[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(state[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(state[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(state[i]);
  }
}

__attribute__((target("sha,sse4.1,ssse3"))) void CompressOne(uint32_t* state, const uint8_t* data) {
  uint32_t* states[1] = {state};
  const uint8_t* blocks[1] = {data};
  Compress<1>(states, blocks, 2);
}

__attribute__((target("sha,sse4.1,ssse3"))) void CompressTwo(uint32_t* a, uint32_t* b,
                                                             const uint8_t* da, const uint8_t* db) {
  uint32_t* states[2] = {a, b};
  const uint8_t* blocks[2] = {da, db};
  Compress<2>(states, blocks, 2);
}

}  // namespace

bool HaveShaNi() {
  static const bool kHave = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    const bool sha = (b >> 29) & 1;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool sse41 = (c >> 19) & 1;
    const bool ssse3 = (c >> 9) & 1;
    return sha && sse41 && ssse3;
  }();
  return kHave;
}

void NodeHashShaNi(const uint8_t left[32], const uint8_t right[32], uint8_t out[32]) {
  alignas(16) uint8_t block[128];
  NodeBlocks(left, right, block);
  uint32_t state[8];
  std::memcpy(state, kInitial, sizeof state);
  CompressOne(state, block);
  StoreDigest(state, out);
}

void NodeHashPairsShaNi(const uint8_t* children, size_t pairs, uint8_t* parents) {
  size_t i = 0;
  for (; i + 2 <= pairs; i += 2) {
    alignas(16) uint8_t a[128], b[128];
    NodeBlocks(children + 64 * i, children + 64 * i + 32, a);
    NodeBlocks(children + 64 * (i + 1), children + 64 * (i + 1) + 32, b);
    uint32_t sa[8], sb[8];
    std::memcpy(sa, kInitial, sizeof sa);
    std::memcpy(sb, kInitial, sizeof sb);
    CompressTwo(sa, sb, a, b);
    StoreDigest(sa, parents + 32 * i);
    StoreDigest(sb, parents + 32 * (i + 1));
  }
  if (i < pairs) NodeHashShaNi(children + 64 * i, children + 64 * i + 32, parents + 32 * i);
}

#else

bool HaveShaNi() { return false; }
void NodeHashShaNi(const uint8_t*, const uint8_t*, uint8_t*) {}
void NodeHashPairsShaNi(const uint8_t*, size_t, uint8_t*) {}

#endif

}  // namespace corridor::registry::internal
