#include "evaluate/regions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace corridor::evaluate {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string_view> SplitCsvLine(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (auto& cell : out) {
    while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.remove_suffix(1);
    while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
  }
  return out;
}

std::vector<int> RankDescending(const std::vector<double>& v) {
  std::vector<int> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] > v[b]; });
  std::vector<int> rank(v.size());
  for (size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(k) + 1;
  return rank;
}

std::string Xml(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string RegionLabel(const Region& r) {
  return r.name_zh.empty() ? r.name : fmt::format("{} {}", r.name_zh, r.name);
}

}  // namespace

Result<RegionalEvaluation> EvaluateRegions(const RegionTable& t) {
  const size_t n = t.regions.size(), k = t.indicators.size();
  if (n < 2) return Fail(Error::Invalid("/regions", "needs at least two regions"));
  if (k < 1) return Fail(Error::Invalid("/indicators", "needs at least one indicator"));
  if (t.values.size() != n) return Fail(Error::Invalid("/values", "needs one row per region"));
  for (size_t i = 0; i < n; ++i) {
    if (t.values[i].size() != k) {
      return Fail(Error::Invalid(fmt::format("/values/{}", i), "needs one value per indicator"));
    }
    for (size_t j = 0; j < k; ++j) {
      if (!std::isfinite(t.values[i][j])) {
        return Fail(Error::Invalid(
            fmt::format("/values/{}/{}", i, j),
            fmt::format("{} has no value for {}", t.regions[i].name, t.indicators[j].key)));
      }
    }
  }
  std::vector<Direction> dirs;
  for (const auto& ind : t.indicators) dirs.push_back(ind.direction);

  RegionalEvaluation e;
  e.entropy = CORRIDOR_TRY(EntropyWeights(t.values, dirs, Standardization::kMinMax, 0));
  e.ranking = RankDescending(e.entropy.composite);
  // If no indicator varies, every weight is 0; TOPSIS and GRA then weigh criteria equally.
  std::vector<double> w = e.entropy.weights;
  if (std::all_of(w.begin(), w.end(), [](double v) { return v == 0; })) w.assign(k, 1.0);
  e.topsis = CORRIDOR_TRY(Topsis(t.values, w, dirs, Normalization::kVector));
  e.gra = CORRIDOR_TRY(GreyRelationalGrades(t.values, w, dirs, 0.5));

  const Matrix z = MinMaxStandardize(t.values, dirs);
  std::vector<std::string> names;
  for (const auto& ind : t.indicators) {
    if (std::find(names.begin(), names.end(), ind.subsystem) == names.end()) {
      names.push_back(ind.subsystem);
    }
  }
  for (const auto& name : names) {
    SubsystemLevel level{name, std::vector<double>(n, 0.0)};
    double wsum = 0;
    size_t members = 0;
    for (size_t j = 0; j < k; ++j) {
      if (t.indicators[j].subsystem != name) continue;
      wsum += e.entropy.weights[j];
      ++members;
    }
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t j = 0; j < k; ++j) {
        if (t.indicators[j].subsystem != name) continue;
        s += wsum > 0 ? e.entropy.weights[j] * z[i][j] : z[i][j];
      }
      level.u[i] = wsum > 0 ? s / wsum : s / static_cast<double>(members);
    }
    e.subsystems.push_back(std::move(level));
  }
  if (e.subsystems.size() >= 2) {
    for (size_t i = 0; i < n; ++i) {
      std::vector<double> u;
      for (const auto& s : e.subsystems) u.push_back(std::clamp(s.u[i], 0.0, 1.0));
      e.coupling.push_back(CORRIDOR_TRY(CouplingCoordination(u, {}, CouplingVariant::kWang2021)));
      e.coupling_traditional.push_back(
          CORRIDOR_TRY(CouplingCoordination(u, {}, CouplingVariant::kTraditional)));
    }
  }
  if (!t.neighbors.empty() && n >= 4) {
    auto w8 = CORRIDOR_TRY(WeightsFromNeighbors(t.neighbors));
    RowStandardize(w8);
    auto moran = MoranI(e.entropy.composite, w8);
    if (moran) e.moran = *moran;  // all-equal composites have no autocorrelation to report
  }
  return e;
}

std::vector<std::vector<int>> BorderNeighbors(const std::vector<Region>& regions) {
  // Shared land boundaries among the seven cities (administrative maps).
  static const std::map<std::string_view, std::vector<std::string_view>> kBorders = {
      {"Chifeng", {"Tongliao", "Chengde", "Chaoyang"}},
      {"Tongliao", {"Chifeng"}},
      {"Chengde", {"Chifeng", "Qinhuangdao", "Chaoyang"}},
      {"Qinhuangdao", {"Chengde", "Huludao"}},
      {"Chaoyang", {"Chifeng", "Chengde", "Huludao", "Jinzhou"}},
      {"Huludao", {"Qinhuangdao", "Chaoyang", "Jinzhou"}},
      {"Jinzhou", {"Chaoyang", "Huludao"}}};
  std::map<std::string_view, int> index;
  for (size_t i = 0; i < regions.size(); ++i) {
    if (!kBorders.count(regions[i].name)) return {};
    index[regions[i].name] = static_cast<int>(i);
  }
  std::vector<std::vector<int>> out;
  for (const auto& r : regions) {
    std::vector<int> nb;
    for (auto other : kBorders.at(r.name)) {
      if (index.count(other)) nb.push_back(index[other]);
    }
    out.push_back(std::move(nb));
  }
  return out;
}

Result<RegionTable> BorderCities(std::string_view csv) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < csv.size()) {
    size_t nl = csv.find('\n', start);
    std::string_view line = csv.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!line.empty() && line != "\r") lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (lines.size() < 3) return Fail(Error::Invalid("/data", "needs a header and two cities"));
  const auto header = SplitCsvLine(lines[0]);
  std::map<std::string_view, size_t> col;
  for (size_t c = 0; c < header.size(); ++c) col[header[c]] = c;
  const char* const required[] = {"city_zh",
                                  "city_en",
                                  "province_en",
                                  "pop_2010_10k",
                                  "pop_2023_10k",
                                  "gdp_per_capita_2023_yuan",
                                  "urban_rural_income_ratio_2010",
                                  "urban_rural_income_ratio_2023",
                                  "urbanization_rate_2023"};
  for (const char* name : required) {
    if (!col.count(name)) {
      return Fail(Error::Invalid("/data", fmt::format("the header has no column {}", name)));
    }
  }
  RegionTable t;
  t.title = "Hebei-Inner Mongolia-Liaoning border cities, 2023";
  t.source =
      "Published statistics of the seven border cities (2025 study of the region's cooperative "
      "development); data/border_cities.csv";
  std::vector<double> urbanization;
  for (size_t l = 1; l < lines.size(); ++l) {
    const auto cells = SplitCsvLine(lines[l]);
    if (cells.size() != header.size()) {
      return Fail(
          Error::Invalid(fmt::format("/data/{}", l),
                         fmt::format("has {} cells, the header {}", cells.size(), header.size())));
    }
    auto number = [&](const char* name, bool optional) -> Result<double> {
      std::string_view cell = cells[col[name]];
      if (cell.empty() && optional) return kMissing;
      try {
        size_t used = 0;
        double v = std::stod(std::string(cell), &used);
        if (used == cell.size() && std::isfinite(v)) return v;
      } catch (const std::exception&) {
      }
      return Fail(Error::Invalid(fmt::format("/data/{}/{}", l, name), "must be a number"));
    };
    t.regions.push_back({std::string(cells[col["city_en"]]), std::string(cells[col["city_zh"]]),
                         std::string(cells[col["province_en"]])});
    const double pop10 = CORRIDOR_TRY(number("pop_2010_10k", false));
    const double pop23 = CORRIDOR_TRY(number("pop_2023_10k", false));
    const double gdp = CORRIDOR_TRY(number("gdp_per_capita_2023_yuan", false));
    const double r10 = CORRIDOR_TRY(number("urban_rural_income_ratio_2010", false));
    const double r23 = CORRIDOR_TRY(number("urban_rural_income_ratio_2023", false));
    if (pop10 <= 0) {
      return Fail(Error::Invalid(fmt::format("/data/{}/pop_2010_10k", l), "must be positive"));
    }
    t.values.push_back({gdp, pop23 / pop10 - 1, r23, r10 - r23});
    urbanization.push_back(CORRIDOR_TRY(number("urbanization_rate_2023", true)));
  }
  t.indicators = {
      {"gdp_per_capita_2023", "GDP per capita 2023", "yuan", Direction::kPositive, "economy", ""},
      {"population_change_2010_2023", "Population change 2010-2023", "fraction",
       Direction::kPositive, "economy", "pop_2023 / pop_2010 - 1"},
      {"urban_rural_income_ratio_2023", "Urban-rural income ratio 2023", "urban / rural",
       Direction::kNegative, "urban_rural", ""},
      {"income_ratio_narrowing_2010_2023", "Narrowing of the income ratio 2010-2023",
       "ratio points", Direction::kPositive, "urban_rural", "ratio_2010 - ratio_2023"}};
  const auto present = std::count_if(urbanization.begin(), urbanization.end(),
                                     [](double v) { return !std::isnan(v); });
  if (present == static_cast<long>(urbanization.size())) {
    t.indicators.push_back({"urbanization_rate_2023", "Urbanization rate 2023", "fraction",
                            Direction::kPositive, "urban_rural", ""});
    for (size_t i = 0; i < t.values.size(); ++i) t.values[i].push_back(urbanization[i]);
  } else {
    t.notes.push_back(
        fmt::format("urbanization_rate_2023 is left out: published for {} of {} cities", present,
                    urbanization.size()));
  }
  t.neighbors = BorderNeighbors(t.regions);
  return t;
}

std::string RenderSvg(const RegionTable& t, const RegionalEvaluation& e) {
  const size_t n = t.regions.size();
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return e.ranking[a] < e.ranking[b]; });
  const int width = 960, left = 230, bar = 520, row = 40;
  const int chart1_top = 110;
  const int chart2_top = chart1_top + static_cast<int>(n) * row + 70;
  const int sub_rows = static_cast<int>(e.subsystems.size()) + (e.coupling.empty() ? 0 : 1);
  const int sub_row = 12 * sub_rows + 16;
  const int table_top = chart2_top + static_cast<int>(n) * sub_row + 70;
  const int height = table_top + 40 + static_cast<int>(t.indicators.size()) * 22 + 40 +
                     static_cast<int>(t.notes.size() + (e.moran ? 1 : 0)) * 18 + 20;
  static const char* const kColors[] = {"#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c"};

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"'Noto Sans CJK SC','Microsoft YaHei',sans-serif\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
      width, height);
  s += fmt::format("<text x=\"20\" y=\"36\" font-size=\"22\" font-weight=\"bold\">{}</text>\n",
                   Xml(t.title));
  s += fmt::format("<text x=\"20\" y=\"60\" font-size=\"12\" fill=\"#4a5568\">{}</text>\n",
                   Xml(t.source));
  s += fmt::format(
      "<text x=\"20\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Composite index (entropy "
      "weights, 熵值法) and TOPSIS closeness</text>\n",
      chart1_top - 14);
  for (size_t k = 0; k < n; ++k) {
    const int i = order[k];
    const int y = chart1_top + static_cast<int>(k) * row;
    const double c = e.entropy.composite[i], tp = e.topsis.scores[i];
    s += fmt::format("<text x=\"20\" y=\"{}\" font-size=\"13\">{}. {}</text>\n", y + 16,
                     e.ranking[i], Xml(RegionLabel(t.regions[i])));
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"14\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\">{:.4f}</text>\n",
        left, y + 4, c * bar, kColors[0], left + c * bar + 6, y + 15, c);
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"8\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" fill=\"#4a5568\">TOPSIS {:.4f}</text>\n",
        left, y + 21, tp * bar, kColors[1], left + tp * bar + 6, y + 29, tp);
  }
  s += fmt::format(
      "<text x=\"20\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Subsystem levels U and "
      "coordination degree D (Wang et al. 2021)</text>\n",
      chart2_top - 14);
  for (size_t q = 0; q < e.subsystems.size(); ++q) {
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"11\">U {}</text>\n",
        620 + 110 * static_cast<int>(q), chart2_top - 24, kColors[(q + 2) % 5],
        634 + 110 * static_cast<int>(q), chart2_top - 15, Xml(e.subsystems[q].name));
  }
  for (size_t k = 0; k < n; ++k) {
    const int i = order[k];
    const int y = chart2_top + static_cast<int>(k) * sub_row;
    s += fmt::format("<text x=\"20\" y=\"{}\" font-size=\"13\">{}</text>\n", y + 14,
                     Xml(RegionLabel(t.regions[i])));
    int yy = y + 2;
    for (size_t q = 0; q < e.subsystems.size(); ++q, yy += 12) {
      const double u = e.subsystems[q].u[i];
      s += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"10\" fill=\"{}\"/>"
          "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\">{:.3f}</text>\n",
          left, yy, u * bar, kColors[(q + 2) % 5], left + u * bar + 6, yy + 9, u);
    }
    if (!e.coupling.empty()) {
      const auto& c = e.coupling[i];
      s += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"10\" fill=\"#1a202c\"/>"
          "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\">D {:.3f} {} ({})</text>\n",
          left, yy, c.d * bar, left + c.d * bar + 6, yy + 9, c.d, c.grade.zh, c.grade.en);
    }
  }
  s += fmt::format(
      "<text x=\"20\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Indicators and entropy "
      "weights</text>\n",
      table_top - 14);
  for (size_t j = 0; j < t.indicators.size(); ++j) {
    const auto& ind = t.indicators[j];
    const int y = table_top + 10 + static_cast<int>(j) * 22;
    s += fmt::format(
        "<text x=\"20\" y=\"{}\" font-size=\"12\">{} ({}, {}; {})</text>"
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{:.2f}%</text>\n",
        y, Xml(ind.label), Xml(ind.unit),
        ind.direction == Direction::kPositive ? "positive" : "negative", Xml(ind.subsystem),
        width - 40, y, 100 * e.entropy.weights[j]);
  }
  int y = table_top + 10 + static_cast<int>(t.indicators.size()) * 22 + 20;
  if (e.moran) {
    s += fmt::format(
        "<text x=\"20\" y=\"{}\" font-size=\"12\" fill=\"#4a5568\">Moran's I of the composite "
        "over shared borders: {:.4f} (E = {:.4f}, z = {:.3f}, one-tailed p = {:.4f}, n = {})"
        "</text>\n",
        y, e.moran->i, e.moran->expected, e.moran->z_randomization, e.moran->p_randomization, n);
    y += 18;
  }
  for (const auto& note : t.notes) {
    s += fmt::format("<text x=\"20\" y=\"{}\" font-size=\"12\" fill=\"#4a5568\">Note: {}</text>\n",
                     y, Xml(note));
    y += 18;
  }
  s += "</svg>\n";
  return s;
}

std::string RenderText(const RegionTable& t, const RegionalEvaluation& e) {
  std::string s = t.title + "\n" + t.source + "\n\n";
  s += "Indicators (entropy weights, min-max standardized):\n";
  for (size_t j = 0; j < t.indicators.size(); ++j) {
    const auto& ind = t.indicators[j];
    s += fmt::format("  {:<40} {:<9} {:<12} {:6.2f}%\n", ind.key,
                     ind.direction == Direction::kPositive ? "positive" : "negative", ind.subsystem,
                     100 * e.entropy.weights[j]);
  }
  s += "\nRank  Region                     Composite  TOPSIS   GRA";
  for (const auto& sub : e.subsystems) s += fmt::format("  U_{:<12}", sub.name.substr(0, 12));
  if (!e.coupling.empty()) s += "  D      Grade";
  s += "\n";
  std::vector<int> order(t.regions.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return e.ranking[a] < e.ranking[b]; });
  for (int i : order) {
    s += fmt::format("{:>4}  {:<26} {:9.4f}  {:6.4f}  {:6.4f}", e.ranking[i], t.regions[i].name,
                     e.entropy.composite[i], e.topsis.scores[i], e.gra[i]);
    for (const auto& sub : e.subsystems) s += fmt::format("  {:<14.4f}", sub.u[i]);
    if (!e.coupling.empty()) {
      s += fmt::format("  {:.4f} {} ({})", e.coupling[i].d, e.coupling[i].grade.zh,
                       e.coupling[i].grade.en);
    }
    s += "\n";
  }
  if (e.moran) {
    s += fmt::format(
        "\nMoran's I of the composite over shared borders: {:.4f} (E[I] = {:.4f}, z = {:.3f} "
        "under randomization, one-tailed p = {:.4f})\n",
        e.moran->i, e.moran->expected, e.moran->z_randomization, e.moran->p_randomization);
  }
  for (const auto& note : t.notes) s += "Note: " + note + "\n";
  return s;
}

}  // namespace corridor::evaluate
