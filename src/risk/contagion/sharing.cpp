#include "risk/contagion/sharing.hpp"

#include "core/money.hpp"

namespace corridor::risk {

Result<std::vector<Share>> LargestRemainder(int64_t amount,
                                            const std::vector<std::pair<std::string, int64_t>>& w) {
  std::vector<int64_t> weights;
  weights.reserve(w.size());
  for (const auto& [party, weight] : w) weights.push_back(weight);
  const auto parts = CORRIDOR_TRY(SplitLargestRemainder(amount, weights));
  std::vector<Share> out;
  out.reserve(w.size());
  for (size_t k = 0; k < w.size(); ++k) out.push_back({w[k].first, parts[k]});
  return out;
}

Result<std::vector<Share>> RiskSharing(const std::string& scheme, int64_t amount_fen) {
  if (scheme == "compensation_pool") {
    return LargestRemainder(amount_fen, {{"government", 3}, {"bank", 4}, {"core_firm", 3}});
  }
  if (scheme == "reserve_pool_funding") {
    return LargestRemainder(amount_fen,
                            {{"government", 1}, {"core_firm", 2}, {"financial_institutions", 3}});
  }
  if (scheme == "rnd_failure_fund") {
    return LargestRemainder(amount_fen, {{"fund", 60}, {"firm", 40}});
  }
  if (scheme == "rnd_insurance_premium") {
    return LargestRemainder(amount_fen,
                            {{"government", 50}, {"firm", 30}, {"financial_institution", 20}});
  }
  return Fail(Error::Invalid("/scheme",
                             "must be compensation_pool, reserve_pool_funding, rnd_failure_fund "
                             "or rnd_insurance_premium"));
}

}  // namespace corridor::risk
