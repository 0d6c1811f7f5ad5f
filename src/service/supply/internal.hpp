#pragma once
// Helpers shared by the supply context's files (not part of its interface).
#include <string>

#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service::supply_internal {

// {"log_index", "leaf_hash_hex"} of an entry just appended.
Json Appended(const LogEntryRef& ref);
// The USCC of an enterprise on the platform.
Result<std::string> UsccOf(store::Connection& c, int64_t enterprise_id);

}  // namespace corridor::service::supply_internal
