#include "domain/rates.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace corridor::domain {
namespace {

// LPR fixings published by the National Interbank Funding Center.
std::vector<LprEntry> Table() {
  return {
      {*Date::Parse("2024-07-22"), LprTenor::kOneYear, 335},
      {*Date::Parse("2024-10-21"), LprTenor::kOneYear, 310},
      {*Date::Parse("2025-05-20"), LprTenor::kOneYear, 300},
      {*Date::Parse("2024-10-21"), LprTenor::kFiveYear, 360},
      {*Date::Parse("2025-05-20"), LprTenor::kFiveYear, 350},
  };
}

TEST(Lpr, UsesTheRateInForceOnTheDate) {
  const auto t = Table();
  EXPECT_EQ(LprOn(t, LprTenor::kOneYear, *Date::Parse("2025-01-15")), 310);
  EXPECT_EQ(LprOn(t, LprTenor::kOneYear, *Date::Parse("2025-05-20")), 300);
  EXPECT_EQ(LprOn(t, LprTenor::kOneYear, *Date::Parse("2025-05-19")), 310);
  EXPECT_EQ(LprOn(t, LprTenor::kFiveYear, *Date::Parse("2025-06-01")), 350);
  EXPECT_FALSE(LprOn(t, LprTenor::kOneYear, *Date::Parse("2024-01-01")).has_value());
  EXPECT_EQ(TenorForTerm(60), LprTenor::kOneYear);
  EXPECT_EQ(TenorForTerm(61), LprTenor::kFiveYear);
}

TEST(EntrepreneurshipRate, BorrowerPaysAtMostLprMinus150bp) {
  // 财金〔2020〕21号: borrower pays at most LPR - 150 bp; the rest is subsidised.
  // LPR 3.00%, contract 4.50%: borrower 1.50%, subsidy 3.00%.
  auto s = *SplitEntrepreneurshipRate(450, 300, kDefaultEntrepreneurshipSpreadBps);
  EXPECT_EQ(s.borrower_rate_bps, 150);
  EXPECT_EQ(s.subsidy_rate_bps, 300);
  // A contract rate already under the cap is paid in full by the borrower.
  s = *SplitEntrepreneurshipRate(100, 300, 150);
  EXPECT_EQ(s.borrower_rate_bps, 100);
  EXPECT_EQ(s.subsidy_rate_bps, 0);
  // The cap never goes below zero.
  s = *SplitEntrepreneurshipRate(200, 100, 150);
  EXPECT_EQ(s.borrower_rate_bps, 0);
  EXPECT_EQ(s.subsidy_rate_bps, 200);
  // A city may set a wider spread.
  s = *SplitEntrepreneurshipRate(450, 300, 250);
  EXPECT_EQ(s.borrower_rate_bps, 50);
  EXPECT_FALSE(SplitEntrepreneurshipRate(-1, 300, 150));
}

}  // namespace
}  // namespace corridor::domain
