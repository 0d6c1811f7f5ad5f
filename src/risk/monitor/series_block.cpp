#include "risk/monitor/series_block.hpp"

#include "core/check.hpp"

namespace corridor::risk::monitor {
namespace {

// Zigzag of a difference: the arithmetic is done in uint64 so that any two int64 may be
// subtracted (wrapping) and the decoder, wrapping the same way, restores them exactly.
uint64_t Zigzag(uint64_t d) { return (d << 1) ^ (0 - (d >> 63)); }
uint64_t Unzigzag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    const auto byte = static_cast<uint8_t>(in[pos++]);
    if (shift == 63 && byte > 1) return false;  // more than 64 bits
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

std::string EncodeBlock(std::span<const Point> points) {
  std::string out;
  out.reserve(4 + 3 * points.size());
  PutVarint(out, points.size());
  if (points.empty()) return out;
  PutVarint(out, Zigzag(static_cast<uint64_t>(points[0].t_s)));
  PutVarint(out, Zigzag(static_cast<uint64_t>(points[0].value)));
  uint64_t last_interval = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    CORRIDOR_CHECK(points[i].t_s > points[i - 1].t_s);
    const uint64_t interval =
        static_cast<uint64_t>(points[i].t_s) - static_cast<uint64_t>(points[i - 1].t_s);
    PutVarint(out, Zigzag(interval - last_interval));
    PutVarint(out, Zigzag(static_cast<uint64_t>(points[i].value) -
                          static_cast<uint64_t>(points[i - 1].value)));
    last_interval = interval;
  }
  return out;
}

Result<std::vector<Point>> DecodeBlock(std::string_view bytes, size_t max_points) {
  const auto bad = [](const char* why) {
    return Fail(Error::Invalid("/block", std::string("is not a telemetry block: ") + why));
  };
  size_t pos = 0;
  uint64_t count = 0;
  if (!GetVarint(bytes, pos, count)) return bad("truncated count");
  if (count > max_points) return bad("too many readings");
  std::vector<Point> points;
  points.reserve(static_cast<size_t>(count));
  uint64_t t = 0, v = 0, interval = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t dt = 0, dv = 0;
    if (!GetVarint(bytes, pos, dt) || !GetVarint(bytes, pos, dv)) return bad("truncated reading");
    if (i == 0) {
      t = Unzigzag(dt);
      v = Unzigzag(dv);
    } else {
      interval += Unzigzag(dt);
      if (interval == 0 || interval > (uint64_t{1} << 62)) return bad("times do not increase");
      t += interval;
      v += Unzigzag(dv);
      if (static_cast<int64_t>(t) <= points.back().t_s) return bad("times do not increase");
    }
    points.push_back({static_cast<int64_t>(t), static_cast<int64_t>(v)});
  }
  if (pos != bytes.size()) return bad("trailing bytes");
  return points;
}

}  // namespace corridor::risk::monitor
