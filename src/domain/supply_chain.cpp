#include "domain/supply_chain.hpp"

namespace corridor::domain {

bool WithinCoreCap(Int128 core_fen, Int128 total_fen, int64_t cap_bps) {
  return core_fen * 10'000 <= static_cast<Int128>(cap_bps) * total_fen;
}

std::optional<int64_t> CoreCapHeadroom(int64_t core_fen, int64_t total_fen, int64_t cap_bps) {
  if (cap_bps >= 10'000) return std::nullopt;
  const Int128 room = static_cast<Int128>(cap_bps) * total_fen - Int128{10'000} * core_fen;
  if (room <= 0) return 0;
  return static_cast<int64_t>(room / (10'000 - cap_bps));
}

}  // namespace corridor::domain
