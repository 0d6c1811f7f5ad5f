#pragma once
// The marketplace's rows as other contexts read them: an enterprise as every list shows it.
#include <string_view>

#include "service/kernel/kernel.hpp"

namespace corridor::service {

// The columns EnterpriseRow() reads, of `enterprises e`.
inline constexpr std::string_view kEnterpriseColumns =
    "e.id, e.uscc, e.name, e.region, e.industry, e.status, e.green_label, e.registered_at, "
    "e.verified_at";
Json EnterpriseRow(const store::Query& q);

}  // namespace corridor::service
