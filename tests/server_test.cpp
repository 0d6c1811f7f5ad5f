// The real `corridor serve` binary: it binds to 127.0.0.1, speaks HTTP/1.1 with the API's JSON,
// and drains on SIGTERM, answering requests already in flight before it exits with status 0.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.hpp"
#include "store/testing.hpp"

namespace corridor::testing {
namespace {

TEST(Server, ServesThePublicStatisticsAndHealth) {
  store::testing::TempDir dir;
  ServerProcess server((dir.path() / "c.db").string());
  ASSERT_GT(server.port(), 0);
  auto health = HttpCall(server.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  auto stats = HttpCall(server.port(), "GET", "/api/v1/stats");
  ASSERT_EQ(stats.status, 200);
  const auto j = nlohmann::json::parse(stats.body);
  EXPECT_EQ(j["registered"], 0);
  EXPECT_EQ(j["deals"], 0);
  auto invalid = HttpCall(server.port(), "POST", "/api/v1/enterprises", R"({"uscc": "123"})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.headers.find("application/problem+json"), std::string::npos);
  auto unauthorized = HttpCall(server.port(), "GET", "/api/v1/loans");
  EXPECT_EQ(unauthorized.status, 401);
  auto metrics = HttpCall(server.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("corridor_http_requests_total"), std::string::npos);
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

TEST(Server, DrainsOnSigtermWithoutDroppingRequests) {
  store::testing::TempDir dir;
  ServerProcess server((dir.path() / "c.db").string());
  ASSERT_GT(server.port(), 0);
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      while (!stop.load()) {
        auto r = HttpCall(server.port(), "GET", "/api/v1/stats");
        if (r.status == 200) {
          ok++;
        } else if (r.status != 0) {
          bad++;  // a response other than success, e.g. a truncated one
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace corridor::testing
