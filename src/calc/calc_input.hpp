#pragma once
// Reading numbers, arrays and matrices out of a calc model's JSON input, with problems named by
// field (the calc models of calc_*.cpp share these).
#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <vector>

#include "calc/calc.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {

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

// The array "labels" of 0/1 values (at most `max`); problems name /labels or /labels/k.
std::vector<int> BinaryLabels(service::Input& in, const Json& body, size_t max);

// Reads each object of the array `name` (at most `max`) with `each(object_input, object)`;
// problems keep their full pointers (/name/k/field).
template <typename Each>
void EachObject(service::Input& in, const Json& body, std::string_view name, size_t max,
                Each each) {
  if (!in.Has(name) || !body.at(std::string(name)).is_array() ||
      body.at(std::string(name)).size() > max) {
    in.Problem(name, fmt::format("must be an array of at most {} objects", max));
    return;
  }
  const Json& a = body.at(std::string(name));
  for (size_t k = 0; k < a.size(); ++k) {
    if (!a[k].is_object()) {
      in.Problem(fmt::format("{}/{}", name, k), "must be an object");
      continue;
    }
    service::Input sub(a[k], fmt::format("/{}/{}", name, k));
    each(sub, a[k]);
    in.Include(sub);
  }
}

}  // namespace corridor::calc
