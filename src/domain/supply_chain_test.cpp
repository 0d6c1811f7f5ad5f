// The core enterprise's cap on its ecosystem's financing (seed 002 §4.4: at most 30%).
#include "domain/supply_chain.hpp"

#include <gtest/gtest.h>

namespace corridor::domain {
namespace {

TEST(CoreCap, DefaultIsThirtyPercent) { EXPECT_EQ(kDefaultCoreCapBps, 3'000); }

TEST(CoreCap, ThirtyPercentExactlyIsWithinOneFenMoreIsNot) {
  // 300,000.00 of 1,000,000.00 yuan is exactly 30%: allowed ("at most").
  EXPECT_TRUE(WithinCoreCap(30'000'000, 100'000'000, kDefaultCoreCapBps));
  // One fen more is above it.
  EXPECT_FALSE(WithinCoreCap(30'000'001, 100'000'000, kDefaultCoreCapBps));
  EXPECT_TRUE(WithinCoreCap(0, 0, kDefaultCoreCapBps));
  // Amounts near the int64 range compare exactly.
  EXPECT_TRUE(WithinCoreCap(2'700'000'000'000'000'000, 9'000'000'000'000'000'000, 3'000));
  EXPECT_FALSE(WithinCoreCap(2'700'000'000'000'000'001, 9'000'000'000'000'000'000, 3'000));
}

TEST(CoreCap, HeadroomIsTheLargestLoanThatKeepsTheCore) {
  // Core 10 of 100: x with (10 + x) / (100 + x) <= 0.3 is x <= 20 / 0.7 = 28.57: 28 fen.
  EXPECT_EQ(CoreCapHeadroom(10, 100, 3'000), 28);
  EXPECT_TRUE(WithinCoreCap(10 + 28, 100 + 28, 3'000));
  EXPECT_FALSE(WithinCoreCap(10 + 29, 100 + 29, 3'000));
  EXPECT_EQ(CoreCapHeadroom(40, 100, 3'000), 0);            // above the cap already
  EXPECT_EQ(CoreCapHeadroom(5, 10, 10'000), std::nullopt);  // a cap of 100% is no limit
}

}  // namespace
}  // namespace corridor::domain
