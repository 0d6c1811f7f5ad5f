#include "api/home_page.hpp"

#include <gtest/gtest.h>

namespace corridor::api {
namespace {

TEST(HomePage, ShowsChifengsPublishedFiguresWithGrouping) {
  // Seed 003: 125,000 registered, 107,000 verified, 5,185 deals, 4.228 billion yuan.
  const auto html = RenderHomePage({{"registered", 125'000},
                                    {"verified", 107'000},
                                    {"deals", 5'185},
                                    {"amount_financed_fen", 422'800'000'000}});
  EXPECT_NE(html.find(">125,000<"), std::string::npos);
  EXPECT_NE(html.find(">107,000<"), std::string::npos);
  EXPECT_NE(html.find(">5,185<"), std::string::npos);
  EXPECT_NE(html.find(">\xC2\xA5"
                      "4,228,000,000.00<"),
            std::string::npos);
  EXPECT_NE(html.find("实名认证"), std::string::npos);
  EXPECT_NE(html.find("Verified enterprises"), std::string::npos);
}

TEST(HomePage, GroupsDigitsInThousands) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(1000), "1,000");
  EXPECT_EQ(GroupDigits(-1234567), "-1,234,567");
}

}  // namespace
}  // namespace corridor::api
