#pragma once
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC11) for many consecutive counters at once, laid
// out so the compiler vectorizes the rounds (the 32×32→64 products map onto vpmuludq). Output
// block b is Philox4x32-10 of counter (first + b, c2, c3) under key (k0, k1), element for element
// what Random123's philox4x32 returns; out holds 4·count words, block after block.
#include <cstddef>
#include <cstdint>

namespace corridor::risk {

void PhiloxBlocks(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, uint32_t* out,
                  size_t count);

// How many of the 4·count words of those blocks are below `threshold`, without storing them.
uint64_t PhiloxCountBelow(uint64_t first, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                          size_t count, uint32_t threshold);

}  // namespace corridor::risk
