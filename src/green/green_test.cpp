// Green computations and labels on cases worked by hand and on seed 000's greenwashing example.
#include "green/green.hpp"

#include <gtest/gtest.h>

#include "green/label.hpp"

namespace corridor::green {
namespace {

TEST(GreenReserve, TheRiskReserveIsOnePercent) {
  EXPECT_EQ(kRiskReserveBps, 100);  // seed 000: 1% of the financing amount
  EXPECT_EQ(GreenReserve(123'456'789, 0, 0)->risk_reserve_fen, 1'234'568);  // 1,234,567.89 up
  EXPECT_EQ(GreenReserve(149, 0, 0)->risk_reserve_fen, 1);                  // 1.49 rounds down
  EXPECT_EQ(GreenReserve(150, 0, 0)->risk_reserve_fen, 2);  // 1.50 rounds half away from zero
}

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
  // No KPI: the base margin, within floor and cap.
  auto none = SustainabilityLinkedMargin(250, {}, Ratchet::kSymmetric, 100, 200);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->margin_bps, 200);
  EXPECT_TRUE(none->adjustments.empty());
}

TEST(Pcaf, AnEmptyBookFinancesNothing) {
  auto r = FinancedEmissions({});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scope1 + r->scope2 + r->scope3, 0);
  EXPECT_TRUE(r->loans.empty());
  EXPECT_FALSE(r->weighted_data_quality_scope3);
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

TEST(Pcaf, PortfolioOfTables5_8And5_9) {
  // PCAF (2022), The Global GHG Accounting and Reporting Standard Part A: Financed Emissions,
  // 2nd ed., §5 "Example accounting – a portfolio of different companies": Table 5-8's inputs
  // (tCO2e; attribution factors 10%, 25%, 20%) and Table 5-9's portfolio totals.
  std::vector<PcafLoan> loans(3);
  // Forestry company: 1,000 / 100 / 5,000; removals 20,000; retired 0; generated 5,000; AF 10%.
  loans[0] = {.outstanding = 10,
              .total_equity_plus_debt = 100,
              .evic = std::nullopt,
              .scope1 = 1'000,
              .scope2 = 100,
              .scope3 = 5'000,
              .removals = 20'000,
              .credits_retired = 0,
              .credits_generated = 5'000,
              .data_quality_score = 2,
              .scope3_data_quality_score = std::nullopt};
  // Industrial company: 20,000 / 5,000 / 30,000; retired 25,000; AF 25%.
  loans[1] = {.outstanding = 25,
              .total_equity_plus_debt = 100,
              .evic = std::nullopt,
              .scope1 = 20'000,
              .scope2 = 5'000,
              .scope3 = 30'000,
              .removals = 0,
              .credits_retired = 25'000,
              .credits_generated = 0,
              .data_quality_score = 2,
              .scope3_data_quality_score = std::nullopt};
  // Energy company: 5,000 / 0 / 10,000; removals 1,000; retired 5,000; generated 500; AF 20%.
  loans[2] = {.outstanding = 20,
              .total_equity_plus_debt = 100,
              .evic = std::nullopt,
              .scope1 = 5'000,
              .scope2 = 0,
              .scope3 = 10'000,
              .removals = 1'000,
              .credits_retired = 5'000,
              .credits_generated = 500,
              .data_quality_score = 2,
              .scope3_data_quality_score = std::nullopt};
  auto r = FinancedEmissions(loans);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->loans[0].attribution_factor, 0.10);
  EXPECT_DOUBLE_EQ(r->loans[1].attribution_factor, 0.25);
  EXPECT_DOUBLE_EQ(r->loans[2].attribution_factor, 0.20);
  EXPECT_NEAR(r->scope1, 6'100, 1e-9);
  EXPECT_NEAR(r->scope2, 1'260, 1e-9);
  EXPECT_NEAR(r->scope3, 10'000, 1e-9);
  EXPECT_NEAR(r->removals, 2'200, 1e-9);
  EXPECT_NEAR(r->credits_retired, 7'250, 1e-9);
  EXPECT_NEAR(r->credits_generated, 600, 1e-9);
  // Per company: the industrial company's 25% of its 25,000 retired credits.
  EXPECT_NEAR(r->loans[1].credits_retired, 6'250, 1e-9);
  // Scope 3's score apart (PCAF §6): here the companies' own, all 2; then the forestry company's
  // scope 3 at 4 weighs 10 of 55 outstanding: (10×4 + 45×2)/55.
  EXPECT_EQ(r->weighted_data_quality_scope3, 2.0);
  loans[0].scope3_data_quality_score = 4;
  EXPECT_DOUBLE_EQ(*FinancedEmissions(loans)->weighted_data_quality_scope3, 130.0 / 55);
  EXPECT_DOUBLE_EQ(FinancedEmissions(loans)->weighted_data_quality, 2.0);
}

TEST(Pcaf, WeightedDataQualityOfBox8) {
  // PCAF (2022) Part A, 2nd ed., Box 8: six business loans, the score weighted by outstanding
  // amount: (522,425×3 + 187,449×5 + 82,778×1 + 108,997×1 + 67,556×2 + 54,762×5) / Σ = 3.03,
  // and the oil & gas sector alone (companies A and B) 3.53. (The box's denominator misprints
  // 108,997 as 108,977; either gives 3.03.)
  const double outstanding[] = {522'425, 187'449, 82'778, 108'997, 67'556, 54'762};
  const double score[] = {3, 5, 1, 1, 2, 5};
  const double attributed_kt[] = {15, 7, 8, 11, 7, 5};  // scope 1 and 2, kt CO2e
  std::vector<PcafLoan> loans;
  for (int i = 0; i < 6; ++i) {
    PcafLoan l;
    l.outstanding = outstanding[i];
    l.total_equity_plus_debt = 10 * outstanding[i];  // AF 10%
    l.scope1 = 10 * attributed_kt[i] * 1'000;        // t, so that 10% of it is the attributed
    l.data_quality_score = score[i];
    loans.push_back(l);
  }
  auto all = FinancedEmissions(loans);
  ASSERT_TRUE(all);
  EXPECT_DOUBLE_EQ(all->weighted_data_quality, 3'105'217.0 / 1'023'967.0);
  EXPECT_NEAR(all->weighted_data_quality, 3.03, 0.005);
  EXPECT_NEAR(all->scope1, 53'000, 1e-6);  // 53 kt attributed
  loans.resize(2);
  auto oil_gas = FinancedEmissions(loans);
  ASSERT_TRUE(oil_gas);
  EXPECT_NEAR(oil_gas->weighted_data_quality, 3.53, 0.005);
  EXPECT_FALSE(oil_gas->weighted_data_quality_scope3);  // no scope 3 reported
}

TEST(GreenLabel, CoalMineReclamationIsFlagged) {
  // Seed 000: an open-pit coal mine's reclamation presented as ecological restoration.
  Project p{
      "ecological_restoration", "open_pit_mining", "mine_reclamation", {}, {}, {}, "dark", {}};
  auto d = DecideLabel(p);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->label, Label::kNotGreen);
  ASSERT_EQ(d->greenwashing_flags.size(), 2u);
  EXPECT_EQ(d->greenwashing_flags[0].flag, "category_does_not_fit_industry");
  EXPECT_EQ(d->greenwashing_flags[1].flag, "claimed_label_exceeds_evidence");
}

TEST(GreenLabel, HonestProjectsAreNotFlagged) {
  // A herders' cooperative restoring grassland: eligible, no flag.
  Project grass{
      "ecological_restoration", "farming_herding", "grassland_restoration", {}, {}, {}, "light",
      "grassland_restoration"};
  auto g = DecideLabel(grass);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->label, Label::kLight);
  EXPECT_TRUE(g->greenwashing_flags.empty());
  // A wind farm at 12 gCO2e/kWh life-cycle with metered output: dark green.
  Project wind{"clean_energy", "new_energy", "wind", 12.0, {}, {"metered_data"}, "dark", "wind"};
  auto w = DecideLabel(wind);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->label, Label::kDark);
  EXPECT_TRUE(w->greenwashing_flags.empty());
  EXPECT_EQ(w->rules_fired[0].rule, "power.intensity_below_50");
}

TEST(GreenLabel, ThresholdsEvidenceAndTransition) {
  // 80 g/kWh: medium green with metered data; without it, capped at light and flagged.
  Project gas{"clean_energy", "new_energy", "biomass", 80.0, {}, {"metered_data"}, {}, {}};
  EXPECT_EQ(DecideLabel(gas)->label, Label::kMedium);
  gas.evidence.clear();
  auto capped = DecideLabel(gas);
  EXPECT_EQ(capped->label, Label::kLight);
  EXPECT_EQ(capped->greenwashing_flags[0].flag, "reduction_without_metered_data");
  // 120 g/kWh is not green whatever is claimed.
  Project coal{"clean_energy", "power", "thermal", 120.0, {}, {"metered_data"}, "medium", {}};
  auto c = DecideLabel(coal);
  EXPECT_EQ(c->label, Label::kNotGreen);
  EXPECT_EQ(c->greenwashing_flags[0].flag, "claimed_label_exceeds_evidence");
  // A coal-power clean retrofit cutting emissions 25%: transition finance.
  Project retro{"energy_saving",  "power",      "coal_power_retrofit", {}, 25.0,
                {"metered_data"}, "transition", "clean_retrofit"};
  auto t = DecideLabel(retro);
  EXPECT_EQ(t->label, Label::kTransition);
  EXPECT_TRUE(t->greenwashing_flags.empty());
  // Proceeds outside the eligible purposes.
  Project off{
      "energy_saving",  "manufacturing", "efficiency_retrofit", {}, 35.0, {"metered_data"}, {},
      "working_capital"};
  auto o = DecideLabel(off);
  EXPECT_EQ(o->label, Label::kNotGreen);
  EXPECT_EQ(o->greenwashing_flags[0].flag, "proceeds_outside_eligible_purpose");
  Project bad{"energy_saving", "x", "y", {}, 150.0, {}, {}, {}};
  auto e = DecideLabel(bad);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/project/emission_reduction_pct");
}

TEST(GreenLabel, ABureauTableChangesThresholdsAndSubsidies) {
  // The default table: 40 g/kWh solar is dark green with a 150 bp subsidy.
  Project solar{"clean_energy", "power", "solar_pv", 40.0, {}, {"metered_data"}, {}, "solar_pv"};
  auto d = DecideLabel(solar);
  EXPECT_EQ(d->label, Label::kDark);
  EXPECT_EQ(d->subsidy_bps, 150);
  EXPECT_EQ(d->rule_table_version, "corridor-green-2025.1");
  // A stricter table (dark below 30 g/kWh) makes it medium green, at that table's subsidy.
  RuleTable strict = DefaultRuleTable();
  strict.version = "chifeng-2026.1";
  strict.power_dark_below = 30;
  strict.subsidy_bps = {0, 40, 60, 90, 200};
  ASSERT_TRUE(ValidateRuleTable(strict));
  auto s = DecideLabel(solar, strict);
  EXPECT_EQ(s->label, Label::kMedium);
  EXPECT_EQ(s->subsidy_bps, 90);
  EXPECT_EQ(s->rule_table_version, "chifeng-2026.1");
  EXPECT_EQ(s->rules_fired[0].rule, "power.intensity_below_100");
  // A transition threshold of 30%: a 25% retrofit no longer qualifies.
  strict.transition_min_reduction = 30;
  Project retro{"energy_saving",  "power", "coal_power_retrofit", {}, 25.0,
                {"metered_data"}, {},      "clean_retrofit"};
  auto r = DecideLabel(retro, strict);
  EXPECT_EQ(r->label, Label::kNotGreen);
  EXPECT_EQ(r->rules_fired[0].rule, "transition.coal_power_retrofit_insufficient");
  EXPECT_EQ(r->rules_fired[0].detail, "emission cut below 30% or not given");
  // Inconsistent tables are refused, naming the field.
  RuleTable bad = DefaultRuleTable();
  bad.reduction_medium = 60;  // above dark
  auto v = ValidateRuleTable(bad, "/table");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().fields.at(0).field, "/table/reduction_light");
  bad = DefaultRuleTable();
  bad.subsidy_bps = {0, 1};
  EXPECT_EQ(ValidateRuleTable(bad).error().fields.at(0).field, "/subsidy_bps");
}

}  // namespace
}  // namespace corridor::green
