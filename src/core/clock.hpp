#pragma once
// Clock: the only source of "now". Services receive one; tests inject a ManualClock so that
// dates, overdue status and timestamps are reproducible. Implementations are thread-safe.
#include <atomic>
#include <cstdint>

#include "core/date.hpp"

namespace corridor {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual int64_t NowMicros() const = 0;
  // Today's date in China Standard Time (UTC+8), the platform's business calendar.
  Date Today() const;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_micros) : now_micros_(now_micros) {}
  int64_t NowMicros() const override { return now_micros_.load(); }
  void Set(int64_t now_micros) { now_micros_.store(now_micros); }
  void Advance(int64_t micros) { now_micros_.fetch_add(micros); }
  // Midnight UTC+8 of a date, in micros since the epoch.
  static int64_t MicrosAt(Date date);

 private:
  std::atomic<int64_t> now_micros_;
};

}  // namespace corridor
