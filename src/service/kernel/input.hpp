#pragma once
// Input: reads the fields of a JSON request body and collects every problem, each named by its
// JSON pointer, so that a client learns of all bad fields at once.
//   Input in(body);
//   int64_t amount = in.Int("amount_fen", 1, kMax);
//   CORRIDOR_TRY_STATUS(in.Finish());
// Values read after a problem are placeholders; only use them once Finish() succeeded.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace corridor::service {

using Json = nlohmann::json;

class Input {
 public:
  explicit Input(const Json& body, std::string prefix = "");

  int64_t Int(std::string_view name, int64_t min, int64_t max);
  std::optional<int64_t> OptInt(std::string_view name, int64_t min, int64_t max);
  std::string Str(std::string_view name, size_t max_length = 200);
  std::optional<std::string> OptStr(std::string_view name, size_t max_length = 200);
  bool Bool(std::string_view name, bool fallback);
  Date DateField(std::string_view name);
  std::vector<std::string> StrList(std::string_view name);
  // A nested object as its own Input (errors are reported with the full pointer).
  bool Has(std::string_view name) const;
  const Json* Object(std::string_view name);

  void Problem(std::string_view name, std::string message);
  // Takes over the problems of an Input made for a nested object (its fields are already full
  // pointers).
  void Include(const Input& nested);
  // Fails with every collected problem, or succeeds.
  Status Finish() const;

 private:
  const Json* Field(std::string_view name, bool required);
  std::string Pointer(std::string_view name) const;

  const Json& body_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

}  // namespace corridor::service
