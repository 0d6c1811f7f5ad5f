#pragma once
// Cross-region settlement of medical claims for residents who live part of the year in the other
// region (异地就医直接结算, docs/pension.md): the insurer where the care is given pays the provider
// at once and settles with the member's insurer by period, with netting.
//
// A claim is recorded where the care is given under the rules of the insuring region: what is
// eligible follows the care region's catalogue (就医地目录, the claim's eligible amount), what is
// reimbursed follows the insuring region's policy (参保地政策): in each period a member first bears
// the deductible (起付线), then the policy reimburses its share of the rest, up to the period's cap
// (封顶线), claim by claim in the order recorded. Exact in fen: each reimbursement is rounded down.
//
// The settlement of a period: what each insuring region owes each care region (the sum of its
// members' reimbursements there), the bilateral net between each pair, and each region's
// multilateral net position (positive: it receives); the positions sum to zero, to the fen. Pure.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::pension {

struct ReimbursementPolicy {
  int64_t deductible_fen = 0;         // a member bears this much of a period's eligible costs
  int64_t reimbursement_bps = 7'000;  // the share reimbursed above it
  int64_t cap_fen = 0;                // the most reimbursed to a member in a period (0: no cap)
};

struct CareClaim {
  std::string member;  // the member's id at the insuring region
  std::string insuring_region;
  std::string care_region;
  int64_t eligible_fen = 0;  // under the care region's catalogue
};

struct SettledClaim {
  int64_t eligible_fen = 0, member_bears_fen = 0, reimbursed_fen = 0;
};

struct Settlement {
  std::vector<SettledClaim> claims;  // in the order given
  // owed[insuring][care]: what the insuring region owes the region that advanced the care.
  std::map<std::string, std::map<std::string, int64_t>> owed;
  // net[a][b] > 0: a pays b that much, after netting what b owes a (each pair once, a < b).
  std::map<std::string, std::map<std::string, int64_t>> bilateral;
  std::map<std::string, int64_t> position;  // what each region receives (negative: pays)
};

// One period's claims under each insuring region's policy. Errors name /claims/k/... and
// /policies/REGION/....
Result<Settlement> SettlePeriod(const std::map<std::string, ReimbursementPolicy>& policies,
                                const std::vector<CareClaim>& claims);

}  // namespace corridor::pension
