#pragma once
// The platform's public home page: the statistics the bureau publishes (registered and verified
// enterprises, deals, amount financed), rendered on the server in Chinese and English so that it
// needs no script and reads the same in a browser and with curl.
#include <nlohmann/json.hpp>
#include <string>

namespace corridor::api {

std::string RenderHomePage(const nlohmann::json& stats);

// 125000 -> "125,000".
std::string GroupDigits(int64_t value);

}  // namespace corridor::api
