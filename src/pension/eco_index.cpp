#include "pension/eco_index.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/int128.hpp"

namespace corridor::pension {

namespace {

constexpr int64_t kMaxFen = 100'000'000'000;  // 1,000,000,000 yuan

int64_t Part(int64_t amount, int64_t bps) {
  return static_cast<int64_t>(static_cast<Int128>(amount) * bps / 10'000);
}

std::string Percent(int64_t bps) { return fmt::format("{}.{:02}%", bps / 100, bps % 100); }
std::string Yuan(int64_t fen) { return fmt::format("{}.{:02}", fen / 100, fen % 100); }

}  // namespace

Result<EcoDecision> ApplyEcoIndex(const EcoRules& rules, const EcoObservation& o,
                                  int64_t premium_fen, int64_t benefit_fen,
                                  int64_t sum_insured_fen) {
  if (o.days_observed < 1 || o.days_observed > 366) {
    return Fail(Error::Invalid("/observation/days_observed", "1 to 366"));
  }
  if (o.good_air_days < 0 || o.good_air_days > o.days_observed) {
    return Fail(Error::Invalid("/observation/good_air_days", "0 to the days observed"));
  }
  if (o.ndvi_e4 < 0 || o.ndvi_e4 > 10'000) {
    return Fail(Error::Invalid("/observation/ndvi_e4", "0 to 10,000 (NDVI 0 to 1)"));
  }
  if (o.baseline_ndvi_e4 < 1 || o.baseline_ndvi_e4 > 10'000) {
    return Fail(Error::Invalid("/observation/baseline_ndvi_e4", "1 to 10,000"));
  }
  for (const auto& [v, f] : {std::pair{rules.discount_threshold_bps, "discount_threshold_bps"},
                             {rules.discount_bps, "discount_bps"},
                             {rules.uplift_threshold_bps, "uplift_threshold_bps"},
                             {rules.uplift_bps, "uplift_bps"},
                             {rules.payout_threshold_bps, "payout_threshold_bps"}}) {
    if (v < 0 || v > 10'000)
      return Fail(Error::Invalid(fmt::format("/rules/{}", f), "0 to 10,000"));
  }
  for (const auto& [v, f] : {std::pair{premium_fen, "premium_fen"},
                             {benefit_fen, "benefit_fen"},
                             {sum_insured_fen, "sum_insured_fen"}}) {
    if (v < 0 || v > kMaxFen)
      return Fail(Error::Invalid(fmt::format("/{}", f), "0 to 1,000,000,000 yuan"));
  }
  EcoDecision d;
  d.air_bps = o.good_air_days * 10'000 / o.days_observed;
  d.vegetation_bps = std::min<int64_t>(10'000, o.ndvi_e4 * 10'000 / o.baseline_ndvi_e4);
  d.index_bps = (d.air_bps + d.vegetation_bps) / 2;
  d.discounted = d.index_bps >= rules.discount_threshold_bps;
  d.uplifted = d.index_bps >= rules.uplift_threshold_bps;
  d.premium_fen = premium_fen - (d.discounted ? Part(premium_fen, rules.discount_bps) : 0);
  d.benefit_fen = benefit_fen + (d.uplifted ? Part(benefit_fen, rules.uplift_bps) : 0);
  if (d.index_bps < rules.payout_threshold_bps && rules.payout_threshold_bps > 0) {
    d.payout_fen = static_cast<int64_t>(static_cast<Int128>(sum_insured_fen) *
                                        (rules.payout_threshold_bps - d.index_bps) /
                                        rules.payout_threshold_bps);
  }
  d.explanation_zh =
      fmt::format("生态指数 {}（空气优良天数比例 {}，植被覆盖为基准的 {}）。", Percent(d.index_bps),
                  Percent(d.air_bps), Percent(d.vegetation_bps));
  d.explanation_en =
      fmt::format("Eco-index {} (good-air days {}, vegetation {} of the county's baseline).",
                  Percent(d.index_bps), Percent(d.air_bps), Percent(d.vegetation_bps));
  if (d.discounted) {
    d.explanation_zh += fmt::format("达到 {} 的优惠门槛，保费减免 {}，应缴 {} 元。",
                                    Percent(rules.discount_threshold_bps),
                                    Percent(rules.discount_bps), Yuan(d.premium_fen));
    d.explanation_en += fmt::format(
        " At or above the {} threshold: the premium is {} lower, {} yuan.",
        Percent(rules.discount_threshold_bps), Percent(rules.discount_bps), Yuan(d.premium_fen));
  }
  if (d.uplifted) {
    d.explanation_zh += fmt::format("达到 {} 的提升门槛，养老金提高 {}，为 {} 元。",
                                    Percent(rules.uplift_threshold_bps), Percent(rules.uplift_bps),
                                    Yuan(d.benefit_fen));
    d.explanation_en += fmt::format(
        " At or above the {} threshold: the benefit is {} higher, {} yuan.",
        Percent(rules.uplift_threshold_bps), Percent(rules.uplift_bps), Yuan(d.benefit_fen));
  }
  if (d.payout_fen > 0) {
    d.explanation_zh += fmt::format("低于 {} 的赔付门槛，按差额比例赔付 {} 元。",
                                    Percent(rules.payout_threshold_bps), Yuan(d.payout_fen));
    d.explanation_en += fmt::format(" Below the {} threshold: a payout of {} yuan, in proportion.",
                                    Percent(rules.payout_threshold_bps), Yuan(d.payout_fen));
  }
  return d;
}

}  // namespace corridor::pension
