#pragma once
// The grassland pension risk-compensation fund (草原养老风险补偿基金, docs/pension.md): both
// regions pay in, in set proportions; a disaster (a blizzard, a sandstorm) gives its affected
// members claims; excess-of-loss reinsurance layers recover part of each event's loss; the fund
// pays the rest down to its floor, never below it. What it cannot pay waits, recorded as owed,
// until a top-up is recorded, and a top-up pays what waits first, oldest first.
//
// Exact in fen: a contribution splits by the regions' shares with the remainder of the rounding
// to the second region (the parts always sum to the whole); a layer's recovery is its share of
// the loss in (attachment, attachment + limit], rounded down to the fen. Pure.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace corridor::pension {

struct ReinsuranceLayer {
  int64_t attachment_fen = 0;  // the loss above which the layer pays
  int64_t limit_fen = 0;       // the most of the loss it covers
  int64_t share_bps = 10'000;  // the reinsurers' share of it
};

struct FundRules {
  int64_t beijing_share_bps =
      5'000;              // Beijing's part of each contribution; Inner Mongolia the rest
  int64_t floor_fen = 0;  // the balance never goes below it
  std::vector<ReinsuranceLayer> layers;
};

struct Contribution {
  int64_t amount_fen = 0;  // both regions together
};
struct Disaster {
  std::string kind;  // "blizzard" | "sandstorm"
  int64_t affected_members = 0;
  int64_t loss_per_member_fen = 0;
};
struct TopUp {
  std::string region;  // "beijing" | "inner_mongolia"
  int64_t amount_fen = 0;
};
using FundEvent = std::variant<Contribution, Disaster, TopUp>;

// The fund after one event.
struct FundState {
  int64_t balance_fen = 0;
  int64_t owed_fen = 0;  // claims waiting for a top-up
  // This event's parts:
  int64_t beijing_fen = 0, inner_mongolia_fen = 0;  // a contribution's or a top-up's
  int64_t gross_claim_fen = 0, recovered_fen = 0, paid_fen = 0, deferred_fen = 0;
  bool needs_top_up = false;  // something is owed
};

// The fund from `opening_fen` through the events, one state per event. Errors name
// /rules/..., /events/k/....
Result<std::vector<FundState>> RunFund(const FundRules& rules, int64_t opening_fen,
                                       const std::vector<FundEvent>& events);
// The same from a state a fund has reached (its balance and what it owes), as the platform runs
// each recorded event. A balance below the floor (a young fund) pays nothing until it is above.
Result<std::vector<FundState>> RunFund(const FundRules& rules, const FundState& opening,
                                       const std::vector<FundEvent>& events);

}  // namespace corridor::pension
