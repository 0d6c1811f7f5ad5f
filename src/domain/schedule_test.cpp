#include "domain/schedule.hpp"

#include <gtest/gtest.h>

namespace corridor::domain {
namespace {

LoanTerms Terms(int64_t principal_fen, int64_t bps, int32_t months, RepaymentMethod method) {
  return LoanTerms{.principal = Money::FromFen(principal_fen),
                   .annual_rate_bps = bps,
                   .term_months = months,
                   .method = method,
                   .start_date = *Date::Parse("2025-01-31")};
}

int64_t SumPrincipal(const Schedule& s) {
  int64_t sum = 0;
  for (const auto& i : s.installments) sum += i.principal.fen();
  return sum;
}

TEST(Schedule, EqualInstallmentMatchesTheAnnuityFormula) {
  // 1,000,000 yuan over 30 years at 4.90%: M = P r (1+r)^n / ((1+r)^n - 1) = 5,307.27 yuan
  // (r = 0.049 / 12, n = 360), the figure every Chinese mortgage calculator prints.
  EXPECT_EQ(EqualInstallmentPayment(Money::FromFen(100'000'000), 490, 360).fen(), 530'727);
  // 100,000 yuan over 12 months at 12%: r = 1%, M = 8,884.88 yuan (annuity tables).
  EXPECT_EQ(EqualInstallmentPayment(Money::FromFen(10'000'000), 1200, 12).fen(), 888'488);
  // Zero rate: principal / n.
  EXPECT_EQ(EqualInstallmentPayment(Money::FromFen(1200), 0, 12).fen(), 100);
}

TEST(Schedule, EqualInstallmentPaysLevelAmountsAndExactPrincipal) {
  const auto s = *BuildSchedule(Terms(100'000'000, 490, 360, RepaymentMethod::kEqualInstallment));
  ASSERT_EQ(s.installments.size(), 360u);
  for (size_t i = 0; i + 1 < s.installments.size(); ++i) {
    EXPECT_EQ(s.installments[i].payment.fen(), 530'727);
  }
  // The last payment absorbs rounding: within a few fen of the level payment.
  EXPECT_NEAR(s.installments.back().payment.fen(), 530'727, 400);
  EXPECT_EQ(SumPrincipal(s), 100'000'000);
  EXPECT_EQ(s.installments.back().balance.fen(), 0);
  // First month's interest: 1,000,000 * 0.049 / 12 = 4,083.33.
  EXPECT_EQ(s.installments[0].interest.fen(), 408'333);
  // Total interest is n*M - P up to the final adjustment: 910,617.20 yuan.
  EXPECT_NEAR(s.total_interest.fen(), 360LL * 530'727 - 100'000'000, 400);
}

TEST(Schedule, EqualPrincipalFallsByAConstantStep) {
  // Same loan by equal principal: first payment 2,777.78 + 4,083.33 = 6,861.11 yuan; total
  // interest P r (n + 1) / 2 = 737,041.67 yuan up to per-month rounding.
  const auto s = *BuildSchedule(Terms(100'000'000, 490, 360, RepaymentMethod::kEqualPrincipal));
  EXPECT_EQ(s.installments[0].payment.fen(), 686'111);
  EXPECT_EQ(s.installments[0].principal.fen(), 277'778);
  EXPECT_NEAR(s.total_interest.fen(), 73'704'167, 200);
  EXPECT_EQ(SumPrincipal(s), 100'000'000);
  // 100,000,000 - 277,778 * 359 = 277,698: the last installment absorbs the rounding.
  EXPECT_EQ(s.installments.back().principal.fen(), 277'698);
}

TEST(Schedule, BulletPaysInterestThenPrincipal) {
  const auto s = *BuildSchedule(Terms(50'000'000, 435, 12, RepaymentMethod::kBullet));
  for (int i = 0; i < 11; ++i) {
    EXPECT_EQ(s.installments[i].principal.fen(), 0);
    EXPECT_EQ(s.installments[i].interest.fen(), 181'250);  // 500,000 * 4.35% / 12
  }
  EXPECT_EQ(s.installments[11].principal.fen(), 50'000'000);
  EXPECT_EQ(s.total_interest.fen(), 12 * 181'250);
}

TEST(Schedule, DueDatesClampToMonthEnd) {
  const auto s = *BuildSchedule(Terms(1'000'000, 500, 3, RepaymentMethod::kEqualPrincipal));
  EXPECT_EQ(s.installments[0].due_date.ToString(), "2025-02-28");
  EXPECT_EQ(s.installments[1].due_date.ToString(), "2025-03-31");
  EXPECT_EQ(s.installments[2].due_date.ToString(), "2025-04-30");
}

TEST(Schedule, PrincipalAlwaysSumsExactly) {
  for (int64_t p : {1LL, 7LL, 999LL, 123'456'789LL, 100'000'000'000'000LL}) {
    for (int32_t n : {1, 7, 13, 360, 600}) {
      for (auto m : {RepaymentMethod::kEqualInstallment, RepaymentMethod::kEqualPrincipal,
                     RepaymentMethod::kBullet}) {
        const auto s = BuildSchedule(Terms(p, 385, n, m));
        ASSERT_TRUE(s);
        ASSERT_EQ(SumPrincipal(*s), p) << p << " " << n << " " << ToString(m);
        for (const auto& i : s->installments) {
          ASSERT_GE(i.principal.fen(), 0);
          ASSERT_EQ(i.payment.fen(), i.principal.fen() + i.interest.fen());
        }
      }
    }
  }
}

TEST(Schedule, RejectsBadTermsNamingEachField) {
  const auto r = BuildSchedule(Terms(0, -1, 0, RepaymentMethod::kBullet));
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].field, "/principal_fen");
  EXPECT_EQ(r.error().fields[1].field, "/annual_rate_bps");
  EXPECT_EQ(r.error().fields[2].field, "/term_months");
  EXPECT_FALSE(ParseRepaymentMethod("balloon"));
}

}  // namespace
}  // namespace corridor::domain
