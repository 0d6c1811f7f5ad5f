#pragma once
// DebtRank on an exposure network. Pure computation.
//
// assets[i][j] is i's claim on j; capital Eᵢ > 0; weights v (default: each node's
// total claims Σⱼ assets[i][j]), normalized to sum 1; initial stress h⁰ ∈ [0, 1].
//  - original (Battiston, Puliga, Kaushik, Tasca, Caldarelli 2012, Sci. Rep. 2:541): impact
//    Wᵢⱼ = min(1, assets[i][j]/Eᵢ); states undistressed / distressed / inactive; a distressed node
//    passes its stress on once, h_i ← min(1, h_i + Σ_{j distressed} Wᵢⱼ h_j), then turns inactive.
//  - linear (Bardoscia, Battiston, Caccioli, Caldarelli 2015, PLoS ONE 10(6)): Λᵢⱼ =
//    assets[i][j]/Eᵢ, h_i(t+1) = min(1, h_i(t) + Σⱼ Λᵢⱼ (h_j(t) - h_j(t-1))), until no increment
//    above 10⁻¹² of a node's capital is left, or 1,000 rounds (`rounds` says which).
//  - threshold (Furfine 2003 default cascade): h_i = min(1, h⁰_i + Σ_{j defaulted}
//    assets[i][j]/Eᵢ); a node defaults at h = 1; repeated until no new default.
// debtrank = Σ vᵢ (hᵢ - h⁰ᵢ), the additional weighted stress; additional_defaults counts nodes at
// h = 1 that were below 1 initially.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "risk/contagion/network.hpp"

namespace corridor::risk {

enum class DebtRankVariant { kOriginal, kLinear, kThreshold };

struct DebtRankResult {
  double debtrank = 0;
  std::vector<double> final_stress;
  int additional_defaults = 0;
  int rounds = 0;
};

class DebtRank {
 public:
  // `weights` empty: total claims. Errors name assets, capital or weights.
  static Result<DebtRank> Make(const SparseMatrix& assets, const std::vector<double>& capital,
                               const std::vector<double>& weights);

  Result<DebtRankResult> Run(const std::vector<double>& initial_stress,
                             DebtRankVariant variant) const;
  // Each node's default alone (h⁰ = 1 on it, 0 elsewhere); results in node order, the same for
  // any thread count.
  std::vector<DebtRankResult> AllSingleDefaults(DebtRankVariant variant, int threads) const;

  int size() const { return n_; }

  // Battiston et al.'s impact of each node's default, Iⱼ = Σᵢ min(1, Wᵢⱼ)·vᵢ: the share of the
  // network's (weighted) value its creditors lose in the first round.
  std::vector<double> DirectImpact() const;

  // The strongest risk paths out of `source`: stress flows from a debtor to its creditors, and a
  // path's strength is the product of the impacts min(1, assets[i][j]/Eᵢ) along it, so the
  // strongest path to every node is a shortest path in −log(impact) (Dijkstra; ties go to the
  // smaller predecessor). strength[source] = 1, 0 where unreachable; previous[v] is the node
  // before v (-1 for the source and the unreachable).
  struct PathTree {
    std::vector<double> strength;
    std::vector<int> previous;
    // source, …, target; empty when unreachable.
    std::vector<int> PathTo(int target) const;
  };
  PathTree StrongestPaths(int source) const;

 private:
  DebtRankResult Propagate(const std::vector<double>& h0, DebtRankVariant variant) const;
  // Original or linear DebtRank of L scenarios at once (h0, h: n × L, lane-minor).
  template <int L>
  void Cascade(DebtRankVariant variant, const double* h0, double* h, int* rounds) const;

  int n_ = 0;
  // The nodes i exposed to j, with assets[i][j]/Eᵢ, in compressed columns: entries
  // [start_[j], start_[j+1]) of edges_.
  struct Edge {
    int i;
    double impact;
  };
  std::span<const Edge> Incoming(int j) const {
    return {edges_.data() + start_[j], edges_.data() + start_[j + 1]};
  }
  std::vector<size_t> start_;
  std::vector<Edge> edges_;
  // The same impacts by rows: node i's claims (j, assets[i][j]/Eᵢ), j ascending, in
  // [row_start_[i], row_start_[i+1]) of row_edges_ (Edge::i holds j there).
  std::span<const Edge> Outgoing(int i) const {
    return {row_edges_.data() + row_start_[i], row_edges_.data() + row_start_[i + 1]};
  }
  std::vector<size_t> row_start_;
  std::vector<Edge> row_edges_;
  std::vector<double> weights_;  // normalized
};

}  // namespace corridor::risk
