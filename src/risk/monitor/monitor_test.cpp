#include <gtest/gtest.h>

#include <cmath>

#include "risk/monitor/arl.hpp"
#include "risk/monitor/detectors.hpp"
#include "risk/monitor/health.hpp"
#include "risk/monitor/rule.hpp"
#include "risk/monitor/series_block.hpp"
#include "risk/monitor/telemetry.hpp"

namespace corridor::risk::monitor {
namespace {

// Montgomery, Introduction to Statistical Quality Control (6th ed.), Table 9.1: 20 readings from
// N(10, 1), then 10 after the mean moved to 11 (the example the IMSL documentation reproduces).
const std::vector<double> kMontgomery = {9.45,  7.99,  9.29,  11.66, 12.16, 10.18, 8.04,  11.46,
                                         9.20,  10.34, 9.03,  11.47, 10.51, 9.40,  10.08, 9.37,
                                         10.62, 10.31, 8.52,  10.84, 10.90, 9.33,  12.29, 11.50,
                                         10.60, 11.08, 10.38, 11.62, 11.31, 10.52};

TEST(Cusum, ReproducesMontgomerysTabularCusum) {
  const auto chart = RunCusum(kMontgomery, {.target = 10, .sigma = 1, .k = 0.5, .h = 5});
  ASSERT_TRUE(chart);
  // Montgomery Table 9.2, C⁺ for periods 1 to 30 (to the two decimals he prints).
  const std::vector<double> upper = {0,    0,    0,    1.16, 2.82, 2.50, 0.04, 1.00, 0,    0,
                                     0,    0.97, 0.98, 0,    0,    0,    0.12, 0,    0,    0.34,
                                     0.74, 0,    1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28, 5.30};
  ASSERT_EQ(chart->c_plus.size(), upper.size());
  for (size_t i = 0; i < upper.size(); ++i) EXPECT_NEAR(chart->c_plus[i], upper[i], 5e-3) << i;
  // C⁻ = max(0, 9.5 − x + C⁻): 0.05, 1.56, 1.77, then 0 when x = 11.66.
  EXPECT_NEAR(chart->c_minus[0], 0.05, 1e-12);
  EXPECT_NEAR(chart->c_minus[1], 1.56, 1e-12);
  EXPECT_NEAR(chart->c_minus[2], 1.77, 1e-12);
  EXPECT_EQ(chart->c_minus[3], 0);
  // The upper sum first exceeds H = 5 at period 29 (0-based 28).
  ASSERT_TRUE(chart->first_signal_index);
  EXPECT_EQ(*chart->first_signal_index, 28u);
  EXPECT_EQ(chart->side, SignalSide::kUpper);
}

TEST(Cusum, SignalsBelowAndNamesTheSide) {
  std::vector<double> falling(12, 8.0);  // 2σ below: C⁻ grows by 1.5 a reading
  const auto chart = RunCusum(falling, {.target = 10, .sigma = 1});
  ASSERT_TRUE(chart && chart->first_signal_index);
  EXPECT_EQ(*chart->first_signal_index, 3u);  // 6.0 > 5 at the fourth reading
  EXPECT_EQ(chart->side, SignalSide::kLower);
  EXPECT_FALSE(RunCusum(kMontgomery, {.target = 10, .sigma = 0}));
  EXPECT_FALSE(RunCusum(kMontgomery, {.target = 10, .sigma = 1, .k = -1}));
  const auto none = RunCusum(std::vector<double>{10, 10.2, 9.9}, {.target = 10, .sigma = 1});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->first_signal_index);
  EXPECT_EQ(SideName(none->side), "");
}

TEST(Ewma, ReproducesMontgomerysExampleWithExactLimits) {
  const auto chart = RunEwma(kMontgomery, {.target = 10, .sigma = 1, .lambda = 0.1, .l = 2.7});
  ASSERT_TRUE(chart);
  // Montgomery Example 9.2 (λ = 0.1, L = 2.7): z₁ = 9.945, z₂ = 9.7495; UCL₁ = 10 + 2.7·0.1 exactly
  // (√(0.1/1.9 · 0.19) = 0.1), UCL₂ = 10.36, and the limits approach 10 ± 0.6194.
  EXPECT_NEAR(chart->z[0], 9.945, 1e-12);
  EXPECT_NEAR(chart->z[1], 9.7495, 1e-12);
  EXPECT_NEAR(chart->ucl[0], 10.27, 1e-12);
  EXPECT_NEAR(chart->lcl[0], 9.73, 1e-12);
  EXPECT_NEAR(chart->ucl[1], 10.3632, 1e-4);
  EXPECT_NEAR(chart->ucl[29], 10 + 2.7 * std::sqrt(0.1 / 1.9), 1e-3);
  EXPECT_NEAR(chart->z[27], 10.5731, 1e-4);
  EXPECT_NEAR(chart->z[28], 10.6468, 1e-4);
  // z₂₉ = 10.6468 > UCL₂₉ = 10.6187: the first signal is period 29 (0-based 28).
  ASSERT_TRUE(chart->first_signal_index);
  EXPECT_EQ(*chart->first_signal_index, 28u);
  EXPECT_EQ(chart->side, SignalSide::kUpper);
  EXPECT_FALSE(RunEwma(kMontgomery, {.target = 10, .sigma = 1, .lambda = 0, .l = 2.7}));
  EXPECT_FALSE(RunEwma(kMontgomery, {.target = 10, .sigma = 1, .lambda = 1.5, .l = 2.7}));
}

// Two-sided ARLs of the tabular CUSUM, k = ½ (Montgomery Table 9.3, after Hawkins 1993), and
// R's spc 0.6.7 xcusum.arl(0.5, h, δ, sided = "two", r = 100) for more digits.
TEST(Arl, CusumMatchesThePublishedTables) {
  struct Row {
    double h, shift, published, spc;
  };
  for (const Row& r : {Row{4, 0, 168, 167.6837888}, Row{4, 1, 8.38, 8.38313187},
                       Row{5, 0, 465, 465.443506}, Row{5, 0.5, 38.0, 37.99614319},
                       Row{5, 1, 10.4, 10.37596992}, Row{5, 3, 2.57, 2.573252051}}) {
    const auto arl = CusumArl({.k = 0.5, .h = r.h, .shift = r.shift, .two_sided = true});
    ASSERT_TRUE(arl);
    EXPECT_NEAR(*arl, r.spc, r.spc * 1e-6) << r.h << " " << r.shift;
    EXPECT_NEAR(*arl, r.published, r.published * 5e-3) << r.h << " " << r.shift;
  }
  // One-sided, spc xcusum.arl(0.5, 5, 0): 930.887; Siegmund's approximation gives 938.
  EXPECT_NEAR(*CusumArl({.k = 0.5, .h = 5, .shift = 0, .two_sided = false}), 930.8870121, 1e-3);
  EXPECT_FALSE(CusumArl({.k = 0.5, .h = 0}));
  EXPECT_FALSE(CusumArl({.k = 0.5, .h = 5, .states = 5}));
}

// Two-sided EWMA ARLs with asymptotic limits: Lucas & Saccucci (1990) Table 3 as Montgomery
// prints it (Table 9.11: every design has an in-control ARL of about 500), and spc 0.6.7
// xewma.arl(λ, L, δ, sided = "two", r = 100).
TEST(Arl, EwmaMatchesLucasAndSaccucci) {
  struct Row {
    double lambda, l, shift, published, spc;
  };
  for (const Row& r :
       {Row{0.1, 2.814, 0, 500, 499.5795501}, Row{0.1, 2.814, 1, 10.3, 10.33066516},
        Row{0.05, 2.615, 0.25, 84.1, 84.00586173}, Row{0.4, 3.054, 0, 500, 499.9513386},
        Row{0.25, 2.998, 1.5, 5.5, 5.463744144}}) {
    const auto arl = EwmaArl({.lambda = r.lambda, .l = r.l, .shift = r.shift, .two_sided = true});
    ASSERT_TRUE(arl);
    EXPECT_NEAR(*arl, r.spc, r.spc * 1e-5) << r.lambda << " " << r.shift;
    EXPECT_NEAR(*arl, r.published, r.published * 1e-2) << r.lambda << " " << r.shift;
  }
  // The design of Montgomery's example, λ = 0.1, L = 2.7: spc gives 368.99 in control.
  EXPECT_NEAR(*EwmaArl({.lambda = 0.1, .l = 2.7}), 368.993734, 1e-3);
  // One-sided, reflected at the target: spc xewma.arl(0.1, 2.7, δ, zr = 0, sided = "one").
  EXPECT_NEAR(*EwmaArl({.lambda = 0.1, .l = 2.7, .shift = 0, .two_sided = false}), 450.1855097,
              1e-3);
  EXPECT_NEAR(*EwmaArl({.lambda = 0.1, .l = 2.7, .shift = 1, .two_sided = false}), 9.613013485,
              1e-5);
  EXPECT_FALSE(EwmaArl({.lambda = 0, .l = 2.7}));
}

TEST(Threshold, HysteresisHoldsBetweenTriggerAndClear) {
  ThresholdDetector above({.direction = Direction::kAbove, .trigger = 0.20, .clear = 0.15});
  EXPECT_EQ(above.Step(0.21), Breach::kBreach);
  EXPECT_EQ(above.Step(0.20), Breach::kHold);  // not strictly above, not yet below clear
  EXPECT_EQ(above.Step(0.17), Breach::kHold);
  EXPECT_EQ(above.Step(0.149), Breach::kClear);
  ThresholdDetector below({.direction = Direction::kBelow, .trigger = 0.60, .clear = 0.65});
  EXPECT_EQ(below.Step(0.599), Breach::kBreach);
  EXPECT_EQ(below.Step(0.62), Breach::kHold);
  EXPECT_EQ(below.Step(0.66), Breach::kClear);
  EXPECT_FALSE(CheckThreshold({.direction = Direction::kAbove, .trigger = 0.2, .clear = 0.3}));
  EXPECT_TRUE(CheckThreshold({.direction = Direction::kBelow, .trigger = 0.6, .clear = 0.6}));
}

TEST(Debouncer, FiresAfterTheMinimumDurationAndResolvesAfterTheQuietPeriod) {
  using Event = Debouncer::Event;
  Debouncer d(/*min_duration_s=*/900, /*quiet_s=*/3600);
  EXPECT_EQ(d.Step(0, Breach::kBreach), Event::kNone);
  EXPECT_EQ(d.Step(600, Breach::kClear), Event::kNone);  // a blip: the timer restarts
  EXPECT_EQ(d.Step(1200, Breach::kBreach), Event::kNone);
  EXPECT_EQ(d.Step(1800, Breach::kHold), Event::kNone);
  EXPECT_EQ(d.Step(2100, Breach::kBreach), Event::kFired);  // 900 s in breach
  EXPECT_EQ(d.Step(2400, Breach::kBreach), Event::kNone);   // once per episode
  EXPECT_EQ(d.Step(3000, Breach::kClear), Event::kNone);
  EXPECT_EQ(d.Step(4000, Breach::kBreach), Event::kNone);  // back before the quiet period ended
  EXPECT_EQ(d.Step(5000, Breach::kClear), Event::kNone);
  EXPECT_EQ(d.Step(8599, Breach::kClear), Event::kNone);
  EXPECT_EQ(d.Step(8600, Breach::kClear), Event::kResolved);
  EXPECT_FALSE(d.firing());
}

TEST(RateDetector, MeasuresTheChangePerHour) {
  RateDetector rise({.direction = Direction::kAbove, .limit_per_hour = 0.05});
  EXPECT_EQ(rise.Step(0, 0.10), Breach::kHold);       // no previous reading
  EXPECT_EQ(rise.Step(1800, 0.12), Breach::kClear);   // 0.04 an hour
  EXPECT_EQ(rise.Step(2700, 0.14), Breach::kBreach);  // 0.08 an hour
  EXPECT_EQ(rise.Step(2700, 0.50), Breach::kHold);    // same second: no rate
}

Decimal D(std::string_view text) { return *ParseDecimal(text, "x"); }

TEST(HealthRule, AFallOfExactlyFifteenPercentCounts) {
  // 0.60 → 0.51 is exactly 15% (0.09 = 0.15 · 0.60); in binary floating point 0.60·0.85 is
  // 0.51 − 1e-17 and the comparison would go either way.
  EXPECT_TRUE(FellAtLeast(D("0.60"), D("0.51"), D("15")));
  EXPECT_TRUE(FellAtLeast(DecimalOfDouble(0.6), DecimalOfDouble(0.51), DecimalOfDouble(15)));
  EXPECT_FALSE(FellAtLeast(D("0.60"), D("0.5100001"), D("15")));  // just under 15%
  EXPECT_TRUE(FellAtLeast(D("0.60"), D("0.5099999"), D("15")));
  EXPECT_FALSE(FellAtLeast(D("0"), D("0"), D("15")));  // no fall from zero
  EXPECT_TRUE(FellAtLeast(D("1e-300"), D("0"), D("15")));
}

TEST(HealthRule, FiresOnTwoConsecutiveFallsAndNotAcrossARecoveryOrAGap) {
  const HealthRule rule;
  using Index = std::vector<std::optional<Decimal>>;
  // 1.00 → 0.85 (15%) → 0.7225 (15%): fires at week 2.
  Index two = {D("1.00"), D("0.85"), D("0.7225")};
  EXPECT_EQ(*HealthAlertWeeks(two, rule), std::vector<size_t>({2}));
  // The second fall just under 15% (0.7225001): no alert.
  Index under = {D("1.00"), D("0.85"), D("0.7225001")};
  EXPECT_TRUE(HealthAlertWeeks(under, rule)->empty());
  // A recovery between the falls breaks the run.
  Index recovery = {D("1.00"), D("0.85"), D("0.90"), D("0.765")};
  EXPECT_TRUE(HealthAlertWeeks(recovery, rule)->empty());
  // A missing week: neither it nor the week after has a fall; counting starts again after it.
  Index gap = {D("1.00"), D("0.85"), std::nullopt, D("0.60"), D("0.51"), D("0.4335")};
  EXPECT_EQ(*HealthAlertWeeks(gap, rule), std::vector<size_t>({5}));
  // A run of three falls fires at the second and the third.
  Index three = {D("1"), D("0.8"), D("0.6"), D("0.5")};
  EXPECT_EQ(*HealthAlertWeeks(three, rule), std::vector<size_t>({2, 3}));
  EXPECT_FALSE(HealthAlertWeeks(two, {.drop_pct = D("0"), .consecutive = 2}));
  EXPECT_FALSE(HealthAlertWeeks(two, {.drop_pct = D("15"), .consecutive = 0}));
  Index negative = {D("-0.1")};
  EXPECT_FALSE(HealthAlertWeeks(negative, rule));
}

TEST(HealthIndex, IsTheExactWeightedMeanInPpm) {
  const std::vector<HealthComponent> parts = {
      {"orders", 900'000, 3}, {"payments", 800'000, 2}, {"capacity", 550'000, 1}};
  // (2,700,000 + 1,600,000 + 550,000) / 6 = 808,333.33… → 808,333.
  EXPECT_EQ(*HealthIndexPpm(parts), 808'333);
  const std::vector<HealthComponent> half = {{"a", 1, 1}, {"b", 0, 1}};
  EXPECT_EQ(*HealthIndexPpm(half), 1);  // 0.5 ppm rounds up
  const std::vector<HealthComponent> bad = {{"a", 1'000'001, 1}};
  EXPECT_FALSE(HealthIndexPpm(bad));
  EXPECT_FALSE(HealthIndexPpm({}));
}

TEST(HealthComponents, ScoreExactlyAndCapAtOne) {
  namespace h = health;
  // Orders of 90 against a mean of 120 over the weeks before (480 / 4): 0.75.
  EXPECT_EQ(h::OrderScore(90, 480, 4), 750'000);
  EXPECT_EQ(h::OrderScore(200, 480, 4), 1'000'000);  // above the baseline: capped
  EXPECT_EQ(h::OrderScore(90, 480, 0), std::nullopt);
  EXPECT_EQ(h::OrderScore(0, 0, 3), std::nullopt);  // nothing to compare
  EXPECT_EQ(h::OrderScore(5, 0, 3), 1'000'000);
  // 2 of 3 collected: 666,666.67 → floored.
  EXPECT_EQ(h::PaymentScore(2, 3), 666'666);
  EXPECT_EQ(h::PaymentScore(5, 0), std::nullopt);
  // 60% utilization against a full 80%: 0.75; 55%: 0.6875; 90%: 1.
  EXPECT_EQ(h::CapacityScore(60, 100), 750'000);
  EXPECT_EQ(h::CapacityScore(55, 100), 687'500);
  EXPECT_EQ(h::CapacityScore(90, 100), 1'000'000);
  // Stock at 40% of what the orders need, and at 2.5 times it, both score 0.4.
  EXPECT_EQ(h::InventoryScore(40, 100), 400'000);
  EXPECT_EQ(h::InventoryScore(250, 100), 400'000);
  EXPECT_EQ(h::InventoryScore(0, 100), 0);
  EXPECT_EQ(h::InventoryScore(10, 0), std::nullopt);
  // A tenth of the outstanding principal overdue: 0.9; more overdue than outstanding cannot go
  // below 0.
  EXPECT_EQ(h::FinancingScore(10, 100), 900'000);
  EXPECT_EQ(h::FinancingScore(200, 100), 0);
  EXPECT_EQ(h::FinancingScore(0, 0), std::nullopt);
  // Sums of fen near the largest principal do not overflow.
  EXPECT_EQ(h::OrderScore(int64_t{1} << 60, int64_t{1} << 61, 2), 1'000'000);
}

TEST(Decimal, ParsesAndPrintsExactly) {
  EXPECT_EQ(D("0.510").ToString(), "0.51");
  EXPECT_EQ(D("-2e-3").ToString(), "-0.002");
  EXPECT_EQ(D("1.5E2").ToString(), "150");
  EXPECT_EQ(DecimalOfDouble(0.1).ToString(), "0.1");
  EXPECT_EQ(Compare(D("0.1"), D("0.10")), 0);
  EXPECT_EQ(Compare(D("0.09"), D("0.1")), -1);
  for (const char* bad : {"", "abc", "1.2.3", "1e", "1234567890123456789", "1e999", "--1"}) {
    EXPECT_FALSE(ParseDecimal(bad, "x")) << bad;
  }
}

// ---- telemetry ----

ReadingValidator::Projects Projects() {
  return {{"WF-001", {1, ProjectType::kWind, 100'000}},
          {"PV-001", {2, ProjectType::kSolar, 50'000}}};
}
constexpr int64_t kNow = 1'780'000'000;  // 2026-05-28

TEST(Telemetry, TwentyIndicatorsWithUnitsAndRanges) {
  EXPECT_EQ(Indicators().size(), 20u);
  EXPECT_EQ(Indicators()[kCurtailmentRate].code, "curtailment_rate");
  EXPECT_EQ(Indicators()[kEquipmentUtilization].code, "equipment_utilization");
  EXPECT_EQ(*IndicatorIndex("generation_mwh"), kGeneration);
  for (const auto& spec : Indicators()) {
    EXPECT_LE(spec.min_stored, spec.max_stored) << spec.code;
    EXPECT_FALSE(spec.unit.empty()) << spec.code;
  }
  EXPECT_EQ(ValueOf(kCurtailmentRate, 123'456), 0.123456);
}

TEST(Telemetry, Rfc3339TimesWithZones) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-03-01T08:00:00+08:00"), ParseRfc3339("2026-03-01T00:00:00Z"));
  EXPECT_EQ(*ParseRfc3339("2024-02-29T23:59:59-01:30"), *ParseRfc3339("2024-03-01T01:29:59Z"));
  for (const char* bad : {"2026-02-29T00:00:00Z", "2026-03-01 08:00", "2026-03-01T08:00:00",
                          "2026-03-01T24:00:00Z", "2026-03-01T08:00:00.5Z", "2026-3-1T08:00:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
  EXPECT_EQ(FormatRfc3339Utc(*ParseRfc3339("2026-03-01T08:00:00+08:00")), "2026-03-01T00:00:00Z");
}

TEST(Telemetry, BadRowsAreRefusedWithTheirReasonAndGoodRowsKept) {
  const auto projects = Projects();
  ReadingValidator v(projects, kNow);
  ValidatedBatch batch;
  const std::string t = "2026-05-01T10:00:00+08:00";
  const std::vector<RawReading> rows = {
      {"WF-001", "curtailment_rate", t, "0.125", "ratio"},            // 1 good
      {"WF-999", "curtailment_rate", t, "0.1", ""},                   // 2 unknown project
      {"WF-001", "curtailment", t, "0.1", ""},                        // 3 unknown indicator
      {"WF-001", "irradiance_wm2", t, "800", ""},                     // 4 not for wind
      {"WF-001", "generation_mwh", t, "12.5", "kWh"},                 // 5 wrong unit
      {"WF-001", "generation_mwh", "2026-05-01 10:00", "1", ""},      // 6 bad time
      {"WF-001", "generation_mwh", "2030-01-01T00:00:00Z", "1", ""},  // 7 future
      {"WF-001", "curtailment_rate", "2026-05-01T11:00:00+08:00", "1.2", ""},  // 8 range
      {"WF-001", "om_cost_fen", t, "100.5", ""},        // 9 fraction of a fen
      {"WF-001", "active_power_mw", t, "110.001", ""},  // 10 above 110% of 100 MW
      {"WF-001", "curtailment_rate", t, "0.125", ""},   // 11 duplicate of 1
      {"WF-001", "curtailment_rate", t, "0.2", ""},     // 12 conflicts with 1
      {"WF-001", "generation_mwh", t, "abc", ""},       // 13 not a number
      {"PV-001", "irradiance_wm2", t, "812.35", ""},    // 14 good, rounded to 812.4
      {"WF-001", "active_power_mw", "2026-05-01T10:15:00+08:00", "110", ""},  // 15 good
  };
  for (size_t i = 0; i < rows.size(); ++i) v.Add(rows[i], i + 1, batch);
  ASSERT_EQ(batch.readings.size(), 3u);
  EXPECT_EQ(batch.rows, std::vector<size_t>({1, 14, 15}));
  EXPECT_EQ(batch.readings[0].value, 125'000);
  EXPECT_EQ(batch.readings[1].value, 8'124);
  EXPECT_EQ(batch.readings[2].value, 110'000);
  ASSERT_EQ(batch.refused.size(), 12u);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"project", "is not a monitored project"},
      {"indicator", "is not one of the 20 indicators"},
      {"indicator", "does not apply to a wind project"},
      {"unit", "must be MWh for generation_mwh"},
      {"time", "must be an RFC 3339 time with seconds and a zone, e.g. 2026-03-01T08:00:00+08:00"},
      {"time", "is more than five minutes ahead of the platform's clock"},
      {"value", "must be from 0 to 1 ratio"},
      {"value", "must be a whole number of fen"},
      {"value", "is above 110% of the project's 100000 kW capacity"},
      {"", "duplicate of row 1"},
      {"", "conflicts with row 1"},
      {"value", "must be a decimal number"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(batch.refused[i].row, i + 2);
    EXPECT_EQ(batch.refused[i].field, want[i].first) << i;
    EXPECT_EQ(batch.refused[i].reason, want[i].second) << i;
  }
}

TEST(Telemetry, MeasurementsRoundHalfAwayFromZeroToTheirResolution) {
  const auto projects = Projects();
  ReadingValidator v(projects, kNow);
  ValidatedBatch batch;
  v.Add({"WF-001", "dscr", "2026-05-01T00:00:00Z", "-1.23455", ""}, 1, batch);
  v.Add({"WF-001", "dscr", "2026-05-02T00:00:00Z", "1.23444999", ""}, 2, batch);
  ASSERT_EQ(batch.readings.size(), 2u);
  EXPECT_EQ(batch.readings[0].value, -12'346);  // away from zero
  EXPECT_EQ(batch.readings[1].value, 12'344);
}

TEST(Telemetry, CurtailmentRateIsCurtailedOverGeneratedPlusCurtailed) {
  const auto projects = Projects();
  ReadingValidator v(projects, kNow);
  ValidatedBatch batch;
  const std::string t = "2026-05-01T10:00:00Z";
  v.Add({"WF-001", "generation_mwh", t, "80", ""}, 1, batch);
  v.Add({"WF-001", "curtailed_mwh", t, "20", ""}, 2, batch);
  v.Add({"WF-001", "generation_mwh", "2026-05-01T11:00:00Z", "0", ""}, 3, batch);
  v.Add({"WF-001", "curtailed_mwh", "2026-05-01T11:00:00Z", "0", ""}, 4, batch);
  v.Add({"WF-001", "generation_mwh", "2026-05-01T12:00:00Z", "2", ""}, 5, batch);
  v.Add({"WF-001", "curtailed_mwh", "2026-05-01T12:00:00Z", "1", ""}, 6, batch);
  EXPECT_EQ(DeriveCurtailmentRates(batch), 2u);  // none where both are zero
  ASSERT_EQ(batch.readings.size(), 8u);
  EXPECT_EQ(batch.readings[6].indicator, kCurtailmentRate);
  EXPECT_EQ(batch.readings[6].value, 200'000);  // 20 / (80 + 20)
  EXPECT_EQ(batch.readings[7].value, 333'333);  // 1/3 rounded to 10⁻⁶
}

TEST(Telemetry, CsvWithHeaderQuotesAndLineNumbers) {
  const std::string csv =
      "time,project,indicator,value,unit\r\n"
      "2026-05-01T10:00:00Z,WF-001,curtailment_rate,0.1,ratio\r\n"
      "\r\n"
      "\"2026-05-01T11:00:00Z\",\"WF-\"\"001\",curtailment_rate,0.2,ratio\n";
  std::vector<std::pair<size_t, RawReading>> rows;
  std::vector<std::string> projects;
  const auto read = ReadTelemetryCsv(csv, 10, [&](size_t line, const RawReading& row) {
    rows.emplace_back(line, row);
    projects.emplace_back(row.project);  // the views live until the callback returns
  });
  ASSERT_TRUE(read) << Describe(read.error());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first, 2u);
  EXPECT_EQ(projects[0], "WF-001");
  EXPECT_EQ(rows[0].second.unit, "ratio");
  EXPECT_EQ(rows[1].first, 4u);
  EXPECT_EQ(projects[1], "WF-\"001");
  EXPECT_EQ(rows[1].second.time, "2026-05-01T11:00:00Z");

  const auto ignore = [](size_t, const RawReading&) {};
  const auto narrow = ReadTelemetryCsv("project,indicator,time,value\nWF-001,x,y\n", 10, ignore);
  ASSERT_FALSE(narrow);
  EXPECT_EQ(narrow.error().fields.at(0).message, "line 2: 3 fields where the header has 4");
  const auto no_value = ReadTelemetryCsv("project,indicator,time\n", 10, ignore);
  ASSERT_FALSE(no_value);
  EXPECT_EQ(no_value.error().fields.at(0).message, "line 1: no 'value' column");
  EXPECT_FALSE(ReadTelemetryCsv("project,indicator,time,value\na,b,c,d\na,b,c,d\n", 1, ignore));
  EXPECT_FALSE(ReadTelemetryCsv("project,indicator,time,value\n\"a,b,c,d\n", 10, ignore));
}

TEST(SeriesBlock, RoundTripsExactlyInAFewBytesAReading) {
  // A day of 15-minute curtailment rates (10⁻⁶ units) moving by up to ±0.5%.
  std::vector<Point> day;
  const int64_t midnight = *ParseRfc3339("2026-05-01T00:00:00+08:00");
  for (int s = 0; s < 96; ++s) {
    day.push_back({midnight + 900 * s, 120'000 + ((s * 7919) % 10'001) - 5'000});
  }
  const std::string block = EncodeBlock(day);
  EXPECT_EQ(*DecodeBlock(block), day);
  // 1 byte of count, 5 + 3 for the first reading, then 1 for the time and at most 3 for the value.
  EXPECT_LE(block.size(), 9u + 95u * 4u);
  EXPECT_LE(static_cast<double>(block.size()) / 96.0, 4.0);

  // Irregular times and the extremes of int64 survive (the differences wrap and unwrap).
  const std::vector<Point> odd = {{-5, INT64_MIN}, {0, INT64_MAX}, {1, 0}, {1'000'000'000, -1}};
  EXPECT_EQ(*DecodeBlock(EncodeBlock(odd)), odd);
  EXPECT_EQ(*DecodeBlock(EncodeBlock({})), std::vector<Point>());
}

TEST(SeriesBlock, WritesTheDocumentedBytes) {
  // docs/formats/telemetry-block.md's example.
  const std::vector<Point> two = {{1'777'593'600, 120'000}, {1'777'594'500, 120'500}};
  EXPECT_EQ(EncodeBlock(two), std::string("\x02\x80\xb4\x9f\x9f\x0d\x80\xd3\x0e\x88\x0e\xe8\x07"));
}

TEST(SeriesBlock, RefusesDamagedBlocks) {
  const std::vector<Point> two = {{100, 5}, {200, 6}};
  const std::string block = EncodeBlock(two);
  EXPECT_FALSE(DecodeBlock(block.substr(0, block.size() - 1)));  // truncated
  EXPECT_FALSE(DecodeBlock(block + std::string(1, '\0')));       // trailing bytes
  EXPECT_FALSE(DecodeBlock(std::string(11, '\xff')));            // a varint beyond 64 bits
  EXPECT_FALSE(DecodeBlock(block, 1));                           // more readings than allowed
  // Count 2, t₀ = 100, v₀ = 0, then a change of interval of −100: the time stands still.
  const std::string still = {2, static_cast<char>(200), 1, 0, static_cast<char>(199), 1, 0};
  EXPECT_FALSE(DecodeBlock(still));
}

// A series charted in one go and the same series charted reading by reading, its state saved
// and restored between readings (as the monitor does between uploads), give the same events.
TEST(RuleDetector, ChartsTheSameAcrossBatchesAsInOne) {
  for (const auto& rule : DefaultRules()) {
    RuleDetector whole(rule.params);
    RuleState saved = RuleDetector(rule.params).state();
    const double base = rule.params.kind == RuleKind::kThreshold ? rule.params.trigger : 0.05;
    for (int i = 0; i < 400; ++i) {
      // Calm, then a step beyond every default limit, then calm again.
      const double x = (i >= 100 && i < 250) ? base * 3 + 1 : base * 0.5 + 0.01 * (i % 3);
      const int64_t t = 1'777'593'600 + 900 * i;
      const auto a = whole.Next(t, x);
      RuleDetector resumed(rule.params, saved);
      const auto b = resumed.Next(t, x);
      saved = resumed.state();
      ASSERT_EQ(a.event, b.event) << rule.indicator << " " << i;
      ASSERT_EQ(a.statistic, b.statistic) << rule.indicator << " " << i;
    }
  }
}

TEST(RuleDetector, FiresOnceAnEpisodeAndSkipsLateReadings) {
  RuleParams p;
  p.kind = RuleKind::kThreshold;
  p.direction = Direction::kAbove;
  p.trigger = 0.10;
  p.clear = 0.08;
  p.min_duration_s = 3'600;
  p.quiet_s = 7'200;
  RuleDetector d(p);
  using Event = Debouncer::Event;
  EXPECT_EQ(d.Next(0, 0.12).event, Event::kNone);
  EXPECT_EQ(d.Next(1'800, 0.09).event, Event::kNone);  // in the band: the breach timer runs on
  EXPECT_EQ(d.Next(3'600, 0.15).event, Event::kFired);
  EXPECT_FALSE(d.Next(3'600, 0.01).charted);  // late or repeated: not charted
  EXPECT_EQ(d.Next(5'400, 0.07).event, Event::kNone);
  EXPECT_EQ(d.Next(12'600, 0.07).event, Event::kResolved);
}

TEST(RuleDetector, DefaultRulesAreValidAndNameRealIndicators) {
  EXPECT_GE(DefaultRules().size(), 8u);
  for (const auto& rule : DefaultRules()) {
    EXPECT_TRUE(CheckRule(rule.params)) << rule.indicator;
    EXPECT_TRUE(IndicatorIndex(rule.indicator)) << rule.indicator;
  }
  for (const auto& rule : DefaultRules()) {  // the stored form reads back the same
    const auto back = ParseRuleParams(rule.params.kind, RuleParamsJson(rule.params));
    ASSERT_TRUE(back) << rule.indicator;
    EXPECT_EQ(RuleParamsJson(*back), RuleParamsJson(rule.params));
  }
  const auto wrong =
      ParseRuleParams(RuleKind::kThreshold, R"({"direction":"sideways","trigger":"x"})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().fields.at(0).field, "/params/direction");
  EXPECT_EQ(wrong.error().fields.at(1).field, "/params/trigger");
  RuleParams bad;
  bad.kind = RuleKind::kEwma;
  bad.sigma = 0;
  bad.lambda = 2;
  const auto s = CheckRule(bad);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().fields.at(0).field, "/sigma");
  EXPECT_EQ(s.error().fields.at(1).field, "/lambda");
}

}  // namespace
}  // namespace corridor::risk::monitor
