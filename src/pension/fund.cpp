#include "pension/fund.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/int128.hpp"

namespace corridor::pension {

namespace {

constexpr int64_t kMaxFen = 1'000'000'000'000'000;  // 10,000,000,000,000 yuan

Status CheckRules(const FundRules& r) {
  if (r.beijing_share_bps < 0 || r.beijing_share_bps > 10'000) {
    return Fail(Error::Invalid("/rules/beijing_share_bps", "0 to 10,000"));
  }
  if (r.floor_fen < 0 || r.floor_fen > kMaxFen)
    return Fail(Error::Invalid("/rules/floor_fen", "≥ 0"));
  if (r.layers.size() > 20) return Fail(Error::Invalid("/rules/layers", "at most 20 layers"));
  for (size_t k = 0; k < r.layers.size(); ++k) {
    const auto& l = r.layers[k];
    const auto at = [&](std::string_view f) { return fmt::format("/rules/layers/{}/{}", k, f); };
    if (l.attachment_fen < 0 || l.attachment_fen > kMaxFen) {
      return Fail(Error::Invalid(at("attachment_fen"), "≥ 0"));
    }
    if (l.limit_fen <= 0 || l.limit_fen > kMaxFen)
      return Fail(Error::Invalid(at("limit_fen"), "> 0"));
    if (l.share_bps < 0 || l.share_bps > 10'000)
      return Fail(Error::Invalid(at("share_bps"), "0 to 10,000"));
  }
  return {};
}

// The reinsurers' part of one event's loss.
int64_t Recovered(const FundRules& r, int64_t loss) {
  int64_t out = 0;
  for (const auto& l : r.layers) {
    const int64_t in_layer = std::clamp<int64_t>(loss - l.attachment_fen, 0, l.limit_fen);
    out += static_cast<int64_t>(static_cast<Int128>(in_layer) * l.share_bps / 10'000);
  }
  return std::min(out, loss);
}

}  // namespace

Result<std::vector<FundState>> RunFund(const FundRules& rules, int64_t opening_fen,
                                       const std::vector<FundEvent>& events) {
  if (opening_fen < rules.floor_fen || opening_fen > kMaxFen) {
    return Fail(Error::Invalid("/opening_fen", "at least the floor"));
  }
  return RunFund(rules, FundState{.balance_fen = opening_fen}, events);
}

Result<std::vector<FundState>> RunFund(const FundRules& rules, const FundState& opening,
                                       const std::vector<FundEvent>& events) {
  CORRIDOR_TRY_STATUS(CheckRules(rules));
  if (opening.balance_fen < 0 || opening.balance_fen > kMaxFen || opening.owed_fen < 0 ||
      opening.owed_fen > kMaxFen) {
    return Fail(Error::Invalid("/opening", "a balance and an amount owed of 0 or more"));
  }
  std::vector<FundState> out;
  FundState s{.balance_fen = opening.balance_fen, .owed_fen = opening.owed_fen};
  // What the fund may pay now: its balance above the floor (nothing while below it).
  const auto payable = [&](int64_t balance) {
    return std::max<int64_t>(0, balance - rules.floor_fen);
  };
  for (size_t k = 0; k < events.size(); ++k) {
    const auto at = [&](std::string_view f) { return fmt::format("/events/{}/{}", k, f); };
    FundState next{.balance_fen = s.balance_fen, .owed_fen = s.owed_fen};
    int64_t income = 0;
    if (const auto* c = std::get_if<Contribution>(&events[k])) {
      if (c->amount_fen <= 0 || c->amount_fen > kMaxFen) {
        return Fail(Error::Invalid(at("amount_fen"), "> 0"));
      }
      next.beijing_fen = static_cast<int64_t>(static_cast<Int128>(c->amount_fen) *
                                              rules.beijing_share_bps / 10'000);
      next.inner_mongolia_fen = c->amount_fen - next.beijing_fen;
      income = c->amount_fen;
    } else if (const auto* t = std::get_if<TopUp>(&events[k])) {
      if (t->region != "beijing" && t->region != "inner_mongolia") {
        return Fail(Error::Invalid(at("region"), "beijing or inner_mongolia"));
      }
      if (t->amount_fen <= 0 || t->amount_fen > kMaxFen) {
        return Fail(Error::Invalid(at("amount_fen"), "> 0"));
      }
      (t->region == "beijing" ? next.beijing_fen : next.inner_mongolia_fen) = t->amount_fen;
      income = t->amount_fen;
    } else {
      const auto& d = std::get<Disaster>(events[k]);
      if (d.kind != "blizzard" && d.kind != "sandstorm") {
        return Fail(Error::Invalid(at("kind"), "blizzard or sandstorm"));
      }
      if (d.affected_members < 0 || d.affected_members > 100'000'000) {
        return Fail(Error::Invalid(at("affected_members"), "0 to 100,000,000"));
      }
      if (d.loss_per_member_fen < 0 || d.loss_per_member_fen > 1'000'000'000) {
        return Fail(Error::Invalid(at("loss_per_member_fen"), "0 to 10,000,000 yuan"));
      }
      const Int128 gross = static_cast<Int128>(d.affected_members) * d.loss_per_member_fen;
      if (gross > kMaxFen) return Fail(Error::Invalid(at("affected_members"), "a loss too large"));
      next.gross_claim_fen = static_cast<int64_t>(gross);
      next.recovered_fen = Recovered(rules, next.gross_claim_fen);
      const int64_t net = next.gross_claim_fen - next.recovered_fen;
      next.paid_fen = std::min(net, payable(next.balance_fen));
      next.deferred_fen = net - next.paid_fen;
      next.balance_fen -= next.paid_fen;
      next.owed_fen += next.deferred_fen;
    }
    if (income > 0) {
      // What waits is paid first.
      next.balance_fen += income;
      const int64_t settle = std::min(next.owed_fen, payable(next.balance_fen));
      next.paid_fen = settle;
      next.owed_fen -= settle;
      next.balance_fen -= settle;
    }
    if (next.balance_fen > kMaxFen)
      return Fail(Error::Invalid(at("amount_fen"), "the fund overflows"));
    next.needs_top_up = next.owed_fen > 0;
    out.push_back(next);
    s = next;
  }
  return out;
}

}  // namespace corridor::pension
