#include "api/router.hpp"

#include <gtest/gtest.h>

#include "api/http.hpp"

namespace corridor::api {
namespace {

Router Make() {
  return Router({{"GET", "/api/v1/loans", "list", Access::kToken, true, nullptr, 200},
                 {"GET", "/api/v1/loans/{id}", "one", Access::kToken, false, nullptr, 200},
                 {"POST", "/api/v1/calc/{model}", "calc", Access::kToken, false, nullptr, 200}});
}

// Error codes map to HTTP statuses here, and only here (RFC 9110 §15).
TEST(Http, CodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidArgument), 422);
  EXPECT_EQ(HttpStatus(ErrorCode::kMalformed), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kBudgetExhausted), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kIdempotencyMismatch), 422);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(ErrorCode::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatus(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(ErrorCode::kHeadersTooLarge), 431);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotImplemented), 501);
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

// No store or library message reaches a client: a failure with a diagnostic, or any internal
// error, is answered with a reference (the log line carries the cause); the status in the
// document is always the status sent.
TEST(Problem, CarriesAReferenceNeverTheDiagnostic) {
  Error conflict(ErrorCode::kConflict, "the change conflicts with a record already stored", {},
                 "step: UNIQUE constraint failed: tenants.name (sqlite 2067)");
  const HttpResponse r = Problem(conflict);
  EXPECT_EQ(r.status, 409);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["status"], 409);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("UNIQUE"), std::string::npos);
  const std::string reference = doc["reference"];
  EXPECT_NE(doc["detail"].get<std::string>().find(reference), std::string::npos);
  const auto internal = nlohmann::json::parse(Problem(Error::Internal("GLPK: bad basis")).body);
  EXPECT_EQ(internal["status"], 500);
  EXPECT_EQ(internal.dump().find("GLPK"), std::string::npos);
  EXPECT_NE(internal["reference"], reference);
  for (auto [code, status] : {std::pair{ErrorCode::kMethodNotAllowed, 405},
                              {ErrorCode::kPayloadTooLarge, 413},
                              {ErrorCode::kHeadersTooLarge, 431},
                              {ErrorCode::kNotImplemented, 501}}) {
    const HttpResponse p = Problem(Error(code, "x"));
    EXPECT_EQ(p.status, status);
    EXPECT_EQ(nlohmann::json::parse(p.body)["status"], status);
  }
}

}  // namespace
}  // namespace corridor::api
