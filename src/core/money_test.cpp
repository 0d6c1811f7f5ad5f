#include "core/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace corridor {
namespace {

TEST(Money, FormatsYuanWithGrouping) {
  // Chifeng's platform total as published (seed 003): 4.228 billion yuan.
  EXPECT_EQ(Money::FromFen(422'800'000'000).FormatYuan(),
            "\xC2\xA5"
            "4,228,000,000.00");
  EXPECT_EQ(Money::FromFen(0).FormatYuan(),
            "\xC2\xA5"
            "0.00");
  EXPECT_EQ(Money::FromFen(5).FormatYuan(),
            "\xC2\xA5"
            "0.05");
  EXPECT_EQ(Money::FromFen(100'000).FormatYuan(),
            "\xC2\xA5"
            "1,000.00");
  EXPECT_EQ(Money::FromFen(99'999).FormatYuan(),
            "\xC2\xA5"
            "999.99");
  EXPECT_EQ(Money::FromFen(-150).FormatYuan(),
            "-\xC2\xA5"
            "1.50");
  EXPECT_EQ(Money::FromFen(std::numeric_limits<int64_t>::min()).FormatYuan(),
            "-\xC2\xA5"
            "92,233,720,368,547,758.08");
}

TEST(Money, ParsesWhatItFormats) {
  for (int64_t fen : {0LL, 1LL, 99LL, 100LL, 123456789LL, -42LL, 422'800'000'000LL}) {
    const Money m = Money::FromFen(fen);
    EXPECT_EQ(Money::Parse(m.FormatYuan())->fen(), fen) << m.FormatYuan();
    EXPECT_EQ(Money::Parse(m.FormatPlain())->fen(), fen) << m.FormatPlain();
  }
  EXPECT_EQ(Money::Parse("12.3")->fen(), 1230);
  EXPECT_EQ(Money::Parse("12")->fen(), 1200);
}

TEST(Money, RejectsThirdDecimalAndGarbage) {
  EXPECT_FALSE(Money::Parse("1.005"));
  EXPECT_FALSE(Money::Parse("abc"));
  EXPECT_FALSE(Money::Parse(""));
  EXPECT_FALSE(Money::Parse("99999999999999999999"));
}

TEST(Money, ArithmeticIsCheckedForOverflow) {
  const Money max = Money::FromFen(std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(max.Plus(Money::FromFen(1)));
  EXPECT_FALSE(Money::FromFen(std::numeric_limits<int64_t>::min()).Minus(Money::FromFen(1)));
  EXPECT_FALSE(max.Times(2));
  EXPECT_EQ(Money::FromFen(7).Plus(Money::FromFen(5))->fen(), 12);
  EXPECT_FALSE(Money::FromYuan(std::numeric_limits<int64_t>::max() / 10));
}

TEST(Money, ApplyBpsRoundsHalfAwayFromZero) {
  // 1 fen * 5000 bp = 0.5 fen -> 1 fen; -0.5 -> -1.
  EXPECT_EQ(Money::FromFen(1).ApplyBps(5000)->fen(), 1);
  EXPECT_EQ(Money::FromFen(-1).ApplyBps(5000)->fen(), -1);
  EXPECT_EQ(Money::FromFen(1).ApplyBps(4999)->fen(), 0);
  // 1,000,000.00 yuan at 435 bp = 43,500.00 yuan.
  EXPECT_EQ(Money::FromFen(100'000'000).ApplyBps(435)->fen(), 4'350'000);
  // Products that overflow 64 bits internally are still exact.
  EXPECT_EQ(Money::FromFen(std::numeric_limits<int64_t>::max()).MulDiv(3, 3)->fen(),
            std::numeric_limits<int64_t>::max());
}

}  // namespace
}  // namespace corridor
