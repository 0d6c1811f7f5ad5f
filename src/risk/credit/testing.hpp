#pragma once
// Test support: a small book on which every Monte Carlo sum is exact in any order.
#include "risk/credit/portfolio_mc.hpp"

namespace corridor::risk::testing {

// Thirty lines with integer losses (EAD even, LGD 0.5), single obligors and lines of up to 149,
// one certain default and one PD of zero, classes shared by lines, two correlated factors.
inline McInput IntegerLossBook() {
  McInput in;
  for (int i = 0; i < 30; ++i) {
    in.obligors.push_back({static_cast<double>(2 + 2 * (i % 7)),
                           i == 4   ? 1.0
                           : i == 5 ? 0.0
                                    : 0.002 * (1 + i % 4),
                           0.5,
                           {0.2 + 0.1 * (i % 3), i % 2 ? 0.3 : 0.1},
                           i % 3 ? "agriculture" : "new_energy",
                           i % 2 ? "bank_a" : "bank_b",
                           i % 4 == 0 ? 1 : 1 + 37 * (i % 5)});
  }
  in.factor_correlation = {{1, 0.3}, {0.3, 1}};
  in.seed = 4242;
  in.confidence_levels = {0.99, 0.999};
  return in;
}

}  // namespace corridor::risk::testing
