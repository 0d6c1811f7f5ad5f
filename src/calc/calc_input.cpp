#include "calc/calc_input.hpp"

#include <fmt/format.h>

namespace corridor::calc {

double NumberField(service::Input& in, const Json& body, std::string_view name,
                   std::optional<double> fallback) {
  if (!in.Has(name)) {
    if (!fallback) in.Problem(name, "is required");
    return fallback.value_or(0);
  }
  const Json& v = body.at(std::string(name));
  if (!v.is_number()) {
    in.Problem(name, "must be a number");
    return fallback.value_or(0);
  }
  return v.get<double>();
}

std::vector<double> NumberArray(service::Input& in, const Json& body, std::string_view name,
                                bool required, size_t max) {
  std::vector<double> out;
  if (!in.Has(name)) {
    if (required) in.Problem(name, "is required");
    return out;
  }
  const Json& a = body.at(std::string(name));
  if (!a.is_array() || a.size() > max) {
    in.Problem(name, fmt::format("must be an array of at most {} numbers", max));
    return out;
  }
  for (size_t j = 0; j < a.size(); ++j) {
    if (!a[j].is_number()) {
      in.Problem(fmt::format("{}/{}", name, j), "must be a number");
      return {};
    }
    out.push_back(a[j].get<double>());
  }
  return out;
}

std::vector<std::vector<double>> NumberMatrix(service::Input& in, const Json& body,
                                              std::string_view name, bool required, size_t max_rows,
                                              size_t max_cols) {
  std::vector<std::vector<double>> out;
  if (!in.Has(name)) {
    if (required) in.Problem(name, "is required");
    return out;
  }
  const Json& m = body.at(std::string(name));
  if (!m.is_array() || m.size() > max_rows) {
    in.Problem(name, fmt::format("must be an array of rows (at most {})", max_rows));
    return out;
  }
  for (size_t i = 0; i < m.size(); ++i) {
    if (!m[i].is_array() || m[i].size() > max_cols) {
      in.Problem(fmt::format("{}/{}", name, i),
                 fmt::format("must be an array of numbers (at most {})", max_cols));
      return {};
    }
    std::vector<double> row;
    row.reserve(m[i].size());
    for (size_t j = 0; j < m[i].size(); ++j) {
      if (!m[i][j].is_number()) {
        in.Problem(fmt::format("{}/{}/{}", name, i, j), "must be a number");
        return {};
      }
      row.push_back(m[i][j].get<double>());
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<int> BinaryLabels(service::Input& in, const Json& body, size_t max) {
  std::vector<int> labels;
  if (!in.Has("labels") || !body.at("labels").is_array() || body.at("labels").size() > max) {
    in.Problem("labels", fmt::format("must be an array of at most {} labels (0 or 1)", max));
    return labels;
  }
  const Json& a = body.at("labels");
  labels.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_number_integer() || (a[i].get<int64_t>() != 0 && a[i].get<int64_t>() != 1)) {
      in.Problem(fmt::format("labels/{}", i), "must be 0 or 1");
      labels.push_back(0);
      continue;
    }
    labels.push_back(a[i].get<int>());
  }
  return labels;
}

}  // namespace corridor::calc
