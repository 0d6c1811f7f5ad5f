#include "core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace corridor {
namespace {

// Known-answer vectors from Random123's kat_vectors file (philox4x32, 10 rounds):
// counter[4] key[2] -> output[4].
TEST(CounterRng, MatchesPhiloxKnownAnswers) {
  using A4 = std::array<uint32_t, 4>;
  EXPECT_EQ(CounterRng::Philox({0, 0, 0, 0}, {0, 0}),
            (A4{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(CounterRng::Philox({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                               {0xffffffff, 0xffffffff}),
            (A4{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(CounterRng::Philox({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                               {0xa4093822, 0x299f31d0}),
            (A4{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(CounterRng, ValueDependsOnlyOnSeedStreamAndIndex) {
  const CounterRng a(42), b(42), c(43);
  // Drawing in a different order gives the same values: no hidden state.
  const double late = a.Uniform(7, 1000);
  const double early = a.Uniform(7, 0);
  EXPECT_EQ(b.Uniform(7, 0), early);
  EXPECT_EQ(b.Uniform(7, 1000), late);
  EXPECT_NE(c.Uniform(7, 0), early);
  EXPECT_NE(a.Uniform(8, 0), early);
}

TEST(CounterRng, UniformMomentsMatchTheory) {
  // Mean 1/2 and variance 1/12 of U(0,1); with n = 200000 the standard error of the mean is
  // sqrt(1/12/n) = 6.5e-4, so 5e-3 is over seven standard errors.
  const CounterRng rng(2025);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform(1, i);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 5e-3);
  EXPECT_NEAR(sum_sq / n - mean * mean, 1.0 / 12.0, 5e-3);
}

TEST(CounterRng, NormalMomentsMatchTheory) {
  const CounterRng rng(7);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.Normal(3, i);
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.015);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
}

TEST(CounterRng, BelowStaysInRangeAndCoversIt) {
  const CounterRng rng(1);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = rng.Below(0, i, 7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

}  // namespace
}  // namespace corridor
