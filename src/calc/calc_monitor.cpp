// The early-warning calc models: cusum, ewma, arl and health-alerts. Charts, limits and the exact
// 15% rule: risk/monitor/detectors.hpp, arl.hpp, health.hpp; docs/early-warning.md.
#include <fmt/format.h>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "risk/monitor/arl.hpp"
#include "risk/monitor/detectors.hpp"
#include "risk/monitor/health.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;
namespace monitor = risk::monitor;

constexpr size_t kMaxSeries = 10'000'000;

Json IndexOrNull(const std::optional<size_t>& index) {
  return index ? Json(*index) : Json(nullptr);
}

Json SideOrNull(monitor::SignalSide side) {
  return side == monitor::SignalSide::kNone ? Json(nullptr) : Json(monitor::SideName(side));
}

Result<Json> CusumModel(const Json& body) {
  Input in(body);
  const auto values = NumberArray(in, body, "values", true, kMaxSeries);
  monitor::CusumParams p;
  p.target = NumberField(in, body, "target", std::nullopt);
  p.sigma = NumberField(in, body, "sigma", std::nullopt);
  p.k = NumberField(in, body, "k", 0.5);
  p.h = NumberField(in, body, "h", 5.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto chart = CORRIDOR_TRY(monitor::RunCusum(values, p));
  return Json{{"c_plus", chart.c_plus},
              {"c_minus", chart.c_minus},
              {"first_signal_index", IndexOrNull(chart.first_signal_index)},
              {"side", SideOrNull(chart.side)},
              {"decision_interval", p.h * p.sigma},
              {"reference_value", p.k * p.sigma}};
}

Result<Json> EwmaModel(const Json& body) {
  Input in(body);
  const auto values = NumberArray(in, body, "values", true, kMaxSeries);
  monitor::EwmaParams p;
  p.target = NumberField(in, body, "target", std::nullopt);
  p.sigma = NumberField(in, body, "sigma", std::nullopt);
  p.lambda = NumberField(in, body, "lambda", std::nullopt);
  p.l = NumberField(in, body, "l", std::nullopt);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto chart = CORRIDOR_TRY(monitor::RunEwma(values, p));
  return Json{{"z", chart.z},
              {"ucl", chart.ucl},
              {"lcl", chart.lcl},
              {"first_signal_index", IndexOrNull(chart.first_signal_index)},
              {"side", SideOrNull(chart.side)}};
}

Result<Json> ArlModel(const Json& body) {
  Input in(body);
  const std::string chart = in.Str("chart", 10);
  const double shift = NumberField(in, body, "shift", 0.0);
  const bool two_sided = in.Bool("two_sided", true);
  const auto states = in.OptInt("states", 0, 2'000).value_or(0);
  if (!chart.empty() && chart != "cusum" && chart != "ewma") {
    in.Problem("chart", "must be cusum or ewma");
  }
  if (chart == "ewma") {
    const double lambda = NumberField(in, body, "lambda", std::nullopt);
    const double l = NumberField(in, body, "l", std::nullopt);
    CORRIDOR_TRY_STATUS(in.Finish());
    const double arl = CORRIDOR_TRY(monitor::EwmaArl({.lambda = lambda,
                                                      .l = l,
                                                      .shift = shift,
                                                      .two_sided = two_sided,
                                                      .states = static_cast<int>(states)}));
    return Json{{"arl", arl},
                {"chart", chart},
                {"limits", "asymptotic"},
                {"method", "Brook-Evans Markov chain, Richardson-extrapolated"}};
  }
  const double k = NumberField(in, body, "k", 0.5);
  const double h = NumberField(in, body, "h", 5.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const double arl = CORRIDOR_TRY(monitor::CusumArl({.k = k,
                                                     .h = h,
                                                     .shift = shift,
                                                     .two_sided = two_sided,
                                                     .states = static_cast<int>(states)}));
  return Json{{"arl", arl},
              {"chart", chart},
              {"method", "Brook-Evans Markov chain, Richardson-extrapolated"}};
}

// A decimal given as a JSON number (its shortest decimal: what was typed) or as a string.
std::optional<monitor::Decimal> DecimalField(Input& in, const Json& v, const std::string& name) {
  if (v.is_number()) return monitor::DecimalOfDouble(v.get<double>());
  if (v.is_string()) {
    auto parsed = monitor::ParseDecimal(v.get<std::string>(), name);
    if (parsed) return *parsed;
    in.Problem(name, parsed.error().fields.at(0).message);
    return std::nullopt;
  }
  in.Problem(name, "must be a number or a decimal string");
  return std::nullopt;
}

Result<Json> HealthAlertsModel(const Json& body) {
  Input in(body);
  std::vector<std::optional<monitor::Decimal>> index;
  if (!in.Has("index") || !body.at("index").is_array() || body.at("index").size() > kMaxSeries) {
    in.Problem("index", "must be an array of weekly values (numbers, decimal strings or null)");
  } else {
    const Json& weeks = body.at("index");
    index.reserve(weeks.size());
    for (size_t t = 0; t < weeks.size(); ++t) {
      if (weeks[t].is_null()) {
        index.emplace_back();
        continue;
      }
      index.push_back(DecimalField(in, weeks[t], fmt::format("index/{}", t)));
    }
  }
  monitor::HealthRule rule;
  if (in.Has("drop_pct")) {
    if (auto d = DecimalField(in, body.at("drop_pct"), "drop_pct")) rule.drop_pct = *d;
  }
  rule.consecutive = static_cast<int>(in.OptInt("consecutive", 1, 52).value_or(2));
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto weeks = CORRIDOR_TRY(monitor::HealthAlertWeeks(index, rule));
  return Json{{"alerts", weeks},
              {"drop_pct", rule.drop_pct.ToString()},
              {"consecutive", rule.consecutive},
              {"missing_weeks", "break the run"}};
}

}  // namespace

void AddMonitorModels(std::vector<CalcModel>& models) {
  models.push_back(
      {"cusum", "Tabular CUSUM (Page; Montgomery §9.1): C+, C-, the first signal", CusumModel});
  models.push_back(
      {"ewma", "EWMA chart with exact time-varying limits (Montgomery §9.2)", EwmaModel});
  models.push_back(
      {"arl", "Average run length of a CUSUM or EWMA chart (Brook-Evans Markov chain)", ArlModel});
  models.push_back({"health-alerts",
                    "Weeks at which a health index has fallen at least drop_pct% in each of "
                    "`consecutive` weeks (exact decimals)",
                    HealthAlertsModel});
}

}  // namespace corridor::calc
