#include "pension/settlement.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/int128.hpp"

namespace corridor::pension {

namespace {
constexpr int64_t kMaxFen = 100'000'000'000;  // 1,000,000,000 yuan
constexpr size_t kMaxClaims = 10'000'000;
}  // namespace

Result<Settlement> SettlePeriod(const std::map<std::string, ReimbursementPolicy>& policies,
                                const std::vector<CareClaim>& claims) {
  for (const auto& entry : policies) {
    const std::string& region = entry.first;
    const ReimbursementPolicy& p = entry.second;
    const auto at = [&](std::string_view f) { return fmt::format("/policies/{}/{}", region, f); };
    if (p.deductible_fen < 0 || p.deductible_fen > kMaxFen) {
      return Fail(Error::Invalid(at("deductible_fen"), "0 to 1,000,000,000 yuan"));
    }
    if (p.reimbursement_bps < 0 || p.reimbursement_bps > 10'000) {
      return Fail(Error::Invalid(at("reimbursement_bps"), "0 to 10,000"));
    }
    if (p.cap_fen < 0 || p.cap_fen > kMaxFen) {
      return Fail(Error::Invalid(at("cap_fen"), "0 (no cap) to 1,000,000,000 yuan"));
    }
  }
  if (claims.size() > kMaxClaims) return Fail(Error::Invalid("/claims", "at most 10,000,000"));
  Settlement out;
  // Each member's deductible still to bear and reimbursement so far in the period.
  struct Member {
    int64_t deductible_left = 0, reimbursed = 0;
  };
  std::map<std::pair<std::string, std::string>, Member> members;  // (insuring region, member)
  for (size_t k = 0; k < claims.size(); ++k) {
    const auto& c = claims[k];
    const auto at = [&](std::string_view f) { return fmt::format("/claims/{}/{}", k, f); };
    const auto policy = policies.find(c.insuring_region);
    if (policy == policies.end()) {
      return Fail(Error::Invalid(at("insuring_region"), "has no policy for the period"));
    }
    if (c.care_region.empty() || c.care_region == c.insuring_region) {
      return Fail(
          Error::Invalid(at("care_region"), "must be another region than the insuring one"));
    }
    if (c.member.empty()) return Fail(Error::Invalid(at("member"), "is required"));
    if (c.eligible_fen < 0 || c.eligible_fen > kMaxFen) {
      return Fail(Error::Invalid(at("eligible_fen"), "0 to 1,000,000,000 yuan"));
    }
    const ReimbursementPolicy& p = policy->second;
    auto [it, fresh] = members.try_emplace({c.insuring_region, c.member});
    if (fresh) it->second.deductible_left = p.deductible_fen;
    Member& m = it->second;
    const int64_t borne = std::min(m.deductible_left, c.eligible_fen);
    m.deductible_left -= borne;
    int64_t paid = static_cast<int64_t>(static_cast<Int128>(c.eligible_fen - borne) *
                                        p.reimbursement_bps / 10'000);
    if (p.cap_fen > 0) paid = std::min(paid, p.cap_fen - m.reimbursed);
    m.reimbursed += paid;
    out.claims.push_back({.eligible_fen = c.eligible_fen,
                          .member_bears_fen = c.eligible_fen - paid,
                          .reimbursed_fen = paid});
    out.owed[c.insuring_region][c.care_region] += paid;
  }
  // Netting: each pair once, and each region's position.
  for (const auto& [payer, row] : out.owed) {
    for (const auto& [payee, amount] : row) {
      out.position[payer] -= amount;
      out.position[payee] += amount;
      const bool ordered = payer < payee;
      const std::string& a = ordered ? payer : payee;
      const std::string& b = ordered ? payee : payer;
      out.bilateral[a][b] += ordered ? amount : -amount;
    }
  }
  return out;
}

}  // namespace corridor::pension
