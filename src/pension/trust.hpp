#pragma once
// The migratory-bird pension trust (候鸟式养老信托, docs/pension.md): members who spend summers on
// the grassland and winters in Beijing pay contributions until they retire; from retirement the
// trust pays their pension and the seasonal service costs in each region (summer care on the
// grassland, winter care in Beijing), each at the start of the year while the member is alive.
//
// Deterministic projection: the expected cash flows of each year by the life table, the assets
// rolled forward at the interest rate; its present value is the closed form,
//   Σ lives · [(benefit + services) · ᵣ₋ₓ|äₓ − contribution · äₓ:ᵣ₋ₓ],
// so that a trust funded with exactly that liability ends with nothing when its last member dies.
//
// Stochastic projection: each scenario draws each group's deaths by the table (binomial: by
// inversion while n·q·(1 − q) ≤ 50, else its normal approximation) and each year's return
// (log-normal, with the given mean return and volatility of the log return); the funding ratio
// and the probability that the assets fall below zero within the horizon. Scenario s draws from
// the counter-based generator at streams of s only, so the numbers are the same for any number of
// threads. Pure and thread-safe.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "pension/life_table.hpp"

namespace corridor::pension {

struct TrustMember {
  int age = 60;
  int64_t lives = 1;  // identical members, valued and drawn together
  int retirement_age = 60;
  int64_t contribution_fen = 0;       // a year, before retirement
  int64_t benefit_fen = 0;            // a year, from retirement
  int64_t grassland_service_fen = 0;  // a year in retirement: summer on the grassland
  int64_t beijing_service_fen = 0;    // a year in retirement: winter in Beijing
};

struct TrustScenarios {
  double mean_return = 0.04;  // E[1 + r] − 1 a year
  double volatility = 0.1;    // of the log return
  int count = 1'000;
};

struct TrustOptions {
  int years = 50;
  double interest = 0.04;  // the deterministic projection's rate (the scenarios' mean when given)
  int64_t assets_fen = 0;  // at the start
  std::optional<TrustScenarios> scenarios = std::nullopt;
  uint64_t seed = 1;
  int threads = 0;  // 0: the machine's
};

struct TrustYear {
  int year = 0;      // 1-based
  double lives = 0;  // expected alive at the start of the year
  int64_t contributions_fen = 0, benefits_fen = 0, grassland_fen = 0, beijing_fen = 0;
  int64_t assets_end_fen = 0;  // expected (deterministic)
  // Stochastic, over the scenarios: the assets at the end of the year.
  int64_t assets_p5_fen = 0, assets_median_fen = 0, assets_mean_fen = 0;
};

struct TrustProjection {
  std::vector<TrustYear> years;
  int64_t liability_fen = 0;            // the closed form above at the rate
  std::optional<double> funding_ratio;  // assets / liability (none when the liability is ≤ 0)
  std::optional<double> shortfall_probability;  // scenarios with assets below zero by the horizon
  int scenarios = 0;
};

// Errors name /members/k/..., /years, /interest, /scenarios/..., /assets_fen.
Result<TrustProjection> ProjectTrust(const LifeTable& table, std::span<const TrustMember> members,
                                     const TrustOptions& options);

}  // namespace corridor::pension
