#pragma once
// The Chifeng demo: a deterministic database at the real published scale of Chifeng's
// credit-matching platform (seed 003): 125,000 registered enterprises, 107,000 verified, 5,185
// deals financing exactly 4,228,000,000 yuan. Industries, districts, banks and guarantee agencies
// are Chifeng's; amounts, terms and rates follow a city's loan book (log-normal amounts, terms of
// 6 to 60 months, rates around the LPR). Every value is a pure function of (seed, as_of) drawn
// from CounterRng, so the same inputs give the same database.
//
// Runs in one write transaction into an empty (freshly migrated) store. Returns one token per
// demo role; tokens themselves are random and are shown only here.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "store/db.hpp"

namespace corridor::service {

struct DemoScale {
  int64_t registered = 125'000;
  int64_t verified = 107'000;
  int64_t deals = 5'185;
  int64_t amount_financed_fen = 422'800'000'000;  // 4,228,000,000.00 yuan
  int64_t open_needs = 1'200;
};

struct DemoResult {
  std::vector<std::pair<std::string, std::string>> tokens;  // role, token
  int64_t installments = 0;
};

Result<DemoResult> GenerateDemo(store::Store& store, const Clock& clock, uint64_t seed, Date as_of,
                                const DemoScale& scale = {});

}  // namespace corridor::service
