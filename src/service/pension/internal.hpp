#pragma once
// What the pension context's files share (service/pension/pension.hpp); not for other contexts.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "service/kernel/kernel.hpp"

namespace corridor::service::pension_internal {

// Pension records are for the insurers, the trust managers and the bureau: every other
// organisation is refused.
inline Status RequirePensionParty(const Caller& caller) {
  if (caller.platform() || caller.in_insurer() || caller.in_trustee()) return {};
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "pension records are for the insurers, the trust managers and the bureau",
                    {}});
}

// A settlement period: a month, YYYY-MM.
inline bool ValidMonth(std::string_view p) {
  if (p.size() != 7 || p[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (p[i] < '0' || p[i] > '9') return false;
  }
  const int month = (p[5] - '0') * 10 + (p[6] - '0');
  return month >= 1 && month <= 12;
}

// The most any single amount of these records may be: 10¹⁴ fen (a trillion yuan).
inline constexpr int64_t kMaxFen = 100'000'000'000'000;

// The insurer's name; NotFound naming `field` when the tenant is not an insurer.
Result<std::string> InsurerName(store::Connection& c, int64_t tenant_id, std::string_view field);

}  // namespace corridor::service::pension_internal
