#include "risk/scoring/scorecard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/int128.hpp"

namespace corridor::risk::scoring {

Result<ScoreScale> ScaleScore(double pd, double points0, double odds0, double pdo) {
  std::vector<FieldError> problems;
  if (!(pd > 0 && pd < 1)) problems.push_back({"/pd", "must be between 0 and 1 (exclusive)"});
  if (!std::isfinite(points0)) problems.push_back({"/points0", "must be a finite number"});
  if (!(odds0 > 0) || !std::isfinite(odds0)) problems.push_back({"/odds0", "must be above 0"});
  if (!(pdo > 0) || !std::isfinite(pdo)) problems.push_back({"/pdo", "must be above 0"});
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  ScoreScale s;
  s.factor = pdo / std::numbers::ln2;
  s.offset = points0 + s.factor * std::log(odds0);
  s.score = s.offset - s.factor * std::log(pd / (1 - pd));
  return s;
}

namespace {

constexpr size_t kMaxFineClasses = 50;

struct Class {
  double lo = 0, hi = 0;  // the smallest and largest value in it
  int64_t count = 0, bad = 0;
};

// a's bad rate against b's, exactly: −1, 0, 1.
int CompareRates(const Class& a, const Class& b) {
  const Int128 l = static_cast<Int128>(a.bad) * b.count;
  const Int128 r = static_cast<Int128>(b.bad) * a.count;
  return l < r ? -1 : l > r ? 1 : 0;
}

double Rate(const Class& c) { return static_cast<double>(c.bad) / static_cast<double>(c.count); }

void Merge(std::vector<Class>& classes, size_t i) {  // i with i + 1
  classes[i].hi = classes[i + 1].hi;
  classes[i].count += classes[i + 1].count;
  classes[i].bad += classes[i + 1].bad;
  classes.erase(classes.begin() + static_cast<std::ptrdiff_t>(i) + 1);
}

}  // namespace

Result<WoeBinning> BinWoe(std::span<const std::optional<double>> values,
                          std::span<const int> labels, const WoeOptions& options) {
  std::vector<FieldError> problems;
  if (values.size() != labels.size()) problems.push_back({"/labels", "must have one per value"});
  if (options.max_bins < 1 || options.max_bins > static_cast<int>(kMaxFineClasses)) {
    problems.push_back({"/max_bins", "must be 1 to 50"});
  }
  int64_t goods = 0, bads = 0;
  for (size_t i = 0; i < labels.size() && problems.size() < 20; ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      problems.push_back({fmt::format("/labels/{}", i), "must be 0 (good) or 1 (bad)"});
    }
    (labels[i] == 1 ? bads : goods) += 1;
    if (i < values.size() && values[i] && !std::isfinite(*values[i])) {
      problems.push_back({fmt::format("/values/{}", i), "must be a finite number or null"});
    }
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  if (goods == 0 || bads == 0) {
    return Fail(Error::Invalid("/labels", "must hold both goods (0) and bads (1)"));
  }

  // The fine classes: distinct values, or 50 groups of about equal counts.
  std::vector<std::pair<double, int>> seen;
  Class missing;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]) {
      seen.emplace_back(*values[i], labels[i]);
    } else {
      ++missing.count;
      missing.bad += labels[i];
    }
  }
  std::sort(seen.begin(), seen.end());
  // One pass counts the distinct values; a second makes the classes, a distinct value each or,
  // beyond 50, runs of them of about equal counts (a run starts a new class when the count before
  // it crosses the next fiftieth), never materializing one class per value.
  size_t distinct = 0;
  for (size_t i = 0; i < seen.size(); ++i) distinct += i == 0 || seen[i].first != seen[i - 1].first;
  const bool grouped = distinct > kMaxFineClasses;
  std::vector<Class> classes;
  classes.reserve(std::min(distinct, kMaxFineClasses));
  size_t group = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    const bool run_start = i == 0 || seen[i].first != seen[i - 1].first;
    bool fresh = classes.empty();
    if (run_start && !fresh) {
      if (grouped) {
        const size_t g = i * kMaxFineClasses / seen.size();
        fresh = g > group;
        if (fresh) group = g;
      } else {
        fresh = true;
      }
    }
    if (fresh) classes.push_back(Class{.lo = seen[i].first, .hi = seen[i].first});
    Class& c = classes.back();
    c.hi = seen[i].first;
    ++c.count;
    c.bad += seen[i].second;
  }

  WoeBinning out;
  // The trend: the sign of the covariance of value and label.
  double mean_v = 0, mean_y = 0;
  for (const auto& [v, y] : seen) {
    mean_v += v;
    mean_y += y;
  }
  if (!seen.empty()) {
    mean_v /= static_cast<double>(seen.size());
    mean_y /= static_cast<double>(seen.size());
  }
  double cov = 0;
  for (const auto& [v, y] : seen) cov += (v - mean_v) * (y - mean_y);
  out.increasing = cov >= 0;
  if (options.monotonic) {
    for (size_t i = 0; i + 1 < classes.size();) {
      const int order = CompareRates(classes[i], classes[i + 1]);
      if ((out.increasing && order > 0) || (!out.increasing && order < 0)) {
        Merge(classes, i);
        if (i > 0) --i;
      } else {
        ++i;
      }
    }
  }
  while (classes.size() > static_cast<size_t>(options.max_bins)) {
    size_t best = 0;
    double gap = INFINITY;
    for (size_t i = 0; i + 1 < classes.size(); ++i) {
      const double d = std::abs(Rate(classes[i]) - Rate(classes[i + 1]));
      if (d < gap) {
        gap = d;
        best = i;
      }
    }
    Merge(classes, best);
  }

  const auto add = [&](const Class& c, WoeBin bin) {
    const int64_t good = c.count - c.bad;
    double g = static_cast<double>(good), b = static_cast<double>(c.bad);
    if (good == 0 || c.bad == 0) {
      g += 0.5;
      b += 0.5;
      bin.adjusted = true;
    }
    const double gs = g / static_cast<double>(goods), bs = b / static_cast<double>(bads);
    bin.count = c.count;
    bin.bad = c.bad;
    bin.woe = std::log(gs / bs);
    out.iv += (gs - bs) * bin.woe;
    out.bins.push_back(bin);
  };
  for (size_t k = 0; k < classes.size(); ++k) {
    WoeBin bin;
    if (k > 0) bin.lower = classes[k - 1].hi;
    if (k + 1 < classes.size()) bin.upper = classes[k].hi;
    add(classes[k], bin);
  }
  if (missing.count > 0) {
    WoeBin bin;
    bin.missing = true;
    add(missing, bin);
  }
  return out;
}

}  // namespace corridor::risk::scoring
