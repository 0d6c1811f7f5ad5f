#pragma once
// Reading numbers, arrays and matrices out of a calc model's JSON input, with problems named by
// field (the calc models of calc_*.cpp share these).
#include <optional>
#include <string_view>
#include <vector>

#include "api/calc.hpp"
#include "service/input.hpp"

namespace corridor::api {

// A number field; when absent, `fallback` (or "is required" when there is none).
double NumberField(service::Input& in, const Json& body, std::string_view name,
                   std::optional<double> fallback);

// An array of numbers (at most `max`); empty when absent (a problem if required).
std::vector<double> NumberArray(service::Input& in, const Json& body, std::string_view name,
                                bool required, size_t max = 1'000'000);

// An array of rows of numbers (at most `max_rows` rows of at most `max_cols`); empty when absent
// (a problem if required). Rows may differ in length; the models check shapes themselves.
std::vector<std::vector<double>> NumberMatrix(service::Input& in, const Json& body,
                                              std::string_view name, bool required, size_t max_rows,
                                              size_t max_cols = 100'000);

}  // namespace corridor::api
