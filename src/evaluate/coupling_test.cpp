// Coupling coordination on values solved by hand from the formulas in coupling.hpp.
#include "evaluate/coupling.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace corridor::evaluate {
namespace {

TEST(Coupling, TraditionalTwoSystems) {
  // C = 2√(U₁U₂)/(U₁ + U₂) = 2·0.4/1 = 0.8; T = 0.5; D = √0.4.
  auto r = CouplingCoordination({0.2, 0.8}, {}, CouplingVariant::kTraditional);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(r->c, 0.8, 1e-12);
  EXPECT_NEAR(r->t, 0.5, 1e-12);
  EXPECT_NEAR(r->d, std::sqrt(0.4), 1e-12);
  EXPECT_EQ(r->grade.zh, "初级协调");  // 0.632 in (0.6, 0.7]
}

TEST(Coupling, Wang2021TwoSystems) {
  // C = √((1 - 0.6)·0.2/0.8) = √0.1; the traditional 0.8 overstates coupling of unequal systems.
  auto r = CouplingCoordination({0.2, 0.8}, {}, CouplingVariant::kWang2021);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->c, std::sqrt(0.1), 1e-12);
  EXPECT_NEAR(r->d, std::sqrt(std::sqrt(0.1) * 0.5), 1e-12);
  EXPECT_EQ(r->grade.zh, "轻度失调");  // D = √0.158 = 0.3976 in (0.3, 0.4]
}

TEST(Coupling, ThreeSystemsAndWeights) {
  // U = (0.3, 0.6, 0.9), α = (0.5, 0.3, 0.2). Traditional: 3·(0.162)^(1/3)/1.8 = 0.9085603;
  // Wang: gaps 0.3 + 0.6 + 0.3 = 1.2 over 3 pairs -> 0.6; (1/3 · 2/3 · 1)^(1/2) = 0.4714045;
  // C = √(0.6 · 0.4714045) = 0.5318290. T = 0.15 + 0.18 + 0.18 = 0.51.
  auto t = CouplingCoordination({0.3, 0.6, 0.9}, {0.5, 0.3, 0.2}, CouplingVariant::kTraditional);
  auto w = CouplingCoordination({0.3, 0.6, 0.9}, {0.5, 0.3, 0.2}, CouplingVariant::kWang2021);
  ASSERT_TRUE(t && w);
  EXPECT_NEAR(t->c, 3 * std::cbrt(0.162) / 1.8, 1e-12);
  EXPECT_NEAR(w->c, std::sqrt(0.6 * std::sqrt(2.0 / 9.0)), 1e-12);
  EXPECT_NEAR(t->t, 0.51, 1e-12);
}

TEST(Coupling, EqualLevelsCoupleFully) {
  for (auto v : {CouplingVariant::kTraditional, CouplingVariant::kWang2021}) {
    auto r = CouplingCoordination({0.7, 0.7, 0.7, 0.7}, {}, v);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->c, 1.0, 1e-12);
    EXPECT_NEAR(r->d, std::sqrt(0.7), 1e-12);
  }
  auto zero = CouplingCoordination({0, 0.5}, {}, CouplingVariant::kTraditional);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->c, 0);
  EXPECT_EQ(zero->grade.zh, "极度失调");
}

TEST(Coupling, GradeBoundariesAreUpperClosed) {
  EXPECT_EQ(GradeOf(0).zh, "极度失调");
  EXPECT_EQ(GradeOf(0.1).zh, "极度失调");
  EXPECT_EQ(GradeOf(0.3).zh, "中度失调");
  EXPECT_EQ(GradeOf(0.30001).zh, "轻度失调");
  EXPECT_EQ(GradeOf(0.5).zh, "濒临失调");
  EXPECT_EQ(GradeOf(0.55).zh, "勉强协调");
  EXPECT_EQ(GradeOf(0.9).zh, "良好协调");
  EXPECT_EQ(GradeOf(1.0).zh, "优质协调");
  EXPECT_EQ(GradeOf(1.0).en, "high-quality coordination");
}

TEST(Coupling, RejectsBadInput) {
  auto r = CouplingCoordination({0.5, 1.2}, {}, CouplingVariant::kTraditional);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/u/1");
  auto a = CouplingCoordination({0.5, 0.2}, {0.5, 0.6}, CouplingVariant::kTraditional);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().fields.at(0).field, "/alpha");
  EXPECT_FALSE(CouplingCoordination({0.5}, {}, CouplingVariant::kWang2021));
}

}  // namespace
}  // namespace corridor::evaluate
