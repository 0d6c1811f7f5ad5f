// The evaluation calc models (entropy weights, TOPSIS, grey relational analysis). Matrices are
// rows = alternatives. Conventions: evaluate/mcdm.hpp.
#include <fmt/format.h>

#include "api/calc.hpp"
#include "evaluate/mcdm.hpp"
#include "service/input.hpp"

namespace corridor::api {
namespace {

using evaluate::Direction;
using service::Input;

evaluate::Matrix MatrixField(Input& in, const Json& body) {
  evaluate::Matrix out;
  if (!in.Has("matrix")) {
    in.Problem("matrix", "is required");
    return out;
  }
  const Json& m = body.at("matrix");
  if (!m.is_array() || m.size() > 100'000) {
    in.Problem("matrix", "must be an array of rows (at most 100,000)");
    return out;
  }
  for (size_t i = 0; i < m.size(); ++i) {
    if (!m[i].is_array() || m[i].size() > 1'000) {
      in.Problem(fmt::format("matrix/{}", i), "must be an array of numbers (at most 1,000)");
      return {};
    }
    std::vector<double> row;
    for (size_t j = 0; j < m[i].size(); ++j) {
      if (!m[i][j].is_number()) {
        in.Problem(fmt::format("matrix/{}/{}", i, j), "must be a number");
        return {};
      }
      row.push_back(m[i][j].get<double>());
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<double> Numbers(Input& in, const Json& body, std::string_view name, bool required,
                            size_t default_size) {
  if (!in.Has(name)) {
    if (required) in.Problem(name, "is required");
    return std::vector<double>(default_size, 1.0);
  }
  const Json& a = body.at(std::string(name));
  std::vector<double> out;
  if (!a.is_array()) {
    in.Problem(name, "must be an array of numbers");
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

// Directions as words: `good` for a benefit criterion, `bad` for a cost one.
std::vector<Direction> Directions(Input& in, std::string_view name, std::string_view good,
                                  std::string_view bad) {
  std::vector<Direction> out;
  if (!in.Has(name)) {
    in.Problem(name, "is required");
    return out;
  }
  const auto words = in.StrList(name);
  for (size_t j = 0; j < words.size(); ++j) {
    if (words[j] == good) {
      out.push_back(Direction::kPositive);
    } else if (words[j] == bad) {
      out.push_back(Direction::kNegative);
    } else {
      in.Problem(fmt::format("{}/{}", name, j), fmt::format("must be {} or {}", good, bad));
    }
  }
  return out;
}

double NumberField(Input& in, const Json& body, std::string_view name, double fallback) {
  if (!in.Has(name)) return fallback;
  const Json& v = body.at(std::string(name));
  if (!v.is_number()) {
    in.Problem(name, "must be a number");
    return fallback;
  }
  return v.get<double>();
}

Json Array(const std::vector<double>& v) { return Json(v); }

Result<Json> EntropyModel(const Json& input) {
  Input in(input);
  const auto x = MatrixField(in, input);
  const auto directions = Directions(in, "directions", "positive", "negative");
  const std::string s = in.OptStr("standardization", 10).value_or("minmax");
  if (s != "minmax" && s != "sum") in.Problem("standardization", "must be minmax or sum");
  const double shift = NumberField(in, input, "shift", 0.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(evaluate::EntropyWeights(
      x, directions,
      s == "sum" ? evaluate::Standardization::kSum : evaluate::Standardization::kMinMax, shift));
  return Json{{"weights", Array(r.weights)},
              {"entropy", Array(r.entropy)},
              {"composite", Array(r.composite)}};
}

Result<Json> TopsisModel(const Json& input) {
  Input in(input);
  const auto x = MatrixField(in, input);
  const auto weights = Numbers(in, input, "weights", true, 0);
  const auto types = Directions(in, "types", "benefit", "cost");
  const std::string n = in.OptStr("normalization", 10).value_or("vector");
  if (n != "vector" && n != "minmax") in.Problem("normalization", "must be vector or minmax");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(evaluate::Topsis(
      x, weights, types,
      n == "minmax" ? evaluate::Normalization::kMinMax : evaluate::Normalization::kVector));
  return Json{{"scores", Array(r.scores)}, {"ranking", r.ranking}};
}

Result<Json> GraModel(const Json& input) {
  Input in(input);
  const auto x = MatrixField(in, input);
  const size_t columns = x.empty() ? 0 : x[0].size();
  const auto weights = Numbers(in, input, "weights", false, columns);
  const auto directions = Directions(in, "directions", "positive", "negative");
  const double rho = NumberField(in, input, "rho", 0.5);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto grades = CORRIDOR_TRY(evaluate::GreyRelationalGrades(x, weights, directions, rho));
  return Json{{"grades", Array(grades)}};
}

}  // namespace

void AddEvaluateModels(std::vector<CalcModel>& models) {
  models.push_back(
      {"entropy-weights", "Entropy weights and composite index (熵值法)", EntropyModel});
  models.push_back({"topsis", "TOPSIS scores and ranking", TopsisModel});
  models.push_back({"gra", "Grey relational grades (Deng)", GraModel});
}

}  // namespace corridor::api
