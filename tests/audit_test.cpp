// `corridor audit` against a running server: it verifies a growing log, and it exits non-zero
// with a clear message once a stored entry is rewritten behind the server's back, or once the
// log's history is rebuilt under the same key.
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdio>

#include "api_fixture.hpp"
#include "process.hpp"

namespace corridor::testing {
namespace {

class AuditTest : public ApiFixture {
 protected:
  CommandResult Audit(int port, const std::string& args) {
    return RunCommand(fmt::format(
        "{} audit --url http://127.0.0.1:{} --verifier-key '{}' --checkpoint {} {} 2>&1",
        CORRIDOR_BIN, port, verifier_key_, (dir_.path() / "saved.checkpoint").string(), args));
  }

  std::string verifier_key_;
};

TEST_F(AuditTest, DetectsARewrittenEntryAndARewrittenHistory) {
  const std::string db = (dir_.path() / "corridor.db").string();
  auto lpr = [&](int port, int day) {
    const Json body{{"effective_date", fmt::format("2025-07-{:02d}", day)},
                    {"tenor", "1y"},
                    {"rate_bps", 300 + day}};
    return HttpCall(port, "POST", "/api/v1/lpr", body.dump(), bureau_).status;
  };
  {
    ServerProcess server(db);
    ASSERT_GT(server.port(), 0);
    auto key = HttpCall(server.port(), "GET", "/api/v1/registry/key", "", "");
    ASSERT_EQ(key.status, 200);
    verifier_key_ = Json::parse(key.body)["verifier_key"].get<std::string>();
    for (int d = 1; d <= 5; ++d) ASSERT_EQ(lpr(server.port(), d), 200);

    auto first = Audit(server.port(), "");
    EXPECT_EQ(first.exit_code, 0) << first.output;
    EXPECT_NE(first.output.find("trusting this one"), std::string::npos);

    for (int d = 6; d <= 12; ++d) ASSERT_EQ(lpr(server.port(), d), 200);
    const std::string token = "--token " + bureau_;
    auto grown = Audit(server.port(), "--entry 0 --entry 3 --entry 11 " + token);
    EXPECT_EQ(grown.exit_code, 0) << grown.output;
    EXPECT_NE(grown.output.find("consistent with the saved checkpoint of size 5"),
              std::string::npos)
        << grown.output;
    // Every entry the bureau's token may read: all twelve.
    auto all = Audit(server.port(), "--all-entries " + token);
    EXPECT_EQ(all.exit_code, 0) << all.output;
    EXPECT_NE(all.output.find("12 entries readable with this token, every one included; 0 not"),
              std::string::npos)
        << all.output;

    // Rewrite entry 3 behind the server's back: the rate in it becomes another number.
    auto tampered = store_->Write([&](store::Connection& c) -> Result<int64_t> {
      auto q =
          CORRIDOR_TRY(store::Query::Make(c, "SELECT data FROM registry_entries WHERE idx = 3"));
      CORRIDOR_TRY(q.Next());
      std::string data = q.Text(0);
      const auto at = data.find("\"rate_bps\":304");
      EXPECT_NE(at, std::string::npos) << data;
      data.replace(at, 14, "\"rate_bps\":204");
      return store::Execute(c, "UPDATE registry_entries SET data = ? WHERE idx = 3",
                            store::Blob{data});
    });
    ASSERT_TRUE(tampered);
    auto caught = Audit(server.port(), "--entry 3 " + token);
    EXPECT_EQ(caught.exit_code, 1) << caught.output;
    EXPECT_NE(caught.output.find("VERIFICATION FAILED: entry 3"), std::string::npos)
        << caught.output;
    auto swept = Audit(server.port(), "--all-entries " + token);
    EXPECT_EQ(swept.exit_code, 1) << swept.output;
    EXPECT_NE(swept.output.find("VERIFICATION FAILED: entry 3"), std::string::npos);
    EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
  }
  // Now the operator rebuilds the tree from the rewritten entries and signs it with the same
  // key: the checkpoint is validly signed but contradicts the auditor's saved one.
  auto rebuilt = store_->Write([&](store::Connection& c) -> Result<int64_t> {
    CORRIDOR_TRY(store::Execute(c, "DELETE FROM registry_tiles"));
    CORRIDOR_TRY(store::Execute(c, "DELETE FROM registry_leaves"));
    return store::Execute(c, "DELETE FROM registry_checkpoints");
  });
  ASSERT_TRUE(rebuilt);
  ServerProcess again(db);
  ASSERT_GT(again.port(), 0);
  auto caught = Audit(again.port(), "");
  EXPECT_EQ(caught.exit_code, 1) << caught.output;
  EXPECT_NE(caught.output.find("the log was rewritten"), std::string::npos) << caught.output;
  // A wrong key is a verification failure too, not a crash.
  verifier_key_ = registry::NoteSigner::Generate("corridor.chifeng/registry").Verifier().ToString();
  EXPECT_EQ(Audit(again.port(), "").exit_code, 1);
  EXPECT_EQ(again.SignalAndWait(SIGTERM), 0);
}

}  // namespace
}  // namespace corridor::testing
