#include "evaluate/spatial.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/rng.hpp"

namespace corridor::evaluate {
namespace {

Status CheckValues(const std::vector<double>& x, const SpatialWeights& w) {
  if (x.size() < 4) return Fail(Error::Invalid("/values", "needs at least four regions"));
  if (w.rows.size() != x.size()) {
    return Fail(Error::Invalid("/weights", fmt::format("needs one row per value ({})", x.size())));
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      return Fail(Error::Invalid(fmt::format("/values/{}", i), "must be a finite number"));
    }
  }
  return {};
}

std::vector<double> Deviations(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  std::vector<double> z;
  z.reserve(x.size());
  for (double v : x) z.push_back(v - mean);
  return z;
}

// Deviations from the mean with their sums of squares and fourth powers; equal values have no
// autocorrelation to measure.
struct Centered {
  std::vector<double> z;
  double sum2 = 0, sum4 = 0;
};

Result<Centered> Center(const std::vector<double>& x) {
  Centered c{Deviations(x)};
  for (double v : c.z) {
    c.sum2 += v * v;
    c.sum4 += v * v * v * v;
  }
  if (c.sum2 == 0) return Fail(Error::Invalid("/values", "must not all be equal"));
  return c;
}

double Lag(const SpatialWeights& w, const std::vector<double>& z, size_t i) {
  double s = 0;
  for (auto [j, v] : w.rows[i]) s += v * z[j];
  return s;
}

}  // namespace

double OneTailedP(double z) { return 0.5 * std::erfc(std::abs(z) / std::sqrt(2.0)); }

Result<SpatialWeights> WeightsFromNeighbors(const std::vector<std::vector<int>>& neighbors) {
  SpatialWeights w;
  const int n = static_cast<int>(neighbors.size());
  w.rows.resize(n);
  for (int i = 0; i < n; ++i) {
    for (size_t k = 0; k < neighbors[i].size(); ++k) {
      int j = neighbors[i][k];
      if (j < 0 || j >= n || j == i) {
        return Fail(Error::Invalid(fmt::format("/neighbors/{}/{}", i, k),
                                   fmt::format("must be another region's index (0 to {})", n - 1)));
      }
      w.rows[i].emplace_back(j, 1.0);
    }
  }
  return w;
}

Result<SpatialWeights> WeightsFromMatrix(const std::vector<std::vector<double>>& m) {
  SpatialWeights w;
  w.rows.resize(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i].size() != m.size()) {
      return Fail(Error::Invalid(fmt::format("/weights/{}", i),
                                 fmt::format("needs {} entries (a square matrix)", m.size())));
    }
    for (size_t j = 0; j < m.size(); ++j) {
      double v = m[i][j];
      if (!std::isfinite(v) || v < 0 || (i == j && v != 0)) {
        return Fail(Error::Invalid(
            fmt::format("/weights/{}/{}", i, j),
            i == j ? "must be 0 on the diagonal" : "must be a finite non-negative number"));
      }
      if (v != 0) w.rows[i].emplace_back(static_cast<int>(j), v);
    }
  }
  return w;
}

void RowStandardize(SpatialWeights& w) {
  for (auto& row : w.rows) {
    double s = 0;
    for (auto& [j, v] : row) s += v;
    if (s > 0) {
      for (auto& [j, v] : row) v /= s;
    }
  }
}

Result<SpatialWeights> ParseGal(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::vector<size_t> line_of;
  size_t line = 0, pos = 0;
  while (pos < text.size()) {
    char ch = text[pos];
    if (ch == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    tokens.push_back(text.substr(pos, end - pos));
    line_of.push_back(line);
    pos = end;
  }
  auto number = [](std::string_view s, long& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  // The header is the whole first line; its last field is n.
  size_t k = 0;
  while (k < tokens.size() && line_of[k] == line_of[0]) ++k;
  long n = 0;
  if (k == 0 || !number(tokens[k - 1], n) || n < 1 || n > 1'000'000) {
    return Fail(Error::Invalid("/gal", "header must end with the number of regions"));
  }
  std::unordered_map<std::string_view, int> index;
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> records;
  while (k < tokens.size()) {
    long count = 0;
    if (k + 1 >= tokens.size() || !number(tokens[k + 1], count) || count < 0) {
      return Fail(Error::Invalid("/gal", fmt::format("bad record on line {}", line_of[k] + 1)));
    }
    std::string_view id = tokens[k];
    k += 2;
    if (k + static_cast<size_t>(count) > tokens.size()) {
      return Fail(Error::Invalid("/gal", fmt::format("record {} is cut short", id)));
    }
    std::vector<std::string_view> nb(tokens.begin() + static_cast<long>(k),
                                     tokens.begin() + static_cast<long>(k + count));
    k += count;
    if (!index.emplace(id, static_cast<int>(records.size())).second) {
      return Fail(Error::Invalid("/gal", fmt::format("region {} appears twice", id)));
    }
    records.emplace_back(id, std::move(nb));
  }
  if (records.size() != static_cast<size_t>(n)) {
    return Fail(Error::Invalid(
        "/gal", fmt::format("header says {} regions, file has {}", n, records.size())));
  }
  std::vector<std::vector<int>> neighbors(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    for (auto id : records[i].second) {
      auto it = index.find(id);
      if (it == index.end()) {
        return Fail(Error::Invalid("/gal", fmt::format("unknown neighbor {}", id)));
      }
      neighbors[i].push_back(it->second);
    }
  }
  return WeightsFromNeighbors(neighbors);
}

Result<MoranResult> MoranI(const std::vector<double>& x, const SpatialWeights& w) {
  CORRIDOR_TRY_STATUS(CheckValues(x, w));
  const size_t n = x.size();
  const double dn = static_cast<double>(n);
  const auto c = CORRIDOR_TRY(Center(x));
  const auto& z = c.z;
  double m2 = c.sum2, m4 = c.sum4;
  // S₀, S₁, S₂ from the sparse rows; the transpose is gathered for wᵢⱼ + wⱼᵢ.
  std::vector<std::unordered_map<int, double>> sym(n);
  std::vector<double> row_sum(n, 0), col_sum(n, 0);
  double s0 = 0, cross = 0;
  for (size_t i = 0; i < n; ++i) {
    for (auto [j, v] : w.rows[i]) {
      s0 += v;
      row_sum[i] += v;
      col_sum[j] += v;
      cross += v * z[i] * z[j];
      const int a = std::min<int>(static_cast<int>(i), j),
                b = std::max<int>(static_cast<int>(i), j);
      sym[a][b] += v;
    }
  }
  if (s0 <= 0) return Fail(Error::Invalid("/weights", "must not be all zero"));
  double s1 = 0;
  for (const auto& row : sym) {
    for (auto [j, v] : row) s1 += v * v;  // ½ counts (i,j) and (j,i) once between them
  }
  double s2 = 0;
  for (size_t i = 0; i < n; ++i) s2 += (row_sum[i] + col_sum[i]) * (row_sum[i] + col_sum[i]);

  MoranResult r;
  r.i = dn / s0 * cross / m2;
  r.expected = -1 / (dn - 1);
  const double e2 = r.expected * r.expected;
  r.variance_normal = (dn * dn * s1 - dn * s2 + 3 * s0 * s0) / ((dn * dn - 1) * s0 * s0) - e2;
  const double b2 = dn * m4 / (m2 * m2);
  r.variance_randomization = (dn * ((dn * dn - 3 * dn + 3) * s1 - dn * s2 + 3 * s0 * s0) -
                              b2 * ((dn * dn - dn) * s1 - 2 * dn * s2 + 6 * s0 * s0)) /
                                 ((dn - 1) * (dn - 2) * (dn - 3) * s0 * s0) -
                             e2;
  r.z_normal = (r.i - r.expected) / std::sqrt(r.variance_normal);
  r.z_randomization = (r.i - r.expected) / std::sqrt(r.variance_randomization);
  r.p_normal = OneTailedP(r.z_normal);
  r.p_randomization = OneTailedP(r.z_randomization);
  return r;
}

Result<LocalMoranResult> LocalMoran(const std::vector<double>& x, const SpatialWeights& w,
                                    int permutations, uint64_t seed) {
  CORRIDOR_TRY_STATUS(CheckValues(x, w));
  if (permutations < 0 || permutations > 99'999) {
    return Fail(Error::Invalid("/permutations", "must be 0 to 99,999"));
  }
  const size_t n = x.size();
  const double dn = static_cast<double>(n);
  const auto c = CORRIDOR_TRY(Center(x));
  const auto& z = c.z;
  double m2 = c.sum2, m4 = c.sum4;
  m2 /= dn;
  m4 /= dn;
  const double b2 = m4 / (m2 * m2);
  LocalMoranResult r;
  for (size_t i = 0; i < n; ++i) {
    const double lag = Lag(w, z, i);
    double wi = 0, wi2 = 0;
    for (auto [j, v] : w.rows[i]) {
      wi += v;
      wi2 += v * v;
    }
    const double ii = z[i] / m2 * lag;
    const double e = -wi / (dn - 1);
    // Anselin (1995) eq. 13; 2·w_i(kh) = Σ_{k≠i}Σ_{h≠i,k} w_ik w_ih = wᵢ² - wᵢ₍₂₎.
    const double var = wi2 * (dn - b2) / (dn - 1) +
                       (wi * wi - wi2) * (2 * b2 - dn) / ((dn - 1) * (dn - 2)) - e * e;
    r.i.push_back(ii);
    r.expected.push_back(e);
    r.variance.push_back(var);
    const double zi = var > 0 ? (ii - e) / std::sqrt(var) : 0.0;
    r.z.push_back(zi);
    r.p.push_back(OneTailedP(zi));
    r.quadrant.push_back(z[i] >= 0 ? (lag >= 0 ? "HH" : "HL") : (lag >= 0 ? "LH" : "LL"));
  }
  if (permutations > 0) {
    // Conditional permutation: region i keeps its value, the others are shuffled onto its
    // neighbors. Draws come from the project's counter-based generator: region i is stream
    // i + 1, draw a of permutation p is index p * k + a, so every value depends on (seed, i, p,
    // a) alone.
    const CounterRng rng(seed);
    std::vector<double> others;
    for (size_t i = 0; i < n; ++i) {
      others.clear();
      for (size_t j = 0; j < n; ++j) {
        if (j != i) others.push_back(z[j]);
      }
      const size_t k = w.rows[i].size();
      int extreme = 0;
      for (int p = 0; p < permutations; ++p) {
        // A partial Fisher-Yates shuffle draws the k neighbor values.
        double lag = 0;
        for (size_t a = 0; a < k; ++a) {
          const uint64_t draw = static_cast<uint64_t>(p) * k + a;
          const size_t pick = a + rng.Below(i + 1, draw, others.size() - a);
          std::swap(others[a], others[pick]);
          lag += w.rows[i][a].second * others[a];
        }
        const double ip = z[i] / m2 * lag;
        if (r.i[i] >= 0 ? ip >= r.i[i] : ip <= r.i[i]) ++extreme;
      }
      r.p_permutation.push_back((extreme + 1.0) / (permutations + 1.0));
    }
  }
  return r;
}

}  // namespace corridor::evaluate
