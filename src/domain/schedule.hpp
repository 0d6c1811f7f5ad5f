#pragma once
// Repayment schedules for the three methods Chinese banks offer:
//  - equal installment (等额本息): a constant payment M = P r (1+r)^n / ((1+r)^n - 1) with the
//    monthly rate r = annual / 12. M is computed exactly as a rational number (big integers) and
//    rounded half-up to the fen, so no binary floating point is involved;
//  - equal principal (等额本金): principal P / n each month (rounded half-up to the fen), interest
//    on the outstanding balance;
//  - bullet (到期一次还本): interest monthly, all principal with the last payment.
// Each month's interest is balance * r rounded half-up to the fen. Principal parts sum exactly to
// P: the last installment absorbs all rounding. Due dates are start_date + k months, clamped to
// the month's end. Pure functions; thread-safe.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace corridor::domain {

enum class RepaymentMethod { kEqualInstallment, kEqualPrincipal, kBullet };

std::string_view ToString(RepaymentMethod method);
Result<RepaymentMethod> ParseRepaymentMethod(std::string_view text);

struct LoanTerms {
  Money principal;
  int64_t annual_rate_bps = 0;
  int32_t term_months = 0;
  RepaymentMethod method = RepaymentMethod::kEqualInstallment;
  Date start_date;
};

struct Installment {
  int32_t seq = 0;  // 1-based
  Date due_date;
  Money principal;
  Money interest;
  Money payment;  // principal + interest
  Money balance;  // outstanding principal after this payment
};

struct Schedule {
  std::vector<Installment> installments;
  Money total_interest;
};

inline constexpr int64_t kMaxPrincipalFen = 100'000'000'000'000;  // 1 trillion yuan
// The largest balance-sheet amount the platform takes (a firm's capital, equity + debt, EVIC, an
// ecosystem's or a pool's amounts): 10^14 yuan, about China's annual GDP and some fifty times the
// largest listed firm's EVIC, and far enough below int64 that 900 of them still add up exactly.
inline constexpr int64_t kMaxBalanceFen = 10'000'000'000'000'000;
inline constexpr int64_t kMaxAnnualRateBps = 10'000;
inline constexpr int32_t kMaxTermMonths = 600;

// Checks the terms; field names are JSON pointers as in the loan-schedule request
// ("/principal_fen", "/annual_rate_bps", "/term_months").
Status ValidateLoanTerms(const LoanTerms& terms);

Result<Schedule> BuildSchedule(const LoanTerms& terms);

// One month's interest on a balance: balance * annual_rate_bps / 120000, rounded half away from
// zero to the fen (exact, in 128-bit integers).
Money MonthlyInterest(Money balance, int64_t annual_rate_bps);

// The part of an installment's interest paid by a subsidy of `subsidy_rate_bps` a year on the
// balance before it (entrepreneurship guarantee loans): never more than the interest itself.
Money SubsidyInterest(const Installment& installment, int64_t subsidy_rate_bps);

// The constant monthly payment of an equal-installment loan, exact then rounded half-up.
Money EqualInstallmentPayment(Money principal, int64_t annual_rate_bps, int32_t term_months);

}  // namespace corridor::domain
