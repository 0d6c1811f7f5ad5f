#include "domain/rates.hpp"

#include <algorithm>

namespace corridor::domain {

std::string_view ToString(LprTenor tenor) { return tenor == LprTenor::kOneYear ? "1y" : "5y"; }

Result<LprTenor> ParseLprTenor(std::string_view text) {
  if (text == "1y") return LprTenor::kOneYear;
  if (text == "5y") return LprTenor::kFiveYear;
  return Fail(Error::Invalid("/tenor", "must be 1y or 5y"));
}

LprTenor TenorForTerm(int32_t term_months) {
  return term_months > 60 ? LprTenor::kFiveYear : LprTenor::kOneYear;
}

std::optional<int64_t> LprOn(std::span<const LprEntry> table, LprTenor tenor, Date on) {
  const LprEntry* best = nullptr;
  for (const LprEntry& e : table) {
    if (e.tenor != tenor || e.effective_date > on) continue;
    if (best == nullptr || e.effective_date > best->effective_date) best = &e;
  }
  if (best == nullptr) return std::nullopt;
  return best->rate_bps;
}

Result<RateSplit> SplitEntrepreneurshipRate(int64_t contract_rate_bps, int64_t lpr_bps,
                                            int64_t spread_bps) {
  if (contract_rate_bps < 0)
    return Fail(Error::Invalid("/annual_rate_bps", "must not be negative"));
  const int64_t cap = std::max<int64_t>(0, lpr_bps - spread_bps);
  const int64_t borrower = std::min(contract_rate_bps, cap);
  return RateSplit{.borrower_rate_bps = borrower, .subsidy_rate_bps = contract_rate_bps - borrower};
}

}  // namespace corridor::domain
