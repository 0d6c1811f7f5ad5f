// The evaluation calc models: entropy weights, TOPSIS, grey relational analysis, coupling
// coordination, DEA, SBM, Malmquist and Moran's I. Matrices are
// rows = alternatives. Conventions: evaluate/mcdm.hpp.
#include <fmt/format.h>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "evaluate/coupling.hpp"
#include "evaluate/dea.hpp"
#include "evaluate/mcdm.hpp"
#include "evaluate/spatial.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using evaluate::Direction;
using service::Input;

// A matrix of numbers under `name` (rows = alternatives or DMUs); rows of at most 1,000.
evaluate::Matrix MatrixAt(Input& in, const Json& body, std::string_view name, bool required,
                          size_t max_rows = 100'000) {
  return NumberMatrix(in, body, name, required, max_rows, 1'000);
}

evaluate::Matrix MatrixField(Input& in, const Json& body) {
  return MatrixAt(in, body, "matrix", true);
}

// Numbers under `name`; when absent and optional, `default_size` ones.
std::vector<double> Numbers(Input& in, const Json& body, std::string_view name, bool required,
                            size_t default_size) {
  if (!in.Has(name) && !required) return std::vector<double>(default_size, 1.0);
  return NumberArray(in, body, name, required);
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

// DMUs a DEA model takes: China's 2,850 county-level divisions many times over, and a province's
// firms. Memory is the data plus a few dozen λ per DMU (column generation, ADR 0004).
constexpr size_t kMaxCalcDmus = 1'000'000;
// Up to this many DMUs the answer carries the contract's dense λ matrix; beyond it (n² numbers)
// `lambdas` is null and `peers` holds every nonzero λ.
constexpr size_t kMaxDenseLambdas = 2'000;

Json Optional(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json OptionalArray(const std::vector<std::optional<double>>& v) {
  Json out = Json::array();
  for (const auto& x : v) out.push_back(Optional(x));
  return out;
}

Json Lambdas(const std::vector<std::vector<evaluate::Peer>>& peers, Json& sparse) {
  const size_t n = peers.size();
  const bool dense_too = n <= kMaxDenseLambdas;
  Json dense = dense_too ? Json::array() : Json(nullptr);
  sparse = Json::array();
  for (const auto& row : peers) {
    std::vector<double> d(dense_too ? n : 0, 0.0);
    Json s = Json::array();
    for (const auto& p : row) {
      if (dense_too) d[p.dmu] = p.lambda;
      s.push_back({{"dmu", p.dmu}, {"lambda", p.lambda}});
    }
    if (dense_too) dense.push_back(std::move(d));
    sparse.push_back(std::move(s));
  }
  return dense;
}

evaluate::Returns ReturnsField(Input& in) {
  const std::string r = in.OptStr("returns", 10).value_or("crs");
  if (r != "crs" && r != "vrs") in.Problem("returns", "must be crs or vrs");
  return r == "vrs" ? evaluate::Returns::kVariable : evaluate::Returns::kConstant;
}

evaluate::Orientation OrientationField(Input& in) {
  const std::string o = in.OptStr("orientation", 10).value_or("input");
  if (o != "input" && o != "output") in.Problem("orientation", "must be input or output");
  return o == "output" ? evaluate::Orientation::kOutput : evaluate::Orientation::kInput;
}

int ThreadsField(Input& in) { return static_cast<int>(in.OptInt("threads", 1, 64).value_or(1)); }

Result<Json> CouplingModel(const Json& input) {
  Input in(input);
  const auto u = Numbers(in, input, "u", true, 0);
  const auto alpha =
      in.Has("alpha") ? Numbers(in, input, "alpha", false, 0) : std::vector<double>{};
  const std::string v = in.OptStr("variant", 20).value_or("traditional");
  if (v != "traditional" && v != "wang2021")
    in.Problem("variant", "must be traditional or wang2021");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(
      evaluate::CouplingCoordination(u, alpha,
                                     v == "wang2021" ? evaluate::CouplingVariant::kWang2021
                                                     : evaluate::CouplingVariant::kTraditional));
  return Json{{"c", r.c},
              {"t", r.t},
              {"d", r.d},
              {"grade", std::string(r.grade.zh)},
              {"grade_en", std::string(r.grade.en)}};
}

Result<Json> DeaModel(const Json& input, const CalcContext& context) {
  Input in(input);
  const auto x = MatrixAt(in, input, "inputs", true, kMaxCalcDmus);
  const auto y = MatrixAt(in, input, "outputs", true, kMaxCalcDmus);
  evaluate::DeaOptions opt;
  opt.returns = ReturnsField(in);
  opt.orientation = OrientationField(in);
  opt.super_efficiency = in.Bool("super_efficiency", false);
  opt.threads = ThreadsField(in);
  opt.progress = context.progress;
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(evaluate::Dea(x, y, opt));
  Json peers;
  Json lambdas = Lambdas(r.peers, peers);
  return Json{{"efficiency", OptionalArray(r.efficiency)},
              {"lambdas", std::move(lambdas)},
              {"peers", std::move(peers)},
              {"input_slacks", r.input_slacks},
              {"output_slacks", r.output_slacks}};
}

Result<Json> SbmModel(const Json& input, const CalcContext& context) {
  Input in(input);
  const auto x = MatrixAt(in, input, "inputs", true, kMaxCalcDmus);
  const auto y = MatrixAt(in, input, "outputs", true, kMaxCalcDmus);
  const auto bad = MatrixAt(in, input, "undesirable_outputs", false, kMaxCalcDmus);
  evaluate::SbmOptions opt;
  opt.returns = ReturnsField(in);
  opt.super = in.Bool("super", false);
  opt.threads = ThreadsField(in);
  opt.progress = context.progress;
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(evaluate::Sbm(x, y, bad, opt));
  Json peers;
  Json lambdas = Lambdas(r.peers, peers);
  Json out{{"efficiency", OptionalArray(r.efficiency)},
           {"input_slacks", r.input_slacks},
           {"output_slacks", r.output_slacks},
           {"lambdas", std::move(lambdas)},
           {"peers", std::move(peers)}};
  if (!bad.empty()) out["undesirable_slacks"] = r.undesirable_slacks;
  return out;
}

Result<Json> MalmquistModel(const Json& input) {
  Input in(input);
  std::vector<evaluate::Period> periods;
  if (!in.Has("periods") || !input.at("periods").is_array()) {
    in.Problem("periods", "must be an array of {inputs, outputs}");
  } else if (input.at("periods").size() > 100) {
    in.Problem("periods", "at most 100 periods");
  } else {
    const Json& list = input.at("periods");
    for (size_t p = 0; p < list.size(); ++p) {
      if (!list[p].is_object()) {
        in.Problem(fmt::format("periods/{}", p), "must be an object with inputs and outputs");
        continue;
      }
      Input sub(list[p], fmt::format("/periods/{}", p));
      evaluate::Period period{MatrixAt(sub, list[p], "inputs", true, kMaxCalcDmus),
                              MatrixAt(sub, list[p], "outputs", true, kMaxCalcDmus)};
      CORRIDOR_TRY_STATUS(sub.Finish());
      periods.push_back(std::move(period));
    }
  }
  const auto returns = ReturnsField(in);
  const auto orientation = OrientationField(in);
  const int threads = ThreadsField(in);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(evaluate::Malmquist(periods, returns, orientation, threads));
  Json results = Json::array();
  for (const auto& e : r) {
    results.push_back({{"dmu", e.dmu},
                       {"from_period", e.from_period},
                       {"to_period", e.from_period + 1},
                       {"malmquist", Optional(e.malmquist)},
                       {"efficiency_change", Optional(e.efficiency_change)},
                       {"technical_change", Optional(e.technical_change)}});
  }
  return Json{{"results", std::move(results)}};
}

Result<Json> MoranModel(const Json& input) {
  Input in(input);
  const auto values = Numbers(in, input, "values", true, 0);
  const bool row_standardize = in.Bool("row_standardize", true);
  const bool local = in.Bool("local", false);
  const int permutations = static_cast<int>(in.OptInt("permutations", 0, 99'999).value_or(0));
  const uint64_t seed = static_cast<uint64_t>(in.OptInt("seed", 0, INT64_MAX).value_or(0));
  evaluate::SpatialWeights w;
  if (in.Has("neighbors") == in.Has("weights")) {
    in.Problem("neighbors", "give exactly one of neighbors or weights");
  } else if (in.Has("neighbors")) {
    const Json& nb = input.at("neighbors");
    std::vector<std::vector<int>> lists;
    if (!nb.is_array()) in.Problem("neighbors", "must be an array of index arrays");
    for (size_t i = 0; nb.is_array() && i < nb.size(); ++i) {
      std::vector<int> row;
      if (!nb[i].is_array()) {
        in.Problem(fmt::format("neighbors/{}", i), "must be an array of region indices");
        break;
      }
      for (size_t k = 0; k < nb[i].size(); ++k) {
        if (!nb[i][k].is_number_integer()) {
          in.Problem(fmt::format("neighbors/{}/{}", i, k), "must be a region index");
          break;
        }
        row.push_back(nb[i][k].get<int>());
      }
      lists.push_back(std::move(row));
    }
    CORRIDOR_TRY_STATUS(in.Finish());
    w = CORRIDOR_TRY(evaluate::WeightsFromNeighbors(lists));
  } else {
    const auto m = MatrixAt(in, input, "weights", true, 10'000);
    CORRIDOR_TRY_STATUS(in.Finish());
    w = CORRIDOR_TRY(evaluate::WeightsFromMatrix(m));
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (row_standardize) evaluate::RowStandardize(w);
  const auto r = CORRIDOR_TRY(evaluate::MoranI(values, w));
  Json out{{"i", r.i},
           {"expected", r.expected},
           {"variance_normal", r.variance_normal},
           {"variance_randomization", r.variance_randomization},
           {"z_normal", r.z_normal},
           {"p_normal", r.p_normal},
           {"z_randomization", r.z_randomization},
           {"p_randomization", r.p_randomization},
           {"p_normal_two_tailed", std::min(1.0, 2 * r.p_normal)}};
  if (local) {
    const auto l = CORRIDOR_TRY(evaluate::LocalMoran(values, w, permutations, seed));
    Json rows = Json::array();
    for (size_t i = 0; i < l.i.size(); ++i) {
      Json row{
          {"i", l.i[i]}, {"expected", l.expected[i]}, {"variance", l.variance[i]}, {"z", l.z[i]},
          {"p", l.p[i]}, {"quadrant", l.quadrant[i]}};
      if (!l.p_permutation.empty()) row["p_permutation"] = l.p_permutation[i];
      rows.push_back(std::move(row));
    }
    out["local"] = std::move(rows);
  }
  return out;
}

}  // namespace

void AddEvaluateModels(std::vector<CalcModel>& models) {
  models.push_back(
      {"entropy-weights", "Entropy weights and composite index (熵值法)", EntropyModel});
  models.push_back({"topsis", "TOPSIS scores and ranking", TopsisModel});
  models.push_back({"gra", "Grey relational grades (Deng)", GraModel});
  models.push_back({"coupling-coordination",
                    "Coupling coordination degree C, T, D and grade (traditional or Wang 2021)",
                    CouplingModel});
  models.push_back({"dea", "DEA CCR/BCC efficiency, input or output, Andersen-Petersen",
                    [](const Json& input) { return DeaModel(input, CalcContext{}); }, DeaModel});
  models.push_back({"sbm", "Slacks-based measure, undesirable outputs, super-SBM (Tone)",
                    [](const Json& input) { return SbmModel(input, CalcContext{}); }, SbmModel});
  models.push_back(
      {"malmquist", "Malmquist index, efficiency and technical change", MalmquistModel});
  models.push_back(
      {"moran-i", "Global Moran's I (normality and randomization), local Moran", MoranModel});
}

}  // namespace corridor::calc
