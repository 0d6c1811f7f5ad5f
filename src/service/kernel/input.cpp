#include "service/kernel/input.hpp"

#include <fmt/format.h>

namespace corridor::service {

Input::Input(const Json& body, std::string prefix) : body_(body), prefix_(std::move(prefix)) {
  if (!body_.is_object())
    errors_.push_back({prefix_.empty() ? "" : prefix_, "must be a JSON object"});
}

std::string Input::Pointer(std::string_view name) const {
  return prefix_ + "/" + std::string(name);
}

void Input::Include(const Input& nested) {
  errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end());
}

void Input::Problem(std::string_view name, std::string message) {
  errors_.push_back({Pointer(name), std::move(message)});
}

const Json* Input::Field(std::string_view name, bool required) {
  if (!body_.is_object()) return nullptr;
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) Problem(name, "is required");
    return nullptr;
  }
  return &*it;
}

bool Input::Has(std::string_view name) const {
  return body_.is_object() && body_.contains(name) && !body_.at(std::string(name)).is_null();
}

const Json* Input::Object(std::string_view name) {
  const Json* f = Field(name, false);
  if (f != nullptr && !f->is_object()) {
    Problem(name, "must be an object");
    return nullptr;
  }
  return f;
}

std::optional<int64_t> Input::OptInt(std::string_view name, int64_t min, int64_t max) {
  const Json* f = Field(name, false);
  if (f == nullptr) return std::nullopt;
  if (!f->is_number_integer()) {
    Problem(name, "must be an integer");
    return std::nullopt;
  }
  // Beyond int64 is out of range like any other value past max, never clamped to it.
  const bool beyond = f->is_number_unsigned() && f->get<uint64_t>() > uint64_t{INT64_MAX};
  const int64_t v = beyond ? 0 : f->get<int64_t>();
  if (beyond || v < min || v > max) {
    Problem(name, fmt::format("must be between {} and {}", min, max));
    return std::nullopt;
  }
  return v;
}

int64_t Input::Int(std::string_view name, int64_t min, int64_t max) {
  if (!Has(name)) {
    Problem(name, "is required");
    return min;
  }
  return OptInt(name, min, max).value_or(min);
}

std::optional<std::string> Input::OptStr(std::string_view name, size_t max_length) {
  const Json* f = Field(name, false);
  if (f == nullptr) return std::nullopt;
  if (!f->is_string()) {
    Problem(name, "must be a string");
    return std::nullopt;
  }
  std::string s = f->get<std::string>();
  if (s.size() > max_length) {
    Problem(name, fmt::format("must be at most {} bytes", max_length));
    return std::nullopt;
  }
  return s;
}

std::string Input::Str(std::string_view name, size_t max_length) {
  if (!Has(name)) {
    Problem(name, "is required");
    return {};
  }
  auto s = OptStr(name, max_length);
  if (s && s->empty()) {
    Problem(name, "must not be empty");
    return {};
  }
  return s.value_or("");
}

bool Input::Bool(std::string_view name, bool fallback) {
  const Json* f = Field(name, false);
  if (f == nullptr) return fallback;
  if (!f->is_boolean()) {
    Problem(name, "must be true or false");
    return fallback;
  }
  return f->get<bool>();
}

Date Input::DateField(std::string_view name) {
  const std::string s = Str(name, 10);
  if (s.empty()) return Date();
  auto d = Date::Parse(s);
  if (!d) {
    Problem(name, d.error().fields.empty() ? d.error().message : d.error().fields[0].message);
    return Date();
  }
  return *d;
}

std::vector<std::string> Input::StrList(std::string_view name) {
  const Json* f = Field(name, false);
  std::vector<std::string> out;
  if (f == nullptr) return out;
  if (!f->is_array()) {
    Problem(name, "must be an array of strings");
    return out;
  }
  for (const auto& item : *f) {
    if (!item.is_string()) {
      Problem(name, "must be an array of strings");
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status Input::Finish() const {
  if (errors_.empty()) return {};
  return Fail(Error::Invalid(errors_));
}

}  // namespace corridor::service
