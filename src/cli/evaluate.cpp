#include "cli/evaluate.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/http.hpp"
#include "evaluate/regions.hpp"
#include "service/evaluation/evaluation.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace corridor::cli {
namespace {

int Invalid(const Error& e) {
  std::cerr << api::ProblemJson(e) << "\n";
  return 2;
}

}  // namespace

int Evaluate(const EvaluateOptions& o) {
  if (o.format != "text" && o.format != "json" && o.format != "svg") {
    return Invalid(Error::Invalid("/format", "must be text, json or svg"));
  }
  Result<evaluate::RegionTable> table = Fail(Error::Internal("no table"));
  if (!o.db.empty()) {
    if (!std::filesystem::exists(o.db)) {
      std::cerr << "corridor evaluate: no database at " << o.db << "\n";
      return 1;
    }
    if (o.year == 0) return Invalid(Error::Invalid("/year", "is required with --db"));
    auto store = store::SqliteStore::Open({.path = o.db});
    if (!store) {
      std::cerr << "corridor evaluate: " << store.error().message << "\n";
      return 1;
    }
    SystemClock clock;
    table = service::Evaluation(**store, clock).Table(o.year);
  } else if (!o.data.empty()) {
    std::ifstream in(o.data);
    if (!in) {
      std::cerr << "corridor evaluate: cannot read " << o.data << "\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    table = evaluate::BorderCities(text.str());
  } else {
    table = evaluate::BorderCities(evaluate::BorderCitiesCsv());
  }
  if (!table) return Invalid(table.error());
  auto e = evaluate::EvaluateRegions(*table);
  if (!e) return Invalid(e.error());
  std::string out;
  if (o.format == "json") {
    out = service::EvaluationJson(*table, *e).dump(2) + "\n";
  } else if (o.format == "svg") {
    out = evaluate::RenderSvg(*table, *e);
  } else {
    out = evaluate::RenderText(*table, *e);
  }
  if (o.output.empty() || o.output == "-") {
    std::cout << out;
    return std::cout ? 0 : 1;
  }
  std::ofstream f(o.output, std::ios::binary | std::ios::trunc);
  f << out;
  if (!f.flush()) {
    std::cerr << "corridor evaluate: cannot write " << o.output << "\n";
    return 1;
  }
  return 0;
}

}  // namespace corridor::cli
