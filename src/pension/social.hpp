#pragma once
// China's basic pension for enterprise employees: the transfer of a pension relationship when a
// member moves between regions, and the monthly pension at retirement (docs/pension.md). Exact in
// fen: every product is of integers, rounded once, half up, at the end.
//
// Transfer (国办发〔2009〕66号, 《城镇企业职工基本养老保险关系转移接续暂行办法》 第四条): the
// personal account is transferred whole; the pooled fund transfers 12% of the member's actual
// contribution wages since 1 January 1998, summed month by month (a part year by its months).
//
// Benefit (国发〔2005〕38号, 《国务院关于完善企业职工基本养老保险制度的决定》): the basic pension a
// month is (the provincial average monthly wage of the previous year + the member's indexed average
// monthly contribution wage) / 2 × years of contribution × 1%, the indexed wage being the average
// wage × the member's average contribution index; the personal-account pension a month is the
// account divided by the months divisor of the retirement age (计发月数: 139 at 60, 170 at 55, 195
// at 50; the decree's table for ages 40 to 70).
#include <cstdint>
#include <optional>
#include <span>

#include "core/result.hpp"

namespace corridor::pension {

struct PensionTransfer {
  int64_t pooled_transfer_fen = 0;  // 12% of the contribution wages
  int64_t personal_account_fen = 0;
  int64_t total_fen = 0;
  int64_t months = 0;
};
// Errors name /contribution_wages_fen_by_month/k (0 to 10,000,000 yuan a month, at most 1,200
// months) and /personal_account_fen.
Result<PensionTransfer> TransferPension(std::span<const int64_t> contribution_wages_fen_by_month,
                                        int64_t personal_account_fen);

// The divisor of the decree's table at an integer age from 40 to 70; none outside it.
std::optional<int> MonthsDivisor(int retirement_age);

struct PensionBenefit {
  int64_t basic_fen = 0;    // a month
  int64_t account_fen = 0;  // a month
  int64_t monthly_fen = 0;
  int months_divisor = 0;
};
// indexed_wage_ratio_e4: the average contribution index in ten-thousandths (0.6 → 6,000; at most
// 3.0 → 30,000, the contribution ceiling); years_e4: the years of contribution in ten-thousandths
// (15 years and 6 months → 155,000). Errors name /provincial_avg_wage_fen, /indexed_wage_ratio,
// /years, /personal_account_fen, /retirement_age.
Result<PensionBenefit> BasicPension(int64_t provincial_avg_wage_fen, int64_t indexed_wage_ratio_e4,
                                    int64_t years_e4, int64_t personal_account_fen,
                                    int retirement_age);

}  // namespace corridor::pension
