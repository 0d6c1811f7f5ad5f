#pragma once
// Stress transmission along a supply chain's orders. Pure computation.
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

// Supply-chain stress transmission: a fall `drop` (fraction) in the shocked firm's orders
// passes to each supplier s in proportion to the share of s's sales that went to the buyer,
// times `pass_through`, tier by tier (a firm's tier is its distance from the shock along
// buyer → supplier edges; its drop sums what its buyers in the previous tier pass on, capped at
// 1). Firms are named; the answer lists every firm reached, by tier.
struct OrderEdge {
  std::string buyer, supplier;
  double amount = 0;
};
struct TransmittedStress {
  std::string node;
  int tier = 0;
  double order_drop = 0;
};
Result<std::vector<TransmittedStress>> StressTransmission(const std::vector<OrderEdge>& edges,
                                                          const std::string& shocked, double drop,
                                                          double pass_through, int max_tiers);

}  // namespace corridor::risk
