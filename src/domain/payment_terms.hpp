#pragma once
// Payment terms to small and medium-sized enterprises and the interest on late payment, by the
// Regulation on Ensuring Payments to SMEs (保障中小企业款项支付条例, State Council Decree 728,
// revised by Decree 802, in force 2025-06-01):
//  - art. 9: a public body (机关、事业单位) pays within 30 days of delivery; an agreed term may not
//    exceed 60 days. A large enterprise pays within 60 days unless agreed otherwise by the
//    industry's norms (no statutory ceiling; the platform flags terms above 60 days).
//  - art. 17: late payment bears interest; an agreed rate may not be below the 1-year LPR on the
//    day the contract was signed; absent one, 0.05% a day (5 bp).
// See docs/supply-chain.md. Exact: integer fen and basis points. Pure; thread-safe.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"

namespace corridor::domain {

enum class PayerKind { kPublicBody, kLargeEnterprise };
std::optional<PayerKind> ParsePayerKind(std::string_view s);  // public_body | large_enterprise

inline constexpr int32_t kPublicBodyTermDays = 30;       // art. 9, without an agreed term
inline constexpr int32_t kPublicBodyMaxAgreedDays = 60;  // art. 9, the ceiling of an agreed term
inline constexpr int32_t kLargeEnterpriseTermDays = 60;  // art. 9, without an agreed term
inline constexpr int64_t kStatutoryLateDailyBps = 5;     // art. 17: 万分之五 a day

// The due date of a payment delivered on `delivered`, with the agreed term when there is one.
// A public body's agreed term above 60 days is refused (/agreed_term_days).
Result<Date> PaymentDueDate(PayerKind payer, Date delivered,
                            std::optional<int32_t> agreed_term_days);

// Whether a large enterprise's agreed term is long enough to flag (above 60 days).
bool LongLargeEnterpriseTerm(int32_t agreed_term_days);

struct LateInterest {
  int64_t interest_fen = 0;
  int32_t days_late = 0;   // days after the due date up to the payment
  std::string_view basis;  // statutory_daily | agreed_annual
  int64_t rate_bps = 0;    // daily (statutory) or annual (agreed)
};

struct LateInterestTerms {
  int64_t daily_bps = kStatutoryLateDailyBps;                   // when no rate was agreed
  std::optional<int64_t> agreed_annual_bps = std::nullopt;      // the contract's rate, if any
  std::optional<int64_t> lpr_1y_bps_at_signing = std::nullopt;  // to check the agreed rate against
};

// Interest on `amount_fen` paid on `paid` for a payment due on `due`: from the day after the due
// date to the payment date, both counted, i.e. paid − due days. Statutory: amount × daily_bps ×
// days / 10,000; agreed: amount × annual_bps × days / (10,000 × 360), the 360-day year of the
// PBoC's deposit and loan interest convention (月利率 = 年利率/12, 日利率 = 年利率/360); rounded
// half away from zero to the fen. An agreed rate below the LPR at signing is refused naming
// /agreed_annual_bps.
Result<LateInterest> LatePaymentInterest(int64_t amount_fen, Date due, Date paid,
                                         const LateInterestTerms& terms);

}  // namespace corridor::domain
