// The credit-scoring calc models: logistic-regression, score-scale and woe-binning
// (risk/scoring/logistic.hpp, scorecard.hpp; docs/credit-scoring.md).
#include <fmt/format.h>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "risk/scoring/logistic.hpp"
#include "risk/scoring/scorecard.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;
namespace scoring = risk::scoring;

constexpr size_t kMaxCases = 1'000'000;
constexpr size_t kMaxFeatures = 500;

Result<Json> LogisticModel(const Json& body) {
  Input in(body);
  const auto rows = NumberMatrix(in, body, "features", true, kMaxCases, kMaxFeatures);
  const auto labels = BinaryLabels(in, body, kMaxCases);
  const double l2 = NumberField(in, body, "l2", 0.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto fit = CORRIDOR_TRY(scoring::FitLogistic(rows, labels, {.l2 = l2}));
  std::vector<double> scores;
  scores.reserve(rows.size());
  for (const auto& row : rows) scores.push_back(scoring::Predict(fit, row));
  const double auc = CORRIDOR_TRY(scoring::Auc(scores, labels));
  return Json{{"intercept", fit.intercept},
              {"coefficients", fit.coefficients},
              {"log_likelihood", fit.log_likelihood},
              {"auc", auc},
              {"iterations", fit.iterations},
              {"method", "Newton-Raphson (IRLS) to convergence, step halving"}};
}

Result<Json> ScoreScaleModel(const Json& body) {
  Input in(body);
  const double pd = NumberField(in, body, "pd", std::nullopt);
  const double points0 = NumberField(in, body, "points0", 600.0);
  const double odds0 = NumberField(in, body, "odds0", 1.0 / 19);
  const double pdo = NumberField(in, body, "pdo", 50.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto s = CORRIDOR_TRY(scoring::ScaleScore(pd, points0, odds0, pdo));
  return Json{{"score", s.score},
              {"factor", s.factor},
              {"offset", s.offset},
              {"odds", pd / (1 - pd)},
              {"convention", "score = offset - factor * ln(bad:good odds); factor = pdo / ln 2"}};
}

Json OptNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(); }

Result<Json> WoeModel(const Json& body) {
  Input in(body);
  std::vector<std::optional<double>> values;
  if (!in.Has("values") || !body.at("values").is_array() || body.at("values").size() > kMaxCases) {
    in.Problem("values", "must be an array of numbers or null (missing)");
  } else {
    const Json& a = body.at("values");
    values.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_null()) {
        values.emplace_back();
      } else if (a[i].is_number()) {
        values.emplace_back(a[i].get<double>());
      } else {
        in.Problem(fmt::format("values/{}", i), "must be a number or null");
        values.emplace_back();
      }
    }
  }
  const auto labels = BinaryLabels(in, body, kMaxCases);
  const auto max_bins = in.OptInt("max_bins", 1, 50).value_or(5);
  const bool monotonic = in.Bool("monotonic", true);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto b = CORRIDOR_TRY(scoring::BinWoe(
      values, labels, {.max_bins = static_cast<int>(max_bins), .monotonic = monotonic}));
  Json bins = Json::array();
  for (const auto& bin : b.bins) {
    bins.push_back({{"lower", OptNumber(bin.lower)},
                    {"upper", OptNumber(bin.upper)},
                    {"count", bin.count},
                    {"bad", bin.bad},
                    {"woe", bin.woe},
                    {"missing", bin.missing},
                    {"adjusted", bin.adjusted}});
  }
  return Json{
      {"bins", std::move(bins)},
      {"iv", b.iv},
      {"bad_rate_trend", monotonic ? Json(b.increasing ? "increasing" : "decreasing") : Json()},
      {"intervals", "(lower, upper]; null: unbounded"},
      {"woe", "ln(good share / bad share); 0.5 added to both counts of a bin with none"}};
}

}  // namespace

void AddScoringModels(std::vector<CalcModel>& models) {
  models.push_back({"logistic-regression",
                    "Logistic regression fitted exactly (Newton-Raphson / IRLS), optional L2; "
                    "a singular design names its columns",
                    LogisticModel});
  models.push_back({"score-scale",
                    "Scorecard points of a PD: points0 at bad:good odds odds0, pdo points to "
                    "double the odds",
                    ScoreScaleModel});
  models.push_back({"woe-binning",
                    "Weight-of-evidence binning (monotone bad rate optional) and information value",
                    WoeModel});
}

}  // namespace corridor::calc
