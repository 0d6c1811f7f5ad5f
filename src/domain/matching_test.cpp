#include "domain/matching.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace corridor::domain {
namespace {

Product MakeProduct(int64_t id, int64_t rate_bps, int64_t max_yuan) {
  Product p;
  p.id = id;
  p.name = "product " + std::to_string(id);
  p.criteria.min_amount = Money::FromFen(10'000'00);
  p.criteria.max_amount = Money::FromFen(max_yuan * 100);
  p.criteria.min_term_months = 6;
  p.criteria.max_term_months = 36;
  p.criteria.rate_bps = rate_bps;
  return p;
}

NeedForMatching Need() {
  return NeedForMatching{.amount = Money::FromFen(500'000'00),
                         .term_months = 12,
                         .region = "Chifeng",
                         .industry = "farming_herding",
                         .collateral_free_required = false,
                         .green_label = GreenLabel::kNone,
                         .max_rate_bps = std::nullopt,
                         .carbon_adjustment_bps = 0,
                         .carbon_reason = ""};
}

TEST(Matching, RanksByRateThenFit) {
  std::vector<Product> catalogue = {MakeProduct(1, 450, 5'000'000), MakeProduct(2, 400, 5'000'000),
                                    MakeProduct(3, 400, 1'000'000)};
  const auto r = MatchNeed(Need(), catalogue);
  ASSERT_EQ(r.matches.size(), 3u);
  EXPECT_EQ(r.matches[0].product->id, 3);  // same rate as 2, tighter fit
  EXPECT_EQ(r.matches[1].product->id, 2);
  EXPECT_EQ(r.matches[2].product->id, 1);
  EXPECT_FALSE(r.matches[0].reasons.empty());
}

TEST(Matching, EachCriterionExcludesWithAReason) {
  std::vector<Product> catalogue(7, MakeProduct(0, 400, 5'000'000));
  for (size_t i = 0; i < catalogue.size(); ++i) catalogue[i].id = static_cast<int64_t>(i + 1);
  catalogue[0].criteria.max_amount = Money::FromFen(100'000'00);  // amount too large
  catalogue[1].criteria.max_term_months = 6;                      // term too long
  catalogue[2].criteria.regions = {"Tongliao"};                   // region
  catalogue[3].criteria.industries = {"new_energy"};              // industry
  catalogue[4].criteria.green_only = true;                        // green only
  catalogue[5].criteria.rate_bps = 900;                           // above the cap
  NeedForMatching need = Need();
  need.max_rate_bps = 500;
  const auto r = MatchNeed(need, catalogue);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].product->id, 7);
  ASSERT_EQ(r.excluded.size(), 6u);
  EXPECT_NE(r.excluded[0].reasons[0].find("amount"), std::string::npos);
  EXPECT_NE(r.excluded[1].reasons[0].find("term"), std::string::npos);
  EXPECT_NE(r.excluded[2].reasons[0].find("region"), std::string::npos);
  EXPECT_NE(r.excluded[3].reasons[0].find("industry"), std::string::npos);
  EXPECT_NE(r.excluded[4].reasons[0].find("green"), std::string::npos);
  EXPECT_NE(r.excluded[5].reasons[0].find("cap"), std::string::npos);
}

TEST(Matching, CollateralFreeNeedsExcludeSecuredProducts) {
  std::vector<Product> catalogue = {MakeProduct(1, 400, 5'000'000), MakeProduct(2, 420, 5'000'000)};
  catalogue[1].criteria.collateral_free = true;
  NeedForMatching need = Need();
  need.collateral_free_required = true;
  const auto r = MatchNeed(need, catalogue);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].product->id, 2);
}

TEST(Matching, GreenDiscountChangesRankAndRespectsCap) {
  std::vector<Product> catalogue = {MakeProduct(1, 400, 5'000'000), MakeProduct(2, 450, 5'000'000)};
  catalogue[1].criteria.green_discount_bps = 100;
  NeedForMatching need = Need();
  need.green_label = GreenLabel::kDeepGreen;
  need.max_rate_bps = 360;
  const auto r = MatchNeed(need, catalogue);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].product->id, 2);
  EXPECT_EQ(r.matches[0].effective_rate_bps, 350);
}

TEST(Matching, CarbonAccountAdjustsTheRateAndItsCapCheck) {
  std::vector<Product> catalogue = {MakeProduct(1, 400, 5'000'000)};
  NeedForMatching need = Need();
  need.max_rate_bps = 390;
  EXPECT_TRUE(MatchNeed(need, catalogue).matches.empty());  // 400 bp above the cap
  need.carbon_adjustment_bps = -15;
  need.carbon_reason = "intensity -20.0% (2025 vs 2024)";
  const auto r = MatchNeed(need, catalogue);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].effective_rate_bps, 385);
  EXPECT_NE(std::find(r.matches[0].reasons.begin(), r.matches[0].reasons.end(),
                      "carbon account intensity -20.0% (2025 vs 2024): -15 bp"),
            r.matches[0].reasons.end());
}

}  // namespace
}  // namespace corridor::domain
