#pragma once
// The RFC 9162 node hash on the x86 SHA extensions; hash.cpp uses it when the CPU has them.
#include <cstddef>
#include <cstdint>

namespace corridor::registry::internal {

bool HaveShaNi();
// SHA-256(0x01 || left || right). Only call when HaveShaNi().
void NodeHashShaNi(const uint8_t left[32], const uint8_t right[32], uint8_t out[32]);
// parents[i] = SHA-256(0x01 || children[2i] || children[2i + 1]), 32-byte hashes packed; two
// at a time. Only call when HaveShaNi().
void NodeHashPairsShaNi(const uint8_t* children, size_t pairs, uint8_t* parents);

}  // namespace corridor::registry::internal
