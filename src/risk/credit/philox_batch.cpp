#include "risk/credit/philox_batch.hpp"

#include <immintrin.h>

namespace corridor::risk {
namespace {

constexpr uint32_t kM0 = 0xD2511F53, kM1 = 0xCD9E8D57;
constexpr uint32_t kW0 = 0x9E3779B9, kW1 = 0xBB67AE85;

void Scalar(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, uint32_t* out,
            size_t count) {
  for (size_t b = 0; b < count; ++b) {
    const uint64_t c = first + b;
    uint32_t x0 = static_cast<uint32_t>(c), x1 = static_cast<uint32_t>(c >> 32), x2 = c2, x3 = c3;
    uint32_t a = k0, d = k1;
    for (int round = 0; round < 10; ++round) {
      const uint64_t p0 = static_cast<uint64_t>(kM0) * x0;
      const uint64_t p1 = static_cast<uint64_t>(kM1) * x2;
      const uint32_t y0 = static_cast<uint32_t>(p1 >> 32) ^ x1 ^ a;
      const uint32_t y2 = static_cast<uint32_t>(p0 >> 32) ^ x3 ^ d;
      x0 = y0;
      x1 = static_cast<uint32_t>(p1);
      x2 = y2;
      x3 = static_cast<uint32_t>(p0);
      a += kW0;
      d += kW1;
    }
    out[4 * b] = x0;
    out[4 * b + 1] = x1;
    out[4 * b + 2] = x2;
    out[4 * b + 3] = x3;
  }
}

// Ten Philox rounds on eight blocks: lane l of x0..x3 holds word 0..3 of block l. The 32×32→64
// products of even lanes come from one vpmuludq, of odd lanes from another after a 32-bit shift.
__attribute__((target("avx2"), always_inline)) inline void Rounds8(__m256i& x0, __m256i& x1,
                                                                   __m256i& x2, __m256i& x3,
                                                                   uint32_t a, uint32_t d) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  for (int round = 0; round < 10; ++round) {
    const __m256i e0 = _mm256_mul_epu32(x0, m0);
    const __m256i o0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
    const __m256i e1 = _mm256_mul_epu32(x2, m1);
    const __m256i o1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
    const __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
    const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
    const __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
    const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
    x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(a)));
    x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(d)));
    x1 = lo1;
    x3 = lo0;
    a += kW0;
    d += kW1;
  }
}

// Philox4x32-10 of the eight counters (c + l, c2, c3), l = 0..7, whose low words do not wrap.
__attribute__((target("avx2"), always_inline)) inline void Blocks8(uint64_t c, uint32_t c2,
                                                                   uint32_t c3, uint32_t k0,
                                                                   uint32_t k1, __m256i& x0,
                                                                   __m256i& x1, __m256i& x2,
                                                                   __m256i& x3) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  x0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(c))), lanes);
  x1 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(c >> 32)));
  x2 = _mm256_set1_epi32(static_cast<int>(c2));
  x3 = _mm256_set1_epi32(static_cast<int>(c3));
  Rounds8(x0, x1, x2, x3, k0, k1);
}

__attribute__((target("avx2"))) void Avx2(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0,
                                          uint32_t k1, uint32_t* out, size_t count) {
  size_t b = 0;
  for (; b + 8 <= count; b += 8) {
    const uint64_t c = first + b;
    // The low counter word must not wrap within the eight (the scalar path below takes over).
    if (static_cast<uint32_t>(c) > 0xFFFFFFF7u) break;
    __m256i x0, x1, x2, x3;
    Blocks8(c, c2, c3, k0, k1, x0, x1, x2, x3);
    // Transpose 4 × 8 (words × blocks) into 8 blocks of 4 words.
    const __m256i t0 = _mm256_unpacklo_epi32(x0, x1);  // b0w0 b0w1 b1w0 b1w1 | b4.. b5..
    const __m256i t1 = _mm256_unpackhi_epi32(x0, x1);  // b2w0 b2w1 b3w0 b3w1 | b6.. b7..
    const __m256i t2 = _mm256_unpacklo_epi32(x2, x3);
    const __m256i t3 = _mm256_unpackhi_epi32(x2, x3);
    const __m256i u0 = _mm256_unpacklo_epi64(t0, t2);  // b0 | b4
    const __m256i u1 = _mm256_unpackhi_epi64(t0, t2);  // b1 | b5
    const __m256i u2 = _mm256_unpacklo_epi64(t1, t3);  // b2 | b6
    const __m256i u3 = _mm256_unpackhi_epi64(t1, t3);  // b3 | b7
    __m256i* o = reinterpret_cast<__m256i*>(out + 4 * b);
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(u0, u1, 0x20));  // b0 b1
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(u2, u3, 0x20));  // b2 b3
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(u0, u1, 0x31));  // b4 b5
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(u2, u3, 0x31));  // b6 b7
  }
  Scalar(first + b, c2, c3, k0, k1, out + 4 * b, count - b);
}

uint64_t ScalarCount(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                     size_t count, uint32_t threshold) {
  uint32_t words[4];
  uint64_t n = 0;
  for (size_t b = 0; b < count; ++b) {
    Scalar(first + b, c2, c3, k0, k1, words, 1);
    for (uint32_t w : words) n += w < threshold;
  }
  return n;
}

__attribute__((target("avx2"))) uint64_t Avx2Count(uint64_t first, uint32_t c2, uint32_t c3,
                                                   uint32_t k0, uint32_t k1, size_t count,
                                                   uint32_t threshold) {
  const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256i t = _mm256_set1_epi32(static_cast<int>(threshold ^ 0x80000000u));
  __m256i acc = _mm256_setzero_si256();  // minus the count per lane
  uint64_t n = 0;
  size_t b = 0;
  for (; b + 8 <= count; b += 8) {
    const uint64_t c = first + b;
    if (static_cast<uint32_t>(c) > 0xFFFFFFF7u) break;
    __m256i x0, x1, x2, x3;
    Blocks8(c, c2, c3, k0, k1, x0, x1, x2, x3);
    // u < t unsigned as signed after flipping the sign bits; each true lane is -1.
    acc = _mm256_add_epi32(acc, _mm256_cmpgt_epi32(t, _mm256_xor_si256(x0, sign)));
    acc = _mm256_add_epi32(acc, _mm256_cmpgt_epi32(t, _mm256_xor_si256(x1, sign)));
    acc = _mm256_add_epi32(acc, _mm256_cmpgt_epi32(t, _mm256_xor_si256(x2, sign)));
    acc = _mm256_add_epi32(acc, _mm256_cmpgt_epi32(t, _mm256_xor_si256(x3, sign)));
    if ((b & 0xFFFFF) == 0xFFFF8) {  // drain before a lane could overflow
      alignas(32) int32_t v[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(v), acc);
      for (int32_t x : v) n += static_cast<uint64_t>(-static_cast<int64_t>(x));
      acc = _mm256_setzero_si256();
    }
  }
  alignas(32) int32_t v[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(v), acc);
  for (int32_t x : v) n += static_cast<uint64_t>(-static_cast<int64_t>(x));
  return n + ScalarCount(first + b, c2, c3, k0, k1, count - b, threshold);
}

}  // namespace

uint64_t PhiloxCountBelow(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                          size_t count, uint32_t threshold) {
  static const bool kAvx2 = __builtin_cpu_supports("avx2");
  return kAvx2 ? Avx2Count(first, c2, c3, k0, k1, count, threshold)
               : ScalarCount(first, c2, c3, k0, k1, count, threshold);
}

void PhiloxBlocks(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, uint32_t* out,
                  size_t count) {
  static const bool kAvx2 = __builtin_cpu_supports("avx2");
  if (kAvx2) {
    Avx2(first, c2, c3, k0, k1, out, count);
  } else {
    Scalar(first, c2, c3, k0, k1, out, count);
  }
}

}  // namespace corridor::risk
