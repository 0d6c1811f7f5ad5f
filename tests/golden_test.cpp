// The API's surface held still across restructurings: the OpenAPI document's paths with their
// parameters and request schemas, and the JSON of a fixed set of answers on a seeded demo
// database (reads of every context, as each role, and the usual refusals), byte for byte against
// tests/golden/api.json.
//
// A change that alters an answer on purpose regenerates the file and shows the difference in
// review:  CORRIDOR_UPDATE_GOLDEN=1 build/dev/tests/api_flow_test --gtest_filter='Golden.*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "api/api.hpp"
#include "app/app.hpp"
#include "core/clock.hpp"
#include "demo/demo.hpp"
#include "store/testing.hpp"

namespace corridor::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kGoldenPath = CORRIDOR_SOURCE_DIR "/tests/golden/api.json";

// The OpenAPI document less what the restructuring may add: response schemas.
Json Surface(const Json& openapi) {
  Json out = Json::object();
  for (const auto& [path, ops] : openapi.at("paths").items()) {
    for (const auto& [method, op] : ops.items()) {
      Json kept = op;
      kept.erase("responses");
      out[method + " " + path] = std::move(kept);
    }
  }
  return out;
}

// Where `value` breaks `schema` (the subset the OpenAPI document uses: type, with null allowed
// by a type list; properties; required; items), or "" when it conforms.
std::string Violation(const Json& schema, const Json& value, const std::string& at) {
  if (schema.contains("type")) {
    const Json types = schema["type"].is_array() ? schema["type"] : Json::array({schema["type"]});
    bool ok = false;
    for (const auto& t : types) {
      const std::string type = t.get<std::string>();
      ok = ok || (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
           (type == "string" && value.is_string()) || (type == "boolean" && value.is_boolean()) ||
           (type == "integer" && value.is_number_integer()) ||
           (type == "number" && value.is_number()) || (type == "null" && value.is_null());
    }
    if (!ok) return at + ": not " + types.dump();
  }
  if (value.is_object()) {
    const Json required = schema.value("required", Json::array());
    const Json properties = schema.value("properties", Json::object());
    for (const auto& name : required) {
      if (!value.contains(name.get<std::string>())) return at + ": no " + name.get<std::string>();
    }
    for (const auto& [name, sub] : properties.items()) {
      if (!value.contains(name)) continue;
      if (auto v = Violation(sub, value[name], at + "/" + name); !v.empty()) return v;
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto v = Violation(schema["items"], value[i], at + "/" + std::to_string(i)); !v.empty()) {
        return v;
      }
    }
  }
  return "";
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::testing::OpenStore("sqlite", dir_);
    ASSERT_NE(store_, nullptr);
    const service::DemoScale small{.registered = 3'000,
                                   .verified = 2'500,
                                   .deals = 300,
                                   .amount_financed_fen = 30'000'000'000,
                                   .open_needs = 40};
    auto demo = service::GenerateDemo(*store_, clock_, 3, *Date::Parse("2025-11-20"), small);
    ASSERT_TRUE(demo) << demo.error().message;
    for (const auto& [role, token] : demo->tokens) tokens_[role] = token;
    app_ = std::make_unique<app::App>(
        *store_, clock_,
        app::AppOptions{.registry_signer =
                            registry::NoteSigner::Generate("corridor.test/registry")});
    api_ = std::make_unique<api::Api>(*app_);
  }

  Json Get(const std::string& role, const std::string& target) {
    api::HttpRequest req;
    req.method = "GET";
    req.target = target;
    if (!role.empty()) req.headers.emplace_back("authorization", "Bearer " + tokens_.at(role));
    const auto r = api_->Handle(req);
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded()) body = r.body;  // SVG, HTML, text
    return Json{{"status", r.status}, {"content_type", r.content_type}, {"body", body}};
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{ManualClock::MicrosAt(*Date::Parse("2025-11-20"))};
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<api::Api> api_;
};

TEST_F(Golden, TheApiAnswersAsBeforeTheRestructuring) {
  const std::string bureau = "bureau_admin", bank = "bank_officer", guarantor = "guarantee_officer",
                    firm = "enterprise_user", analyst = "risk_analyst", auditor = "auditor";
  Json answers = Json::object();
  auto ask = [&](const std::string& role, const std::string& target) {
    answers[(role.empty() ? "public" : role) + " " + target] = Get(role, target);
  };
  // The marketplace.
  ask("", "/api/v1/stats");
  for (const auto& role : {bureau, bank, guarantor, firm, analyst, auditor}) {
    ask(role, "/api/v1/session");
  }
  ask(bureau, "/api/v1/stats/breakdown");
  ask(bank, "/api/v1/stats/breakdown");
  ask(guarantor, "/api/v1/stats/breakdown");
  ask(firm, "/api/v1/stats/breakdown");
  ask(bureau, "/api/v1/enterprises?limit=3");
  ask(bureau, "/api/v1/enterprises?limit=2&order=newest");
  ask(bureau, "/api/v1/enterprises?status=registered&limit=2");
  ask(bureau, "/api/v1/enterprises/1");
  ask(bank, "/api/v1/enterprises/2");
  ask(firm, "/api/v1/enterprises/2");
  ask(bank, "/api/v1/products?limit=3");
  ask(bank, "/api/v1/products/1");
  ask(bank, "/api/v1/projects?limit=3");
  ask(bank, "/api/v1/needs?limit=2&order=newest");
  ask(firm, "/api/v1/needs?limit=2");
  // The lending book.
  ask(bank, "/api/v1/offers?limit=2");
  ask(firm, "/api/v1/offers?limit=2");
  ask(bank, "/api/v1/loans?limit=2");
  ask(bank, "/api/v1/loans?limit=2&order=newest");
  ask(guarantor, "/api/v1/loans?limit=2");
  ask(firm, "/api/v1/loans?limit=2");
  ask(bureau, "/api/v1/loans/1");
  ask(bank, "/api/v1/guarantees?limit=2");
  ask(guarantor, "/api/v1/guarantee-requests?limit=2");
  ask(bank, "/api/v1/lpr");
  ask(bureau, "/api/v1/subsidy-programs");
  // The registry (the log's key and checkpoint are random per instance and left out).
  ask(bureau, "/api/v1/registry/assets?limit=2");
  ask(firm, "/api/v1/registry/assets?limit=2&order=newest");
  ask(bureau, "/api/v1/registry/assets/1");
  ask(auditor, "/api/v1/registry/entries/0");
  // Regional evaluation.
  ask(analyst, "/api/v1/evaluation/border-cities");
  ask(analyst, "/api/v1/evaluation/indicators?year=2024&limit=3");
  ask(analyst, "/api/v1/evaluation/cooperation?year=2024");
  // Ecosystems and risk pools.
  ask(analyst, "/api/v1/ecosystems");
  ask(analyst, "/api/v1/ecosystems/1/graph");
  ask(analyst, "/api/v1/risk-pools");
  ask(bureau, "/api/v1/risk-pools/1");
  // Green finance.
  ask(bureau, "/api/v1/green/rule-tables");
  ask(bureau, "/api/v1/green/labels?limit=2");
  ask(bureau, "/api/v1/green/labels?status=under_review&limit=2");
  ask(bank, "/api/v1/green/reserves?limit=2");
  ask(bureau, "/api/v1/green/statistics");
  ask(bank, "/api/v1/green/financed-emissions?period=2024");
  // Analyses (none yet) and calc models.
  ask(analyst, "/api/v1/portfolios/1/analyses");
  ask(analyst, "/api/v1/calc");
  // Credit scoring: the small demo's bank has too short a history for a model.
  ask(bank, "/api/v1/scoring/models");
  ask(bureau, "/api/v1/scoring/enterprises/1/scores");
  // Refusals.
  ask("", "/api/v1/loans");
  ask(firm, "/api/v1/enterprises?limit=2");
  ask(bank, "/api/v1/loans?cursor=nonsense");
  ask(bank, "/api/v1/loans?limit=0");
  ask(bank, "/api/v1/lpr?order=newest");
  ask(bank, "/api/v1/nowhere");
  ask(bank, "/api/v1/loans/999999");
  ask(analyst, "/api/v1/evaluation/indicators");

  // Every answer of a success conforms to the schema the OpenAPI document gives it (and the
  // checker refuses what does not).
  ASSERT_NE(Violation({{"type", "object"}, {"required", {"id"}}}, Json::object(), ""), "");
  ASSERT_NE(Violation({{"type", {"integer", "null"}}}, "x", ""), "");
  ASSERT_NE(Violation({{"items", {{"type", "string"}}}}, Json::array({1}), ""), "");
  const Json openapi = Get("", "/api/v1/openapi.json").at("body");
  int checked = 0;
  for (const auto& [key, answer] : answers.items()) {
    if (answer["status"] != 200 || answer["content_type"] != "application/json") continue;
    const std::string target = key.substr(key.find(' ') + 1);
    const std::string path = target.substr(0, target.find('?'));
    const auto outcome = api_->router().Match("GET", path);
    ASSERT_TRUE(outcome.match) << key;
    const auto& spec = api_->router().routes()[outcome.match->index];
    const Json& schema = openapi.at("paths")
                             .at(spec.pattern)
                             .at("get")
                             .at("responses")
                             .at("200")
                             .at("content")
                             .at("application/json")
                             .at("schema");
    EXPECT_EQ(Violation(schema, answer["body"], ""), "") << key;
    if (!spec.response_schema.is_null()) ++checked;
  }
  EXPECT_GE(checked, 30);  // the lists and records of every context, not just "an object"
  const Json now{{"openapi_surface", Surface(openapi)}, {"answers", answers}};
  const std::string text = now.dump(1) + "\n";

  if (std::getenv("CORRIDOR_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGoldenPath, std::ios::binary) << text;
    GTEST_SKIP() << "wrote " << kGoldenPath;
  }
  std::ifstream in(kGoldenPath, std::ios::binary);
  ASSERT_TRUE(in) << "no golden file " << kGoldenPath;
  std::stringstream before;
  before << in.rdbuf();
  const Json was = Json::parse(before.str());
  // Name the first answer that moved, then hold the whole text byte for byte.
  for (const auto& [key, value] : was.at("openapi_surface").items()) {
    ASSERT_EQ(now["openapi_surface"].value(key, Json()), value) << "OpenAPI " << key;
  }
  ASSERT_EQ(now["openapi_surface"].size(), was["openapi_surface"].size());
  for (const auto& [key, value] : was.at("answers").items()) {
    ASSERT_EQ(now["answers"].value(key, Json()), value) << "answer to " << key;
  }
  EXPECT_EQ(text, before.str());
}

}  // namespace
}  // namespace corridor::testing
