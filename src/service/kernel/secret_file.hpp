#pragma once
// Key files the server makes for itself (the registry log's signing key, the federated party
// key): made 0600 at first start, never overwritten, refused when others may read them.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace corridor::service {

// The file's text, or nullopt when there is none. Errors name `field` (the option that names the
// file) when others may read it.
Result<std::optional<std::string>> ReadSecretFile(const std::string& path, std::string_view field);
// A new file of mode 0600 holding `text`, synced; an error naming `field` when it exists already
// or cannot be made.
Status CreateSecretFile(const std::string& path, std::string_view text, std::string_view field);

}  // namespace corridor::service
