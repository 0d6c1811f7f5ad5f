// Regional evaluation through the API: the border cities from their published statistics, and
// cooperation indicators recorded by the bureau, evaluated and logged.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class EvaluationTest : public ApiFixture {
 protected:
  Reply Record(const std::string& token, const std::string& region, int year,
               const std::string& indicator, double value, const std::string& subsystem,
               const std::string& direction = "positive") {
    return Call("POST", "/api/v1/evaluation/indicators", token,
                {{"region", region},
                 {"year", year},
                 {"indicator", indicator},
                 {"value", value},
                 {"unit", "fraction"},
                 {"direction", direction},
                 {"subsystem", subsystem}});
  }
};

TEST_F(EvaluationTest, BorderCitiesAsJsonAndSvg) {
  EXPECT_EQ(Call("GET", "/api/v1/evaluation/border-cities", "").status, 401);
  auto r = Call("GET", "/api/v1/evaluation/border-cities", bureau_);
  ASSERT_EQ(r.status, 200) << r.raw.body;
  ASSERT_EQ(r.body["regions"].size(), 7u);
  double weights = 0;
  for (const auto& ind : r.body["indicators"]) weights += ind["weight"].get<double>();
  EXPECT_NEAR(weights, 1, 1e-12);
  std::set<int> ranks;
  for (const auto& region : r.body["regions"]) {
    ranks.insert(region["rank"].get<int>());
    EXPECT_TRUE(region["coupling"].contains("grade"));
  }
  EXPECT_EQ(ranks.size(), 7u);
  EXPECT_EQ(r.body["regions"][0]["region_zh"], "赤峰市");
  EXPECT_TRUE(r.body.contains("moran"));
  auto svg = Call("GET", "/api/v1/evaluation/border-cities/report.svg", bureau_);
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.raw.content_type, "image/svg+xml; charset=utf-8");
  EXPECT_EQ(svg.raw.body.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.raw.body.find("Chifeng"), std::string::npos);
}

TEST_F(EvaluationTest, RecordedIndicatorsAreEvaluatedAndLogged) {
  auto [bank_id, bank] = Onboard("bank", "Bank", "bank_officer");
  EXPECT_EQ(Record(bank, "Chifeng", 2024, "chain_rate", 0.2, "cooperation").status, 403);

  const std::vector<std::string> cities = {"Chifeng", "Chengde", "Chaoyang", "Jinzhou"};
  for (size_t i = 0; i < cities.size(); ++i) {
    auto a = Record(bureau_, cities[i], 2024, "chain_rate", 0.1 * (i + 1), "cooperation");
    ASSERT_EQ(a.status, 201) << a.raw.body;
    EXPECT_GE(a.body["log_index"].get<int64_t>(), 0);
    ASSERT_EQ(
        Record(bureau_, cities[i], 2024, "eco_payment_rate", 0.9 - 0.05 * i * i, "ecology").status,
        201);
  }
  // Only two cities have this one: it is left out, and the note says who lacks it.
  ASSERT_EQ(Record(bureau_, "Chifeng", 2024, "partial_rate", 0.5, "ecology").status, 201);
  ASSERT_EQ(Record(bureau_, "Chengde", 2024, "partial_rate", 0.6, "ecology").status, 201);

  auto e = Call("GET", "/api/v1/evaluation/cooperation?year=2024", bureau_);
  ASSERT_EQ(e.status, 200) << e.raw.body;
  ASSERT_EQ(e.body["regions"].size(), 4u);
  ASSERT_EQ(e.body["indicators"].size(), 2u);
  ASSERT_EQ(e.body["notes"].size(), 1u);
  EXPECT_NE(e.body["notes"][0].get<std::string>().find("Chaoyang, Jinzhou"), std::string::npos);
  // Two subsystems: every region has a coupling grade; Chaoyang ... Jinzhou border each other.
  for (const auto& region : e.body["regions"]) EXPECT_TRUE(region.contains("coupling"));
  EXPECT_TRUE(e.body.contains("moran"));
  // A correction replaces the value; the list shows one row per (region, indicator).
  ASSERT_EQ(Record(bureau_, "Chifeng", 2024, "chain_rate", 0.15, "cooperation").status, 201);
  auto list = Call("GET", "/api/v1/evaluation/indicators?year=2024", bureau_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 10u);
  // The recording is in the policy ledger.
  auto rec = Record(bureau_, "Chifeng", 2024, "chain_rate", 0.16, "cooperation");
  auto entry = Call(
      "GET", "/api/v1/registry/entries/" + std::to_string(rec.body["log_index"].get<int64_t>()),
      bureau_);
  ASSERT_EQ(entry.status, 200) << entry.raw.body;
  EXPECT_EQ(entry.body["kind"], "evaluation.indicator_recorded");

  auto svg = Call("GET", "/api/v1/evaluation/cooperation/report.svg?year=2024", bureau_);
  EXPECT_EQ(svg.status, 200);
}

TEST_F(EvaluationTest, BadRequestsNameTheField) {
  ASSERT_EQ(Record(bureau_, "Chifeng", 2024, "gap", 0.2, "cooperation", "negative").status, 201);
  auto dir = Record(bureau_, "Chengde", 2024, "gap", 0.3, "cooperation", "positive");
  EXPECT_EQ(dir.status, 422);
  EXPECT_EQ(dir.body["errors"][0]["field"], "/direction");
  auto sub = Record(bureau_, "Chengde", 2024, "gap", 0.3, "ecology", "negative");
  EXPECT_EQ(sub.body["errors"][0]["field"], "/subsystem");
  auto value = Call("POST", "/api/v1/evaluation/indicators", bureau_,
                    {{"region", "Chifeng"}, {"year", 2024}, {"indicator", "x"}, {"value", "high"}});
  EXPECT_EQ(value.status, 422);
  EXPECT_EQ(value.body["errors"][0]["field"], "/value");
  auto year = Call("GET", "/api/v1/evaluation/cooperation", bureau_);
  EXPECT_EQ(year.status, 422);
  EXPECT_EQ(year.body["errors"][0]["field"], "/year");
  EXPECT_EQ(Call("GET", "/api/v1/evaluation/cooperation?year=1990", bureau_).status, 404);
  // One region is not a comparison.
  auto one = Call("GET", "/api/v1/evaluation/cooperation?year=2024", bureau_);
  EXPECT_EQ(one.status, 422);
  EXPECT_EQ(one.body["errors"][0]["field"], "/regions");
}

}  // namespace
}  // namespace corridor::testing
