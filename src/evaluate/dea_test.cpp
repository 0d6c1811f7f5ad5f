// DEA against a published example and hand-solved cases. Where a value is derived here rather
// than quoted, the derivation is in the comment.
#include "evaluate/dea.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace corridor::evaluate {
namespace {

// The twelve hospitals of Cooper, Seiford & Tone, "Data Envelopment Analysis: A Comprehensive
// Text" (2nd ed., Springer 2007), chapters 1 and 3: inputs doctors and nurses, outputs
// outpatients and inpatients; CCR scores as published to three decimals.
const Matrix kHospitalInputs = {{20, 151}, {19, 131}, {25, 160}, {27, 168}, {22, 158}, {55, 255},
                                {33, 235}, {31, 206}, {30, 244}, {50, 268}, {53, 306}, {38, 284}};
const Matrix kHospitalOutputs = {{100, 90},  {150, 50},  {160, 55},  {180, 72},
                                 {94, 66},   {230, 90},  {220, 88},  {152, 80},
                                 {190, 100}, {250, 100}, {260, 147}, {250, 120}};
const double kHospitalCcr[] = {1,     1,     0.883, 1,     0.763, 0.835,
                               0.902, 0.796, 0.960, 0.871, 0.955, 0.958};

TEST(Dea, HospitalsCcrAsPublished) {
  auto r = Dea(kHospitalInputs, kHospitalOutputs, {});
  ASSERT_TRUE(r) << r.error().message;
  for (size_t i = 0; i < 12; ++i) EXPECT_NEAR(*r->efficiency[i], kHospitalCcr[i], 5e-4) << i;
  // The projection reproduces the score: Xλ + s⁻ = θx₀ and Yλ - s⁺ = y₀ for every hospital.
  for (size_t o = 0; o < 12; ++o) {
    for (int i = 0; i < 2; ++i) {
      double lhs = r->input_slacks[o][i];
      for (const Peer& p : r->peers[o]) lhs += p.lambda * kHospitalInputs[p.dmu][i];
      EXPECT_NEAR(lhs, *r->efficiency[o] * kHospitalInputs[o][i], 1e-6);
    }
    for (int k = 0; k < 2; ++k) {
      double lhs = -r->output_slacks[o][k];
      for (const Peer& p : r->peers[o]) lhs += p.lambda * kHospitalOutputs[p.dmu][k];
      EXPECT_NEAR(lhs, kHospitalOutputs[o][k], 1e-6);
    }
  }
}

// One input, one output: A(2,1) B(3,3) C(6,4) D(4,2).
const Matrix kX1 = {{2}, {3}, {6}, {4}};
const Matrix kY1 = {{1}, {3}, {4}, {2}};

TEST(Dea, SingleInputOutputClosedForms) {
  // CCR: θ = (y/x) / max(y/x) = ratio / 1 (B).
  auto ccr = Dea(kX1, kY1, {});
  ASSERT_TRUE(ccr);
  EXPECT_NEAR(*ccr->efficiency[0], 0.5, 1e-9);
  EXPECT_NEAR(*ccr->efficiency[2], 4.0 / 6.0, 1e-9);
  EXPECT_NEAR(*ccr->efficiency[3], 0.5, 1e-9);
  // BCC input: D meets the frontier segment A-B at y = 2, x = 2.5: θ = 2.5/4.
  auto bcc = Dea(kX1, kY1, {.returns = Returns::kVariable});
  ASSERT_TRUE(bcc);
  EXPECT_NEAR(*bcc->efficiency[3], 0.625, 1e-9);
  EXPECT_NEAR(*bcc->efficiency[0], 1.0, 1e-9);
  ASSERT_EQ(bcc->peers[3].size(), 2u);  // half A, half B
  EXPECT_NEAR(bcc->peers[3][0].lambda, 0.5, 1e-9);
  // BCC output: at x = 4 the segment B-C gives y = 10/3: φ = 5/3, reported 1/φ = 0.6.
  auto out = Dea(kX1, kY1, {.returns = Returns::kVariable, .orientation = Orientation::kOutput});
  ASSERT_TRUE(out);
  EXPECT_NEAR(*out->efficiency[3], 0.6, 1e-9);
  // CCR output orientation equals input orientation.
  auto ccr_out = Dea(kX1, kY1, {.orientation = Orientation::kOutput});
  ASSERT_TRUE(ccr_out);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(*ccr_out->efficiency[i], *ccr->efficiency[i], 1e-9);
}

TEST(Dea, AndersenPetersenSuperEfficiency) {
  // CCR without B: best ratio C = 2/3, so θ_B = 1 / (2/3) = 1.5.
  auto ccr = Dea(kX1, kY1, {.super_efficiency = true});
  ASSERT_TRUE(ccr);
  EXPECT_NEAR(*ccr->efficiency[1], 1.5, 1e-9);
  EXPECT_NEAR(*ccr->efficiency[3], 0.5, 1e-9);  // inefficient DMUs keep their score
  // BCC input without A: y >= 1 needs x >= 3 (B): θ_A = 1.5. C has the largest output: no other
  // convex combination reaches y = 4, so the program is infeasible.
  auto bcc = Dea(kX1, kY1, {.returns = Returns::kVariable, .super_efficiency = true});
  ASSERT_TRUE(bcc);
  EXPECT_NEAR(*bcc->efficiency[0], 1.5, 1e-9);
  EXPECT_FALSE(bcc->efficiency[2].has_value());
}

Matrix Random(std::mt19937_64& g, int n, int d) {
  std::uniform_real_distribution<double> u(1, 100);
  Matrix x(n, std::vector<double>(d));
  for (auto& row : x) {
    for (double& v : row) v = u(g);
  }
  return x;
}

TEST(Dea, ColumnGenerationMatchesTheFullProgramAndIgnoresThreads) {
  std::mt19937_64 g(7);
  const Matrix x = Random(g, 400, 3), y = Random(g, 400, 2);
  for (Returns rts : {Returns::kConstant, Returns::kVariable}) {
    for (Orientation o : {Orientation::kInput, Orientation::kOutput}) {
      DeaOptions opt{.returns = rts, .orientation = o};
      auto cg = Dea(x, y, opt);
      opt.column_generation = false;
      auto full = Dea(x, y, opt);
      opt.column_generation = true;
      opt.threads = 2;
      auto two = Dea(x, y, opt);
      ASSERT_TRUE(cg && full && two);
      for (int i = 0; i < 400; ++i) {
        EXPECT_NEAR(*cg->efficiency[i], *full->efficiency[i], 1e-8) << i;
        EXPECT_EQ(*cg->efficiency[i], *two->efficiency[i]) << i;  // bit-identical
        EXPECT_LE(*cg->efficiency[i], 1 + 1e-9);
      }
    }
  }
}

TEST(Dea, RejectsBadData) {
  auto r = Dea({{1}, {-2}}, {{1}, {1}}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/inputs/1/0");
  auto rows = Dea({{1}, {2}}, {{1}}, {});
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().fields.at(0).field, "/outputs");
  auto zero = Dea({{0}, {2}}, {{1}, {1}}, {});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().fields.at(0).field, "/inputs/0");
}

// Two inputs, one unit output: A(1,2) B(2,1) C(3,2).
const Matrix kX2 = {{1, 2}, {2, 1}, {3, 2}};
const Matrix kY2 = {{1}, {1}, {1}};

TEST(Sbm, HandSolvedTwoInputs) {
  // C against λ_A = a, λ_B = b (a + b >= 1): ρ = (2a/3 + 7b/12)/(a + b), least at a = 0:
  // ρ = 7/12 onto B. CCR gives 0.6 (λ_A = 0.2, λ_B = 0.8); SBM <= CCR.
  auto r = Sbm(kX2, kY2, {}, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(*r->efficiency[0], 1.0, 1e-9);
  EXPECT_NEAR(*r->efficiency[1], 1.0, 1e-9);
  EXPECT_NEAR(*r->efficiency[2], 7.0 / 12.0, 1e-9);
  // Any λ_B in [1, 1.5] is optimal, so the slacks are not unique; they must reproduce ρ.
  const auto& sx = r->input_slacks[2];
  EXPECT_NEAR((1 - (sx[0] / 3 + sx[1] / 2) / 2) / (1 + r->output_slacks[2][0]), 7.0 / 12.0, 1e-9);
  auto ccr = Dea(kX2, kY2, {});
  ASSERT_TRUE(ccr);
  EXPECT_NEAR(*ccr->efficiency[2], 0.6, 1e-9);
}

TEST(Sbm, SuperSbmAndSuperCcr) {
  // Tone (2002) for A without A: B with λ = 1 gives x̄ = (2, 2), δ = (2/1 + 2/2)/2 = 1.5; a
  // smaller λ lowers ȳ faster than it saves inputs. B is the mirror image: 1.5. C keeps 7/12.
  auto r = Sbm(kX2, kY2, {}, {.super = true});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(*r->efficiency[0], 1.5, 1e-9);
  EXPECT_NEAR(*r->efficiency[1], 1.5, 1e-9);
  EXPECT_NEAR(*r->efficiency[2], 7.0 / 12.0, 1e-9);
  // Andersen-Petersen for A: θ(1, 2) >= (2, 1) needs θ = 2.
  auto ap = Dea(kX2, kY2, {.super_efficiency = true});
  ASSERT_TRUE(ap);
  EXPECT_NEAR(*ap->efficiency[0], 2.0, 1e-9);
}

TEST(Sbm, VariableReturnsOnOneInputOneOutput) {
  // D(4,2) under VRS: the farthest efficient projection is B(3,3): ρ = (1 - 1/4)/(1 + 1/2) = 0.5
  // (along A-B ρ = (2+t)/(2(1+2t)), along B-C ρ = (3+3u)/(2(3+u)), both least at B).
  auto r = Sbm(kX1, kY1, {}, {.returns = Returns::kVariable});
  ASSERT_TRUE(r);
  EXPECT_NEAR(*r->efficiency[3], 0.5, 1e-9);
  // Under CRS one input and one output make SBM the CCR ratio.
  auto crs = Sbm(kX1, kY1, {}, {});
  ASSERT_TRUE(crs);
  EXPECT_NEAR(*crs->efficiency[2], 4.0 / 6.0, 1e-9);
}

TEST(Sbm, UndesirableOutputs) {
  // P(1; good 1, bad 1), Q(1; 1, 2). Q can only use λ_P = 1 (input 1, good output 1): bad slack 1,
  // ρ = 1 / (1 + (1/2)(0 + 1/2)) = 0.8 (Tone 2003).
  auto r = Sbm({{1}, {1}}, {{1}, {1}}, {{1}, {2}}, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(*r->efficiency[0], 1.0, 1e-9);
  EXPECT_NEAR(*r->efficiency[1], 0.8, 1e-9);
  EXPECT_NEAR(r->undesirable_slacks[1][0], 1.0, 1e-9);
  auto super = Sbm({{1}, {1}}, {{1}, {1}}, {{1}, {2}}, {.super = true});
  ASSERT_FALSE(super);
  EXPECT_EQ(super.error().fields.at(0).field, "/super");
  auto zero = Sbm({{1}, {0}}, {{1}, {1}}, {}, {});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().fields.at(0).field, "/inputs/1/0");
}

TEST(Sbm, IndependentAnalyticalFixtures) {
  // Two analytical fixtures derived independently of this code (the DEAPack project's Tone 2001
  // and Tone 2002 oracles). VRS SBM of O(4,4; 1,1) against A(2,4; 1,2) and B(4,2; 2,1): with
  // z = λ_A + λ_B, ρ(z) = (1 - z/4)/(1 + z/2), least at z = 1: ρ_O = 1/2.
  auto r =
      Sbm({{2, 4}, {4, 2}, {4, 4}}, {{1, 2}, {2, 1}, {1, 1}}, {}, {.returns = Returns::kVariable});
  ASSERT_TRUE(r);
  EXPECT_NEAR(*r->efficiency[2], 0.5, 1e-9);
  EXPECT_NEAR(*r->efficiency[0], 1.0, 1e-9);
  // VRS super-SBM of A(1; 1) and B(2; 3): the only peer has λ = 1, x̄ = max, ȳ = min:
  // δ_A = (2/1)/(1/1) = 2, δ_B = (2/2)/(1/3) = 3.
  auto s = Sbm({{1}, {2}}, {{1}, {3}}, {}, {.returns = Returns::kVariable, .super = true});
  ASSERT_TRUE(s);
  EXPECT_NEAR(*s->efficiency[0], 2.0, 1e-9);
  EXPECT_NEAR(*s->efficiency[1], 3.0, 1e-9);
}

TEST(Malmquist, SingleInputOutputClosedForm) {
  // With one input and one output under CRS, D^t(b) = r_b / max_j r_j^t where r = y/x, so
  // M = r_{t+1}/r_t, EC = (r_{t+1}/max_{t+1}) / (r_t/max_t) and TC = max_{t+1}/max_t.
  std::vector<Period> periods = {{{{2}, {4}}, {{2}, {2}}},   // ratios 1, 0.5 (max 1)
                                 {{{2}, {4}}, {{3}, {4}}}};  // ratios 1.5, 1 (max 1.5)
  auto r = Malmquist(periods, Returns::kConstant, Orientation::kInput, 1);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_NEAR(*(*r)[0].malmquist, 1.5, 1e-9);
  EXPECT_NEAR(*(*r)[0].efficiency_change, 1.0, 1e-9);
  EXPECT_NEAR(*(*r)[0].technical_change, 1.5, 1e-9);
  EXPECT_NEAR(*(*r)[1].malmquist, 2.0, 1e-9);
  EXPECT_NEAR(*(*r)[1].efficiency_change, (1 / 1.5) / 0.5, 1e-9);
  EXPECT_NEAR(*(*r)[1].technical_change, 1.5, 1e-9);
  // Output orientation under CRS is the same.
  auto o = Malmquist(periods, Returns::kConstant, Orientation::kOutput, 2);
  ASSERT_TRUE(o);
  EXPECT_NEAR(*(*o)[1].malmquist, 2.0, 1e-9);
}

}  // namespace
}  // namespace corridor::evaluate
