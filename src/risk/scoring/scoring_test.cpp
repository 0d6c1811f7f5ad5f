#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "risk/scoring/booster.hpp"
#include "risk/scoring/german_credit.hpp"
#include "risk/scoring/logistic.hpp"
#include "risk/scoring/model.hpp"
#include "risk/scoring/rdata.hpp"
#include "risk/scoring/scorecard.hpp"

namespace corridor::risk::scoring {
namespace {

// One binary feature: the maximum-likelihood fit is closed form. x = 0: 2 of 8 bad, x = 1: 6 of
// 8, so the intercept is logit(0.25) = −ln 3, the slope logit(0.75) − logit(0.25) = 2 ln 3, and
// the log-likelihood 16 (0.25 ln 0.25 + 0.75 ln 0.75).
TEST(Logistic, OneBinaryFeatureHasTheClosedFormFit) {
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  for (int i = 0; i < 8; ++i) {
    rows.push_back({0.0});
    labels.push_back(i < 2 ? 1 : 0);
    rows.push_back({1.0});
    labels.push_back(i < 6 ? 1 : 0);
  }
  const auto fit = FitLogistic(rows, labels);
  ASSERT_TRUE(fit) << Describe(fit.error());
  EXPECT_NEAR(fit->intercept, -std::log(3.0), 1e-12);
  EXPECT_NEAR(fit->coefficients[0], 2 * std::log(3.0), 1e-12);
  EXPECT_NEAR(fit->log_likelihood, 16 * (0.25 * std::log(0.25) + 0.75 * std::log(0.75)), 1e-12);
  EXPECT_NEAR(Predict(*fit, std::vector<double>{1.0}), 0.75, 1e-12);
}

// A design of 200 rows built from integers, fitted by R 4.2.2's glm(y ~ x1 + x2 + x3,
// family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)):
//   i = 0..199; x1 = i mod 7; x2 = i² mod 11; x3 = (5i mod 13) / 4;
//   y = 1 when (37i mod 100) < 20 + 6 x1 − 2 x2.
// glm: (Intercept) −1.5896440573122981, x1 0.2979781597208687, x2 −0.0583027534737333,
// x3 0.0766093710682117; logLik −117.658525882582.
TEST(Logistic, MatchesRsGlm) {
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  for (int i = 0; i < 200; ++i) {
    const int x1 = i % 7, x2 = (i * i) % 11;
    const double x3 = ((i * 5) % 13) / 4.0;
    rows.push_back({static_cast<double>(x1), static_cast<double>(x2), x3});
    labels.push_back((i * 37) % 100 < 20 + 6 * x1 - 2 * x2 ? 1 : 0);
  }
  const auto fit = FitLogistic(rows, labels);
  ASSERT_TRUE(fit) << Describe(fit.error());
  EXPECT_NEAR(fit->intercept, -1.5896440573122981, 1e-9);
  EXPECT_NEAR(fit->coefficients[0], 0.2979781597208687, 1e-9);
  EXPECT_NEAR(fit->coefficients[1], -0.0583027534737333, 1e-9);
  EXPECT_NEAR(fit->coefficients[2], 0.0766093710682117, 1e-9);
  EXPECT_NEAR(fit->log_likelihood, -117.658525882582, 1e-9);
  // A ridge penalty shrinks the slopes and lowers the likelihood.
  const auto ridge = FitLogistic(rows, labels, {.l2 = 10});
  ASSERT_TRUE(ridge);
  EXPECT_LT(std::abs(ridge->coefficients[0]), std::abs(fit->coefficients[0]));
  EXPECT_LT(ridge->log_likelihood, fit->log_likelihood);
}

// The German credit design (risk/scoring/german_credit.hpp). R 4.2.2 on the same design:
//   glm(y ~ X, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
// log-likelihood −447.90889273842, the coefficients below; AUC 0.833780952380952 in sample and
// 0.783685714285714 by 10-fold cross-validation with fold = row mod 10 (each fold's model fitted on
// the other nine; the AUC of the pooled out-of-fold predictions).
constexpr const char* kGermanCredit = kGermanCreditPath;

TEST(Logistic, GermanCreditMatchesRsGlm) {
  const auto frame = ReadRDataFrame(kGermanCredit, "GermanCredit");
  ASSERT_TRUE(frame) << Describe(frame.error()) << " (scripts/setup installs r-cran-caret)";
  ASSERT_EQ(frame->rows, 1000u);
  ASSERT_EQ(frame->columns.size(), 62u);
  ASSERT_TRUE(frame->Find("Class")->factor);
  EXPECT_EQ(frame->Find("Amount")->numbers[0], 1169);  // the first applicant, as in R's str()
  const auto design = LoadGermanCredit();
  ASSERT_TRUE(design) << Describe(design.error());
  const GermanCredit& x = *design;
  ASSERT_EQ(x.names.size(), 48u);
  EXPECT_EQ(std::count(x.bad.begin(), x.bad.end(), 1), 300);
  const auto fit = FitLogistic(x.rows, x.bad);
  ASSERT_TRUE(fit) << Describe(fit.error());
  EXPECT_TRUE(fit->separated.empty());
  const double glm[] = {
      -8.34080963267935,   0.0278633244875485,  0.000128274695742024, 0.330089815249283,
      0.00477605013297755, -0.0145354909873409, 0.272075927520486,    0.264671387001205,
      0.300007972960348,   1.39221594390282,    1.71188795513194,     1.33703457060333,
      0.746211128158366,   1.43577158027274,    1.57914928165641,     0.849658017036911,
      0.58261017041388,    1.48878593678433,    -0.177681018022673,   0.697175560509484,
      0.597202499727974,   0.966003194324249,   1.27239003282885,     1.52506977027702,
      -0.570646837959624,  0.748699087223145,   0.946689193131271,    0.588948615122193,
      0.570616314779465,   -0.392509647580209,  -0.0669104341817854,  -0.182830982153516,
      -0.83100181825983,   -0.276624520698009,  0.367071883411066,    0.0916170748638527,
      -0.449006061481069,  0.97861601571481,    1.41466362830982,     -0.730447737516229,
      -0.449009497040457,  -0.5359130594488,    0.646328658691188,    0.52312809221087,
      0.683860177309838,   0.240239192470795,   -0.479475243907399,   0.0566551393538812,
      0.0752422539100725};
  EXPECT_NEAR(fit->intercept, glm[0], 1e-9);
  for (size_t j = 0; j < 48; ++j) {
    EXPECT_NEAR(fit->coefficients[j], glm[j + 1], 1e-9 * (1 + std::abs(glm[j + 1]))) << x.names[j];
  }
  EXPECT_NEAR(fit->log_likelihood, -447.90889273842, 1e-9);
  std::vector<double> fitted;
  for (const auto& row : x.rows) fitted.push_back(Predict(*fit, row));
  EXPECT_NEAR(*Auc(fitted, x.bad), 0.833780952380952, 1e-12);

  // 10-fold cross-validation, fold = row mod 10.
  std::vector<double> out_of_fold(x.rows.size());
  for (size_t k = 0; k < 10; ++k) {
    std::vector<std::vector<double>> train;
    std::vector<int> labels;
    for (size_t i = 0; i < x.rows.size(); ++i) {
      if (i % 10 == k) continue;
      train.push_back(x.rows[i]);
      labels.push_back(x.bad[i]);
    }
    const auto fold = FitLogistic(train, labels, {.stop_when_separated = true});
    ASSERT_TRUE(fold) << k << ": " << Describe(fold.error());
    // Fold 3's training rows hold no bad among the retraining loans: that column's coefficient
    // runs off, the likelihood goes flat, and the fit stops there, as glm does (it warns
    // "fitted probabilities numerically 0 or 1 occurred").
    std::vector<std::string> separated;
    for (size_t j : fold->separated) separated.push_back(x.names[j]);
    EXPECT_EQ(separated,
              k == 3 ? std::vector<std::string>{"Purpose.Retraining"} : std::vector<std::string>{})
        << k;
    for (size_t i = k; i < x.rows.size(); i += 10) out_of_fold[i] = Predict(*fold, x.rows[i]);
  }
  EXPECT_NEAR(*Auc(out_of_fold, x.bad), 0.783685714285714, 1e-9);
}

// The challenger on the German credit data: 100 trees of depth 4. Its contributions (TreeSHAP) and
// bias add up to each applicant's log-odds; the same seed gives the same model on 1 thread or 2;
// a saved model loads and predicts the same; in sample it separates the classes better than the
// logistic regression (AUC above 0.8338), as boosted trees do on the data they were grown on.
TEST(Booster, GermanCreditChallengerExplainsEveryPrediction) {
  const auto frame = ReadRDataFrame(kGermanCredit, "GermanCredit");
  ASSERT_TRUE(frame) << Describe(frame.error());
  const auto design = LoadGermanCredit();
  ASSERT_TRUE(design) << Describe(design.error());
  const GermanCredit& x = *design;
  std::vector<std::vector<std::optional<double>>> rows(x.rows.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i].assign(x.rows[i].begin(), x.rows[i].end());
  rows[0][0] = std::nullopt;  // a missing duration goes the way its splits learned
  const auto one = Booster::Train(rows, x.bad, {.seed = 7, .threads = 1});
  ASSERT_TRUE(one) << Describe(one.error());
  const auto two = Booster::Train(rows, x.bad, {.seed = 7, .threads = 2});
  ASSERT_TRUE(two);
  const auto p1 = one->Predict(rows), p2 = two->Predict(rows);
  ASSERT_TRUE(p1 && p2);
  EXPECT_EQ(*p1, *p2);
  EXPECT_GT(*Auc(*p1, x.bad), 0.8338);
  const auto contributions = one->Contributions(rows);
  ASSERT_TRUE(contributions) << Describe(contributions.error());
  ASSERT_EQ((*contributions)[0].size(), 49u);
  for (size_t i = 0; i < rows.size(); i += 37) {
    double margin = 0;
    for (double c : (*contributions)[i]) margin += c;
    EXPECT_NEAR(1 / (1 + std::exp(-margin)), (*p1)[i], 1e-5) << i;
  }
  // The reasons of the riskiest applicant: its largest pushes toward bad, largest first.
  size_t riskiest = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if ((*p1)[i] > (*p1)[riskiest]) riskiest = i;
  }
  const auto reasons = ReasonsOf((*contributions)[riskiest], x.names);
  ASSERT_FALSE(reasons.empty());
  EXPECT_LE(reasons.size(), 4u);
  for (size_t k = 1; k < reasons.size(); ++k) {
    EXPECT_GE(reasons[k - 1].log_odds, reasons[k].log_odds);
  }
  // Ties keep the features' order; pushes toward good are no reason.
  const std::vector<std::string> abc = {"a", "b", "c", "d", "e", "f"};
  const std::vector<double> pushes = {0.2, -0.5, 0.2, 0.3, 0.1, 0.05, 9.0};  // the bias last
  const auto tied = ReasonsOf(pushes, abc);
  ASSERT_EQ(tied.size(), 4u);
  EXPECT_EQ(tied[0].feature, "d");
  EXPECT_EQ(tied[1].feature, "a");
  EXPECT_EQ(tied[2].feature, "c");
  EXPECT_EQ(tied[3].feature, "e");
  const auto saved = one->Save();
  ASSERT_TRUE(saved);
  const auto loaded = Booster::Load(*saved);
  ASSERT_TRUE(loaded) << Describe(loaded.error());
  EXPECT_EQ(loaded->features(), 48u);
  EXPECT_EQ(*loaded->Predict(rows), *p1);
  EXPECT_FALSE(Booster::Load("{\"not\": \"a model\"}"));
  EXPECT_FALSE(Booster::Train(rows, std::vector<int>(rows.size(), 0)));
  EXPECT_FALSE(one->Predict(std::vector<std::vector<std::optional<double>>>{{1.0}}));
}

TEST(RData, RefusesWhatIsNotAnRDataFile) {
  EXPECT_EQ(ReadRDataFrame("/nonexistent.RData", "x").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(ReadRDataFrame("/etc/hostname", "x"));
  EXPECT_EQ(ReadRDataFrame(kGermanCredit, "NoSuchFrame").error().code, ErrorCode::kNotFound);
}

TEST(Logistic, ASingularDesignNamesItsColumns) {
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  for (int i = 0; i < 20; ++i) {
    const double a = i % 5, b = (i * 3) % 7;
    rows.push_back({a, b, 2 * a - b, 4.0});
    labels.push_back(i % 3 == 0 ? 1 : 0);
  }
  auto fit = FitLogistic(rows, labels);
  ASSERT_FALSE(fit);
  EXPECT_EQ(fit.error().fields.at(0).field, "/features");
  EXPECT_EQ(fit.error().fields.at(0).message,
            "column 2 is a linear combination of column 0 and column 1: the design is singular");
  for (auto& r : rows) r.erase(r.begin() + 2);
  fit = FitLogistic(rows, labels);
  ASSERT_FALSE(fit);
  EXPECT_EQ(fit.error().fields.at(0).message,
            "column 2 is constant (a multiple of the intercept): the design is singular");
  // With a penalty the fit is unique again.
  EXPECT_TRUE(FitLogistic(rows, labels, {.l2 = 1}));
}

TEST(Logistic, SeparatedClassesAreRefusedUnlessPenalized) {
  const std::vector<std::vector<double>> rows = {{1}, {2}, {3}, {4}, {5}, {6}};
  const std::vector<int> labels = {0, 0, 0, 1, 1, 1};
  const auto fit = FitLogistic(rows, labels);
  ASSERT_FALSE(fit);
  EXPECT_EQ(fit.error().fields.at(0).field, "/labels");
  EXPECT_TRUE(FitLogistic(rows, labels, {.l2 = 0.1}));
  const std::vector<int> one_class = {0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(FitLogistic(rows, one_class));
}

// AUC = U / (n₁ n₀): positives at scores 0.9, 0.5 and 0.5; negatives at 0.5, 0.2. Pairs
// (positive above negative): 0.9 beats both (2), each 0.5 beats 0.2 (2) and ties 0.5 (½ each):
// U = 5, AUC = 5/6. KS: at t = 0.2 the negatives' share is ½, the positives' 0; at 0.5 both
// classes are complete but 0.9's positive: F₁ = 2/3, F₀ = 1: the largest gap is ½ at 0.2.
TEST(Discrimination, AucAndKsByHand) {
  const std::vector<double> scores = {0.9, 0.5, 0.5, 0.5, 0.2};
  const std::vector<int> labels = {1, 1, 1, 0, 0};
  EXPECT_DOUBLE_EQ(*Auc(scores, labels), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(*KsStatistic(scores, labels), 0.5);
  EXPECT_FALSE(Auc(scores, std::vector<int>{1, 1, 1, 1, 1}));
}

// Score scaling at its defining points: 600 at 1:19 bad:good odds (PD 5%), 50 points fewer when
// the bad:good odds double (PD 2/21: odds 2:19).
TEST(ScoreScale, HitsItsDefiningPoints) {
  const auto base = ScaleScore(0.05);
  ASSERT_TRUE(base);
  EXPECT_NEAR(base->score, 600, 1e-9);
  EXPECT_NEAR(base->factor, 50 / std::log(2.0), 1e-12);
  EXPECT_NEAR(base->offset, 600 + 50 / std::log(2.0) * std::log(1.0 / 19), 1e-9);
  EXPECT_NEAR(ScaleScore(2.0 / 21)->score, 550, 1e-9);
  EXPECT_NEAR(ScaleScore(1.0 / 39)->score, 650, 1e-9);  // odds 1:38, halved
  EXPECT_NEAR(ScaleScore(0.5, 500, 1, 20)->score, 500, 1e-9);
  EXPECT_FALSE(ScaleScore(0));
  EXPECT_FALSE(ScaleScore(0.1, 600, -1));
}

// Ten cases, bads at 5, 7, 8, 10: the bad rate by value 0 0 0 0 1 0 1 1 0 1 rises with the value.
// Monotonic: 5 and 6 pool (½), then 8, 9 and 7 (⅔); two bins leave (−∞, 4] with 4 goods and no
// bad, (4, ∞) with 2 goods and 4 bads. Goods 6, bads 4. The first bin has no bad: 0.5 added to
// both counts, WoE ln((4.5/6) / (0.5/4)) = ln 6; the second ln((2/6) / (4/4)) = −ln 3.
// IV = (0.75 − 0.125) ln 6 + (1/3 − 1)(−ln 3) = 0.625 ln 6 + (2/3) ln 3.
TEST(Woe, HandComputedExample) {
  std::vector<std::optional<double>> values;
  for (int v = 1; v <= 10; ++v) values.emplace_back(v);
  const std::vector<int> labels = {0, 0, 0, 0, 1, 0, 1, 1, 0, 1};
  const auto b = BinWoe(values, labels, {.max_bins = 2, .monotonic = true});
  ASSERT_TRUE(b) << Describe(b.error());
  ASSERT_EQ(b->bins.size(), 2u);
  EXPECT_TRUE(b->increasing);
  EXPECT_FALSE(b->bins[0].lower);
  EXPECT_EQ(b->bins[0].upper, 4.0);
  EXPECT_EQ(b->bins[0].count, 4);
  EXPECT_EQ(b->bins[0].bad, 0);
  EXPECT_TRUE(b->bins[0].adjusted);
  EXPECT_NEAR(b->bins[0].woe, std::log(6.0), 1e-12);
  EXPECT_EQ(b->bins[1].lower, 4.0);
  EXPECT_FALSE(b->bins[1].upper);
  EXPECT_EQ(b->bins[1].count, 6);
  EXPECT_EQ(b->bins[1].bad, 4);
  EXPECT_NEAR(b->bins[1].woe, -std::log(3.0), 1e-12);
  EXPECT_NEAR(b->iv, 0.625 * std::log(6.0) + 2.0 / 3.0 * std::log(3.0), 1e-12);
  // Missing values make their own bin; without monotonicity the closest rates merge.
  values.emplace_back(std::nullopt);
  std::vector<int> more = labels;
  more.push_back(1);
  const auto m = BinWoe(values, more, {.max_bins = 3, .monotonic = false});
  ASSERT_TRUE(m);
  ASSERT_EQ(m->bins.size(), 4u);
  EXPECT_TRUE(m->bins.back().missing);
  EXPECT_EQ(m->bins.back().count, 1);
  EXPECT_FALSE(BinWoe(values, more, {.max_bins = 0}));
}

// A scorecard on 1,000 cases: x1 = i mod 10 raises the bad rate (bad when 19i mod 100 < 5 + 4 x1),
// x2 = the half the case is in carries no evidence at all (the pattern repeats every 100 cases, so
// both halves hold the same bads: IV 0, dropped). At the logistic maximum Σ pᵢ = Σ yᵢ (the
// intercept's score equation, untouched by the ridge on the slopes), so the mean PD the card gives
// its training cases is their bad rate.
TEST(Scorecard, TrainsOnWoeDropsTheUselessAndItsPdsAverageToTheBadRate) {
  std::vector<std::vector<std::optional<double>>> rows;
  std::vector<int> labels;
  for (int i = 0; i < 1000; ++i) {
    const int x1 = i % 10;
    rows.push_back({static_cast<double>(x1), i < 500 ? 0.0 : 1.0});
    labels.push_back((19 * i) % 100 < 5 + 4 * x1 ? 1 : 0);
  }
  const std::vector<std::string> names = {"x1", "x2"};
  const auto card = TrainScorecard(rows, names, labels);
  ASSERT_TRUE(card) << Describe(card.error());
  ASSERT_EQ(card->features.size(), 1u);
  EXPECT_EQ(card->features[0].name, "x1");
  ASSERT_EQ(card->dropped.size(), 1u);
  EXPECT_EQ(card->dropped[0].first, "x2");
  EXPECT_NEAR(card->dropped[0].second, 0.0, 1e-12);
  EXPECT_LT(card->features[0].coefficient, 0);  // more evidence of good, less risk
  double pd_sum = 0;
  int bads = 0;
  double previous = INFINITY;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto s = ScoreCase(*card, rows[i]);
    pd_sum += s.pd;
    bads += labels[i];
    if (i < 10) {  // x1 = 0 … 9: the score never rises with the riskier value
      EXPECT_LE(s.score, previous + 1e-9) << i;
      previous = s.score;
    }
    // The points add up to the scale of the PD.
    EXPECT_NEAR(s.score, ScaleScore(s.pd)->score, 1e-6);
  }
  EXPECT_NEAR(pd_sum / 1000, bads / 1000.0, 1e-9);
  // Nothing useful at all: refused.
  std::vector<std::vector<std::optional<double>>> only_x2(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) only_x2[i] = {rows[i][1]};
  EXPECT_FALSE(TrainScorecard(only_x2, std::vector<std::string>{"x2"}, labels));
}

// On the German credit data (48 columns, several of them one-hot dummies of the same attribute and
// correlated among themselves) some coefficients come out with the wrong sign: each is left out
// and the fit redone, until every kept coefficient is negative; those left out are listed with
// the positive coefficient they had, and the card still ranks the cases (in-sample AUC above 0.8).
TEST(Scorecard, LeavesOutWhatComesOutWithTheWrongSign) {
  const auto frame = ReadRDataFrame(kGermanCredit, "GermanCredit");
  ASSERT_TRUE(frame) << Describe(frame.error());
  const auto design = LoadGermanCredit();
  ASSERT_TRUE(design) << Describe(design.error());
  const GermanCredit& x = *design;
  std::vector<std::vector<std::optional<double>>> rows(x.rows.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i].assign(x.rows[i].begin(), x.rows[i].end());
  const auto card = TrainScorecard(rows, x.names, x.bad, {.threads = 2});
  ASSERT_TRUE(card) << Describe(card.error());
  ASSERT_FALSE(card->reversed.empty());
  for (const auto& [name, beta] : card->reversed) EXPECT_GT(beta, 0) << name;
  for (const auto& f : card->features) EXPECT_LT(f.coefficient, 0) << f.name;
  EXPECT_EQ(card->features.size() + card->reversed.size() + card->dropped.size(), x.names.size());
  std::vector<double> risk;
  risk.reserve(rows.size());
  for (const auto& r : rows) risk.push_back(-ScoreCase(*card, r).score);
  EXPECT_GT(*Auc(risk, x.bad), 0.8);
}

// Reasons on crafted applicants: five features of two bins each, (−∞, 0] and (0, ∞), the second
// worth less by 10, 20, 20, 5 and 1 points. An applicant in every best bin has no reason; one in
// every worse bin has four, the largest loss first and the tie (B, C) in the features' order, E
// (the smallest) left out; a missing value with no missing bin takes the points of no evidence,
// (offset − factor · α) / k, here with α = ln(1/19) (offset − factor · α = 600) 600 / 5 = 120
// points: no loss, no reason.
TEST(Scorecard, ReasonsRankByPointsLostWithAFixedTieOrder) {
  Scorecard card;
  card.factor = 50 / std::log(2.0);
  card.offset = 600 + card.factor * std::log(1.0 / 19);
  card.intercept = std::log(1.0 / 19);
  const double lost[] = {10, 20, 20, 5, 1};
  const char* names[] = {"A", "B", "C", "D", "E"};
  for (size_t k = 0; k < 5; ++k) {
    ScorecardFeature f;
    f.name = names[k];
    f.column = k;
    WoeBin low, high;
    low.upper = 0.0;
    high.lower = 0.0;
    f.bins = {{.bin = low, .points = 100}, {.bin = high, .points = 100 - lost[k]}};
    f.best_points = 100;
    card.features.push_back(f);
  }
  const std::vector<std::optional<double>> best = {0.0, -1.0, -2.0, 0.0, -5.0};
  const auto none = ScoreCase(card, best);
  EXPECT_TRUE(none.reasons.empty());
  EXPECT_DOUBLE_EQ(none.score, 500);
  const std::vector<std::optional<double>> worst = {1.0, 2.0, 3.0, 1.0, 1.0};
  const auto all = ScoreCase(card, worst);
  ASSERT_EQ(all.reasons.size(), 4u);
  EXPECT_EQ(all.reasons[0].feature, "B");
  EXPECT_EQ(all.reasons[1].feature, "C");
  EXPECT_EQ(all.reasons[2].feature, "A");
  EXPECT_EQ(all.reasons[3].feature, "D");
  EXPECT_DOUBLE_EQ(all.reasons[0].points_lost, 20);
  EXPECT_DOUBLE_EQ(all.score, 500 - 56);
  const std::vector<std::optional<double>> unknown = {1.0, 2.0, 3.0, std::nullopt, 1.0};
  const auto neutral = ScoreCase(card, unknown);
  EXPECT_NEAR(neutral.points[3], 120, 1e-9);
  EXPECT_EQ(neutral.reasons.size(), 4u);
  EXPECT_EQ(neutral.reasons[3].feature, "E");  // D is no reason: 120 is above its best bin
}

// Ten cases scored 1 … 10, bad at 1, 2, 3 and 5. Of the 24 (bad, good) pairs the bad scores lower
// in 23 (5 against 4 is the exception): AUC 23/24, Gini 11/12. KS: at scores ≤ 5 all bads and one
// good in six are below: 1 − 1/6. At a cut-off of 5: approved 6 (5 goods, the bad at 5), declined
// 4 (3 bads, the good at 4).
TEST(Validation, ByHand) {
  std::vector<double> scores, pds;
  std::vector<int> labels;
  for (int s = 1; s <= 10; ++s) {
    scores.push_back(s);
    pds.push_back(0.05 * (11 - s));
    labels.push_back(s == 1 || s == 2 || s == 3 || s == 5 ? 1 : 0);
  }
  const auto v = Validate(scores, pds, labels, 5);
  ASSERT_TRUE(v) << Describe(v.error());
  EXPECT_DOUBLE_EQ(v->auc, 23.0 / 24.0);
  EXPECT_DOUBLE_EQ(v->gini, 11.0 / 12.0);
  EXPECT_NEAR(v->ks, 1 - 1.0 / 6, 1e-15);
  ASSERT_EQ(v->deciles.size(), 10u);
  EXPECT_EQ(v->deciles[0].bad, 1);  // the riskiest tenth first
  EXPECT_DOUBLE_EQ(v->deciles[0].mean_pd, 0.5);
  EXPECT_EQ(v->confusion.approved_good, 5);
  EXPECT_EQ(v->confusion.approved_bad, 1);
  EXPECT_EQ(v->confusion.declined_bad, 3);
  EXPECT_EQ(v->confusion.declined_good, 1);
}

// Shares ½, ½ expected and ¼, ¾ actual: PSI = (¼ − ½) ln(½) + (¾ − ½) ln(3/2).
TEST(Validation, PopulationStabilityByHand) {
  const std::vector<double> expected = {1, 1, 2, 2}, actual = {1, 2, 2, 2}, edges = {1.5};
  EXPECT_NEAR(*PopulationStability(expected, actual, edges),
              -0.25 * std::log(0.5) + 0.25 * std::log(1.5), 1e-15);
  EXPECT_NEAR(*PopulationStability(expected, expected, edges), 0.0, 1e-15);
  EXPECT_FALSE(PopulationStability(expected, actual, std::vector<double>{2, 1}));
}

// A book built to be biased: group A approved 20 of 25, B 10 of 25, C 16 of 25 — C's rate is
// exactly four-fifths of A's (0.64 = 0.8 · 0.8) and passes, B's (0.4 / 0.8 = 0.5) fails.
TEST(Fairness, AdverseImpactRatioAndTheFourFifthsRuleExactly) {
  std::vector<std::string> groups;
  std::vector<double> scores;
  std::vector<int> labels;
  const auto add = [&](const char* g, int approved, int n) {
    for (int i = 0; i < n; ++i) {
      groups.emplace_back(g);
      scores.push_back(i < approved ? 700 : 500);
      labels.push_back(i % 5 == 0 ? 1 : 0);  // a bad in five, approved or not
    }
  };
  add("A", 20, 25);
  add("B", 10, 25);
  add("C", 16, 25);
  const auto f = Fairness(groups, scores, labels, 600);
  ASSERT_TRUE(f) << Describe(f.error());
  ASSERT_EQ(f->size(), 3u);
  EXPECT_EQ((*f)[0].group, "A");
  EXPECT_DOUBLE_EQ((*f)[0].adverse_impact_ratio, 1.0);
  EXPECT_TRUE((*f)[0].four_fifths);
  EXPECT_DOUBLE_EQ((*f)[1].adverse_impact_ratio, 0.5);
  EXPECT_FALSE((*f)[1].four_fifths);
  EXPECT_TRUE((*f)[2].four_fifths);
  EXPECT_NEAR((*f)[2].adverse_impact_ratio, 0.8, 1e-15);
  // B declines 15, of which the goods are its false declines: cases 10 … 24 less the bads (10,
  // 15, 20): 12 of its 20 goods.
  EXPECT_EQ((*f)[1].false_declines, 12);
  EXPECT_DOUBLE_EQ((*f)[1].false_decline_rate, 0.6);
}

}  // namespace
}  // namespace corridor::risk::scoring
