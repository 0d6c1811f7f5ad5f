#include "core/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace corridor {
namespace {

// The largest remainder (Hamilton) method: floors first, the leftover units to the largest
// remainders, ties to the earlier weight; the parts always sum to the amount.
TEST(SplitLargestRemainder, PartsSumToTheAmountAndLeftoversGoToLargestRemainders) {
  // 100 fen by 1:1:1 is 33, 33, 33 and one fen left: the remainders tie, the first party takes it.
  EXPECT_EQ(*SplitLargestRemainder(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  // 1,000 fen by the compensation pool's 3:4:3 (seed 002) is exact.
  EXPECT_EQ(*SplitLargestRemainder(1'000, {3, 4, 3}), (std::vector<int64_t>{300, 400, 300}));
  // 7 by 1:2:4 has floors 1, 2, 4 exactly; 8 by 1:2:4: 8/7, 16/7, 32/7 = 1.14, 2.29, 4.57 floors
  // 1, 2, 4 and the one left goes to the largest remainder, 4/7 of the third.
  EXPECT_EQ(*SplitLargestRemainder(8, {1, 2, 4}), (std::vector<int64_t>{1, 2, 5}));
  EXPECT_EQ(*SplitLargestRemainder(0, {5, 0, 2}), (std::vector<int64_t>{0, 0, 0}));
  // Amounts near the top of int64 and large weights do not overflow (128-bit products).
  const int64_t big = 4'000'000'000'000'000'000;
  const auto parts = *SplitLargestRemainder(big, {999'999'937, 1, 123'456'789});
  EXPECT_EQ(parts[0] + parts[1] + parts[2], big);
  EXPECT_EQ(SplitLargestRemainder(-1, {1}).error().fields.at(0).field, "/amount_fen");
  EXPECT_EQ(SplitLargestRemainder(5, {1, -1}).error().fields.at(0).field, "/weights");
  EXPECT_EQ(SplitLargestRemainder(5, {0, 0}).error().fields.at(0).field, "/weights");
}

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
