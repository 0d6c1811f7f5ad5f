#pragma once
// Metrics: request counts and latency histograms per route, exported in the Prometheus text
// format at /metrics. Lock-free: every counter is a relaxed atomic, so recording costs a few
// nanoseconds on the request path. Thread-safe.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace corridor::api {

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> route_labels);

  // route: index into the labels given at construction; status: HTTP status.
  void Record(size_t route, int status, int64_t micros);
  std::string Render() const;

  static constexpr std::array<int64_t, 10> kBucketMicros = {
      100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 100'000, 1'000'000};

 private:
  struct RouteStats {
    std::array<std::atomic<uint64_t>, 6> by_class{};  // 1xx..5xx, index 0 unused
    std::array<std::atomic<uint64_t>, kBucketMicros.size() + 1> buckets{};
    std::atomic<uint64_t> sum_micros{0};
  };
  std::vector<std::string> labels_;
  std::unique_ptr<RouteStats[]> stats_;
};

}  // namespace corridor::api
