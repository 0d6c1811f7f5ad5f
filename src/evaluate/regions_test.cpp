// The border-city evaluation: derived indicators from the published CSV, the identities that tie
// the outputs together, and the rendered reports.
#include "evaluate/regions.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace corridor::evaluate {
namespace {

TEST(Regions, BorderCitiesFromThePublishedCsv) {
  auto t = BorderCities(BorderCitiesCsv());
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->regions.size(), 7u);
  EXPECT_EQ(t->regions[0].name, "Chifeng");
  EXPECT_EQ(t->regions[0].name_zh, "赤峰市");
  // Chifeng: 433.84 -> 396.7 (10k residents), income ratio 2.82 -> 2.31.
  EXPECT_NEAR(t->values[0][1], 396.7 / 433.84 - 1, 1e-15);
  EXPECT_NEAR(t->values[0][3], 2.82 - 2.31, 1e-15);
  EXPECT_EQ(t->values[3][0], 64491);  // Qinhuangdao GDP per capita
  // Urbanization is printed for two cities only, so it is left out, and said so.
  EXPECT_EQ(t->indicators.size(), 4u);
  ASSERT_EQ(t->notes.size(), 1u);
  EXPECT_NE(t->notes[0].find("2 of 7"), std::string::npos);
  // Borders are symmetric.
  ASSERT_EQ(t->neighbors.size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    for (int j : t->neighbors[i]) {
      const auto& back = t->neighbors[j];
      EXPECT_NE(std::find(back.begin(), back.end(), static_cast<int>(i)), back.end());
    }
  }
}

TEST(Regions, EvaluationIsConsistent) {
  auto t = BorderCities(BorderCitiesCsv());
  ASSERT_TRUE(t);
  auto e = EvaluateRegions(*t);
  ASSERT_TRUE(e) << e.error().message;
  double wsum = 0;
  for (double w : e->entropy.weights) wsum += w;
  EXPECT_NEAR(wsum, 1, 1e-12);
  // The composite is the weighted sum of the subsystem levels, each weighted by its share.
  const auto& w = e->entropy.weights;
  for (size_t i = 0; i < 7; ++i) {
    const double economy = w[0] + w[1], equity = w[2] + w[3];
    EXPECT_NEAR(e->entropy.composite[i],
                economy * e->subsystems[0].u[i] + equity * e->subsystems[1].u[i], 1e-12);
    EXPECT_GE(e->coupling[i].d, 0);
    EXPECT_LE(e->coupling[i].c,
              e->coupling_traditional[i].c + 1e-12);  // the correction is stricter
  }
  // Qinhuangdao has the highest GDP per capita and grew its population: its economy level is 1
  // on GDP and population change alike.
  EXPECT_NEAR(e->subsystems[0].u[3], 1.0, 1e-12);
  // Ranks are a permutation of 1..7.
  std::vector<int> ranks = e->ranking;
  std::sort(ranks.begin(), ranks.end());
  for (int k = 0; k < 7; ++k) EXPECT_EQ(ranks[k], k + 1);
  ASSERT_TRUE(e->moran.has_value());
  EXPECT_NEAR(e->moran->expected, -1.0 / 6, 1e-15);
}

TEST(Regions, ReportsNameEveryCityAndEscapeText) {
  auto t = BorderCities(BorderCitiesCsv());
  ASSERT_TRUE(t);
  t->regions[1].name = "Tongliao <&>";
  auto e = EvaluateRegions(*t);
  ASSERT_TRUE(e);
  const std::string svg = RenderSvg(*t, *e);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("赤峰市 Chifeng"), std::string::npos);
  EXPECT_NE(svg.find("Tongliao &lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("Tongliao <&>"), std::string::npos);
  const std::string text = RenderText(*t, *e);
  EXPECT_NE(text.find("Jinzhou"), std::string::npos);
  EXPECT_NE(text.find("gdp_per_capita_2023"), std::string::npos);
}

TEST(Regions, BadCsvNamesTheCell) {
  auto missing = BorderCities("city_zh,city_en\nA,B\nC,D\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields.at(0).field, "/data");
  std::string csv(BorderCitiesCsv());
  csv.replace(csv.find("55144"), 5, "5x144");
  auto bad = BorderCities(csv);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/data/1/gdp_per_capita_2023_yuan");
}

}  // namespace
}  // namespace corridor::evaluate
