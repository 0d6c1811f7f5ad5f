// The scorecard's fit at the size: N borrowers (default 100,000) × P features (default
// 50), drawn from a known logistic model (features standard normal, Philox seeded), fitted exactly
// by FitLogistic (Newton-Raphson to 1e-10), then every borrower scored; prints the seconds of
// each, the AUC and how close the fit came to the true coefficients. Then the whole scorecard on
// the same data (WoE binning of every feature, the fit on the WoE values, the points), and
// 125,000 applicants (Chifeng's enterprises) scored with their reasons.
// With DUMP, the design is also written there for the peers (bench/peers/scoring_sklearn.py):
// N·P doubles row by row, then N label bytes.
//   scoring_bench [N] [P] [DUMP]   (docs/perf/credit-scoring.md)
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "core/rng.hpp"
#include "risk/scoring/booster.hpp"
#include "risk/scoring/logistic.hpp"
#include "risk/scoring/model.hpp"

namespace {

using namespace corridor;
using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100'000;
  const long p = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 50;
  const CounterRng rng(2026);
  std::vector<double> beta(static_cast<size_t>(p));
  for (long j = 0; j < p; ++j)
    beta[static_cast<size_t>(j)] = 0.3 * rng.Normal(0, static_cast<uint64_t>(j));
  std::vector<std::vector<double>> rows(static_cast<size_t>(n));
  std::vector<int> labels(static_cast<size_t>(n));
  for (long i = 0; i < n; ++i) {
    auto& row = rows[static_cast<size_t>(i)];
    row.resize(static_cast<size_t>(p));
    double eta = -1.5;
    for (long j = 0; j < p; ++j) {
      row[static_cast<size_t>(j)] = rng.Normal(1, static_cast<uint64_t>(i * p + j));
      eta += beta[static_cast<size_t>(j)] * row[static_cast<size_t>(j)];
    }
    labels[static_cast<size_t>(i)] =
        rng.Uniform(2, static_cast<uint64_t>(i)) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  if (argc > 3) {
    std::ofstream dump(argv[3], std::ios::binary);
    for (const auto& row : rows) {
      dump.write(reinterpret_cast<const char*>(row.data()),
                 static_cast<std::streamsize>(row.size() * sizeof(double)));
    }
    for (int y : labels) dump.put(static_cast<char>(y));
  }
  const auto start = SteadyClock::now();
  const auto fit = risk::scoring::FitLogistic(rows, labels);
  const double fit_s = Seconds(start);
  if (!fit) {
    fmt::print(stderr, "scoring_bench: {}\n", Describe(fit.error()));
    return 1;
  }
  std::vector<double> scores;
  scores.reserve(rows.size());
  const auto score_start = SteadyClock::now();
  for (const auto& row : rows) scores.push_back(risk::scoring::Predict(*fit, row));
  const double score_s = Seconds(score_start);
  double err = 0;
  for (long j = 0; j < p; ++j) {
    err = std::max(
        err, std::abs(fit->coefficients[static_cast<size_t>(j)] - beta[static_cast<size_t>(j)]));
  }
  fmt::print(
      "logistic regression, {} rows x {} features: fitted in {:.3f} s ({} Newton steps), "
      "log-likelihood {:.6f}, AUC {:.4f}, largest coefficient error against the true model "
      "{:.4f}; scored in {:.3f} s\n",
      n, p, fit_s, fit->iterations, fit->log_likelihood, *risk::scoring::Auc(scores, labels), err,
      score_s);
  // The scorecard.
  std::vector<std::vector<std::optional<double>>> values(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) values[i].assign(rows[i].begin(), rows[i].end());
  std::vector<std::string> names;
  for (long j = 0; j < p; ++j) names.push_back(fmt::format("x{}", j));
  const auto card_start = SteadyClock::now();
  const auto card = risk::scoring::TrainScorecard(values, names, labels);
  const double card_s = Seconds(card_start);
  if (!card) {
    fmt::print(stderr, "scoring_bench: {}\n", Describe(card.error()));
    return 1;
  }
  constexpr size_t kApplicants = 125'000;
  std::vector<std::vector<std::optional<double>>> applicants(
      kApplicants, std::vector<std::optional<double>>(static_cast<size_t>(p)));
  for (size_t a = 0; a < kApplicants; ++a) {
    for (long j = 0; j < p; ++j) {
      applicants[a][static_cast<size_t>(j)] =
          rng.Normal(3, a * static_cast<uint64_t>(p) + static_cast<uint64_t>(j));
    }
  }
  size_t reasons = 0;
  double score_sum = 0;
  const auto apply_start = SteadyClock::now();
  for (const auto& applicant : applicants) {
    const auto scored = risk::scoring::ScoreCase(*card, applicant);
    reasons += scored.reasons.size();
    score_sum += scored.score;
  }
  const double apply_s = Seconds(apply_start);
  fmt::print(
      "scorecard, {} rows x {} features: trained in {:.3f} s ({} features kept, {} dropped); {} "
      "applicants scored with their reasons in {:.3f} s (mean score {:.1f}, {:.2f} reasons "
      "each)\n",
      n, p, card_s, card->features.size(), card->dropped.size(), kApplicants, apply_s,
      score_sum / kApplicants, static_cast<double>(reasons) / kApplicants);
  // The challenger: 100 trees of depth 4 (the peer script's parameters), on both cores.
  const auto boost_start = SteadyClock::now();
  const auto booster = risk::scoring::Booster::Train(values, labels, {.seed = 1});
  const double boost_s = Seconds(boost_start);
  if (!booster) {
    fmt::print(stderr, "scoring_bench: {}\n", Describe(booster.error()));
    return 1;
  }
  const auto explain_start = SteadyClock::now();
  const auto pushes = booster->Contributions(applicants);
  const double explain_s = Seconds(explain_start);
  const auto boosted = booster->Predict(values);
  if (!pushes || !boosted) return 1;
  fmt::print(
      "xgboost challenger (libxgboost, 100 trees, depth 4, hist): trained in {:.3f} s, in-sample "
      "AUC {:.4f}; {} applicants' per-feature contributions in {:.3f} s\n",
      boost_s, *risk::scoring::Auc(*boosted, labels), kApplicants, explain_s);
  return 0;
}
