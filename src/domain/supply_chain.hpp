#pragma once
// The supply-chain rule of seed 002 (§4.4): a core enterprise's share of its ecosystem's
// outstanding financing is capped — at most 30% unless the bureau sets another cap — so that the
// chain's credit does not pool on the firm whose default would take everyone with it. Exact:
// integer fen and basis points, compared in 128-bit. Pure; thread-safe.
#include <cstdint>
#include <optional>

#include "core/int128.hpp"

namespace corridor::domain {

// The cap when the bureau names none: 3,000 bp = 30%.
inline constexpr int64_t kDefaultCoreCapBps = 3'000;

// Whether the core's outstanding financing `core_fen` out of the ecosystem's `total_fen` is at
// most `cap_bps` of it (a total of zero holds no share). 128-bit, so that a sum with a new loan
// cannot overflow.
bool WithinCoreCap(Int128 core_fen, Int128 total_fen, int64_t cap_bps);

// How much more may be lent to the core now, in fen, with the total growing by the same amount:
// the largest x with (core + x) / (total + x) ≤ cap. None for a cap of 100% (no limit); 0 when
// the core is at or above the cap already.
std::optional<int64_t> CoreCapHeadroom(int64_t core_fen, int64_t total_fen, int64_t cap_bps);

}  // namespace corridor::domain
