// Green computations on cases worked by hand.
#include "green/green.hpp"

#include <gtest/gtest.h>

namespace corridor::green {
namespace {

TEST(GreenReserve, OnePercentAndDepositsToTheFen) {
  // Seed 003's 300-million-yuan loan: a 1% reserve of 3,000,000 yuan.
  auto r = GreenReserve(30'000'000'000, 0, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->risk_reserve_fen, 300'000'000);
  EXPECT_EQ(GreenReserve(12'345, 0, 0)->risk_reserve_fen, 123);  // 123.45 fen
  EXPECT_EQ(GreenReserve(150, 0, 0)->risk_reserve_fen, 2);       // 1.5 fen, half away from zero
  // 12.5 MW at 10,000 yuan per MW: 125,000 yuan.
  EXPECT_EQ(GreenReserve(0, 12'500'000, 1'000'000)->decommissioning_deposit_fen, 12'500'000);
  // 0.000001 MW at 1 fen per MW rounds to 0; 0.5 MW at 1 fen to 1.
  EXPECT_EQ(GreenReserve(0, 1, 1)->decommissioning_deposit_fen, 0);
  EXPECT_EQ(GreenReserve(0, 500'000, 1)->decommissioning_deposit_fen, 1);
  auto bad = GreenReserve(-1, 0, 0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/financing_fen");
}

TEST(SllMargin, StepsRatchetsAndClamps) {
  // Energy intensity met (1.1 ≤ 1.2): -5 bp; SO₂ missed (120 > 100): +5 bp when symmetric.
  const std::vector<Kpi> kpis = {{"energy_intensity", 1.2, 1.1, KpiDirection::kLowerIsBetter, 5},
                                 {"so2_tonnes", 100, 120, KpiDirection::kLowerIsBetter, 5},
                                 {"recycled_share", 0.3, 0.35, KpiDirection::kHigherIsBetter, 10}};
  auto sym = SustainabilityLinkedMargin(150, kpis, Ratchet::kSymmetric, 100, 200);
  ASSERT_TRUE(sym);
  EXPECT_EQ(sym->margin_bps, 140);  // 150 - 5 + 5 - 10
  EXPECT_FALSE(sym->adjustments[1].met);
  EXPECT_EQ(sym->adjustments[1].change_bps, 5);
  auto down = SustainabilityLinkedMargin(150, kpis, Ratchet::kDownwardOnly, 100, 200);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->margin_bps, 135);  // the miss costs nothing
  auto floored = SustainabilityLinkedMargin(150, kpis, Ratchet::kDownwardOnly, 138, 200);
  EXPECT_EQ(floored->margin_bps, 138);
  EXPECT_EQ(floored->unclamped_bps, 135);
  EXPECT_FALSE(SustainabilityLinkedMargin(150, kpis, Ratchet::kSymmetric, 300, 200));
}

TEST(Pcaf, AttributionScopesAndDataQuality) {
  // Loan 1: 10 of a firm's 100 equity + debt → 10%; loan 2: 50 of a listed firm's EVIC 200 → 25%.
  std::vector<PcafLoan> loans(2);
  loans[0].outstanding = 10;
  loans[0].total_equity_plus_debt = 100;
  loans[0].scope1 = 1'000;
  loans[0].scope2 = 200;
  loans[0].removals = 500;
  loans[0].credits_retired = 40;
  loans[0].data_quality_score = 4;
  loans[1].outstanding = 50;
  loans[1].evic = 200;
  loans[1].total_equity_plus_debt = 400;  // EVIC takes precedence for listed firms
  loans[1].scope1 = 2'000;
  loans[1].scope3 = 8'000;
  loans[1].credits_generated = 100;
  loans[1].data_quality_score = 2;
  auto r = FinancedEmissions(loans);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->loans[0].attribution_factor, 0.1);
  EXPECT_DOUBLE_EQ(r->loans[1].attribution_factor, 0.25);
  EXPECT_DOUBLE_EQ(r->scope1, 100 + 500);
  EXPECT_DOUBLE_EQ(r->scope2, 20);
  EXPECT_DOUBLE_EQ(r->scope3, 2'000);
  EXPECT_DOUBLE_EQ(r->removals, 50);  // reported separately, not netted
  EXPECT_DOUBLE_EQ(r->credits_retired, 4);
  EXPECT_DOUBLE_EQ(r->credits_generated, 25);
  // (10 × 4 + 50 × 2)/60 = 140/60.
  EXPECT_DOUBLE_EQ(r->weighted_data_quality, 140.0 / 60);
  loans[0].outstanding = 150;
  auto over = FinancedEmissions(loans);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().fields.at(0).field, "/loans/0/outstanding");
  loans[0].outstanding = 10;
  loans[0].total_equity_plus_debt.reset();
  auto missing = FinancedEmissions(loans);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields.at(0).field, "/loans/0/total_equity_plus_debt");
}

}  // namespace
}  // namespace corridor::green
