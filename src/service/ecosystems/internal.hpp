#pragma once
// What the ecosystem context's files share; not part of its interface.
#include <vector>

#include "risk/contagion/sharing.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service::ecosystems_internal {

// Ecosystems and pools hold every member's financing: read by the bureau's users only, not by a
// bank's analyst.
inline Status RequireOversight(const Caller& caller) {
  if (!caller.platform()) {
    return Fail(
        Error{ErrorCode::kPermissionDenied, "ecosystems are read by the bureau's users", {}});
  }
  return {};
}

inline Json SharesJson(const std::vector<risk::Share>& shares) {
  Json out = Json::array();
  for (const auto& s : shares) out.push_back({{"party", s.party}, {"amount_fen", s.amount_fen}});
  return out;
}

}  // namespace corridor::service::ecosystems_internal
