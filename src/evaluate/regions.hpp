#pragma once
// Evaluating a set of regions on indicators grouped into subsystems: entropy weights, the
// composite index and its ranking, TOPSIS and grey relational grades on the same weights, each
// subsystem's level U, coupling coordination between the subsystems, and Moran's I of the
// composite over a contiguity graph. Used for the seven border cities (published statistics
// bundled below) and for the cooperation indicators the bureau records per year.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "evaluate/coupling.hpp"
#include "evaluate/mcdm.hpp"
#include "evaluate/spatial.hpp"

namespace corridor::evaluate {

struct Region {
  std::string name;  // English, also the key
  std::string name_zh;
  std::string province;
};

struct IndicatorDef {
  std::string key;
  std::string label;
  std::string unit;
  Direction direction = Direction::kPositive;
  std::string subsystem;
  std::string derivation;  // how it is computed from the source, when it is
};

struct RegionTable {
  std::string title;
  std::string source;
  std::vector<Region> regions;
  std::vector<IndicatorDef> indicators;
  Matrix values;                            // rows = regions, columns = indicators
  std::vector<std::string> notes;           // e.g. indicators left out for missing data
  std::vector<std::vector<int>> neighbors;  // contiguity; empty: no spatial statistics
};

struct SubsystemLevel {
  std::string name;
  std::vector<double> u;  // per region, Σ w z / Σ w over the subsystem's indicators
};

struct RegionalEvaluation {
  EntropyResult entropy;
  std::vector<int> ranking;  // by composite, 1 = best
  TopsisResult topsis;
  std::vector<double> gra;
  std::vector<SubsystemLevel> subsystems;
  std::vector<Coupling> coupling;  // Wang et al. (2021), per region; empty if < 2
  std::vector<Coupling> coupling_traditional;
  std::optional<MoranResult> moran;  // of the composite, when neighbors are given
};

Result<RegionalEvaluation> EvaluateRegions(const RegionTable& table);

// The seven cities of the Hebei-Inner Mongolia-Liaoning border region as published (see
// BorderCitiesCsv()), with the indicators derived from them.
Result<RegionTable> BorderCities(std::string_view csv);
// Contiguity among the seven border cities, by English name; empty unless every region is one
// of them.
std::vector<std::vector<int>> BorderNeighbors(const std::vector<Region>& regions);
// The bundled CSV (data/border_cities.csv in the repository, compiled in).
std::string_view BorderCitiesCsv();

// A self-contained SVG report: composite index and TOPSIS by region, subsystem levels and
// coordination degree, the weights.
std::string RenderSvg(const RegionTable& table, const RegionalEvaluation& e);
// A plain-text report for terminals.
std::string RenderText(const RegionTable& table, const RegionalEvaluation& e);

}  // namespace corridor::evaluate
