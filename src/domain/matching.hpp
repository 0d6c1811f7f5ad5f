#pragma once
// Matching of a financing need to the bank product catalogue. A product is eligible when the
// need's amount and term lie in its ranges, its region and industry lists admit the enterprise,
// it is collateral-free when the need requires that, the enterprise holds a green label when the
// product is green-only, and its effective rate (less any green discount, plus the enterprise's
// carbon-account adjustment) is within the need's rate cap. Eligible products are ranked by
// effective rate, then by how much of the product's amount range the need leaves unused (a better
// fit first), then by product id, so that ranking is total and deterministic. Each match carries
// the reasons, in words. Pure; thread-safe.
#include <span>
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace corridor::domain {

struct Match {
  const Product* product = nullptr;
  int64_t effective_rate_bps = 0;
  std::vector<std::string> reasons;
};

struct MatchResult {
  std::vector<Match> matches;   // eligible, best first
  std::vector<Match> excluded;  // not eligible, with the reasons why not
};

MatchResult MatchNeed(const NeedForMatching& need, std::span<const Product> catalogue);

}  // namespace corridor::domain
