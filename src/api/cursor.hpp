#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace corridor::api {

// The opaque cursor of every list: "c" and the hexadecimal id of the last item of a full page.
// Clients must treat it as opaque; the services never see its text (service::Page carries the
// decoded id and this encoder).
std::string EncodeCursor(int64_t last_id);
Result<int64_t> DecodeCursor(std::string_view cursor);

}  // namespace corridor::api
