#pragma once
// Helpers shared by the supply context's files (not part of its interface).
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service::supply_internal {

// {"log_index", "leaf_hash_hex"} of an entry just appended.
Json Appended(const LogEntryRef& ref);
// The USCC of an enterprise on the platform.
Result<std::string> UsccOf(store::Connection& c, int64_t enterprise_id);
// A refusal by one of the products' rules: 409 whose field error names the field and the rule.
Error RuleRefusal(std::string_view rule, std::string_view field, std::string message);
// Refuses new financing (rule capacity_utilization, on `field`) while the enterprise's latest
// production reading on or before `as_of` is below 60% utilization.
Status CheckUtilization(store::Connection& c, int64_t enterprise_id, Date as_of,
                        std::string_view field);

}  // namespace corridor::service::supply_internal
