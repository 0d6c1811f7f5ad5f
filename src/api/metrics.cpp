#include "api/metrics.hpp"

#include <fmt/format.h>

namespace corridor::api {

Metrics::Metrics(std::vector<std::string> route_labels)
    : labels_(std::move(route_labels)), stats_(new RouteStats[labels_.size()]) {}

void Metrics::Record(size_t route, int status, int64_t micros) {
  if (route >= labels_.size()) return;
  RouteStats& s = stats_[route];
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5)
    s.by_class[static_cast<size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBucketMicros.size() && micros > kBucketMicros[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP corridor_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE corridor_http_requests_total counter\n";
  for (size_t r = 0; r < labels_.size(); ++r) {
    for (size_t cls = 1; cls <= 5; ++cls) {
      const uint64_t n = stats_[r].by_class[cls].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("corridor_http_requests_total{{route=\"{}\",code=\"{}xx\"}} {}\n",
                         labels_[r], cls, n);
    }
  }
  out +=
      "# HELP corridor_http_request_duration_seconds Time from request parsed to response "
      "ready.\n";
  out += "# TYPE corridor_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < labels_.size(); ++r) {
    const RouteStats& s = stats_[r];
    uint64_t cumulative = 0;
    std::string lines;
    for (size_t b = 0; b < kBucketMicros.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      lines += fmt::format(
          "corridor_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
          labels_[r], static_cast<double>(kBucketMicros[b]) / 1e6, cumulative);
    }
    cumulative += s.buckets[kBucketMicros.size()].load(std::memory_order_relaxed);
    if (cumulative == 0) continue;
    out += lines;
    out += fmt::format(
        "corridor_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
        labels_[r], cumulative);
    out += fmt::format("corridor_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       labels_[r], static_cast<double>(s.sum_micros.load()) / 1e6);
    out += fmt::format("corridor_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       labels_[r], cumulative);
  }
  return out;
}

}  // namespace corridor::api
