#include "domain/schedule.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include "core/check.hpp"
#include "core/int128.hpp"

namespace corridor::domain {
namespace {

// Monthly rate r = bps / (12 * 10000).
constexpr int64_t kMonthlyRateDenominator = 120'000;

}  // namespace

Money MonthlyInterest(Money balance, int64_t annual_rate_bps) {
  return Money::FromFen(static_cast<int64_t>(DivRoundHalfAway(
      static_cast<Int128>(balance.fen()) * annual_rate_bps, kMonthlyRateDenominator)));
}

Money SubsidyInterest(const Installment& installment, int64_t subsidy_rate_bps) {
  const Money balance_before =
      Money::FromFen(installment.balance.fen() + installment.principal.fen());
  return std::min(installment.interest, MonthlyInterest(balance_before, subsidy_rate_bps));
}

std::string_view ToString(RepaymentMethod method) {
  switch (method) {
    case RepaymentMethod::kEqualInstallment:
      return "equal_installment";
    case RepaymentMethod::kEqualPrincipal:
      return "equal_principal";
    case RepaymentMethod::kBullet:
      return "bullet";
  }
  return "equal_installment";
}

Result<RepaymentMethod> ParseRepaymentMethod(std::string_view text) {
  if (text == "equal_installment") return RepaymentMethod::kEqualInstallment;
  if (text == "equal_principal") return RepaymentMethod::kEqualPrincipal;
  if (text == "bullet") return RepaymentMethod::kBullet;
  return Fail(
      Error::Invalid("/method", "must be one of equal_installment, equal_principal, bullet"));
}

Status ValidateLoanTerms(const LoanTerms& terms) {
  std::vector<FieldError> errors;
  if (terms.principal.fen() <= 0 || terms.principal.fen() > kMaxPrincipalFen) {
    errors.push_back({"/principal_fen", "must be between 1 and 100000000000000 fen"});
  }
  if (terms.annual_rate_bps < 0 || terms.annual_rate_bps > kMaxAnnualRateBps) {
    errors.push_back({"/annual_rate_bps", "must be between 0 and 10000 basis points"});
  }
  if (terms.term_months < 1 || terms.term_months > kMaxTermMonths) {
    errors.push_back({"/term_months", "must be between 1 and 600 months"});
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Money EqualInstallmentPayment(Money principal, int64_t annual_rate_bps, int32_t term_months) {
  using boost::multiprecision::cpp_int;
  CORRIDOR_CHECK(term_months > 0);
  if (annual_rate_bps == 0) {
    return Money::FromFen(static_cast<int64_t>(DivRoundHalfAway(principal.fen(), term_months)));
  }
  // With A = 120000 + bps and B = 120000 (so 1 + r = A / B):
  // M = P * bps * A^n / (B * (A^n - B^n)).
  const cpp_int a = kMonthlyRateDenominator + annual_rate_bps;
  const cpp_int b = kMonthlyRateDenominator;
  const cpp_int an = boost::multiprecision::pow(a, static_cast<unsigned>(term_months));
  const cpp_int bn = boost::multiprecision::pow(b, static_cast<unsigned>(term_months));
  const cpp_int numerator = cpp_int(principal.fen()) * annual_rate_bps * an;
  const cpp_int denominator = b * (an - bn);
  const cpp_int rounded = (2 * numerator + denominator) / (2 * denominator);  // half-up, >= 0
  return Money::FromFen(rounded.convert_to<int64_t>());
}

Result<Schedule> BuildSchedule(const LoanTerms& terms) {
  CORRIDOR_TRY_STATUS(ValidateLoanTerms(terms));
  const int32_t n = terms.term_months;
  Schedule schedule;
  schedule.installments.reserve(static_cast<size_t>(n));
  Money balance = terms.principal;
  const Money level_payment =
      terms.method == RepaymentMethod::kEqualInstallment
          ? EqualInstallmentPayment(terms.principal, terms.annual_rate_bps, n)
          : Money();
  const Money level_principal =
      Money::FromFen(static_cast<int64_t>(DivRoundHalfAway(terms.principal.fen(), n)));
  int64_t total_interest_fen = 0;
  for (int32_t k = 1; k <= n; ++k) {
    const Money interest = MonthlyInterest(balance, terms.annual_rate_bps);
    Money principal;
    if (k == n) {
      principal = balance;
    } else {
      switch (terms.method) {
        case RepaymentMethod::kEqualInstallment:
          principal = Money::FromFen(
              std::clamp<int64_t>(level_payment.fen() - interest.fen(), 0, balance.fen()));
          break;
        case RepaymentMethod::kEqualPrincipal:
          principal = std::min(level_principal, balance);
          break;
        case RepaymentMethod::kBullet:
          principal = Money();
          break;
      }
    }
    balance = Money::FromFen(balance.fen() - principal.fen());
    total_interest_fen += interest.fen();
    schedule.installments.push_back(Installment{
        .seq = k,
        .due_date = terms.start_date.AddMonths(k),
        .principal = principal,
        .interest = interest,
        .payment = Money::FromFen(principal.fen() + interest.fen()),
        .balance = balance,
    });
  }
  schedule.total_interest = Money::FromFen(total_interest_fen);
  return schedule;
}

}  // namespace corridor::domain
