// Moran's I on the St Louis homicide rates shipped with Debian's python3-libpysal, and local
// Moran identities.
#include "evaluate/spatial.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace corridor::evaluate {
namespace {

const char* const kStl = "/usr/lib/python3/dist-packages/libpysal/examples/stl/";

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// stl_hom.txt: "78,4", a header, then FIPSNO,HR8488,HR8893,HC8488 per county.
std::vector<double> Hr8893(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream cells(line);
    std::string cell;
    for (int c = 0; c < 3; ++c) std::getline(cells, cell, ',');
    out.push_back(std::stod(cell));
  }
  return out;
}

TEST(Moran, StLouisHomicides) {
  const std::string gal = Slurp(std::string(kStl) + "stl.gal");
  const std::string txt = Slurp(std::string(kStl) + "stl_hom.txt");
  if (gal.empty() || txt.empty()) GTEST_SKIP() << "python3-libpysal is not installed";
  auto w = ParseGal(gal);
  ASSERT_TRUE(w) << w.error().message;
  RowStandardize(*w);
  const auto y = Hr8893(txt);
  ASSERT_EQ(y.size(), 78u);
  auto r = MoranI(y, *w);
  ASSERT_TRUE(r);
  // PySAL esda's documented example (Moran(y, w) on HR8893 with stl.gal, row-standardized):
  // I = 0.24365582621771659, two-tailed p_norm = 0.00027147862770937614.
  EXPECT_NEAR(r->i, 0.24365582621771659, 1e-14);
  EXPECT_NEAR(r->expected, -1.0 / 77, 1e-15);
  EXPECT_NEAR(2 * r->p_normal, 0.00027147862770937614, 1e-15);
  // Computed here from the closed forms (and by an independent script): variances and z.
  EXPECT_NEAR(r->variance_normal, 0.004968139260116135, 1e-14);
  EXPECT_NEAR(r->z_normal, 3.6410971835457393, 1e-11);
  EXPECT_NEAR(r->variance_randomization, 0.0029761028286109424, 1e-14);
  EXPECT_NEAR(r->z_randomization, 4.704410220874621, 1e-11);

  auto local = LocalMoran(y, *w, 99, 42);
  ASSERT_TRUE(local);
  // Σ Iᵢ = S₀·I, and S₀ = n for row-standardized weights.
  double sum = 0;
  for (double v : local->i) sum += v;
  EXPECT_NEAR(sum, 78 * r->i, 1e-11);
  auto again = LocalMoran(y, *w, 99, 42);
  ASSERT_TRUE(again);
  EXPECT_EQ(local->p_permutation, again->p_permutation);  // seeded
  for (double p : local->p_permutation) {
    EXPECT_GE(p, 0.01);
    EXPECT_LE(p, 1.0);
  }
}

TEST(Moran, PathHandSolved) {
  // Four regions on a line, x = (1, 2, 3, 4), binary weights: z = (-1.5, -.5, .5, 1.5),
  // Σz² = 5, S₀ = 6, Σwᵢⱼzᵢzⱼ = 2(0.75 - 0.25 + 0.75) = 2.5, I = (4/6)(2.5/5) = 1/3.
  auto w = WeightsFromNeighbors({{1}, {0, 2}, {1, 3}, {2}});
  ASSERT_TRUE(w);
  auto r = MoranI({1, 2, 3, 4}, *w);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->i, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(r->expected, -1.0 / 3.0, 1e-15);
  // S₁ = ½·3 pairs·2·(1+1)² = 12, S₂ = 2² + 4² + 4² + 2² = 40:
  // Var_N = (16·12 - 4·40 + 3·36)/(15·36) - 1/9 = 140/540 - 60/540 = 80/540.
  EXPECT_NEAR(r->variance_normal, 80.0 / 540.0, 1e-15);
  auto local = LocalMoran({1, 2, 3, 4}, *w, 0, 0);
  ASSERT_TRUE(local);
  // m₂ = 5/4: I₀ = (-1.5/1.25)(-0.5) = 0.6; quadrants LL, LL, HH, HH.
  EXPECT_NEAR(local->i[0], 0.6, 1e-15);
  EXPECT_EQ(local->quadrant[0], "LL");
  EXPECT_EQ(local->quadrant[3], "HH");
}

TEST(Moran, RejectsBadWeights) {
  auto self = WeightsFromNeighbors({{0}, {0}});
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().fields.at(0).field, "/neighbors/0/0");
  auto diag = WeightsFromMatrix({{1, 0}, {0, 0}});
  ASSERT_FALSE(diag);
  EXPECT_EQ(diag.error().fields.at(0).field, "/weights/0/0");
  auto w = WeightsFromNeighbors({{1}, {0}, {3}, {2}});
  ASSERT_TRUE(w);
  auto flat = MoranI({1, 1, 1, 1}, *w);
  ASSERT_FALSE(flat);
  EXPECT_EQ(flat.error().fields.at(0).field, "/values");
  EXPECT_FALSE(ParseGal("3\n1 1\n2\n2 1\n1\n"));  // header says 3, two records
}

}  // namespace
}  // namespace corridor::evaluate
