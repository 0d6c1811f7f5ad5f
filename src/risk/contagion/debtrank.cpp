#include "risk/contagion/debtrank.hpp"

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

// Linear DebtRank stops passing on increments below this fraction of a node's capital.
constexpr double kStressTolerance = 1e-12;
// ... and after this many rounds (near-critical networks converge geometrically slowly).
constexpr int kMaxLinearRounds = 1'000;

Result<DebtRank> DebtRank::Make(const SparseMatrix& assets, const std::vector<double>& capital,
                                const std::vector<double>& weights) {
  const int n = assets.n;
  if (n < 1) return Fail(Error::Invalid("/assets", "needs at least one node"));
  if (capital.size() != static_cast<size_t>(n)) {
    return Fail(Error::Invalid("/capital", fmt::format("needs one value per node ({})", n)));
  }
  for (int i = 0; i < n; ++i) {
    if (!(capital[i] > 0) || !std::isfinite(capital[i])) {
      return Fail(Error::Invalid(fmt::format("/capital/{}", i), "must be positive"));
    }
  }
  DebtRank d;
  d.n_ = n;
  std::vector<double> w(n, 0.0);
  d.start_.assign(n + 1, 0);
  for (int i = 0; i < n; ++i) {
    for (auto [j, a] : assets.rows[i]) {
      ++d.start_[j + 1];
      w[i] += a;
    }
  }
  for (int j = 0; j < n; ++j) d.start_[j + 1] += d.start_[j];
  d.edges_.resize(d.start_[n]);
  std::vector<size_t> fill(d.start_.begin(), d.start_.end() - 1);
  for (int i = 0; i < n; ++i) {  // i ascending within every column
    for (auto [j, a] : assets.rows[i]) d.edges_[fill[j]++] = {i, a / capital[i]};
  }
  // The same impacts by rows (node i's claims), counterparties ascending.
  d.row_start_.assign(n + 1, 0);
  for (const Edge& e : d.edges_) ++d.row_start_[e.i + 1];
  for (int i = 0; i < n; ++i) d.row_start_[i + 1] += d.row_start_[i];
  d.row_edges_.resize(d.edges_.size());
  fill.assign(d.row_start_.begin(), d.row_start_.end() - 1);
  for (int j = 0; j < n; ++j) {
    for (const Edge& e : d.Incoming(j)) d.row_edges_[fill[e.i]++] = {j, e.impact};
  }
  if (!weights.empty()) {
    if (weights.size() != static_cast<size_t>(n)) {
      return Fail(Error::Invalid("/weights", fmt::format("needs one value per node ({})", n)));
    }
    for (int i = 0; i < n; ++i) {
      if (!(weights[i] >= 0) || !std::isfinite(weights[i])) {
        return Fail(Error::Invalid(fmt::format("/weights/{}", i), "must be non-negative"));
      }
    }
    w = weights;
  }
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  if (!(total > 0)) {
    return Fail(
        Error::Invalid(weights.empty() ? "/assets" : "/weights", "weights must not all be zero"));
  }
  for (double& v : w) v /= total;
  d.weights_ = std::move(w);
  return d;
}

namespace {

// Node j has passed on its stress this round: the original's distressed lanes turn inactive.
template <int L>
void Passed(bool linear, int j, std::vector<double>& pass, std::vector<uint8_t>& state) {
  for (int k = 0; k < L; ++k) pass[static_cast<size_t>(j) * L + k] = 0;
  if (linear) return;
  uint8_t* sj = &state[static_cast<size_t>(j) * L];
  for (int k = 0; k < L; ++k) sj[k] = sj[k] == 1 ? 2 : sj[k];
}

// Node i takes this round's stress (capped at 1) and learns what it passes next round; true
// when it passes anything in some lane.
template <int L>
bool Absorb(bool linear, int i, double* h, std::vector<double>& add, std::vector<double>& pass,
            std::vector<uint8_t>& state) {
  bool any = false;
  for (int k = 0; k < L; ++k) {
    const size_t at = static_cast<size_t>(i) * L + k;
    const double before = h[at];
    h[at] = std::min(1.0, before + add[at]);
    add[at] = 0;
    if (linear) {
      const double inc = h[at] - before;
      if (inc > kStressTolerance) {
        pass[at] = inc;
        any = true;
      }
    } else if (state[at] == 0 && h[at] > 0) {
      state[at] = 1;
      pass[at] = h[at];
      any = true;
    }
  }
  return any;
}

}  // namespace

// Original and linear DebtRank on L scenarios at once. Lane k of node i lives at [i * L + k], so
// one visit of an edge serves all L scenarios from one cache line: the walk over the network is
// bound by the latency of reaching each exposed node, and L lanes share it. Each round visits the
// nodes with something to pass in ascending order, so a lane's sums are those of the same scenario
// run alone (a lane with nothing to pass adds +0.0, which changes no sum).
template <int L>
void DebtRank::Cascade(DebtRankVariant variant, const double* h0, double* h, int* rounds) const {
  const int n = n_;
  const bool linear = variant == DebtRankVariant::kLinear;
  // pass: what a node passes on this round (original: its stress, once, the round after it turns
  // distressed; linear: its last increment). state (original): 0 undistressed, 1 distressed,
  // 2 inactive.
  std::vector<double> pass(static_cast<size_t>(n) * L, 0.0);
  std::vector<double> add(static_cast<size_t>(n) * L, 0.0);
  std::vector<uint8_t> state(linear ? 0 : static_cast<size_t>(n) * L, 0);
  std::vector<uint8_t> listed(n, 0);
  std::vector<int> active, touched;
  std::copy(h0, h0 + static_cast<size_t>(n) * L, h);
  for (int k = 0; k < L; ++k) rounds[k] = 0;
  for (int i = 0; i < n; ++i) {
    bool any = false;
    for (int k = 0; k < L; ++k) {
      const size_t at = static_cast<size_t>(i) * L + k;
      if (h0[at] > 0) {
        pass[at] = h0[at];
        if (!linear) state[at] = 1;
        any = true;
      }
    }
    if (any) active.push_back(i);
  }
  while (!active.empty()) {
    std::sort(active.begin(), active.end());
    for (int k = 0; k < L; ++k) {
      bool live = false;
      for (int j : active) live = live || pass[static_cast<size_t>(j) * L + k] != 0;
      if (!live) continue;
      if (linear && rounds[k] == kMaxLinearRounds) {  // near-critical: this lane stops here
        for (int j : active) pass[static_cast<size_t>(j) * L + k] = 0;
        continue;
      }
      ++rounds[k];
    }
    // Sparse rounds push from the nodes that pass something; dense rounds pull along each node's
    // claims, reading the passing counterparties in ascending order: the same sums in the same
    // order, with sequential writes.
    const bool dense = active.size() * 16 > static_cast<size_t>(n);
    if (dense) {
      std::vector<int> next;
      for (int i = 0; i < n; ++i) {
        double acc[L] = {};
        for (auto [j, impact] : Outgoing(i)) {
          const double w = linear ? impact : std::min(1.0, impact);
          const double* __restrict pj = &pass[static_cast<size_t>(j) * L];
          for (int k = 0; k < L; ++k) acc[k] += w * pj[k];
        }
        for (int k = 0; k < L; ++k) add[static_cast<size_t>(i) * L + k] = acc[k];
      }
      for (int j : active) Passed<L>(linear, j, pass, state);
      for (int i = 0; i < n; ++i) {
        if (Absorb<L>(linear, i, h, add, pass, state)) next.push_back(i);
      }
      active = std::move(next);
      continue;
    }
    for (int j : active) {
      const double* __restrict pj = &pass[static_cast<size_t>(j) * L];
      for (auto [i, impact] : Incoming(j)) {
        const double w = linear ? impact : std::min(1.0, impact);
        if (!listed[i]) {
          listed[i] = 1;
          touched.push_back(i);
        }
        double* __restrict ai = &add[static_cast<size_t>(i) * L];
        for (int k = 0; k < L; ++k) ai[k] += w * pj[k];
      }
    }
    for (int j : active) Passed<L>(linear, j, pass, state);
    active.clear();
    for (int i : touched) {
      listed[i] = 0;
      if (Absorb<L>(linear, i, h, add, pass, state)) active.push_back(i);
    }
    touched.clear();
  }
}

DebtRankResult DebtRank::Propagate(const std::vector<double>& h0, DebtRankVariant variant) const {
  const int n = n_;
  std::vector<double> h = h0;
  DebtRankResult r;
  if (variant != DebtRankVariant::kThreshold) {
    Cascade<1>(variant, h0.data(), h.data(), &r.rounds);
  } else {
    std::vector<bool> defaulted(n, false);
    std::vector<int> frontier;
    for (int i = 0; i < n; ++i) {
      if (h[i] >= 1) {
        defaulted[i] = true;
        frontier.push_back(i);
      }
    }
    // Loss on defaulted counterparties, accumulated as they default.
    std::vector<double> loss(n, 0.0);
    std::vector<int> seen(n, 0);
    while (!frontier.empty()) {
      ++r.rounds;
      std::vector<int> next;
      for (int j : frontier) {
        for (auto [i, lij] : Incoming(j)) loss[i] += lij;
      }
      // Nodes that took a loss this round, each once, in order of discovery.
      std::vector<int> candidates;
      for (int j : frontier) {
        for (auto [i, lij] : Incoming(j)) {
          if (seen[i] != r.rounds) {
            seen[i] = r.rounds;
            candidates.push_back(i);
          }
        }
      }
      for (int i : candidates) {
        h[i] = std::min(1.0, h0[i] + loss[i]);
        if (!defaulted[i] && h[i] >= 1) {
          defaulted[i] = true;
          next.push_back(i);
        }
      }
      frontier = std::move(next);
    }
  }
  for (int i = 0; i < n; ++i) {
    r.debtrank += weights_[i] * (h[i] - h0[i]);
    if (h[i] >= 1 && h0[i] < 1) ++r.additional_defaults;
  }
  r.final_stress = std::move(h);
  return r;
}

Result<DebtRankResult> DebtRank::Run(const std::vector<double>& h0, DebtRankVariant variant) const {
  if (h0.size() != static_cast<size_t>(n_)) {
    return Fail(
        Error::Invalid("/initial_stress", fmt::format("needs one value per node ({})", n_)));
  }
  for (int i = 0; i < n_; ++i) {
    if (!(h0[i] >= 0 && h0[i] <= 1)) {
      return Fail(Error::Invalid(fmt::format("/initial_stress/{}", i), "must be in [0, 1]"));
    }
  }
  return Propagate(h0, variant);
}

std::vector<DebtRankResult> DebtRank::AllSingleDefaults(DebtRankVariant variant,
                                                        int threads) const {
  std::vector<DebtRankResult> out(n_);
  // Scenarios go in batches of kLanes (node j's default in lane j % kLanes of batch j / kLanes);
  // a batch's result does not depend on which thread runs it.
  constexpr int kLanes = 8;
  const int batches = (n_ + kLanes - 1) / kLanes;
  threads = std::max(1, std::min(threads, batches));
  auto work = [&](int t) {
    if (variant == DebtRankVariant::kThreshold) {
      std::vector<double> h0(n_, 0.0);
      for (int j = t; j < n_; j += threads) {
        h0[j] = 1;
        out[j] = Propagate(h0, variant);
        out[j].final_stress = {};  // one row per node is enough here
        h0[j] = 0;
      }
      return;
    }
    const size_t cells = static_cast<size_t>(n_) * kLanes;
    std::vector<double> h0(cells, 0.0), h(cells);
    for (int b = t; b < batches; b += threads) {
      const int first = b * kLanes;
      const int lanes = std::min(kLanes, n_ - first);
      for (int k = 0; k < lanes; ++k) h0[static_cast<size_t>(first + k) * kLanes + k] = 1;
      int rounds[kLanes];
      Cascade<kLanes>(variant, h0.data(), h.data(), rounds);
      for (int k = 0; k < lanes; ++k) {
        DebtRankResult& r = out[first + k];
        r.rounds = rounds[k];
        for (int i = 0; i < n_; ++i) {
          const size_t at = static_cast<size_t>(i) * kLanes + k;
          r.debtrank += weights_[i] * (h[at] - h0[at]);
          if (h[at] >= 1 && h0[at] < 1) ++r.additional_defaults;
        }
      }
      for (int k = 0; k < lanes; ++k) h0[static_cast<size_t>(first + k) * kLanes + k] = 0;
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& th : pool) th.join();
  }
  return out;
}

std::vector<double> DebtRank::DirectImpact() const {
  std::vector<double> out(n_, 0.0);
  for (int j = 0; j < n_; ++j) {
    for (auto [i, impact] : Incoming(j)) out[j] += std::min(1.0, impact) * weights_[i];
  }
  return out;
}

DebtRank::PathTree DebtRank::StrongestPaths(int source) const {
  PathTree t;
  t.strength.assign(n_, 0.0);
  t.previous.assign(n_, -1);
  std::vector<double> cost(n_, std::numeric_limits<double>::infinity());
  std::vector<bool> done(n_, false);
  std::vector<double> via(n_, 1.0);     // the impact of the edge previous[v] → v
  std::vector<int> order;               // nodes as they are settled
  using Item = std::pair<double, int>;  // (cost, node): ties pop the smaller node first
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  cost[source] = 0;
  queue.emplace(0.0, source);
  while (!queue.empty()) {
    const auto [c, j] = queue.top();
    queue.pop();
    if (done[j]) continue;
    done[j] = true;
    order.push_back(j);
    for (auto [i, impact] : Incoming(j)) {
      const double step = -std::log(std::min(1.0, impact));
      const double next = c + step;
      if (!done[i] && (next < cost[i] || (next == cost[i] && j < t.previous[i]))) {
        cost[i] = next;
        t.previous[i] = j;
        via[i] = std::min(1.0, impact);
        queue.emplace(next, i);
      }
    }
  }
  // The strength as the exact product along the path (a predecessor settles first).
  for (int v : order) t.strength[v] = v == source ? 1.0 : t.strength[t.previous[v]] * via[v];
  return t;
}

std::vector<int> DebtRank::PathTree::PathTo(int target) const {
  std::vector<int> path;
  if (strength[target] == 0) return path;
  for (int v = target; v != -1; v = previous[v]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace corridor::risk
