#pragma once
// The scorecard's pieces: the points scale and weight-of-evidence binning with information value
// (Siddiqi, Credit Risk Scorecards, 2006, ch. 6; Anderson, The Credit Scoring Toolkit, 2007).
// Pure; thread-safe.
//
// Points. A score is offset − factor · ln(odds), odds the bad:good odds pd / (1 − pd), with
//   factor = pdo / ln 2,  offset = points0 + factor · ln(odds0),
// so that a case at the bad:good odds odds0 scores points0 and each halving of the bad:good odds
// (a doubling of the good:bad odds) adds pdo points. Defaults: 600 points at 1:19 (a 5% PD), 50
// points to double the odds.
//
// Weight of evidence. A bin's WoE is ln((goods in bin / all goods) / (bads in bin / all bads)):
// positive where the bin is safer than the whole. A bin with no good or no bad has an infinite
// WoE; each count of such a bin is taken with 0.5 added (the usual adjustment, said in the
// answer). IV = Σ (goods share − bads share) · WoE. Bins are intervals of the value, (lower,
// upper], the first open below and the last open above (null); missing values (null) make their
// own bin, never merged.
//
// Binning. The fine classes are the distinct values (at most 50: beyond, the values are grouped
// into 50 classes of about equal counts, never splitting a value). Monotonic binning merges
// adjacent classes whose bad rates break the trend (the trend's direction is the sign of the
// correlation of the value and the label) until the bad rate is monotone, pool-adjacent-violators
// style; then, while there are more than max_bins, the adjacent pair whose bad rates are closest
// merges (ties: the lowest pair).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::scoring {

struct ScoreScale {
  double score = 0, factor = 0, offset = 0;
};
// Errors name pd (0 < pd < 1), points0 (finite), odds0 (> 0) or pdo (> 0).
Result<ScoreScale> ScaleScore(double pd, double points0 = 600, double odds0 = 1.0 / 19,
                              double pdo = 50);

struct WoeBin {
  std::optional<double> lower, upper;  // (lower, upper]; nullopt: unbounded
  int64_t count = 0, bad = 0;
  double woe = 0;
  bool missing = false;   // the bin of the missing values
  bool adjusted = false;  // a count was zero: 0.5 added to both
};
struct WoeBinning {
  std::vector<WoeBin> bins;
  double iv = 0;
  bool increasing = false;  // whether the bad rate rises with the value (monotonic binning)
};
struct WoeOptions {
  int max_bins = 5;  // 1 to 50, the missing bin aside
  bool monotonic = true;
};
// `labels`: 1 bad, 0 good. Errors name /values, /labels or /max_bins.
Result<WoeBinning> BinWoe(std::span<const std::optional<double>> values,
                          std::span<const int> labels, const WoeOptions& options = {});

}  // namespace corridor::risk::scoring
