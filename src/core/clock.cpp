#include "core/clock.hpp"

#include <chrono>

namespace corridor {
namespace {
constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr int64_t kCstOffsetMicros = 8LL * 3600 * 1'000'000;
}  // namespace

Date Clock::Today() const {
  const int64_t local = NowMicros() + kCstOffsetMicros;
  const int64_t days =
      local >= 0 ? local / kMicrosPerDay : (local - kMicrosPerDay + 1) / kMicrosPerDay;
  return Date::FromDays(static_cast<int32_t>(days));
}

int64_t SystemClock::NowMicros() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t ManualClock::MicrosAt(Date date) {
  return static_cast<int64_t>(date.days_since_epoch()) * kMicrosPerDay - kCstOffsetMicros;
}

}  // namespace corridor
