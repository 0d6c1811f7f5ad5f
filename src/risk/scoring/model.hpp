#pragma once
// The scorecard model: weight-of-evidence bins per feature, a logistic regression on the WoE
// values, points per bin, and the reasons for every score; with the measures a validation report
// and a fairness report are made of (Siddiqi, Credit Risk Scorecards, 2006, ch. 6 and 10;
// docs/credit-scoring.md). Pure; thread-safe.
//
// Training. Each feature is binned (BinWoe, monotone by default); a feature whose information
// value is below min_iv (0.02: "not useful", Siddiqi table 6.3) is left out; the logistic
// regression of the bad label on the kept features' WoE values gives α and βⱼ (a small ridge
// keeps it unique when two features carry the same evidence). Every βⱼ must be negative (more
// evidence of good, less risk): while one is positive — a feature that only undoes a correlated
// one — the largest is left out and the fit redone (Siddiqi ch. 6: a scorecard's signs must read
// the right way). The points of bin b of feature j:
//   pointsⱼ(b) = −factor · βⱼ · WoEⱼ(b) + (offset − factor · α) / k,   k = the kept features,
// so that an applicant's points sum to offset − factor · ln(bad:good odds), the ScaleScore of its
// PD. A value falls in the bin whose interval (lower, upper] holds it; a missing value in the
// missing bin, or — when training saw none — it takes the points of a WoE of 0, (offset −
// factor · α) / k: no evidence either way, neither the best bin nor the worst.
//
// Reasons. For each feature, the points the applicant lost against the feature's best bin;
// at most four, the largest loss first, ties in the features' order; features with no loss are no
// reason. So a reason always names a feature and how many points it cost, never "other".
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "risk/scoring/scorecard.hpp"

namespace corridor::risk::scoring {

struct ScorecardOptions {
  int max_bins = 5;
  bool monotonic = true;
  double min_iv = 0.02;
  double l2 = 1e-6;
  double points0 = 600, odds0 = 1.0 / 19, pdo = 50;
  int threads = 0;  // binning the features; 0: the machine's cores
};

struct ScorecardBin {
  WoeBin bin;
  double points = 0;
};
struct ScorecardFeature {
  std::string name;
  size_t column = 0;  // in the training rows
  double iv = 0;
  double coefficient = 0;  // β on the WoE value
  std::vector<ScorecardBin> bins;
  double best_points = 0;
};
struct Scorecard {
  std::vector<ScorecardFeature> features;               // the kept ones, in column order
  std::vector<std::pair<std::string, double>> dropped;  // name, IV (below min_iv)
  // Left out for a coefficient of the wrong sign (its evidence only undid a correlated feature's),
  // with that coefficient, in the order they were taken out.
  std::vector<std::pair<std::string, double>> reversed;
  double intercept = 0;
  double factor = 0, offset = 0;
  double points0 = 600, odds0 = 1.0 / 19, pdo = 50;
  double log_likelihood = 0;
};

// `rows`: one row per case, nullopt for a missing value; `names`: one per column; `labels`: 1 bad.
Result<Scorecard> TrainScorecard(std::span<const std::vector<std::optional<double>>> rows,
                                 std::span<const std::string> names, std::span<const int> labels,
                                 const ScorecardOptions& options = {});

struct Reason {
  std::string feature;
  double points_lost = 0;
};
struct ScoredCase {
  double score = 0;
  double pd = 0;
  std::vector<double> points;   // per kept feature
  std::vector<Reason> reasons;  // at most four
};
ScoredCase ScoreCase(const Scorecard& card, std::span<const std::optional<double>> row);

// The validation measures of scores (higher: safer) against outcomes (1 bad) and the PDs the
// model gave: AUC (of risk, i.e. of −score), KS, Gini = 2 AUC − 1, calibration by score decile
// (mean PD and observed bad rate of each tenth, riskiest first), and the confusion table at a
// cut-off (approve when score ≥ cutoff).
struct Decile {
  int64_t count = 0, bad = 0;
  double mean_pd = 0, bad_rate = 0, min_score = 0, max_score = 0;
};
struct Confusion {
  int64_t approved_good = 0, approved_bad = 0, declined_good = 0, declined_bad = 0;
};
struct Validation {
  double auc = 0, ks = 0, gini = 0;
  std::vector<Decile> deciles;
  Confusion confusion;
};
Result<Validation> Validate(std::span<const double> scores, std::span<const double> pds,
                            std::span<const int> labels, double cutoff);

// The population stability index of `actual` against `expected` over the bins of `edges`
// (ascending cut points; bin k = (edges[k−1], edges[k]]): Σ (aₖ − eₖ) ln(aₖ / eₖ) over the
// shares, an empty share taken as 0.5 case. PSI < 0.1 stable, 0.1-0.25 watch, > 0.25 shifted.
Result<double> PopulationStability(std::span<const double> expected, std::span<const double> actual,
                                   std::span<const double> edges);
// The same from the counts of each bin, as a model's monitoring keeps them.
Result<double> PopulationStability(std::span<const int64_t> expected,
                                   std::span<const int64_t> actual);
// How many of `values` fall in each bin of `edges` (edges.size() + 1 bins).
std::vector<int64_t> CountInBands(std::span<const double> values, std::span<const double> edges);

// Approval and error rates by group, and each group's adverse impact ratio: its approval rate over
// the highest group's (below 0.8 fails the four-fifths rule, EEOC 29 CFR 1607.4(D)). Errors by
// outcome: a good declined is a false decline, a bad approved a false approval.
struct GroupOutcome {
  std::string group;
  int64_t count = 0, approved = 0, good = 0, bad = 0, false_declines = 0, false_approvals = 0;
  double approval_rate = 0, false_decline_rate = 0, false_approval_rate = 0;
  double adverse_impact_ratio = 0;
  bool four_fifths = true;
};
Result<std::vector<GroupOutcome>> Fairness(std::span<const std::string> groups,
                                           std::span<const double> scores,
                                           std::span<const int> labels, double cutoff);

}  // namespace corridor::risk::scoring
