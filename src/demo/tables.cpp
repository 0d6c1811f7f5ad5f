#include "demo/tables.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace corridor::service::demo_stages {
namespace {

// The rows of a tab-separated table after its header, each with exactly `columns` fields.
Result<std::vector<std::vector<std::string>>> Rows(std::string_view file, size_t columns) {
  std::string_view text = DemoTableText(file);
  std::vector<std::vector<std::string>> rows;
  size_t line = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view row = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (++line == 1 || row.empty()) continue;  // the header
    std::vector<std::string> fields;
    size_t at = 0;
    while (true) {
      const size_t tab = row.find('\t', at);
      fields.emplace_back(row.substr(at, tab == std::string_view::npos ? row.npos : tab - at));
      if (tab == std::string_view::npos) break;
      at = tab + 1;
    }
    if (fields.size() != columns) {
      return Fail(Error::Internal(fmt::format("data/demo/{} line {}: {} fields, {} expected", file,
                                              line, fields.size(), columns)));
    }
    rows.push_back(std::move(fields));
  }
  if (rows.empty()) return Fail(Error::Internal(fmt::format("data/demo/{} is empty", file)));
  return rows;
}

template <typename Int>
Result<Int> Number(std::string_view file, const std::string& text) {
  Int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return Fail(Error::Internal(fmt::format("data/demo/{}: '{}' is not a number", file, text)));
  }
  return v;
}

Result<std::vector<Weighted>> WeightedTable(std::string_view file) {
  std::vector<Weighted> out;
  for (auto& r : CORRIDOR_TRY(Rows(file, 3))) {
    out.push_back({std::move(r[0]), std::move(r[1]), CORRIDOR_TRY(Number<int>(file, r[2]))});
  }
  return out;
}

Result<std::vector<std::string>> Names(std::string_view file) {
  std::vector<std::string> out;
  for (auto& r : CORRIDOR_TRY(Rows(file, 1))) out.push_back(std::move(r[0]));
  return out;
}

}  // namespace

Result<DemoTables> LoadDemoTables() {
  DemoTables t;
  t.regions = CORRIDOR_TRY(WeightedTable("divisions.tsv"));
  t.industries = CORRIDOR_TRY(WeightedTable("industries.tsv"));
  t.banks = CORRIDOR_TRY(Names("banks.tsv"));
  t.guarantors = CORRIDOR_TRY(Names("guarantee_agencies.tsv"));
  t.name_words = CORRIDOR_TRY(Names("name_words.tsv"));
  for (auto& r : CORRIDOR_TRY(Rows("lpr.tsv", 3))) {
    t.lpr.push_back({std::move(r[0]), CORRIDOR_TRY(domain::ParseLprTenor(r[1])),
                     CORRIDOR_TRY(Number<int64_t>("lpr.tsv", r[2]))});
  }
  for (auto& r : CORRIDOR_TRY(Rows("products.tsv", 10))) {
    const char* f = "products.tsv";
    nlohmann::json industries = nlohmann::json::array();
    for (size_t at = 0; !r[5].empty() && at <= r[5].size();) {
      const size_t semi = std::min(r[5].find(';', at), r[5].size());
      industries.push_back(r[5].substr(at, semi - at));
      at = semi + 1;
    }
    t.products.push_back({.name = std::move(r[0]),
                          .min_yuan = CORRIDOR_TRY(Number<int64_t>(f, r[1])),
                          .max_yuan = CORRIDOR_TRY(Number<int64_t>(f, r[2])),
                          .min_term = CORRIDOR_TRY(Number<int32_t>(f, r[3])),
                          .max_term = CORRIDOR_TRY(Number<int32_t>(f, r[4])),
                          .industries = industries.dump(),
                          .collateral_free = r[6] == "1",
                          .green_only = r[7] == "1",
                          .rate_bps = CORRIDOR_TRY(Number<int64_t>(f, r[8])),
                          .green_discount_bps = CORRIDOR_TRY(Number<int64_t>(f, r[9]))});
  }
  return t;
}

}  // namespace corridor::service::demo_stages
