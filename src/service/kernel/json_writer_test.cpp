#include "service/kernel/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace corridor::service {
namespace {

TEST(JsonWriter, WritesValidJsonThatRoundTrips) {
  const std::string tricky = "quote \" backslash \\ newline \n tab \t bell \x07 中文 ¥";
  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.Int(-9'223'372'036'854'775'807LL - 1);
  w.Key("name");
  w.Str(tricky);
  w.Key("items");
  w.BeginArray();
  w.Int(1);
  w.BeginObject();
  w.EndObject();
  w.Null();
  w.Bool(true);
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.Key("last");
  w.Bool(false);
  w.EndObject();
  const std::string text = w.Take();
  const auto j = nlohmann::json::parse(text);  // throws on invalid JSON
  EXPECT_EQ(j["id"].get<int64_t>(), INT64_MIN);
  EXPECT_EQ(j["name"].get<std::string>(), tricky);
  EXPECT_EQ(j["items"].size(), 5u);
  EXPECT_TRUE(j["items"][2].is_null());
  EXPECT_EQ(j["last"], false);
  // RFC 8259 §7: control characters are escaped as \u00XX.
  EXPECT_NE(text.find("\\u0007"), std::string::npos);
}

}  // namespace
}  // namespace corridor::service
