#include "service/evaluation/evaluation.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <map>

#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "store/db.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;

namespace {

Json Grade(const evaluate::Coupling& c) {
  return Json{{"c", c.c},
              {"t", c.t},
              {"d", c.d},
              {"grade", std::string(c.grade.zh)},
              {"grade_en", std::string(c.grade.en)}};
}

}  // namespace

Json EvaluationJson(const evaluate::RegionTable& t, const evaluate::RegionalEvaluation& e) {
  Json indicators = Json::array();
  for (size_t j = 0; j < t.indicators.size(); ++j) {
    const auto& ind = t.indicators[j];
    Json row{
        {"key", ind.key},
        {"label", ind.label},
        {"unit", ind.unit},
        {"direction", ind.direction == evaluate::Direction::kPositive ? "positive" : "negative"},
        {"subsystem", ind.subsystem},
        {"weight", e.entropy.weights[j]},
        {"entropy", e.entropy.entropy[j]}};
    if (!ind.derivation.empty()) row["derivation"] = ind.derivation;
    indicators.push_back(std::move(row));
  }
  Json regions = Json::array();
  for (size_t i = 0; i < t.regions.size(); ++i) {
    Json values = Json::object();
    for (size_t j = 0; j < t.indicators.size(); ++j) values[t.indicators[j].key] = t.values[i][j];
    Json subsystems = Json::object();
    for (const auto& s : e.subsystems) subsystems[s.name] = s.u[i];
    Json row{{"region", t.regions[i].name},
             {"values", std::move(values)},
             {"composite", e.entropy.composite[i]},
             {"rank", e.ranking[i]},
             {"topsis", e.topsis.scores[i]},
             {"topsis_rank", e.topsis.ranking[i]},
             {"gra", e.gra[i]},
             {"subsystems", std::move(subsystems)}};
    if (!t.regions[i].name_zh.empty()) row["region_zh"] = t.regions[i].name_zh;
    if (!t.regions[i].province.empty()) row["province"] = t.regions[i].province;
    if (!e.coupling.empty()) {
      row["coupling"] = Grade(e.coupling[i]);
      row["coupling_traditional"] = Grade(e.coupling_traditional[i]);
    }
    regions.push_back(std::move(row));
  }
  Json out{
      {"title", t.title},
      {"source", t.source},
      {"method",
       {{"weights", "entropy, min-max standardization"},
        {"topsis", "vector normalization, entropy weights"},
        {"gra", "Deng, rho 0.5, entropy weights"},
        {"coupling", "wang2021 (coupling_traditional: traditional), equal subsystem weights"}}},
      {"indicators", std::move(indicators)},
      {"regions", std::move(regions)},
      {"notes", t.notes}};
  if (e.moran) {
    out["moran"] = {{"of", "composite"},
                    {"weights", "shared borders, row-standardized"},
                    {"i", e.moran->i},
                    {"expected", e.moran->expected},
                    {"z_randomization", e.moran->z_randomization},
                    {"p_randomization", e.moran->p_randomization},
                    {"z_normal", e.moran->z_normal},
                    {"p_normal", e.moran->p_normal}};
  }
  return out;
}

Result<std::pair<evaluate::RegionTable, evaluate::RegionalEvaluation>> BorderCityEvaluation() {
  auto table = CORRIDOR_TRY(evaluate::BorderCities(evaluate::BorderCitiesCsv()));
  auto e = CORRIDOR_TRY(evaluate::EvaluateRegions(table));
  return std::make_pair(std::move(table), std::move(e));
}

Result<Response> Evaluation::RecordIndicator(Connection& c, const Caller& caller,
                                             const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string region = in.Str("region", 100);
  const int64_t year = in.Int("year", 1949, 2200);
  const std::string indicator = in.Str("indicator", 100);
  const std::string unit = in.OptStr("unit", 40).value_or("");
  const std::string direction = in.OptStr("direction", 10).value_or("positive");
  const std::string subsystem = in.OptStr("subsystem", 60).value_or("cooperation");
  if (direction != "positive" && direction != "negative") {
    in.Problem("direction", "must be positive or negative");
  }
  double value = 0;
  if (!in.Has("value")) {
    in.Problem("value", "is required");
  } else if (!body.at("value").is_number() || !std::isfinite(body.at("value").get<double>())) {
    in.Problem("value", "must be a finite number");
  } else {
    value = body.at("value").get<double>();
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  // One meaning per indicator and year: its direction and subsystem are those first recorded.
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT direction, subsystem, unit FROM evaluation_indicators "
                                    "WHERE year = ? AND indicator = ? AND region <> ? LIMIT 1",
                                    year, indicator, region));
  if (CORRIDOR_TRY(q.Next())) {
    if (q.Text(0) != direction) {
      return Fail(Error::Invalid(
          "/direction", fmt::format("{} is recorded as {} for {}", indicator, q.Text(0), year)));
    }
    if (q.Text(1) != subsystem) {
      return Fail(Error::Invalid(
          "/subsystem", fmt::format("{} belongs to {} in {}", indicator, q.Text(1), year)));
    }
    if (q.Text(2) != unit) {
      return Fail(
          Error::Invalid("/unit", fmt::format("{} is recorded in {} for {}", indicator,
                                              q.Text(2).empty() ? "no unit" : q.Text(2), year)));
    }
  }
  const std::string text = fmt::format("{}", value);
  const auto now = clock_.NowMicros();
  const auto entry = CORRIDOR_TRY(AppendLogEntry(c, "evaluation.indicator_recorded", &caller,
                                                 Json{{"region", region},
                                                      {"year", year},
                                                      {"indicator", indicator},
                                                      {"value", value},
                                                      {"unit", unit},
                                                      {"direction", direction},
                                                      {"subsystem", subsystem}},
                                                 {}, now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO evaluation_indicators (region, year, indicator, value, unit, "
                       "direction, subsystem, recorded_by, recorded_at, entry_index) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (year, indicator, region) DO UPDATE SET value = "
                       "excluded.value, unit = excluded.unit, direction = excluded.direction, "
                       "subsystem = excluded.subsystem, recorded_by = excluded.recorded_by, "
                       "recorded_at = excluded.recorded_at, entry_index = excluded.entry_index",
                       region, year, indicator, text, unit, direction, subsystem, caller.user_id,
                       now, entry.index));
  return Response{Json{{"region", region},
                       {"year", year},
                       {"indicator", indicator},
                       {"value", value},
                       {"unit", unit},
                       {"direction", direction},
                       {"subsystem", subsystem},
                       {"log_index", entry.index}}};
}

Result<Json> Evaluation::ListIndicators(const Caller&, int year, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT id, region, indicator, value, unit, direction, "
                                      "subsystem, entry_index FROM evaluation_indicators "
                                      "WHERE year = ? AND id > ? ORDER BY id LIMIT ?",
                                      year, page.after_id.value_or(0), page.limit));
    Json out = CORRIDOR_TRY(internal::CollectPage(q, page, [year](const Query& row) {
      return Json{{"region", row.Text(1)},    {"year", year},
                  {"indicator", row.Text(2)}, {"value", std::stod(row.Text(3))},
                  {"unit", row.Text(4)},      {"direction", row.Text(5)},
                  {"subsystem", row.Text(6)}, {"log_index", row.Int(7)}};
    }));
    out["year"] = year;
    return out;
  });
}

Result<evaluate::RegionTable> Evaluation::Table(int year) {
  return store_.Read([&](Connection& c) -> Result<evaluate::RegionTable> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT region, indicator, value, unit, direction, "
                                      "subsystem FROM evaluation_indicators WHERE year = ? "
                                      "ORDER BY region, indicator",
                                      year));
    evaluate::RegionTable t;
    t.title = fmt::format("Regional cooperation indicators, {}", year);
    t.source =
        "Indicators recorded by the finance bureau (policy ledger kind "
        "evaluation.indicator_recorded)";
    std::map<std::string, size_t> region_index, indicator_index;
    std::vector<std::tuple<size_t, size_t, double>> cells;
    while (CORRIDOR_TRY(q.Next())) {
      const std::string region = q.Text(0), indicator = q.Text(1);
      if (!region_index.count(region)) {
        region_index[region] = t.regions.size();
        t.regions.push_back({region, "", ""});
      }
      if (!indicator_index.count(indicator)) {
        indicator_index[indicator] = t.indicators.size();
        t.indicators.push_back({indicator, indicator, q.Text(3),
                                q.Text(4) == "negative" ? evaluate::Direction::kNegative
                                                        : evaluate::Direction::kPositive,
                                q.Text(5), ""});
      }
      cells.emplace_back(region_index[region], indicator_index[indicator], std::stod(q.Text(2)));
    }
    if (t.regions.empty()) return Fail(Error::NotFound(fmt::format("indicators for {}", year)));
    t.values.assign(t.regions.size(), std::vector<double>(t.indicators.size(), std::nan("")));
    for (auto [i, j, v] : cells) t.values[i][j] = v;
    // An indicator some region lacks is left out, and the note says which regions lack it.
    std::vector<size_t> keep;
    for (size_t j = 0; j < t.indicators.size(); ++j) {
      std::vector<std::string> lacking;
      for (size_t i = 0; i < t.regions.size(); ++i) {
        if (std::isnan(t.values[i][j])) lacking.push_back(t.regions[i].name);
      }
      if (lacking.empty()) {
        keep.push_back(j);
      } else {
        t.notes.push_back(fmt::format("{} is left out: not recorded for {}", t.indicators[j].key,
                                      fmt::join(lacking, ", ")));
      }
    }
    if (keep.empty()) {
      return Fail(Error::Invalid(
          "/year", fmt::format("no indicator is recorded for every region in {}", year)));
    }
    std::vector<evaluate::IndicatorDef> indicators;
    indicators.reserve(keep.size());
    for (size_t j : keep) indicators.push_back(t.indicators[j]);
    for (auto& row : t.values) {
      std::vector<double> kept;
      kept.reserve(keep.size());
      for (size_t j : keep) kept.push_back(row[j]);
      row = std::move(kept);
    }
    t.indicators = std::move(indicators);
    t.neighbors = evaluate::BorderNeighbors(t.regions);
    return t;
  });
}

}  // namespace corridor::service
