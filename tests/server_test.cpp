// The real `corridor serve` binary: it binds to 127.0.0.1, speaks HTTP/1.1 with the API's JSON,
// and drains on SIGTERM, answering requests already in flight before it exits with status 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
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

// The number of HTTP responses in what a server sent, and the status of each.
std::vector<int> Statuses(const std::string& sent) {
  std::vector<int> out;
  for (size_t at = sent.find("HTTP/1.1 "); at != std::string::npos;
       at = sent.find("HTTP/1.1 ", at + 1)) {
    const std::string code = sent.substr(at + 9, 3);
    if (code.size() != 3 || !std::all_of(code.begin(), code.end(), ::isdigit)) continue;
    out.push_back(std::stoi(code));
  }
  return out;
}

// RFC 9112 framing: nothing after a request whose length is in doubt may run as a second request
// (smuggling); each refusal is answered, its problem document's status is the status sent, and
// the connection is closed.
TEST(Server, RefusesAmbiguousFramingAndClosesTheConnection) {
  store::testing::TempDir dir;
  ServerProcess server((dir.path() / "c.db").string());
  ASSERT_GT(server.port(), 0);
  const std::string smuggled = "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string te : {"xchunked", "gzip", "identity", "chunked, identity", "chunked"}) {
    SCOPED_TRACE(te);
    // Content-Length covers the smuggled request; Transfer-Encoding says otherwise.
    const std::string req =
        "POST /api/v1/calc/uscc-validate HTTP/1.1\r\nHost: x\r\n"
        "Transfer-Encoding: " +
        te + "\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled;
    const std::string sent = RawExchange(server.port(), req);
    EXPECT_EQ(Statuses(sent), std::vector<int>{400}) << sent;
    EXPECT_NE(sent.find("\"status\":400"), std::string::npos) << sent;
  }
  // A coding other than chunked, without Content-Length: 501.
  const std::string gzip = RawExchange(server.port(),
                                       "POST /api/v1/calc/uscc-validate HTTP/1.1\r\nHost: x\r\n"
                                       "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" +
                                           smuggled);
  EXPECT_EQ(Statuses(gzip), std::vector<int>{501}) << gzip;
  EXPECT_NE(gzip.find("\"status\":501"), std::string::npos) << gzip;
  // No Host, or two: 400.
  EXPECT_EQ(Statuses(RawExchange(server.port(), "GET /healthz HTTP/1.1\r\n\r\n" + smuggled)),
            std::vector<int>{400});
  EXPECT_EQ(
      Statuses(RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")),
      std::vector<int>{400});
  // A header block beyond the limit: 431, not a silent close.
  const std::string big = RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                         std::string(40'000, 'a') + "\r\n\r\n");
  EXPECT_EQ(Statuses(big), std::vector<int>{431}) << big.substr(0, 200);
  EXPECT_NE(big.find("\"status\":431"), std::string::npos);
  // A body beyond the limit: 413, whose document says 413.
  const std::string large =
      RawExchange(server.port(),
                  "POST /api/v1/enterprises HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n"
                  "\r\n{");
  EXPECT_EQ(Statuses(large), std::vector<int>{413}) << large;
  EXPECT_NE(large.find("\"status\":413"), std::string::npos) << large;
  // A bulk upload (telemetry) takes up to 16 MiB: 2 MB is read (and refused for want of a
  // token), 17 MB is not.
  const std::string upload =
      RawExchange(server.port(),
                  "POST /api/v1/monitor/telemetry HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  "2000000\r\n\r\n" +
                      std::string(2'000'000, ' '));
  EXPECT_EQ(Statuses(upload), std::vector<int>{401}) << upload.substr(0, 300);
  const std::string huge = RawExchange(server.port(),
                                       "POST /api/v1/monitor/telemetry HTTP/1.1\r\nHost: "
                                       "x\r\nContent-Length: 17000000\r\n\r\n{");
  EXPECT_EQ(Statuses(huge), std::vector<int>{413}) << huge;
  // An unparsable request line: 400.
  EXPECT_EQ(Statuses(RawExchange(server.port(), "GET\x01 / HTTP/1.1\r\nHost: x\r\n\r\n")),
            std::vector<int>{400});
  // A wrong method: 405 in the status line and in the document.
  auto wrong = HttpCall(server.port(), "DELETE", "/api/v1/stats");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(wrong.body.find("\"status\":405"), std::string::npos) << wrong.body;
  // Chunked alone is fine, and keep-alive still carries a second request after a sound one.
  const std::string two =
      RawExchange(server.port(),
                  "POST /api/v1/calc/uscc-validate HTTP/1.1\r\nHost: x\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" +
                      std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(Statuses(two), (std::vector<int>{401, 200})) << two;
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

TEST(Server, AnswersCarrySecurityHeaders) {
  store::testing::TempDir dir;
  ServerProcess server((dir.path() / "c.db").string());
  ASSERT_GT(server.port(), 0);
  auto home = HttpCall(server.port(), "GET", "/");
  ASSERT_EQ(home.status, 200);
  for (const char* h : {"Content-Security-Policy: default-src 'self'", "frame-ancestors 'none'",
                        "X-Content-Type-Options: nosniff", "X-Frame-Options: DENY",
                        "Referrer-Policy: no-referrer"}) {
    EXPECT_NE(home.headers.find(h), std::string::npos) << h << "\n" << home.headers;
  }
  EXPECT_EQ(home.headers.find("unsafe-eval"), std::string::npos);
  auto api = HttpCall(server.port(), "GET", "/api/v1/loans", "", "cor_not-a-token");
  EXPECT_EQ(api.status, 401);
  EXPECT_NE(api.headers.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(api.headers.find("Cache-Control: no-store"), std::string::npos) << api.headers;
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

// One client holding hundreds of idle connections takes its own share, not the server: another
// address is served as before; when several hogs fill the server, /healthz and /metrics still
// answer from the reserve (and the rest 503); idle connections time out and free their places.
TEST(Server, OneClientCannotTakeTheServerFromEveryoneElse) {
  store::testing::TempDir dir;
  ServerProcess server((dir.path() / "c.db").string(),
                       {"--max-connections", "200", "--max-connections-per-address", "100",
                        "--idle-timeout-ms", "3000"});
  ASSERT_GT(server.port(), 0);
  const std::string stats = "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto hog = [&](const std::string& from, int count) {
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
      const int fd = Connect(server.port(), from);
      if (fd >= 0) fds.push_back(fd);
    }
    return fds;
  };
  // Whether `exchange` answers `want` within a few seconds: the server takes the hogs'
  // connections in its own time, later on a loaded machine, so the test waits for the state it
  // checks instead of sleeping a fixed time.
  auto eventually = [&](const std::string& request, const std::string& from,
                        const std::vector<int>& want, int timeout_ms = 1000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
      const auto got = Statuses(RawExchange(server.port(), request, from, timeout_ms));
      if (got == want || std::chrono::steady_clock::now() > deadline) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  std::vector<int> first = hog("127.0.0.2", 400);
  // Beyond its own hundred, the hog is closed at once; everyone else is served in full.
  EXPECT_EQ(eventually(stats, "127.0.0.2", {}), std::vector<int>{});
  EXPECT_EQ(Statuses(RawExchange(server.port(), stats, "127.0.0.3")), std::vector<int>{200});
  // A second hog fills the server: health and metrics answer from the reserve, the rest 503.
  std::vector<int> second = hog("127.0.0.4", 100);
  EXPECT_EQ(eventually(stats, "127.0.0.3", {503}), std::vector<int>{503});
  EXPECT_EQ(
      Statuses(RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.3")),
      std::vector<int>{200});
  const std::string metrics =
      RawExchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.5");
  EXPECT_EQ(Statuses(metrics), std::vector<int>{200});
  EXPECT_EQ(Statuses(RawExchange(server.port(), stats, "127.0.0.3")), std::vector<int>{503});
  // Idle connections time out (3 s here) and free their places.
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  EXPECT_EQ(eventually(stats, "127.0.0.2", {200}), std::vector<int>{200});
  for (int fd : first) ::close(fd);
  for (int fd : second) ::close(fd);
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

}  // namespace
}  // namespace corridor::testing
