#pragma once
// Clearing of an interbank liability network. Pure computation.
//
// Eisenberg–Noe (2001). liabilities[i][j] is what i owes j, p̄ᵢ = Σⱼ L[i][j], Πᵢⱼ = L[i][j]/p̄ᵢ,
// external assets eᵢ. Node i is solvent when eᵢ + Σⱼ Πⱼᵢ pⱼ ≥ p̄ᵢ and pays p̄ᵢ; otherwise it
// pays α·eᵢ + β·Σⱼ Πⱼᵢ pⱼ (Rogers & Veraart 2013; α = β = 1 is Eisenberg–Noe). The greatest
// clearing vector comes from the fictitious-default algorithm: assume everyone pays in full,
// declare defaulted the nodes that then cannot, solve the linear system for the defaulted
// payments with the others paying in full, and repeat until the defaulted set stops growing
// (at most n rounds, each one linear solve).
#include <vector>

#include "core/result.hpp"
#include "risk/contagion/network.hpp"

namespace corridor::risk {

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

}  // namespace corridor::risk
