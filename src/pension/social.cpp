#include "pension/social.hpp"

#include <fmt/format.h>

#include <array>

#include "core/int128.hpp"

namespace corridor::pension {

namespace {

constexpr int64_t kMaxMonthlyWageFen = 1'000'000'000;  // 10,000,000 yuan
constexpr size_t kMaxMonths = 1'200;
constexpr int64_t kMaxAccountFen = 100'000'000'000;  // 1,000,000,000 yuan

// n / d rounded half up, for n ≥ 0 and d > 0.
int64_t RoundDiv(Int128 n, Int128 d) { return static_cast<int64_t>((2 * n + d) / (2 * d)); }

// 计发月数 by age 40..70 (国发〔2005〕38号, 附件: 个人账户养老金计发月数表).
constexpr std::array<int, 31> kDivisors = {233, 230, 226, 223, 220, 216, 212, 207, 204, 199, 195,
                                           190, 185, 180, 175, 170, 164, 158, 152, 145, 139, 132,
                                           125, 117, 109, 101, 93,  84,  75,  65,  56};

}  // namespace

Result<PensionTransfer> TransferPension(std::span<const int64_t> wages,
                                        int64_t personal_account_fen) {
  if (wages.size() > kMaxMonths) {
    return Fail(Error::Invalid("/contribution_wages_fen_by_month", "at most 1,200 months"));
  }
  if (personal_account_fen < 0 || personal_account_fen > kMaxAccountFen) {
    return Fail(Error::Invalid("/personal_account_fen", "0 to 1,000,000,000 yuan"));
  }
  Int128 sum = 0;
  for (size_t k = 0; k < wages.size(); ++k) {
    if (wages[k] < 0 || wages[k] > kMaxMonthlyWageFen) {
      return Fail(Error::Invalid(fmt::format("/contribution_wages_fen_by_month/{}", k),
                                 "0 to 10,000,000 yuan a month"));
    }
    sum += wages[k];
  }
  PensionTransfer out;
  out.pooled_transfer_fen = RoundDiv(sum * 12, 100);
  out.personal_account_fen = personal_account_fen;
  out.total_fen = out.pooled_transfer_fen + personal_account_fen;
  out.months = static_cast<int64_t>(wages.size());
  return out;
}

std::optional<int> MonthsDivisor(int retirement_age) {
  if (retirement_age < 40 || retirement_age > 70) return std::nullopt;
  return kDivisors[static_cast<size_t>(retirement_age - 40)];
}

Result<PensionBenefit> BasicPension(int64_t provincial_avg_wage_fen, int64_t indexed_wage_ratio_e4,
                                    int64_t years_e4, int64_t personal_account_fen,
                                    int retirement_age) {
  if (provincial_avg_wage_fen <= 0 || provincial_avg_wage_fen > kMaxMonthlyWageFen) {
    return Fail(Error::Invalid("/provincial_avg_wage_fen", "1 fen to 10,000,000 yuan a month"));
  }
  if (indexed_wage_ratio_e4 < 0 || indexed_wage_ratio_e4 > 30'000) {
    return Fail(Error::Invalid("/indexed_wage_ratio", "0 to 3 (the contribution ceiling)"));
  }
  if (years_e4 < 0 || years_e4 > 700'000) return Fail(Error::Invalid("/years", "0 to 70 years"));
  if (personal_account_fen < 0 || personal_account_fen > kMaxAccountFen) {
    return Fail(Error::Invalid("/personal_account_fen", "0 to 1,000,000,000 yuan"));
  }
  const auto divisor = MonthsDivisor(retirement_age);
  if (!divisor) {
    return Fail(Error::Invalid("/retirement_age", "an age of the decree's table, 40 to 70"));
  }
  PensionBenefit out;
  // avg × (1 + ratio) / 2 × years × 1%, with ratio and years in ten-thousandths.
  out.basic_fen = RoundDiv(
      static_cast<Int128>(provincial_avg_wage_fen) * (10'000 + indexed_wage_ratio_e4) * years_e4,
      static_cast<Int128>(2) * 10'000 * 10'000 * 100);
  out.account_fen = RoundDiv(personal_account_fen, *divisor);
  out.monthly_fen = out.basic_fen + out.account_fen;
  out.months_divisor = *divisor;
  return out;
}

}  // namespace corridor::pension
