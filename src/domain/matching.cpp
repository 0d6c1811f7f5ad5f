#include "domain/matching.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace corridor::domain {
namespace {

bool Admits(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

MatchResult MatchNeed(const NeedForMatching& need, std::span<const Product> catalogue) {
  MatchResult result;
  for (const Product& product : catalogue) {
    const ProductCriteria& c = product.criteria;
    Match match{.product = &product, .effective_rate_bps = c.rate_bps, .reasons = {}};
    std::vector<std::string> failures;
    if (need.amount < c.min_amount || need.amount > c.max_amount) {
      failures.push_back(fmt::format("amount {} outside {} - {}", need.amount.FormatYuan(),
                                     c.min_amount.FormatYuan(), c.max_amount.FormatYuan()));
    } else {
      match.reasons.push_back(fmt::format("amount {} within {} - {}", need.amount.FormatYuan(),
                                          c.min_amount.FormatYuan(), c.max_amount.FormatYuan()));
    }
    if (need.term_months < c.min_term_months || need.term_months > c.max_term_months) {
      failures.push_back(fmt::format("term {} months outside {}-{}", need.term_months,
                                     c.min_term_months, c.max_term_months));
    } else {
      match.reasons.push_back(fmt::format("term {} months within {}-{}", need.term_months,
                                          c.min_term_months, c.max_term_months));
    }
    if (!Admits(c.regions, need.region)) {
      failures.push_back(fmt::format("region {} not served", need.region));
    } else {
      match.reasons.push_back(c.regions.empty() ? "serves every region"
                                                : fmt::format("serves region {}", need.region));
    }
    if (!Admits(c.industries, need.industry)) {
      failures.push_back(fmt::format("industry {} not covered", need.industry));
    } else {
      match.reasons.push_back(c.industries.empty()
                                  ? "covers every industry"
                                  : fmt::format("covers industry {}", need.industry));
    }
    if (need.collateral_free_required && !c.collateral_free) {
      failures.push_back("requires collateral");
    } else if (c.collateral_free) {
      match.reasons.push_back("collateral-free");
    }
    const bool green = IsGreen(need.green_label);
    if (c.green_only && !green) {
      failures.push_back("green-labelled borrowers only");
    }
    if (green && c.green_discount_bps > 0) {
      match.effective_rate_bps = std::max<int64_t>(0, c.rate_bps - c.green_discount_bps);
      match.reasons.push_back(fmt::format("green label {}: {} bp off", ToString(need.green_label),
                                          c.green_discount_bps));
    }
    if (need.carbon_adjustment_bps != 0) {
      match.effective_rate_bps =
          std::max<int64_t>(0, match.effective_rate_bps + need.carbon_adjustment_bps);
      match.reasons.push_back(fmt::format("carbon account {}: {:+} bp", need.carbon_reason,
                                          need.carbon_adjustment_bps));
    }
    if (need.max_rate_bps && match.effective_rate_bps > *need.max_rate_bps) {
      failures.push_back(
          fmt::format("rate {} bp above cap {} bp", match.effective_rate_bps, *need.max_rate_bps));
    } else {
      match.reasons.push_back(fmt::format("rate {} bp", match.effective_rate_bps));
    }
    if (failures.empty()) {
      result.matches.push_back(std::move(match));
    } else {
      match.reasons = std::move(failures);
      result.excluded.push_back(std::move(match));
    }
  }
  std::sort(result.matches.begin(), result.matches.end(), [&](const Match& a, const Match& b) {
    if (a.effective_rate_bps != b.effective_rate_bps) {
      return a.effective_rate_bps < b.effective_rate_bps;
    }
    const int64_t slack_a = a.product->criteria.max_amount.fen() - need.amount.fen();
    const int64_t slack_b = b.product->criteria.max_amount.fen() - need.amount.fen();
    if (slack_a != slack_b) return slack_a < slack_b;
    return a.product->id < b.product->id;
  });
  return result;
}

}  // namespace corridor::domain
