#pragma once
// The storage format of raw telemetry: one block per series (project, indicator) and UTC day,
// holding that day's readings in time order. Byte layout (docs/formats/telemetry-block.md):
//
//   varint  count                      (≥ 1)
//   zigzag  t₀                         seconds since the Unix epoch
//   zigzag  v₀                         the stored value (IndicatorSpec::scale units)
//   then for each later reading i:
//   zigzag  (tᵢ − tᵢ₋₁) − (tᵢ₋₁ − tᵢ₋₂)  the change of the interval (Δt₋₁ = 0 for i = 1)
//   zigzag  vᵢ − vᵢ₋₁
//
// Varints are LEB128 (7 bits a byte, low first), zigzag maps 0, −1, 1, −2 … to 0, 1, 2, 3 ….
// Regular readings cost one byte for the time and one to three for the value, against 16 bytes
// for a plain (time, value) pair; the values are integers, so the block is exact. Pure;
// thread-safe.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::monitor {

struct Point {
  int64_t t_s = 0;
  int64_t value = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

// `points` strictly increasing in time (a CHECK: the store sorts and deduplicates first).
std::string EncodeBlock(std::span<const Point> points);
// Errors (kInvalidArgument on /block) for a truncated block, an overlong varint, trailing bytes,
// a count above `max_points`, or times that do not increase.
Result<std::vector<Point>> DecodeBlock(std::string_view bytes, size_t max_points = 1'000'000);

}  // namespace corridor::risk::monitor
