#pragma once
// Exact sharing of losses and fundings among the parties of a risk-sharing scheme.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

// Exact sharing of an amount in fen by integer ratios, named by party: SplitLargestRemainder
// (core/money.hpp), so the parts always sum to the amount.
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
