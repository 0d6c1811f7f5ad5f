#include "service/kernel/log.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "store/testing.hpp"

namespace corridor::service {
namespace {

TEST(SigningKey, CreatedOnceWithMode0600AndReloaded) {
  store::testing::TempDir dir;
  const std::string path = (dir.path() / "registry-signing.key").string();
  auto first = LoadOrCreateSigningKey(path, "corridor.test/registry");
  ASSERT_TRUE(first) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The second start loads the same key, whatever origin it is given.
  auto again = LoadOrCreateSigningKey(path, "other.origin/x");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Verifier().ToString(), first->Verifier().ToString());
  EXPECT_EQ(again->name(), "corridor.test/registry");
  // A key file others can read is refused, naming the file.
  std::filesystem::permissions(path, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  auto exposed = LoadOrCreateSigningKey(path, "corridor.test/registry");
  ASSERT_FALSE(exposed);
  EXPECT_NE(exposed.error().message.find("chmod 600"), std::string::npos);
  // A bad origin for a new key is refused.
  EXPECT_FALSE(LoadOrCreateSigningKey((dir.path() / "k2").string(), "has space"));
}

TEST(LogEntry, EncodingIsCanonical) {
  const Json body = {{"b", 2}, {"a", "赤峰"}, {"c", {{"y", 1}, {"x", nullptr}}}};
  const std::string data = EncodeLogEntry(7, "policy.rule_changed", nullptr, body, 123);
  // docs/formats/registry-log.md §1: prefix, sorted keys, no whitespace, raw UTF-8.
  EXPECT_EQ(data,
            "corridor-log-entry/v1\n"
            "{\"actor\":null,\"body\":{\"a\":\"赤峰\",\"b\":2,\"c\":{\"x\":null,\"y\":1}},"
            "\"index\":7,\"kind\":\"policy.rule_changed\",\"time_us\":123}");
}

}  // namespace
}  // namespace corridor::service
