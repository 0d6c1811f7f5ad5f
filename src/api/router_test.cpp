#include "api/router.hpp"

#include <gtest/gtest.h>

namespace corridor::api {
namespace {

Router Make() {
  return Router({{"GET", "/api/v1/loans", "list", Access::kToken, true, nullptr, 200},
                 {"GET", "/api/v1/loans/{id}", "one", Access::kToken, false, nullptr, 200},
                 {"POST", "/api/v1/calc/{model}", "calc", Access::kToken, false, nullptr, 200}});
}

TEST(Router, MatchesPatternsAndCapturesParameters) {
  const Router r = Make();
  auto m = r.Match("GET", "/api/v1/loans/42");
  ASSERT_TRUE(m.match);
  EXPECT_EQ(m.match->index, 1u);
  EXPECT_EQ(m.match->ids, std::vector<int64_t>{42});
  auto calc = r.Match("POST", "/api/v1/calc/loan-schedule");
  ASSERT_TRUE(calc.match);
  EXPECT_EQ(calc.match->words, std::vector<std::string>{"loan-schedule"});
  EXPECT_TRUE(r.Match("GET", "/api/v1/loans/").match);  // trailing slash tolerated
}

TEST(Router, RejectsNonPositiveOrMalformedIdsAndWrongMethods) {
  const Router r = Make();
  EXPECT_FALSE(r.Match("GET", "/api/v1/loans/0").match);
  EXPECT_FALSE(r.Match("GET", "/api/v1/loans/-1").match);
  EXPECT_FALSE(r.Match("GET", "/api/v1/loans/12abc").match);
  EXPECT_FALSE(r.Match("GET", "/api/v1/loans/99999999999999999999").match);
  auto wrong = r.Match("DELETE", "/api/v1/loans/1");
  EXPECT_FALSE(wrong.match);
  EXPECT_EQ(wrong.miss, Router::Miss::kWrongMethod);
}

TEST(Router, OpenApiListsEveryRoute) {
  const auto doc = Make().OpenApi();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["paths"]["/api/v1/loans"]["get"].contains("parameters"));
  EXPECT_EQ(doc["paths"]["/api/v1/loans/{id}"]["get"]["parameters"][0]["name"], "id");
}

}  // namespace
}  // namespace corridor::api
