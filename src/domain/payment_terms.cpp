#include "domain/payment_terms.hpp"

#include <fmt/format.h>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace corridor::domain {

std::optional<PayerKind> ParsePayerKind(std::string_view s) {
  if (s == "public_body") return PayerKind::kPublicBody;
  if (s == "large_enterprise") return PayerKind::kLargeEnterprise;
  return std::nullopt;
}

Result<Date> PaymentDueDate(PayerKind payer, Date delivered,
                            std::optional<int32_t> agreed_term_days) {
  if (agreed_term_days && (*agreed_term_days < 0 || *agreed_term_days > 3'650)) {
    return Fail(Error::Invalid("/agreed_term_days", "must be 0 to 3650 days"));
  }
  if (payer == PayerKind::kPublicBody) {
    if (agreed_term_days && *agreed_term_days > kPublicBodyMaxAgreedDays) {
      return Fail(Error::Invalid(
          "/agreed_term_days",
          fmt::format(
              "a public body's agreed term may not exceed {} days (保障中小企业款项支付条例 "
              "art. 9); {} days is refused",
              kPublicBodyMaxAgreedDays, *agreed_term_days)));
    }
    return delivered.AddDays(agreed_term_days.value_or(kPublicBodyTermDays));
  }
  return delivered.AddDays(agreed_term_days.value_or(kLargeEnterpriseTermDays));
}

bool LongLargeEnterpriseTerm(int32_t agreed_term_days) {
  return agreed_term_days > kLargeEnterpriseTermDays;
}

Result<LateInterest> LatePaymentInterest(int64_t amount_fen, Date due, Date paid,
                                         const LateInterestTerms& terms) {
  if (amount_fen < 0 || amount_fen > 1'000'000'000'000'000) {
    return Fail(Error::Invalid("/amount_fen", "must be 0 to 10^15 fen"));
  }
  if (terms.daily_bps < 0 || terms.daily_bps > 10'000) {
    return Fail(Error::Invalid("/daily_bps", "must be 0 to 10000 basis points a day"));
  }
  if (terms.agreed_annual_bps &&
      (*terms.agreed_annual_bps < 0 || *terms.agreed_annual_bps > 100'000)) {
    return Fail(Error::Invalid("/agreed_annual_bps", "must be 0 to 100000 basis points a year"));
  }
  if (terms.lpr_1y_bps_at_signing &&
      (*terms.lpr_1y_bps_at_signing < 0 || *terms.lpr_1y_bps_at_signing > 10'000)) {
    return Fail(Error::Invalid("/lpr_1y_bps_at_signing", "must be 0 to 10000 basis points"));
  }
  if (terms.agreed_annual_bps && terms.lpr_1y_bps_at_signing &&
      *terms.agreed_annual_bps < *terms.lpr_1y_bps_at_signing) {
    return Fail(Error::Invalid(
        "/agreed_annual_bps",
        fmt::format("an agreed late-payment rate may not be below the 1-year LPR at signing, {} "
                    "bp (保障中小企业款项支付条例 art. 17); {} bp is refused",
                    *terms.lpr_1y_bps_at_signing, *terms.agreed_annual_bps)));
  }
  LateInterest r;
  r.days_late = paid > due ? paid.days_since_epoch() - due.days_since_epoch() : 0;
  if (terms.agreed_annual_bps) {
    r.basis = "agreed_annual";
    r.rate_bps = *terms.agreed_annual_bps;
    r.interest_fen = static_cast<int64_t>(DivRoundHalfAway(
        static_cast<Int128>(amount_fen) * r.rate_bps * r.days_late, Int128{10'000} * 360));
  } else {
    r.basis = "statutory_daily";
    r.rate_bps = terms.daily_bps;
    r.interest_fen = static_cast<int64_t>(
        DivRoundHalfAway(static_cast<Int128>(amount_fen) * r.rate_bps * r.days_late, 10'000));
  }
  return r;
}

}  // namespace corridor::domain
