#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"
#include "pension/actuarial.hpp"
#include "pension/eco_index.hpp"
#include "pension/fund.hpp"
#include "pension/settlement.hpp"
#include "pension/social.hpp"
#include "pension/trust.hpp"

namespace corridor::pension {
namespace {

LifeTable Sult() {
  auto t = LifeTable::Named("sult");
  EXPECT_TRUE(t);
  return *t;
}

// The Standard Ultimate Life Table at 5%: Dickson, Hardy & Waters, Actuarial Mathematics for Life
// Contingent Risks (2nd ed.), Appendix D, columns äₓ and Aₓ (to 4 and 5 decimals).
TEST(LifeAnnuity, TheStandardUltimateLifeTableGivesItsPublishedValues) {
  const LifeTable sult = Sult();
  struct Row {
    int age;
    double annuity, insurance;
  };
  for (const Row& r : {Row{20, 19.9664, 0.04922}, Row{60, 14.9041, 0.29028},
                       Row{65, 13.5498, 0.35477}, Row{70, 12.0083, 0.42818}}) {
    const auto v = Value(sult, {.age = r.age, .interest = 0.05});
    ASSERT_TRUE(v);
    EXPECT_NEAR(v->annuity, r.annuity, 5e-5) << r.age;
    EXPECT_NEAR(v->insurance, r.insurance, 5e-6) << r.age;
  }
  EXPECT_EQ(sult.start_age(), 20);
  EXPECT_EQ(sult.last_age(), 130);
}

// Identities that hold on any table and rate (DHW chapters 4 and 5).
TEST(LifeAnnuity, TheIdentitiesHold) {
  const LifeTable sult = Sult();
  const double i = 0.04;
  for (int m : {1, 4, 12}) {
    const auto due = Value(sult, {.age = 60, .interest = i, .payments_per_year = m});
    const auto immediate =
        Value(sult, {.age = 60, .interest = i, .payments_per_year = m, .due = false});
    ASSERT_TRUE(due);
    ASSERT_TRUE(immediate);
    // A⁽ᵐ⁾ = 1 − d⁽ᵐ⁾·ä⁽ᵐ⁾, and a⁽ᵐ⁾ = ä⁽ᵐ⁾ − 1/m for whole life.
    const double dm = m * (1 - std::pow(1 + i, -1.0 / m));
    EXPECT_NEAR(due->insurance, 1 - dm * due->annuity, 1e-12) << m;
    EXPECT_NEAR(immediate->annuity, due->annuity - 1.0 / m, 1e-12) << m;
    // Under UDD, ä⁽ᵐ⁾ = α(m)·ä − β(m) (DHW §5.11).
    const auto annual = Value(sult, {.age = 60, .interest = i});
    const double im = m * (std::pow(1 + i, 1.0 / m) - 1), d = i / (1 + i);
    const double alpha = i * d / (im * dm), beta = (i - im) / (im * dm);
    EXPECT_NEAR(due->annuity, alpha * annual->annuity - beta, 1e-10) << m;
  }
  // Deferred = survival × discount × the annuity at the later age; temporary + deferred = whole.
  const auto deferred =
      Value(sult, {.age = 50, .interest = i, .deferral = 15, .payments_per_year = 12});
  const auto later = Value(sult, {.age = 65, .interest = i, .payments_per_year = 12});
  const double e = std::pow(1 + i, -15) * sult.p(50, 15);
  EXPECT_NEAR(deferred->annuity, e * later->annuity, 1e-10);
  const auto temporary =
      Value(sult, {.age = 50, .interest = i, .term = 15, .payments_per_year = 12});
  const auto whole = Value(sult, {.age = 50, .interest = i, .payments_per_year = 12});
  EXPECT_NEAR(temporary->annuity + deferred->annuity, whole->annuity, 1e-10);
  EXPECT_NEAR(temporary->pure_endowment, e, 1e-15);
  // The endowment insurance: A_{x:n} = 1 − d·ä_{x:n} (annual).
  const auto t10 = Value(sult, {.age = 50, .interest = i, .term = 10});
  EXPECT_NEAR(t10->insurance + t10->pure_endowment, 1 - i / (1 + i) * t10->annuity, 1e-12);
  // At 0% a whole-life insurance is certain: 1.
  const auto zero = Value(sult, {.age = 40, .interest = 0, .payments_per_year = 12});
  EXPECT_NEAR(zero->insurance, 1, 1e-12);
  // The backward recursion agrees with the direct sum at every age.
  const auto by_age = AnnuityDueByAge(sult, i);
  for (int x : {20, 65, 100, 130}) {
    EXPECT_NEAR(by_age[static_cast<size_t>(x - 20)],
                Value(sult, {.age = x, .interest = i})->annuity, 1e-10);
  }
}

// A table given by q_x: a two-age table has its values by hand.
TEST(LifeAnnuity, ATableOfItsOwnAndItsErrors) {
  const double qx[] = {0.1, 0.7};  // the last age's q is 1 whatever is given
  const auto t = LifeTable::FromQx(80, qx);
  ASSERT_TRUE(t);
  const auto v = Value(*t, {.age = 80, .interest = 0.1});
  ASSERT_TRUE(v);
  // ä = 1 + v·0.9 (then nobody survives age 81); A = v·0.1 + v²·0.9.
  EXPECT_NEAR(v->annuity, 1 + 0.9 / 1.1, 1e-15);
  EXPECT_NEAR(v->insurance, 0.1 / 1.1 + 0.9 / 1.21, 1e-15);
  EXPECT_EQ(Value(*t, {.age = 79, .interest = 0.1}).error().fields.at(0).field, "/age");
  EXPECT_EQ(Value(*t, {.age = 80, .interest = 2}).error().fields.at(0).field, "/interest");
  EXPECT_EQ(
      Value(*t, {.age = 80, .interest = 0.1, .payments_per_year = 5}).error().fields.at(0).field,
      "/payments_per_year");
  const double bad[] = {0.1, 1.5};
  EXPECT_EQ(LifeTable::FromQx(80, bad).error().fields.at(0).field, "/qx/1");
  EXPECT_FALSE(LifeTable::Named("cl2013"));
  EXPECT_EQ(LifeTable::Makeham(0.0002, 0, 1.1, 20).error().fields.at(0).field, "/makeham/b");
}

// The net premium of a whole-life insurance and its reserves: ₀V = 0, and ₜV = 1 − äₓ₊ₜ/äₓ.
TEST(LifeAnnuity, PremiumsAndReserves) {
  const LifeTable sult = Sult();
  const auto p = NetPremium(sult, 40, 0.05);
  ASSERT_TRUE(p);
  const auto a40 = Value(sult, {.age = 40, .interest = 0.05});
  EXPECT_NEAR(*p, a40->insurance / a40->annuity, 1e-15);
  EXPECT_NEAR(*Reserve(sult, 40, 0, 0.05), 0, 1e-12);
  const auto a60 = Value(sult, {.age = 60, .interest = 0.05});
  EXPECT_NEAR(*Reserve(sult, 40, 20, 0.05), 1 - a60->annuity / a40->annuity, 1e-12);
}

// A province's pensioners by cohort: the liability is the sum over cohorts of lives × pension ×
// the monthly annuity-due at their age, whatever the number of lives.
TEST(LifeAnnuity, CohortsAreValuedAtOnce) {
  const LifeTable sult = Sult();
  std::vector<Cohort> cohorts;
  for (int age = 60; age <= 100; ++age) {
    cohorts.push_back({.age = age, .lives = 250'000 - 5'000 * (age - 60), .annual_fen = 3'600'000});
  }
  const auto v = ValueCohorts(sult, 0.03, 12, cohorts);
  ASSERT_TRUE(v);
  long double want = 0;
  int64_t lives = 0;
  for (const auto& c : cohorts) {
    const auto a = Value(sult, {.age = c.age, .interest = 0.03, .payments_per_year = 12});
    want += static_cast<long double>(c.lives) * c.annual_fen * a->annuity;
    lives += c.lives;
  }
  EXPECT_EQ(v->lives, lives);
  EXPECT_NEAR(static_cast<double>(v->liability_fen), static_cast<double>(want),
              1e-9 * static_cast<double>(want));
  cohorts[3].lives = -1;
  EXPECT_EQ(ValueCohorts(sult, 0.03, 12, cohorts).error().fields.at(0).field, "/cohorts/3/lives");
}

// 国办发〔2009〕66号: 12% of the contribution wages since 1998, with the personal account whole.
TEST(PensionTransfer, TwelvePercentOfTheWagesAndTheAccount) {
  const std::vector<int64_t> year(12, 500'000);  // 5,000 yuan a month for a year
  const auto t = TransferPension(year, 3'000'000);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->pooled_transfer_fen, 720'000);  // 60,000 yuan × 12%
  EXPECT_EQ(t->total_fen, 3'720'000);
  EXPECT_EQ(t->months, 12);
  // 333,333 fen × 12% = 39,999.96 fen: rounded once, at the end, half up.
  const std::vector<int64_t> odd = {333'333};
  EXPECT_EQ(TransferPension(odd, 0)->pooled_transfer_fen, 40'000);
  const std::vector<int64_t> half = {125};  // 15 fen exactly
  EXPECT_EQ(TransferPension(half, 0)->pooled_transfer_fen, 15);
  const std::vector<int64_t> bad = {500'000, -1};
  EXPECT_EQ(TransferPension(bad, 0).error().fields.at(0).field,
            "/contribution_wages_fen_by_month/1");
}

// 国发〔2005〕38号: (average wage + indexed wage) / 2 × years × 1%, plus the account over the
// months divisor of the retirement age.
TEST(PensionBenefit, TheBasicPensionFormulaOnWorkedExamples) {
  EXPECT_EQ(MonthsDivisor(60), 139);
  EXPECT_EQ(MonthsDivisor(55), 170);
  EXPECT_EQ(MonthsDivisor(50), 195);
  EXPECT_EQ(MonthsDivisor(40), 233);
  EXPECT_EQ(MonthsDivisor(70), 56);
  EXPECT_FALSE(MonthsDivisor(71));
  // 8,000 yuan average, index 1.0, 35 years, 200,000 yuan in the account, retiring at 60:
  // 8,000 × 2/2 × 35% = 2,800 yuan; 200,000 / 139 = 1,438.8489 yuan.
  auto b = BasicPension(800'000, 10'000, 350'000, 20'000'000, 60);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->basic_fen, 280'000);
  EXPECT_EQ(b->account_fen, 143'885);
  EXPECT_EQ(b->monthly_fen, 423'885);
  // 6,000 yuan average, index 0.6, 15 years 6 months, 100,000 yuan, retiring at 55:
  // 6,000 × 1.6/2 × 15.5% = 744 yuan; 100,000 / 170 = 588.2353 yuan.
  b = BasicPension(600'000, 6'000, 155'000, 10'000'000, 55);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->basic_fen, 74'400);
  EXPECT_EQ(b->account_fen, 58'824);
  EXPECT_EQ(BasicPension(600'000, 6'000, 155'000, 0, 39).error().fields.at(0).field,
            "/retirement_age");
  EXPECT_EQ(BasicPension(600'000, 40'000, 155'000, 0, 60).error().fields.at(0).field,
            "/indexed_wage_ratio");
}

// The migratory-bird trust: members of 50 retiring at 60 and members already retired at 65.
std::vector<TrustMember> TrustBook() {
  return {{.age = 50,
           .lives = 600,
           .retirement_age = 60,
           .contribution_fen = 2'400'000,
           .benefit_fen = 3'600'000,
           .grassland_service_fen = 600'000,
           .beijing_service_fen = 900'000},
          {.age = 65,
           .lives = 400,
           .retirement_age = 60,
           .benefit_fen = 3'000'000,
           .grassland_service_fen = 500'000,
           .beijing_service_fen = 800'000}};
}

// Funded with exactly its liability (the closed form of deferred and temporary annuities), the
// deterministic projection ends with nothing once the last member is gone; its liability is the
// annuity values'.
TEST(MigratoryBirdTrust, TheDeterministicProjectionIsTheClosedForm) {
  const LifeTable sult = Sult();
  const auto book = TrustBook();
  auto first = ProjectTrust(sult, book, {.years = 1, .interest = 0.04});
  ASSERT_TRUE(first) << Describe(first.error());
  const auto deferred = Value(sult, {.age = 50, .interest = 0.04, .deferral = 10});
  const auto paying = Value(sult, {.age = 50, .interest = 0.04, .term = 10});
  const auto retired = Value(sult, {.age = 65, .interest = 0.04});
  const double want = 600 * (5'100'000 * deferred->annuity - 2'400'000 * paying->annuity) +
                      400 * 4'300'000 * retired->annuity;
  EXPECT_NEAR(static_cast<double>(first->liability_fen), want, 1.0);
  const auto full =
      ProjectTrust(sult, book, {.years = 81, .interest = 0.04, .assets_fen = first->liability_fen});
  ASSERT_TRUE(full);
  EXPECT_NEAR(*full->funding_ratio, 1.0, 1e-10);  // the liability rounded to the fen
  // The liability rounded to the fen leaves at most half a fen, grown for 81 years at 4%.
  EXPECT_LT(std::abs(full->years.back().assets_end_fen), 30);
  // Year 1: the younger members contribute, the retired are paid.
  EXPECT_EQ(full->years[0].contributions_fen, 600 * 2'400'000);
  EXPECT_EQ(full->years[0].benefits_fen, 400 * 3'000'000);
  EXPECT_EQ(full->years[0].beijing_fen, 400 * 800'000);
  EXPECT_NEAR(full->years[0].lives, 1000, 1e-9);
}

// The scenarios: the same numbers for one thread or two; with no volatility an underfunded trust
// runs short in every scenario and an overfunded one in none; the mean of many scenarios is near
// the expected projection.
TEST(MigratoryBirdTrust, ScenariosAreSeededAndGiveTheShortfallProbability) {
  const LifeTable sult = Sult();
  const auto book = TrustBook();
  const auto base = ProjectTrust(sult, book, {.years = 1, .interest = 0.04});
  ASSERT_TRUE(base);
  TrustOptions o{.years = 40,
                 .assets_fen = base->liability_fen,
                 .scenarios = TrustScenarios{.mean_return = 0.04, .volatility = 0.12, .count = 400},
                 .seed = 9,
                 .threads = 1};
  const auto one = ProjectTrust(sult, book, o);
  o.threads = 2;
  const auto two = ProjectTrust(sult, book, o);
  ASSERT_TRUE(one);
  ASSERT_TRUE(two);
  for (size_t t = 0; t < 40; ++t) {
    EXPECT_EQ(one->years[t].assets_p5_fen, two->years[t].assets_p5_fen);
    EXPECT_EQ(one->years[t].assets_median_fen, two->years[t].assets_median_fen);
  }
  EXPECT_EQ(*one->shortfall_probability, *two->shortfall_probability);
  EXPECT_GT(*one->shortfall_probability, 0.0);
  EXPECT_LT(*one->shortfall_probability, 1.0);
  // No market risk: half the liability runs short always, twice it never.
  o.scenarios->volatility = 0;
  o.assets_fen = base->liability_fen / 2;
  EXPECT_EQ(*ProjectTrust(sult, book, o)->shortfall_probability, 1.0);
  o.assets_fen = base->liability_fen * 2;
  const auto rich = ProjectTrust(sult, book, o);
  EXPECT_EQ(*rich->shortfall_probability, 0.0);
  // Mortality alone: the mean over scenarios is the expected projection, within its noise.
  const double expected = static_cast<double>(rich->years[9].assets_end_fen);
  EXPECT_NEAR(static_cast<double>(rich->years[9].assets_mean_fen), expected, 0.01 * expected);
  EXPECT_EQ(ProjectTrust(sult, book, {.years = 0}).error().fields.at(0).field, "/years");
  auto bad = book;
  bad[1].retirement_age = 90;
  EXPECT_EQ(ProjectTrust(sult, bad, {}).error().fields.at(0).field, "/members/1/retirement_age");
}

// The compensation fund: contributions split 60/40 to the fen; a blizzard whose loss passes the
// reinsurance layer drains the fund exactly to its floor; the next event's claim waits as owed
// until a top-up, which pays it first.
TEST(CompensationFund, ABlizzardDrainsTheFundToItsFloorAndATopUpPaysWhatWaits) {
  const FundRules rules{
      .beijing_share_bps = 6'000,
      .floor_fen = 1'000'000,
      .layers = {{.attachment_fen = 5'000'000, .limit_fen = 10'000'000, .share_bps = 8'000}}};
  const std::vector<FundEvent> events = {
      Contribution{.amount_fen = 10'000'001},
      // 300 herders' losses of 500 yuan each: 15,000,000 fen.
      Disaster{.kind = "blizzard", .affected_members = 300, .loss_per_member_fen = 50'000},
      Disaster{.kind = "sandstorm", .affected_members = 40, .loss_per_member_fen = 50'000},
      TopUp{.region = "inner_mongolia", .amount_fen = 3'000'000}};
  const auto run = RunFund(rules, 2'000'000, events);
  ASSERT_TRUE(run) << Describe(run.error());
  const auto& s = *run;
  EXPECT_EQ(s[0].beijing_fen, 6'000'000);  // 60% of 10,000,001 rounded down
  EXPECT_EQ(s[0].inner_mongolia_fen, 4'000'001);
  EXPECT_EQ(s[0].balance_fen, 12'000'001);
  // Loss 15,000,000; the layer recovers 80% of the 10,000,000 above 5,000,000 (8,000,000); the
  // fund owes 7,000,000 and has 11,000,001 above its floor: it pays and keeps 5,000,001.
  EXPECT_EQ(s[1].gross_claim_fen, 15'000'000);
  EXPECT_EQ(s[1].recovered_fen, 8'000'000);
  EXPECT_EQ(s[1].paid_fen, 7'000'000);
  EXPECT_EQ(s[1].balance_fen, 5'000'001);
  // 2,000,000 of loss, under the attachment: the fund has 4,000,001 above its floor and pays it
  // all.
  EXPECT_EQ(s[2].paid_fen, 2'000'000);
  EXPECT_EQ(s[2].balance_fen, 3'000'001);
  // A larger storm drains it to the floor exactly, the rest owed until the top-up.
  const std::vector<FundEvent> storm = {
      Disaster{.kind = "blizzard", .affected_members = 100, .loss_per_member_fen = 45'000}};
  const auto drained = RunFund(rules, 3'000'001, storm);
  ASSERT_TRUE(drained);
  EXPECT_EQ((*drained)[0].paid_fen, 2'000'001);
  EXPECT_EQ((*drained)[0].balance_fen, rules.floor_fen);
  EXPECT_EQ((*drained)[0].deferred_fen, 2'499'999);
  EXPECT_TRUE((*drained)[0].needs_top_up);
  const std::vector<FundEvent> storm_and_top_up = {
      storm[0], TopUp{.region = "beijing", .amount_fen = 3'000'000}};
  const auto topped = RunFund(rules, 3'000'001, storm_and_top_up);
  ASSERT_TRUE(topped);
  EXPECT_EQ((*topped)[1].beijing_fen, 3'000'000);
  EXPECT_EQ((*topped)[1].paid_fen, 2'499'999);
  EXPECT_EQ((*topped)[1].owed_fen, 0);
  EXPECT_EQ((*topped)[1].balance_fen, 1'500'001);  // 1,000,000 + 3,000,000 − 2,499,999
  EXPECT_FALSE((*topped)[1].needs_top_up);
  // Never below the floor: every state of every run.
  for (const auto* r : {&*run, &*drained, &*topped}) {
    for (const auto& st : *r) EXPECT_GE(st.balance_fen, rules.floor_fen);
  }
  const std::vector<FundEvent> bad = {Disaster{.kind = "flood", .affected_members = 1}};
  EXPECT_EQ(RunFund(rules, 2'000'000, bad).error().fields.at(0).field, "/events/0/kind");
}

// The platform records a fund's events one at a time, each run from the state the last one left:
// event by event is the same as the whole run, and a young fund below its floor pays nothing
// (what it owes waits) until contributions lift it above.
TEST(CompensationFund, EventByEventFromTheLastStateIsTheWholeRun) {
  const FundRules rules{
      .beijing_share_bps = 5'500,
      .floor_fen = 1'000'000,
      .layers = {{.attachment_fen = 2'000'000, .limit_fen = 4'000'000, .share_bps = 5'000}}};
  const std::vector<FundEvent> events = {
      Disaster{.kind = "sandstorm", .affected_members = 10, .loss_per_member_fen = 30'000},
      Contribution{.amount_fen = 900'000}, Contribution{.amount_fen = 2'000'000},
      Disaster{.kind = "blizzard", .affected_members = 120, .loss_per_member_fen = 40'000},
      TopUp{.region = "beijing", .amount_fen = 5'000'000}};
  const auto whole = RunFund(rules, FundState{}, events);
  ASSERT_TRUE(whole) << Describe(whole.error());
  EXPECT_EQ((*whole)[0].paid_fen, 0);  // nothing above the floor yet
  EXPECT_EQ((*whole)[0].owed_fen, 300'000);
  EXPECT_EQ((*whole)[1].paid_fen, 0);        // 900,000 is still under the floor
  EXPECT_EQ((*whole)[2].paid_fen, 300'000);  // 2,900,000: 1,900,000 above it
  EXPECT_EQ((*whole)[2].balance_fen, 2'600'000);
  FundState at;
  for (size_t k = 0; k < events.size(); ++k) {
    const auto one = RunFund(rules, at, {events[k]});
    ASSERT_TRUE(one) << k;
    EXPECT_EQ((*one)[0].balance_fen, (*whole)[k].balance_fen) << k;
    EXPECT_EQ((*one)[0].owed_fen, (*whole)[k].owed_fen) << k;
    EXPECT_EQ((*one)[0].paid_fen, (*whole)[k].paid_fen) << k;
    at = (*one)[0];
  }
  EXPECT_EQ(RunFund(rules, FundState{.owed_fen = -1}, events).error().fields.at(0).field,
            "/opening");
}

// The eco-index: exactly at a threshold triggers it, one basis point under does not; below the
// payout threshold the payout is in proportion; the member reads why.
TEST(EcoIndex, TriggersAtItsThresholdAndExplainsItself) {
  const EcoRules rules;  // discount at 80.00%, uplift at 90.00%, payout below 60.00%
  // 292 good days of 365 = 80.00% air; NDVI at its baseline = 100% vegetation: index 90.00%.
  auto d = ApplyEcoIndex(
      rules,
      {.days_observed = 365, .good_air_days = 292, .ndvi_e4 = 4'500, .baseline_ndvi_e4 = 4'500},
      120'000, 300'000, 5'000'000);
  ASSERT_TRUE(d) << Describe(d.error());
  EXPECT_EQ(d->air_bps, 8'000);
  EXPECT_EQ(d->vegetation_bps, 10'000);
  EXPECT_EQ(d->index_bps, 9'000);
  EXPECT_TRUE(d->discounted);
  EXPECT_TRUE(d->uplifted);
  EXPECT_EQ(d->premium_fen, 114'000);  // 5% off
  EXPECT_EQ(d->benefit_fen, 309'000);  // 3% more
  EXPECT_EQ(d->payout_fen, 0);
  EXPECT_NE(d->explanation_zh.find("保费减免 5.00%"), std::string::npos) << d->explanation_zh;
  EXPECT_NE(d->explanation_en.find("Eco-index 90.00%"), std::string::npos) << d->explanation_en;
  // One basis point under the uplift threshold: NDVI 4,499 of 4,500 → vegetation 99.97%.
  d = ApplyEcoIndex(
      rules,
      {.days_observed = 365, .good_air_days = 292, .ndvi_e4 = 4'499, .baseline_ndvi_e4 = 4'500},
      120'000, 300'000, 5'000'000);
  EXPECT_EQ(d->index_bps, 8'998);
  EXPECT_FALSE(d->uplifted);
  EXPECT_EQ(d->benefit_fen, 300'000);
  // A degraded year: air 50.00%, vegetation 50.00% → index 50.00%, under 60.00%: the payout is
  // 5,000,000 × (6,000 − 5,000) / 6,000 = 833,333 fen.
  d = ApplyEcoIndex(
      rules,
      {.days_observed = 366, .good_air_days = 183, .ndvi_e4 = 2'000, .baseline_ndvi_e4 = 4'000},
      120'000, 300'000, 5'000'000);
  EXPECT_EQ(d->index_bps, 5'000);
  EXPECT_EQ(d->payout_fen, 833'333);
  EXPECT_NE(d->explanation_en.find("a payout of 8333.33 yuan"), std::string::npos);
  EXPECT_EQ(ApplyEcoIndex(rules, {.days_observed = 365, .good_air_days = 400}, 0, 0, 0)
                .error()
                .fields.at(0)
                .field,
            "/observation/good_air_days");
}

// Claims recorded where the care is given, under the insuring region's deductible, share and
// cap; the period settled with netting: each pair once, positions that sum to zero to the fen.
TEST(CrossRegionSettlement, ClaimsFollowTheInsuringPolicyAndNetToTheFen) {
  const std::map<std::string, ReimbursementPolicy> policies = {
      {"beijing", {.deductible_fen = 130'000, .reimbursement_bps = 8'000, .cap_fen = 50'000'000}},
      {"xilingol", {.deductible_fen = 80'000, .reimbursement_bps = 7'500, .cap_fen = 30'000'000}}};
  const std::vector<CareClaim> claims = {{.member = "B1",
                                          .insuring_region = "beijing",
                                          .care_region = "xilingol",
                                          .eligible_fen = 100'000},
                                         {.member = "B1",
                                          .insuring_region = "beijing",
                                          .care_region = "xilingol",
                                          .eligible_fen = 200'000},
                                         {.member = "X1",
                                          .insuring_region = "xilingol",
                                          .care_region = "beijing",
                                          .eligible_fen = 500'001},
                                         {.member = "B2",
                                          .insuring_region = "beijing",
                                          .care_region = "hulunbuir",
                                          .eligible_fen = 1'000'000},
                                         {.member = "X2",
                                          .insuring_region = "xilingol",
                                          .care_region = "beijing",
                                          .eligible_fen = 50'000'000}};
  const auto s = SettlePeriod(policies, claims);
  ASSERT_TRUE(s) << Describe(s.error());
  // B1 bears the first 1,000 yuan whole, then 300 yuan of deductible and 20% of the rest.
  EXPECT_EQ(s->claims[0].reimbursed_fen, 0);
  EXPECT_EQ(s->claims[1].reimbursed_fen, 136'000);
  EXPECT_EQ(s->claims[1].member_bears_fen, 64'000);
  EXPECT_EQ(s->claims[2].reimbursed_fen, 315'000);  // 420,001 × 75% rounded down
  EXPECT_EQ(s->claims[3].reimbursed_fen, 696'000);
  EXPECT_EQ(s->claims[4].reimbursed_fen, 30'000'000);  // capped
  EXPECT_EQ(s->owed.at("beijing").at("xilingol"), 136'000);
  EXPECT_EQ(s->owed.at("xilingol").at("beijing"), 30'315'000);
  // Netted: Xilingol pays Beijing 30,179,000; Beijing pays Hulunbuir 696,000.
  EXPECT_EQ(s->bilateral.at("beijing").at("xilingol"), -30'179'000);
  EXPECT_EQ(s->bilateral.at("beijing").at("hulunbuir"), 696'000);
  EXPECT_EQ(s->position.at("beijing"), 30'179'000 - 696'000);
  EXPECT_EQ(s->position.at("xilingol"), -30'179'000);
  EXPECT_EQ(s->position.at("hulunbuir"), 696'000);
  // Many claims among four regions: the positions sum to zero, and each equals what it is owed
  // less what it owes.
  const CounterRng rng(5);
  const std::vector<std::string> regions = {"beijing", "xilingol", "hulunbuir", "chifeng"};
  std::map<std::string, ReimbursementPolicy> all;
  for (const auto& r : regions) all[r] = {.deductible_fen = 50'000, .reimbursement_bps = 7'777};
  std::vector<CareClaim> many;
  for (uint64_t i = 0; i < 10'000; ++i) {
    const auto a = rng.Below(1, i, 4), b = (a + 1 + rng.Below(2, i, 3)) % 4;
    many.push_back({.member = fmt::format("M{}", rng.Below(3, i, 500)),
                    .insuring_region = regions[a],
                    .care_region = regions[b],
                    .eligible_fen = static_cast<int64_t>(rng.Below(4, i, 2'000'000))});
  }
  const auto big = SettlePeriod(all, many);
  ASSERT_TRUE(big) << Describe(big.error());
  int64_t total = 0, reimbursed = 0;
  for (const auto& [r, p] : big->position) total += p;
  EXPECT_EQ(total, 0);
  for (const auto& c : big->claims) reimbursed += c.reimbursed_fen;
  int64_t owed = 0;
  for (const auto& [payer, row] : big->owed) {
    for (const auto& [payee, amount] : row) owed += amount;
  }
  EXPECT_EQ(owed, reimbursed);
  const std::vector<CareClaim> bad = {
      {.member = "B1", .insuring_region = "shanghai", .care_region = "beijing"}};
  EXPECT_EQ(SettlePeriod(policies, bad).error().fields.at(0).field, "/claims/0/insuring_region");
}

}  // namespace
}  // namespace corridor::pension
