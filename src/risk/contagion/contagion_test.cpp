// Contagion models on cases solved by hand (each derivation in its comment).
#include <gtest/gtest.h>

#include <random>

#include "risk/contagion/clearing.hpp"
#include "risk/contagion/debtrank.hpp"
#include "risk/contagion/sharing.hpp"
#include "risk/contagion/transmission.hpp"

namespace corridor::risk {
namespace {

DebtRank Make(const std::vector<std::vector<double>>& assets, std::vector<double> capital,
              std::vector<double> weights = {}) {
  auto m = SparseFromDense(assets, "assets");
  EXPECT_TRUE(m);
  auto d = DebtRank::Make(*m, capital, weights);
  EXPECT_TRUE(d) << d.error().message;
  return *d;
}

TEST(DebtRank, ChainAllVariants) {
  // 0 holds 4 of 1's debt, 1 holds 6 of 2's; capital (8, 10, 5); 2 defaults. Impacts: 1 loses
  // 6/10 = 0.6 of its capital, 0 then 0.5 × 0.6 = 0.3. Weights are total claims (4, 6, 0)/10:
  // DebtRank = 0.4 × 0.3 + 0.6 × 0.6 = 0.48 for the original and linear variants (no cycle).
  const auto d = Make({{0, 4, 0}, {0, 0, 6}, {0, 0, 0}}, {8, 10, 5});
  for (auto v : {DebtRankVariant::kOriginal, DebtRankVariant::kLinear}) {
    auto r = d.Run({0, 0, 1}, v);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->debtrank, 0.48, 1e-15);
    EXPECT_NEAR(r->final_stress[0], 0.3, 1e-15);
    EXPECT_EQ(r->additional_defaults, 0);
  }
  // Threshold: 1 loses 0.6 < 1 and does not default, so nothing reaches 0.
  auto t = d.Run({0, 0, 1}, DebtRankVariant::kThreshold);
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->debtrank, 0.36, 1e-15);
  EXPECT_EQ(t->final_stress[0], 0.0);
}

TEST(DebtRank, CycleSeparatesTheVariants) {
  // 0 and 1 hold 5 of each other's debt, capital 10 each (impact 0.5 both ways), weights 1/2.
  // Shock: h⁰ = (0, 0.5).
  const auto d = Make({{0, 5}, {5, 0}}, {10, 10});
  // Original: round 1, 0 takes 0.5 × 0.5 = 0.25 and 1 turns inactive; round 2, 1 takes
  // 0.5 × 0.25 = 0.125 (inactive nodes still take stress) and 0 turns inactive: h = (0.25,
  // 0.625), DebtRank = (0.25 + 0.125)/2 = 0.1875.
  auto o = d.Run({0, 0.5}, DebtRankVariant::kOriginal);
  ASSERT_TRUE(o);
  EXPECT_NEAR(o->final_stress[1], 0.625, 1e-15);
  EXPECT_NEAR(o->debtrank, 0.1875, 1e-15);
  EXPECT_EQ(o->rounds, 2);
  // Linear: the fixed point h = h⁰ + Λh, h₀ = h₁/2, h₁ = 1/2 + h₀/2: h = (1/3, 2/3),
  // DebtRank = (1/3 + 1/6)/2 = 1/4.
  auto l = d.Run({0, 0.5}, DebtRankVariant::kLinear);
  ASSERT_TRUE(l);
  EXPECT_NEAR(l->final_stress[0], 1.0 / 3, 1e-12);
  EXPECT_NEAR(l->debtrank, 0.25, 1e-12);
  // Threshold: nobody defaults at 0.5; with 1 defaulting, 0 loses 0.5: DebtRank 0.25; with
  // capital 4 at node 0 the loss 5/4 caps at 1 and 0 defaults too.
  EXPECT_NEAR(d.Run({0, 0.5}, DebtRankVariant::kThreshold)->debtrank, 0.0, 1e-15);
  EXPECT_NEAR(d.Run({0, 1}, DebtRankVariant::kThreshold)->debtrank, 0.25, 1e-15);
  const auto weak = Make({{0, 5}, {5, 0}}, {4, 10});
  auto cascade = weak.Run({0, 1}, DebtRankVariant::kThreshold);
  ASSERT_TRUE(cascade);
  EXPECT_EQ(cascade->additional_defaults, 1);
  EXPECT_NEAR(cascade->debtrank, 0.5, 1e-15);
}

TEST(DebtRank, ThreeNodeRingAgreesWithNetworkRiskMeasures) {
  // A ring 1 ↔ 2 ↔ 3 (nodes 0, 1, 2 here): assets [[0,3,0],[2,0,4],[0,5,0]], capital (4, 5, 10),
  // so the impacts are Λ01 = 3/4, Λ10 = 2/5, Λ12 = 4/5, Λ21 = 1/2; weights = claims (3, 6, 5)/14.
  // Every figure below was solved by hand (derivations inline) and agrees with the package
  // NetworkRiskMeasures 0.1.4, contagion(exposure_type = "assets"), methods "debtrank"
  // (linear), "debtrank" with single.hit = TRUE (original) and "threshold", run by
  // bench/peers/networkriskmeasures.R NRM_DIR three. The package stops the linear run of node 0's
  // default at its 30-iteration cap (0.40476147…); converged, it is 17/42.
  const auto d = Make({{0, 3, 0}, {2, 0, 4}, {0, 5, 0}}, {4, 5, 10});
  struct Case {
    DebtRankVariant variant;
    std::vector<double> shock, stress;
    double debtrank;
  };
  const Case cases[] = {
      // Linear, node 0 defaults: h1 = 2/5 + 4/5 h2 and h2 = 1/2 h1, so h1 = 2/3, h2 = 1/3;
      // DebtRank = (6·2/3 + 5·1/3)/14 = 17/42.
      {DebtRankVariant::kLinear, {1, 0, 0}, {1, 2.0 / 3, 1.0 / 3}, 17.0 / 42},
      // Linear, h1 = 0.5: 0.5 + 0.4·h0 + 0.8·h2 exceeds 1 once h0 = 0.75·h1 and h2 = 0.5·h1, so
      // h = (0.75, 1, 0.5) and DebtRank = (3·0.75 + 6·0.5 + 5·0.5)/14 = 7.75/14.
      {DebtRankVariant::kLinear, {0, 0.5, 0}, {0.75, 1, 0.5}, 7.75 / 14},
      // Original, node 0 defaults: round 1 h1 = 0.4; round 2 node 1 passes 0.4 once: h2 = 0.2;
      // round 3 node 2 passes 0.2: h1 = 0.4 + 0.8·0.2 = 0.56. DebtRank = (6·0.56 + 5·0.2)/14.
      {DebtRankVariant::kOriginal, {1, 0, 0}, {1, 0.56, 0.2}, 4.36 / 14},
      // Original, h1 = 0.5: h0 = 0.375, h2 = 0.25; both pass once: h1 = 0.5 + 0.4·0.375 +
      // 0.8·0.25 = 0.85. DebtRank = (3·0.375 + 6·0.35 + 5·0.25)/14 = 4.475/14.
      {DebtRankVariant::kOriginal, {0, 0.5, 0}, {0.375, 0.85, 0.25}, 4.475 / 14},
      // Threshold: node 0's default costs node 1 Λ10 = 0.4, no further default; h1 = 0.5 alone
      // defaults nobody.
      {DebtRankVariant::kThreshold, {1, 0, 0}, {1, 0.4, 0}, 2.4 / 14},
      {DebtRankVariant::kThreshold, {0, 0.5, 0}, {0, 0.5, 0}, 0},
  };
  for (const Case& c : cases) {
    auto r = d.Run(c.shock, c.variant);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->debtrank, c.debtrank, 1e-12);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(r->final_stress[i], c.stress[i], 1e-12) << i;
  }
}

TEST(DebtRank, StrongestPathsAndDirectImpact) {
  // 1 and 2 hold 4 and 6 of 0's debt, 3 holds 5 of 1's and 2 of 2's; capital 10 each, so the
  // impacts are 0.4, 0.6 (on 0) and 0.5, 0.2 (on 1, 2). From 0, node 3 is reached by 0→1→3 with
  // strength 0.4·0.5 = 0.2, stronger than 0→2→3 (0.6·0.2 = 0.12); node 4 is not reached.
  // Weights are claims (0, 4, 6, 7, 0)/17, so I₀ = (0.4·4 + 0.6·6)/17 = 5.2/17, I₁ = 0.5·7/17,
  // I₂ = 0.2·7/17 (Battiston et al. 2012, eq. 1).
  const auto d =
      Make({{0, 0, 0, 0, 0}, {4, 0, 0, 0, 0}, {6, 0, 0, 0, 0}, {0, 5, 2, 0, 0}, {0, 0, 0, 0, 0}},
           {10, 10, 10, 10, 10});
  const auto t = d.StrongestPaths(0);
  EXPECT_EQ(t.PathTo(3), (std::vector<int>{0, 1, 3}));
  EXPECT_NEAR(t.strength[3], 0.2, 1e-15);
  EXPECT_NEAR(t.strength[2], 0.6, 1e-15);
  EXPECT_EQ(t.strength[0], 1.0);
  EXPECT_EQ(t.strength[4], 0.0);
  EXPECT_TRUE(t.PathTo(4).empty());
  const auto impact = d.DirectImpact();
  EXPECT_NEAR(impact[0], 5.2 / 17, 1e-15);
  EXPECT_NEAR(impact[1], 3.5 / 17, 1e-15);
  EXPECT_NEAR(impact[2], 1.4 / 17, 1e-15);
  EXPECT_EQ(impact[3], 0.0);
}

TEST(DebtRank, AllSingleDefaultsIgnoreThreads) {
  std::mt19937_64 g(3);
  const int n = 300;
  SparseMatrix a{n, std::vector<std::vector<std::pair<int, double>>>(n)};
  std::vector<double> capital(n);
  std::uniform_real_distribution<double> u(1, 10);
  for (int i = 0; i < n; ++i) {
    capital[i] = u(g) * 3;
    for (int k = 0; k < 5; ++k) {
      const int j = static_cast<int>(g() % n);
      if (j != i) a.rows[i].emplace_back(j, u(g));
    }
    std::sort(a.rows[i].begin(), a.rows[i].end());
    a.rows[i].erase(std::unique(a.rows[i].begin(), a.rows[i].end(),
                                [](auto x, auto y) { return x.first == y.first; }),
                    a.rows[i].end());
  }
  auto d = DebtRank::Make(a, capital, {});
  ASSERT_TRUE(d);
  for (auto v :
       {DebtRankVariant::kOriginal, DebtRankVariant::kLinear, DebtRankVariant::kThreshold}) {
    const auto one = d->AllSingleDefaults(v, 1), two = d->AllSingleDefaults(v, 2);
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(one[i].debtrank, two[i].debtrank);
      std::vector<double> h0(n, 0.0);
      h0[i] = 1;
      const auto alone = d->Run(h0, v);  // the batched lanes give each scenario's own sums
      EXPECT_EQ(one[i].debtrank, alone->debtrank);
      EXPECT_EQ(one[i].rounds, alone->rounds);
      EXPECT_EQ(one[i].additional_defaults, alone->additional_defaults);
    }
  }
}

TEST(EisenbergNoe, HandSolvedAndRogersVeraart) {
  // 0 owes 1 ten, 1 owes 0 five; external assets (2, 4). If 1 pays 5, 0 has 7 < 10 and pays 7;
  // 1 then has 11 ≥ 5: p = (7, 5), equity (0, 6).
  auto l = SparseFromDense({{0, 10}, {5, 0}}, "liabilities");
  ASSERT_TRUE(l);
  auto r = EisenbergNoe(*l, {2, 4}, 1, 1);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->payments[0], 7, 1e-12);
  EXPECT_NEAR(r->payments[1], 5, 1e-12);
  EXPECT_TRUE(r->defaulted[0]);
  EXPECT_FALSE(r->defaulted[1]);
  EXPECT_NEAR(r->equity[1], 6, 1e-12);
  // Conservation: total equity equals total external assets (payments are transfers).
  EXPECT_NEAR(r->equity[0] + r->equity[1], 6, 1e-12);
  // Rogers–Veraart α = β = 1/2: 0 pays 1 + 2.5 = 3.5; 1 has 7.5 ≥ 5; 3.5 is lost to default.
  auto rv = EisenbergNoe(*l, {2, 4}, 0.5, 0.5);
  ASSERT_TRUE(rv);
  EXPECT_NEAR(rv->payments[0], 3.5, 1e-12);
  EXPECT_NEAR(rv->equity[1], 2.5, 1e-12);
  EXPECT_NEAR(rv->default_costs, 3.5, 1e-12);
  EXPECT_NEAR(rv->equity[1] + rv->default_costs, 6, 1e-12);
}

TEST(EisenbergNoe, SystemicriskPackageExample) {
  // The example of default_clearing() in the R package systemicrisk (Gandy & Veraart; CRAN
  // documentation): three banks owing each other 1/2 both ways, external assets (1/2, 5/8, 3/4),
  // external liabilities (3/2, 1/2, 1/2), with and without default costs α = 1/2, β = 7/10.
  // External creditors are node 3 here (owed the external liabilities, owing nothing). Solved
  // exactly by the greatest-clearing-vector algorithm in rational arithmetic:
  //  - α = β = 1: bank 0 defaults (1.5 < 2.5), then bank 1 (1.425 < 1.5); solving
  //    p0 = 1 + p1/3, p1 = 9/8 + p0/5 gives p = (165/112, 159/112, 3/2), bank 2 solvent with
  //    170/112 ≥ 3/2.
  //  - α = 1/2, β = 7/10: all three default; p = (4225/8416, 160275/311392, 176055/311392).
  auto l = SparseFromDense(
      {{0, 0.5, 0.5, 1.5}, {0.5, 0, 0.5, 0.5}, {0.5, 0.5, 0, 0.5}, {0, 0, 0, 0}}, "liabilities");
  ASSERT_TRUE(l);
  const std::vector<double> ea = {0.5, 0.625, 0.75, 0};
  auto en = EisenbergNoe(*l, ea, 1, 1);
  ASSERT_TRUE(en);
  EXPECT_NEAR(en->payments[0], 165.0 / 112, 1e-12);
  EXPECT_NEAR(en->payments[1], 159.0 / 112, 1e-12);
  EXPECT_NEAR(en->payments[2], 1.5, 1e-12);
  EXPECT_EQ(en->defaulted, (std::vector<bool>{true, true, false, false}));
  EXPECT_NEAR(en->equity[2], 170.0 / 112 - 1.5, 1e-12);
  // Conservation: what external creditors receive plus the banks' equity is all external assets.
  EXPECT_NEAR(en->equity[0] + en->equity[1] + en->equity[2] + en->equity[3], 1.875, 1e-12);
  auto rv = EisenbergNoe(*l, ea, 0.5, 0.7);
  ASSERT_TRUE(rv);
  EXPECT_NEAR(rv->payments[0], 4225.0 / 8416, 1e-12);
  EXPECT_NEAR(rv->payments[1], 160275.0 / 311392, 1e-12);
  EXPECT_NEAR(rv->payments[2], 176055.0 / 311392, 1e-12);
  EXPECT_EQ(rv->defaulted, (std::vector<bool>{true, true, true, false}));
  EXPECT_NEAR(rv->equity[3] + rv->default_costs, 1.875, 1e-12);
}

TEST(EisenbergNoe, FictitiousDefaultRounds) {
  // A chain 0 → 1 → 2 owing 10 each, external (5, 2, 0). Round 1: 0 cannot pay (5 < 10) and
  // pays 5; round 2: 1 then has 7 < 10 and pays 7; 2 keeps 7.
  auto l = SparseFromDense({{0, 10, 0}, {0, 0, 10}, {0, 0, 0}}, "liabilities");
  ASSERT_TRUE(l);
  auto r = EisenbergNoe(*l, {5, 2, 0}, 1, 1);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->payments[0], 5, 1e-12);
  EXPECT_NEAR(r->payments[1], 7, 1e-12);
  EXPECT_NEAR(r->equity[2], 7, 1e-12);
  EXPECT_GE(r->rounds, 3);
}

TEST(EisenbergNoe, GreatestOfManyClearingVectors) {
  // A ring owing 1 around with no external assets: every c·(1, 1, 1), c ∈ [0, 1], clears; the
  // greatest, (1, 1, 1), is the one chosen.
  auto l = SparseFromDense({{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}, "liabilities");
  ASSERT_TRUE(l);
  auto r = EisenbergNoe(*l, {0, 0, 0}, 1, 1);
  ASSERT_TRUE(r);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(r->payments[i], 1, 1e-15);
    EXPECT_FALSE(r->defaulted[i]);
  }
  EXPECT_FALSE(EisenbergNoe(*l, {0, 0}, 1, 1));
  EXPECT_FALSE(EisenbergNoe(*l, {0, 0, 0}, 1.5, 1));
}

TEST(StressTransmission, ThreeTiersAwayAsInSeed002) {
  // A battery maker's orders fall 40%; each supplier sells only to the next firm down the chain
  // and passes the fall on in full: 40% three tiers away. A supplier selling half its output
  // elsewhere feels half.
  std::vector<OrderEdge> e = {{"battery", "cells", 100},
                              {"cells", "cathode", 80},
                              {"cathode", "lithium", 60},
                              {"battery", "casing", 10},
                              {"other", "casing", 10}};
  auto r = StressTransmission(e, "battery", 0.4, 1.0, 5);
  ASSERT_TRUE(r) << r.error().message;
  std::map<std::string, TransmittedStress> by;
  for (const auto& s : *r) by[s.node] = s;
  EXPECT_EQ(by["lithium"].tier, 3);
  EXPECT_NEAR(by["lithium"].order_drop, 0.4, 1e-15);
  EXPECT_NEAR(by["casing"].order_drop, 0.2, 1e-15);
  EXPECT_EQ(by.count("other"), 0u);  // a buyer, not upstream of the shock
  auto halved = StressTransmission(e, "battery", 0.4, 0.5, 2);
  ASSERT_TRUE(halved);
  EXPECT_EQ(halved->back().tier, 2);  // stops at max_tiers
  EXPECT_FALSE(StressTransmission(e, "nobody", 0.4, 1, 3));
}

TEST(RiskSharing, PartsAlwaysSumToTheWhole) {
  auto r = RiskSharing("compensation_pool", 7);  // 2.1 : 2.8 : 2.1 → 2, 3, 2
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].amount_fen, 2);
  EXPECT_EQ((*r)[1].amount_fen, 3);
  EXPECT_EQ((*r)[2].amount_fen, 2);
  for (const char* scheme :
       {"compensation_pool", "reserve_pool_funding", "rnd_failure_fund", "rnd_insurance_premium"}) {
    for (int64_t amount : {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{100'000'001},
                           int64_t{9'000'000'000'000'000'007}}) {
      auto s = RiskSharing(scheme, amount);
      ASSERT_TRUE(s);
      int64_t sum = 0;
      for (const auto& x : *s) sum += x.amount_fen;
      EXPECT_EQ(sum, amount) << scheme;
    }
  }
  EXPECT_EQ((*RiskSharing("rnd_failure_fund", 1'000))[0].amount_fen, 600);
  EXPECT_EQ((*RiskSharing("rnd_insurance_premium", 1'000))[2].amount_fen, 200);
  EXPECT_FALSE(RiskSharing("nope", 1));
  EXPECT_FALSE(RiskSharing("compensation_pool", -1));
}

}  // namespace
}  // namespace corridor::risk
