#pragma once
// Loan prime rate (LPR) look-up and the entrepreneurship guarantee loan rate rule.
//
// LPR is published monthly for the 1-year and over-5-year tenors; a loan uses the rate in force
// on its start date (the latest entry on or before it). Loans up to 5 years use the 1-year LPR.
//
// Entrepreneurship guarantee loans (创业担保贷款, 财金〔2020〕21号): the contract rate is set by
// the bank; the borrower pays at most LPR - spread (150 bp by default, a per-city setting), and
// the interest above that is subsidised by the fiscal budget. Pure; thread-safe.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"

namespace corridor::domain {

enum class LprTenor { kOneYear, kFiveYear };
std::string_view ToString(LprTenor tenor);
Result<LprTenor> ParseLprTenor(std::string_view text);
LprTenor TenorForTerm(int32_t term_months);

struct LprEntry {
  Date effective_date;
  LprTenor tenor = LprTenor::kOneYear;
  int64_t rate_bps = 0;
};

// The rate in force on `on` for `tenor`; entries may come in any order.
std::optional<int64_t> LprOn(std::span<const LprEntry> table, LprTenor tenor, Date on);

struct RateSplit {
  int64_t borrower_rate_bps = 0;  // what the borrower pays
  int64_t subsidy_rate_bps = 0;   // paid by the fiscal budget
};

inline constexpr int64_t kDefaultEntrepreneurshipSpreadBps = 150;

// Splits a contract rate between borrower and subsidy: borrower pays min(contract, LPR - spread),
// never below zero. Fails if the contract rate is negative.
Result<RateSplit> SplitEntrepreneurshipRate(int64_t contract_rate_bps, int64_t lpr_bps,
                                            int64_t spread_bps);

}  // namespace corridor::domain
