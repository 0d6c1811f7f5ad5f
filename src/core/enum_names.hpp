#pragma once
// Names of enum values as they appear in the API and the database, from one table per enum:
//   constexpr std::array<std::pair<Role, std::string_view>, 2> kRoles = {{...}};
//   NameOf(kRoles, Role::kAuditor);  ParseName(kRoles, "auditor", "/role");
// A name that is not in the table fails with an error naming the field and every allowed name.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace corridor {

template <typename E, size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view NameOf(const EnumNames<E, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return names[0].second;
}

template <typename E, size_t N>
Result<E> ParseName(const EnumNames<E, N>& names, std::string_view text, std::string_view field) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  std::string allowed;
  for (const auto& [value, name] : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return Fail(Error::Invalid(std::string(field), "must be one of " + allowed));
}

}  // namespace corridor
