#pragma once
// Eco-index pension insurance (生态指数养老保险, docs/pension.md): a county's ecological index for
// a year, from its recorded observations of air quality and vegetation cover, moves the member's
// premium and benefit, and pays out when the grassland degrades.
//
//   air        = days of good air (AQI ≤ 100, 优良天数) / days observed
//   vegetation = the growing season's mean NDVI / the county's baseline NDVI, at most 1
//   index      = (air + vegetation) / 2
// all in basis points, each rounded down. At or above the discount threshold the premium is
// discounted; at or above the uplift threshold the benefit is raised; below the payout threshold
// the insurance pays the sum insured × (threshold − index) / threshold. Every figure is exact in
// fen (rounded down) and explained to the member in Chinese and English. Pure.
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace corridor::pension {

struct EcoObservation {
  int64_t days_observed = 365;
  int64_t good_air_days = 0;
  int64_t ndvi_e4 = 0;           // the growing season's mean NDVI, in ten-thousandths
  int64_t baseline_ndvi_e4 = 1;  // the county's reference NDVI, in ten-thousandths
};

struct EcoRules {
  int64_t discount_threshold_bps = 8'000;
  int64_t discount_bps = 500;  // of the premium
  int64_t uplift_threshold_bps = 9'000;
  int64_t uplift_bps = 300;  // of the benefit
  int64_t payout_threshold_bps = 6'000;
};

struct EcoDecision {
  int64_t air_bps = 0, vegetation_bps = 0, index_bps = 0;
  bool discounted = false, uplifted = false;
  int64_t premium_fen = 0, benefit_fen = 0, payout_fen = 0;
  std::string explanation_zh, explanation_en;
};

// Errors name /observation/..., /rules/..., /premium_fen, /benefit_fen, /sum_insured_fen.
Result<EcoDecision> ApplyEcoIndex(const EcoRules& rules, const EcoObservation& observation,
                                  int64_t premium_fen, int64_t benefit_fen,
                                  int64_t sum_insured_fen);

}  // namespace corridor::pension
