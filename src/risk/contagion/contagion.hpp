#pragma once
// Contagion on exposure networks: DebtRank (three variants), Eisenberg–Noe clearing with
// Rogers–Veraart default costs, supply-chain stress transmission, and exact risk sharing.
// Pure computation; nodes are 0..n-1.
//
// DebtRank. assets[i][j] is i's claim on j; capital Eᵢ > 0; weights v (default: each node's
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
//
// Eisenberg–Noe (2001). liabilities[i][j] is what i owes j, p̄ᵢ = Σⱼ L[i][j], Πᵢⱼ = L[i][j]/p̄ᵢ,
// external assets eᵢ. Node i is solvent when eᵢ + Σⱼ Πⱼᵢ pⱼ ≥ p̄ᵢ and pays p̄ᵢ; otherwise it
// pays α·eᵢ + β·Σⱼ Πⱼᵢ pⱼ (Rogers & Veraart 2013; α = β = 1 is Eisenberg–Noe). The greatest
// clearing vector comes from the fictitious-default algorithm: assume everyone pays in full,
// declare defaulted the nodes that then cannot, solve the linear system for the defaulted
// payments with the others paying in full, and repeat until the defaulted set stops growing
// (at most n rounds, each one linear solve).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

// Sparse square matrix by rows: (column, value) with value > 0.
struct SparseMatrix {
  int n = 0;
  std::vector<std::vector<std::pair<int, double>>> rows;
};

Result<SparseMatrix> SparseFromDense(const std::vector<std::vector<double>>& dense,
                                     const char* field);

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

struct ClearingResult {
  std::vector<double> payments;
  std::vector<bool> defaulted;
  std::vector<double> equity;  // eᵢ + inflowᵢ - pᵢ for solvent nodes, 0 for defaulted ones
  std::vector<double> inflows;
  double default_costs = 0;  // value lost to α, β < 1
  int rounds = 0;
};

Result<ClearingResult> EisenbergNoe(const SparseMatrix& liabilities,
                                    const std::vector<double>& external_assets, double alpha,
                                    double beta);

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

// Exact sharing of an amount in fen by integer ratios: every party gets ⌊amount·wₖ/W⌋ and the
// fen left over go one each to the largest remainders (ties to the earlier party), so the
// parts always sum to the amount.
struct Share {
  std::string party;
  int64_t amount_fen = 0;
};
Result<std::vector<Share>> LargestRemainder(int64_t amount_fen,
                                            const std::vector<std::pair<std::string, int64_t>>& w);

// The platform's schemes (seed 002): compensation_pool government:bank:core_firm = 3:4:3;
// reserve_pool_funding government:core_firm:financial_institutions = 1:2:3; rnd_failure_fund
// fund 60% : firm 40% of a failed project's loss; rnd_insurance_premium government:firm:
// financial_institution = 50:30:20.
Result<std::vector<Share>> RiskSharing(const std::string& scheme, int64_t amount_fen);

}  // namespace corridor::risk
