// Values here are computed by hand from the definitions in mcdm.hpp (closed forms), except the
// tests marked Published, which pin examples from the literature.
#include "evaluate/mcdm.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace corridor::evaluate {
namespace {

constexpr auto P = Direction::kPositive;
constexpr auto N = Direction::kNegative;

TEST(Entropy, TwoAlternativesCarryFullInformation) {
  // With two rows every varying column standardizes to {0, 1}: p = {0, 1}, e = 0, equal weights.
  auto r = EntropyWeights({{1, 10}, {2, 20}}, {P, P}, Standardization::kMinMax, 0);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->weights[0], 0.5);
  EXPECT_DOUBLE_EQ(r->entropy[1], 0.0);
  EXPECT_DOUBLE_EQ(r->composite[0], 0.0);
  EXPECT_DOUBLE_EQ(r->composite[1], 1.0);
  // A negative second criterion reverses its column: both alternatives score one half.
  auto neg = EntropyWeights({{1, 10}, {2, 20}}, {P, N}, Standardization::kMinMax, 0);
  EXPECT_DOUBLE_EQ(neg->composite[0], 0.5);
  EXPECT_DOUBLE_EQ(neg->composite[1], 0.5);
}

TEST(Entropy, ThreeAlternativesClosedForm) {
  // Column 1 standardizes to {0, 1/2, 1}: p = {0, 1/3, 2/3}; column 2 to {0, 0, 1}: e = 0.
  auto r = EntropyWeights({{0, 5}, {1, 5}, {2, 9}}, {P, P}, Standardization::kMinMax, 0);
  ASSERT_TRUE(r);
  const double e1 =
      -((1.0 / 3) * std::log(1.0 / 3) + (2.0 / 3) * std::log(2.0 / 3)) / std::log(3.0);
  EXPECT_NEAR(r->entropy[0], e1, 1e-15);
  EXPECT_NEAR(r->entropy[1], 0.0, 1e-15);
  const double d1 = 1 - e1;
  EXPECT_NEAR(r->weights[0], d1 / (d1 + 1), 1e-15);
  EXPECT_NEAR(r->weights[1], 1 / (d1 + 1), 1e-15);
  EXPECT_NEAR(r->composite[1], r->weights[0] * 0.5, 1e-15);
  // A constant column gets weight 0 and does not break the others.
  auto c = EntropyWeights({{0, 7}, {1, 7}, {2, 7}}, {P, P}, Standardization::kMinMax, 0);
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->weights[1], 0.0);
  EXPECT_DOUBLE_EQ(c->weights[0], 1.0);
  EXPECT_DOUBLE_EQ(c->entropy[1], 1.0);
}

TEST(Entropy, SumStandardizationOnRawData) {
  // p = x/Σx = {1/4, 3/4} in column 1 and {1/2, 1/2} in column 2 (no information).
  auto r = EntropyWeights({{1, 2}, {3, 2}}, {P, P}, Standardization::kSum, 0);
  ASSERT_TRUE(r);
  const double e1 = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)) / std::log(2.0);
  EXPECT_NEAR(r->entropy[0], e1, 1e-15);
  EXPECT_DOUBLE_EQ(r->weights[0], 1.0);
  EXPECT_NEAR(r->composite[1], 0.75, 1e-15);
  EXPECT_FALSE(EntropyWeights({{-1, 2}, {3, 2}}, {P, P}, Standardization::kSum, 0));
  EXPECT_TRUE(EntropyWeights({{-1, 2}, {3, 2}}, {P, P}, Standardization::kSum, 1));
}

TEST(Entropy, RejectsBadShapes) {
  EXPECT_FALSE(EntropyWeights({{1, 2}}, {P, P}, Standardization::kMinMax, 0));  // one row
  EXPECT_FALSE(EntropyWeights({{1, 2}, {1}}, {P, P}, Standardization::kMinMax, 0));
  EXPECT_FALSE(EntropyWeights({{1, 2}, {3, 4}}, {P}, Standardization::kMinMax, 0));
  auto flat = EntropyWeights({{1, 2}, {1, 2}}, {P, P}, Standardization::kMinMax, 0);
  ASSERT_FALSE(flat);
  EXPECT_EQ(flat.error().fields[0].field, "/matrix");
}

TEST(Topsis, OneCriterionScoresAreTheMinMaxPosition) {
  // With one benefit criterion, D- / (D+ + D-) = (x - min) / (max - min) for either normalization.
  for (auto norm : {Normalization::kVector, Normalization::kMinMax}) {
    auto r = Topsis({{1}, {2}, {3}}, {1}, {P}, norm);
    ASSERT_TRUE(r);
    EXPECT_NEAR(r->scores[0], 0.0, 1e-15);
    EXPECT_NEAR(r->scores[1], 0.5, 1e-15);
    EXPECT_NEAR(r->scores[2], 1.0, 1e-15);
    EXPECT_EQ(r->ranking, (std::vector<int>{3, 2, 1}));
    auto cost = Topsis({{1}, {2}, {3}}, {1}, {N}, norm);
    EXPECT_EQ(cost->ranking, (std::vector<int>{1, 2, 3}));
  }
}

TEST(Topsis, TwoCriteriaByHand) {
  // Unit columns: v = [[0.75, 0], [0, 0.25]], ideal (0.75, 0.25), anti-ideal (0, 0):
  // A1: D+ = 0.25, D- = 0.75 -> 0.75; A2: D+ = 0.75, D- = 0.25 -> 0.25.
  auto r = Topsis({{1, 0}, {0, 1}}, {3, 1}, {P, P}, Normalization::kVector);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->scores[0], 0.75, 1e-15);
  EXPECT_NEAR(r->scores[1], 0.25, 1e-15);
  EXPECT_FALSE(Topsis({{1, 0}, {0, 1}}, {0, 0}, {P, P}, Normalization::kVector));
  EXPECT_FALSE(Topsis({{1, 0}, {0, 1}}, {1, -1}, {P, P}, Normalization::kVector));
}

TEST(Gra, DengGradesByHand) {
  // z1 = {0, 1/2, 1}; z2 (negative) = {1/2, 0, 1}; Δmin = 0, Δmax = 1, ρ = 1/2:
  // ξ(z) = 0.5 / (1 - z + 0.5): ξ(0) = 1/3, ξ(1/2) = 1/2, ξ(1) = 1.
  auto g = GreyRelationalGrades({{0, 10}, {1, 20}, {2, 0}}, {1, 1}, {P, N}, 0.5);
  ASSERT_TRUE(g);
  EXPECT_NEAR((*g)[0], (1.0 / 3 + 0.5) / 2, 1e-15);
  EXPECT_NEAR((*g)[1], (0.5 + 1.0 / 3) / 2, 1e-15);
  EXPECT_NEAR((*g)[2], 1.0, 1e-15);
  EXPECT_FALSE(GreyRelationalGrades({{0, 10}}, {1, 1}, {P, N}, 0));
}

TEST(Published, TopsisPapathanasiouPloskas2018) {
  // Papathanasiou & Ploskas, "TOPSIS", ch. 1 of Multiple Criteria Decision Aid (Springer 2018):
  // six alternatives, four benefit criteria, vector normalization; closeness to three decimals.
  const Matrix x = {{8, 7, 2, 1}, {5, 3, 7, 5},   {7, 5, 6, 4},
                    {9, 9, 7, 3}, {11, 10, 3, 7}, {6, 9, 5, 4}};
  auto r = Topsis(x, {0.4, 0.3, 0.1, 0.2}, {P, P, P, P}, Normalization::kVector);
  ASSERT_TRUE(r);
  const double published[] = {0.387, 0.327, 0.391, 0.615, 0.868, 0.493};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(r->scores[i], published[i], 5e-4) << i;
  EXPECT_EQ(r->ranking[4], 1);
  EXPECT_EQ(r->ranking[1], 6);
}

TEST(Published, EntropyXu2004) {
  // Xu, "A note on the subjective and objective integrated approach to determine attribute
  // weights", EJOR 156(2) (2004) 530-532: p = x/Σx on the raw data (our `sum`), weights to four
  // decimals; the nearly constant fourth attribute carries no weight.
  const Matrix x = {{30, 30, 38, 29}, {19, 54, 86, 29}, {19, 15, 85, 28.9}, {68, 70, 60, 29}};
  auto r = EntropyWeights(x, {P, P, P, P}, Standardization::kSum, 0);
  ASSERT_TRUE(r);
  const double published[] = {0.4630, 0.3992, 0.1378, 0.0000};
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(r->weights[j], published[j], 5e-5) << j;
}

}  // namespace
}  // namespace corridor::evaluate
