#include "api/cursor.hpp"

#include <fmt/format.h>

#include <charconv>

namespace corridor::api {

std::string EncodeCursor(int64_t last_id) { return fmt::format("c{:x}", last_id); }

Result<int64_t> DecodeCursor(std::string_view cursor) {
  int64_t id = 0;
  if (cursor.size() < 2 || cursor[0] != 'c' || cursor.size() > 17) {
    return Fail(Error::Invalid("/cursor", "not a cursor returned by this API"));
  }
  const auto [ptr, ec] = std::from_chars(cursor.data() + 1, cursor.data() + cursor.size(), id, 16);
  if (ec != std::errc() || ptr != cursor.data() + cursor.size() || id < 0) {
    return Fail(Error::Invalid("/cursor", "not a cursor returned by this API"));
  }
  return id;
}

}  // namespace corridor::api
