#include "risk/contagion/transmission.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <thread>

#include "core/int128.hpp"

namespace corridor::risk {

Result<std::vector<TransmittedStress>> StressTransmission(const std::vector<OrderEdge>& edges,
                                                          const std::string& shocked, double drop,
                                                          double pass_through, int max_tiers) {
  if (!(drop >= 0 && drop <= 1)) return Fail(Error::Invalid("/shock/drop", "must be in [0, 1]"));
  if (!(pass_through >= 0 && pass_through <= 1)) {
    return Fail(Error::Invalid("/pass_through", "must be in [0, 1]"));
  }
  if (max_tiers < 1 || max_tiers > 100) {
    return Fail(Error::Invalid("/max_tiers", "must be 1 to 100"));
  }
  std::map<std::string, int> id;
  std::vector<std::string> name;
  auto node = [&](const std::string& s) {
    auto [it, added] = id.emplace(s, static_cast<int>(name.size()));
    if (added) name.push_back(s);
    return it->second;
  };
  struct Edge {
    int supplier;
    double amount;
  };
  std::vector<std::vector<Edge>> buys;  // by buyer
  std::vector<double> sales;            // by supplier
  for (size_t k = 0; k < edges.size(); ++k) {
    const auto& e = edges[k];
    if (e.buyer.empty() || e.supplier.empty() || e.buyer == e.supplier) {
      return Fail(
          Error::Invalid(fmt::format("/edges/{}", k), "needs a buyer and a different supplier"));
    }
    if (!(e.amount > 0) || !std::isfinite(e.amount)) {
      return Fail(Error::Invalid(fmt::format("/edges/{}/amount", k), "must be positive"));
    }
    const int b = node(e.buyer), s = node(e.supplier);
    buys.resize(name.size());
    sales.resize(name.size(), 0.0);
    buys[b].push_back({s, e.amount});
    sales[s] += e.amount;
  }
  if (!id.count(shocked)) {
    return Fail(Error::Invalid("/shock/node", "is not a buyer or supplier of any edge"));
  }
  const int n = static_cast<int>(name.size());
  std::vector<int> tier(n, -1);
  std::vector<double> order_drop(n, 0.0);
  const int s0 = id[shocked];
  tier[s0] = 0;
  order_drop[s0] = drop;
  std::vector<int> frontier{s0};
  std::vector<TransmittedStress> out{{shocked, 0, drop}};
  for (int t = 1; t <= max_tiers && !frontier.empty(); ++t) {
    std::map<int, double> next;  // ordered: the answer lists a tier in name order of first id
    for (int b : frontier) {
      for (const Edge& e : buys[b]) {
        if (tier[e.supplier] != -1) continue;  // reached at an earlier tier
        next[e.supplier] += pass_through * order_drop[b] * e.amount / sales[e.supplier];
      }
    }
    frontier.clear();
    for (auto [s, d] : next) {
      tier[s] = t;
      order_drop[s] = std::min(1.0, d);
      frontier.push_back(s);
      out.push_back({name[s], t, order_drop[s]});
    }
  }
  return out;
}

}  // namespace corridor::risk
