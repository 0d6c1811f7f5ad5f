#include "core/date.hpp"

#include <gtest/gtest.h>

namespace corridor {
namespace {

TEST(Date, EpochAndKnownDays) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1)->days_since_epoch(), 0);
  // 2000-03-01 is day 11017 after the epoch (POSIX time 951868800 / 86400).
  EXPECT_EQ(Date::FromYmd(2000, 3, 1)->days_since_epoch(), 11017);
  // 2026-11-23: POSIX time 1795392000 / 86400 = 20780.
  EXPECT_EQ(Date::FromYmd(2026, 11, 23)->days_since_epoch(), 20780);
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  Date d = *Date::FromYmd(1900, 1, 1);
  const Date end = *Date::FromYmd(2300, 1, 1);
  for (; d < end; d = d.AddDays(1)) {
    ASSERT_EQ(Date::Parse(d.ToString())->days_since_epoch(), d.days_since_epoch());
  }
}

TEST(Date, ParseIsStrict) {
  EXPECT_FALSE(Date::Parse("2025-02-29"));
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2025-13-01"));
  EXPECT_FALSE(Date::Parse("2025-1-01"));
  EXPECT_FALSE(Date::Parse("20250101"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));  // 1900 is not a leap year
  EXPECT_TRUE(Date::Parse("2000-02-29"));   // 2000 is
}

TEST(Date, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(Date::Parse("2024-01-31")->AddMonths(1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2025-01-31")->AddMonths(1).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2025-01-31")->AddMonths(3).ToString(), "2025-04-30");
  EXPECT_EQ(Date::Parse("2025-12-15")->AddMonths(1).ToString(), "2026-01-15");
  EXPECT_EQ(Date::Parse("2025-03-31")->AddMonths(-1).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2025-06-15")->AddMonths(120).ToString(), "2035-06-15");
}

}  // namespace
}  // namespace corridor
