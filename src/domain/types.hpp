#pragma once
// Plain value types of the credit-matching marketplace. No behaviour beyond naming; the rules
// live in matching.hpp, schedule.hpp and rates.hpp, and the use cases in service/.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace corridor::domain {

// Three-tier green label of PRODUCT.md D, plus transition finance and "not green".
enum class GreenLabel { kNone, kDeepGreen, kMediumGreen, kLightGreen, kTransition };
std::string_view ToString(GreenLabel label);
Result<GreenLabel> ParseGreenLabel(std::string_view text);
inline bool IsGreen(GreenLabel label) {
  return label == GreenLabel::kDeepGreen || label == GreenLabel::kMediumGreen ||
         label == GreenLabel::kLightGreen;
}

enum class CreditRecord { kClean, kMinorLate, kDefaulted };
std::string_view ToString(CreditRecord record);
Result<CreditRecord> ParseCreditRecord(std::string_view text);

enum class BusinessScale { kMicro, kSmall, kMedium, kLarge };
std::string_view ToString(BusinessScale scale);
Result<BusinessScale> ParseBusinessScale(std::string_view text);

// The shared government, business and credit data that stands in for collateral
// ("data replaces collateral", seed 003).
struct CreditProfile {
  Money tax_paid_12m;  // taxes paid over the last 12 months
  int32_t social_insurance_headcount = 0;
  Money utilities_paid_12m;  // water, power, gas
  CreditRecord credit_record = CreditRecord::kClean;
  BusinessScale scale = BusinessScale::kMicro;
  Money annual_revenue;
};

struct ProductCriteria {
  Money min_amount;
  Money max_amount;
  int32_t min_term_months = 1;
  int32_t max_term_months = 12;
  std::vector<std::string> regions;     // empty: every region
  std::vector<std::string> industries;  // empty: every industry
  bool collateral_free = false;
  bool green_only = false;
  int64_t rate_bps = 0;            // headline annual rate
  int64_t green_discount_bps = 0;  // off the rate for green-labelled borrowers
};

struct Product {
  int64_t id = 0;
  int64_t bank_tenant_id = 0;
  std::string bank_name;
  std::string name;
  ProductCriteria criteria;
};

// What the matcher looks at: the need plus the enterprise's public attributes.
struct NeedForMatching {
  Money amount;
  int32_t term_months = 0;
  std::string region;
  std::string industry;
  bool collateral_free_required = false;
  GreenLabel green_label = GreenLabel::kNone;
  std::optional<int64_t> max_rate_bps;
  // The enterprise's carbon-account pricing adjustment (bp, negative a discount) and why.
  int64_t carbon_adjustment_bps = 0;
  std::string carbon_reason;
};

}  // namespace corridor::domain
