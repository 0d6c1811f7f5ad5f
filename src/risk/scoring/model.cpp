#include "risk/scoring/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <thread>

#include "core/int128.hpp"
#include "risk/scoring/logistic.hpp"

namespace corridor::risk::scoring {
namespace {

// The bin a value falls in: its interval's, or for a missing value the missing bin; none for a
// missing value when training saw none.
std::optional<size_t> BinOf(const ScorecardFeature& f, const std::optional<double>& value) {
  std::optional<size_t> found;
  for (size_t b = 0; b < f.bins.size(); ++b) {
    if (f.bins[b].bin.missing != !value) continue;
    found = b;
    if (!value || !f.bins[b].bin.upper || *value <= *f.bins[b].bin.upper) break;
  }
  return found;
}

// The points of a value: its bin's; for a missing value that training never saw, the points of
// no evidence either way (a WoE of 0: the training population's odds), so that a firm with no
// record is neither rewarded nor punished for it.
double PointsOf(const Scorecard& card, const ScorecardFeature& f,
                const std::optional<double>& value) {
  if (const auto b = BinOf(f, value)) return f.bins[*b].points;
  return (card.offset - card.factor * card.intercept) / static_cast<double>(card.features.size());
}

}  // namespace

Result<Scorecard> TrainScorecard(std::span<const std::vector<std::optional<double>>> rows,
                                 std::span<const std::string> names, std::span<const int> labels,
                                 const ScorecardOptions& options) {
  if (rows.empty()) return Fail(Error::Invalid("/rows", "must hold at least one case"));
  const size_t p = names.size();
  std::vector<FieldError> problems;
  if (labels.size() != rows.size()) problems.push_back({"/labels", "must have one per case"});
  for (size_t i = 0; i < rows.size() && problems.size() < 20; ++i) {
    if (rows[i].size() != p) {
      problems.push_back({fmt::format("/rows/{}", i), fmt::format("must have {} values", p)});
    }
  }
  if (!(options.min_iv >= 0)) problems.push_back({"/min_iv", "must be ≥ 0"});
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  const auto scale = CORRIDOR_TRY(ScaleScore(0.5, options.points0, options.odds0, options.pdo));

  Scorecard card;
  card.factor = scale.factor;
  card.offset = scale.offset;
  card.points0 = options.points0;
  card.odds0 = options.odds0;
  card.pdo = options.pdo;
  // Each feature binned on its own, the features shared among the threads (each result in its
  // own slot: the same card whatever the thread count).
  std::vector<std::optional<Result<WoeBinning>>> binnings(p);
  const size_t threads = std::max<size_t>(
      1, std::min<size_t>(p, options.threads > 0 ? static_cast<size_t>(options.threads)
                                                 : std::thread::hardware_concurrency()));
  const auto work = [&](size_t first) {
    std::vector<std::optional<double>> column(rows.size());
    for (size_t j = first; j < p; j += threads) {
      for (size_t i = 0; i < rows.size(); ++i) column[i] = rows[i][j];
      binnings[j] =
          BinWoe(column, labels, {.max_bins = options.max_bins, .monotonic = options.monotonic});
    }
  };
  {
    std::vector<std::jthread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
  }
  for (size_t j = 0; j < p; ++j) {
    auto& binning = *binnings[j];
    if (!binning) {
      Error e = binning.error();
      for (auto& f : e.fields) f.field = fmt::format("/rows/*/{} ({}){}", j, names[j], f.field);
      return Fail(std::move(e));
    }
    if (binning->iv < options.min_iv) {
      card.dropped.emplace_back(names[j], binning->iv);
      continue;
    }
    ScorecardFeature f;
    f.name = names[j];
    f.column = j;
    f.iv = binning->iv;
    for (const WoeBin& b : binning->bins) f.bins.push_back({.bin = b});
    card.features.push_back(std::move(f));
  }
  if (card.features.empty()) {
    return Fail(Error::Invalid("/rows", fmt::format("no feature reaches an information value of "
                                                    "{}: nothing to score on",
                                                    options.min_iv)));
  }
  // The logistic regression on the WoE values. A WoE rises with the share of goods, so every
  // coefficient of the bad label on it should be negative; a positive one only undoes what a
  // correlated feature says (revenue against the staff it pays, say) and would give reasons that
  // read backwards ("high revenue cost points"). The feature with the largest positive
  // coefficient is left out and the fit redone, until every sign reads the right way.
  LogisticFit fit;
  for (;;) {
    std::vector<std::vector<double>> design(rows.size(), std::vector<double>(card.features.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      for (size_t k = 0; k < card.features.size(); ++k) {
        const ScorecardFeature& f = card.features[k];
        const auto b = BinOf(f, rows[i][f.column]);
        design[i][k] = b ? f.bins[*b].bin.woe : 0.0;
      }
    }
    fit = CORRIDOR_TRY(FitLogistic(design, labels, {.l2 = options.l2}));
    size_t reversed = card.features.size();
    for (size_t k = 0; k < card.features.size(); ++k) {
      if (fit.coefficients[k] > 0 &&
          (reversed == card.features.size() || fit.coefficients[k] > fit.coefficients[reversed])) {
        reversed = k;
      }
    }
    if (reversed == card.features.size()) break;
    card.reversed.emplace_back(card.features[reversed].name, fit.coefficients[reversed]);
    card.features.erase(card.features.begin() + static_cast<std::ptrdiff_t>(reversed));
    if (card.features.empty()) {
      return Fail(Error::Invalid("/rows", "no feature keeps the sign its evidence gives"));
    }
  }
  card.intercept = fit.intercept;
  card.log_likelihood = fit.log_likelihood;
  const double share =
      (card.offset - card.factor * fit.intercept) / static_cast<double>(card.features.size());
  for (size_t k = 0; k < card.features.size(); ++k) {
    ScorecardFeature& f = card.features[k];
    f.coefficient = fit.coefficients[k];
    f.best_points = -std::numeric_limits<double>::infinity();
    for (ScorecardBin& b : f.bins) {
      b.points = -card.factor * f.coefficient * b.bin.woe + share;
      f.best_points = std::max(f.best_points, b.points);
    }
  }
  return card;
}

ScoredCase ScoreCase(const Scorecard& card, std::span<const std::optional<double>> row) {
  ScoredCase out;
  std::vector<Reason> losses;
  for (const ScorecardFeature& f : card.features) {
    const std::optional<double> value =
        f.column < row.size() ? row[f.column] : std::optional<double>();
    const double points = PointsOf(card, f, value);
    out.points.push_back(points);
    out.score += points;
    const double lost = f.best_points - points;
    if (lost > 1e-9) losses.push_back({f.name, lost});
  }
  // The largest losses first; equal losses in the features' order (a stable sort).
  std::stable_sort(losses.begin(), losses.end(),
                   [](const Reason& a, const Reason& b) { return a.points_lost > b.points_lost; });
  if (losses.size() > 4) losses.resize(4);
  out.reasons = std::move(losses);
  // score = offset − factor · ln(odds)
  const double log_odds = (card.offset - out.score) / card.factor;
  out.pd = 1.0 / (1.0 + std::exp(-log_odds));
  return out;
}

Result<Validation> Validate(std::span<const double> scores, std::span<const double> pds,
                            std::span<const int> labels, double cutoff) {
  if (scores.size() != labels.size() || pds.size() != labels.size()) {
    return Fail(Error::Invalid("/labels", "must have one per score and PD"));
  }
  std::vector<double> risk(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) risk[i] = -scores[i];
  Validation v;
  v.auc = CORRIDOR_TRY(Auc(risk, labels));
  v.ks = CORRIDOR_TRY(KsStatistic(risk, labels));
  v.gini = 2 * v.auc - 1;
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  const size_t n = order.size();
  for (size_t d = 0; d < 10; ++d) {
    const size_t begin = n * d / 10, end = n * (d + 1) / 10;
    if (begin == end) continue;
    Decile dec;
    double pd_sum = 0;
    dec.min_score = scores[order[begin]];
    dec.max_score = scores[order[end - 1]];
    for (size_t k = begin; k < end; ++k) {
      ++dec.count;
      dec.bad += labels[order[k]];
      pd_sum += pds[order[k]];
    }
    dec.mean_pd = pd_sum / static_cast<double>(dec.count);
    dec.bad_rate = static_cast<double>(dec.bad) / static_cast<double>(dec.count);
    v.deciles.push_back(dec);
  }
  for (size_t i = 0; i < n; ++i) {
    const bool approved = scores[i] >= cutoff;
    const bool bad = labels[i] == 1;
    (approved ? (bad ? v.confusion.approved_bad : v.confusion.approved_good)
              : (bad ? v.confusion.declined_bad : v.confusion.declined_good)) += 1;
  }
  return v;
}

std::vector<int64_t> CountInBands(std::span<const double> values, std::span<const double> edges) {
  std::vector<int64_t> counts(edges.size() + 1, 0);
  for (const double x : values) {
    ++counts[static_cast<size_t>(std::lower_bound(edges.begin(), edges.end(), x) - edges.begin())];
  }
  return counts;
}

Result<double> PopulationStability(std::span<const int64_t> expected,
                                   std::span<const int64_t> actual) {
  if (expected.size() != actual.size()) {
    return Fail(Error::Invalid("/actual", "must have as many bands as /expected"));
  }
  int64_t e_total = 0, a_total = 0;
  for (size_t k = 0; k < expected.size(); ++k) {
    if (expected[k] < 0 || actual[k] < 0) {
      return Fail(
          Error::Invalid(expected[k] < 0 ? "/expected" : "/actual", "counts must not be negative"));
    }
    e_total += expected[k];
    a_total += actual[k];
  }
  if (e_total == 0 || a_total == 0) {
    return Fail(Error::Invalid(e_total == 0 ? "/expected" : "/actual", "must not be empty"));
  }
  double psi = 0;
  for (size_t k = 0; k < expected.size(); ++k) {
    const double es =
        std::max(static_cast<double>(expected[k]), 0.5) / static_cast<double>(e_total);
    const double as = std::max(static_cast<double>(actual[k]), 0.5) / static_cast<double>(a_total);
    psi += (as - es) * std::log(as / es);
  }
  return psi;
}

Result<double> PopulationStability(std::span<const double> expected, std::span<const double> actual,
                                   std::span<const double> edges) {
  if (expected.empty() || actual.empty()) {
    return Fail(Error::Invalid(expected.empty() ? "/expected" : "/actual", "must not be empty"));
  }
  if (!std::is_sorted(edges.begin(), edges.end())) {
    return Fail(Error::Invalid("/edges", "must be ascending"));
  }
  const auto e = CountInBands(expected, edges), a = CountInBands(actual, edges);
  return PopulationStability(std::span<const int64_t>(e), std::span<const int64_t>(a));
}

Result<std::vector<GroupOutcome>> Fairness(std::span<const std::string> groups,
                                           std::span<const double> scores,
                                           std::span<const int> labels, double cutoff) {
  if (groups.size() != scores.size() || labels.size() != scores.size()) {
    return Fail(Error::Invalid("/groups", "must have one group, score and label per case"));
  }
  std::map<std::string, GroupOutcome> by;
  for (size_t i = 0; i < scores.size(); ++i) {
    GroupOutcome& g = by[groups[i]];
    g.group = groups[i];
    const bool approved = scores[i] >= cutoff;
    const bool bad = labels[i] == 1;
    ++g.count;
    g.approved += approved ? 1 : 0;
    (bad ? g.bad : g.good) += 1;
    if (!approved && !bad) ++g.false_declines;
    if (approved && bad) ++g.false_approvals;
  }
  // The most favoured group: the highest approval rate, compared exactly.
  const GroupOutcome* top = nullptr;
  for (const auto& [name, g] : by) {
    if (top == nullptr || static_cast<Int128>(g.approved) * top->count >
                              static_cast<Int128>(top->approved) * g.count) {
      top = &g;
    }
  }
  if (top == nullptr) return std::vector<GroupOutcome>();
  const auto rate = [](int64_t a, int64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  const double top_rate = rate(top->approved, top->count);
  const int64_t top_approved = top->approved, top_count = top->count;
  std::vector<GroupOutcome> out;
  for (auto& [name, g] : by) {
    g.approval_rate = rate(g.approved, g.count);
    g.false_decline_rate = rate(g.false_declines, g.good);
    g.false_approval_rate = rate(g.false_approvals, g.bad);
    g.adverse_impact_ratio = top_approved == 0 ? 1.0 : g.approval_rate / top_rate;
    // rate ≥ 0.8 · top rate, exactly: 5 · approved · top count ≥ 4 · top approved · count.
    g.four_fifths = static_cast<Int128>(5) * g.approved * top_count >=
                    static_cast<Int128>(4) * top_approved * g.count;
    out.push_back(g);
  }
  return out;
}

}  // namespace corridor::risk::scoring
