// Every API body reader, through the Api as a client reaches it: the first byte picks a write
// route (path ids 1), the second the caller (the bureau, a bank, a guarantee agency, an
// enterprise, nobody), the rest is the body. Nothing may answer 500: bad bodies are 4xx naming the
// field. One in-process platform (a temporary SQLite store) serves every input.
#include <filesystem>
#include <memory>
#include <string>

#include "api/api.hpp"
#include "app/app.hpp"
#include "core/clock.hpp"
#include "fuzz.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace corridor;

struct Platform {
  Platform() {
    char pattern[] = "/tmp/corridor-fuzz-XXXXXX";
    dir = ::mkdtemp(pattern);
    store = std::move(*store::SqliteStore::Open({.path = dir + "/fuzz.db"}));
    app = std::make_unique<app::App>(
        *store, clock,
        app::AppOptions{.registry_signer =
                            registry::NoteSigner::Generate("fuzz.example/registry")});
    api = std::make_unique<api::Api>(*app);
    auto made = store->Write([&](store::Connection& c) -> Result<bool> {
      auto tenant = [&](const char* kind, const char* name) -> Result<int64_t> {
        return store::InsertReturningId(
            c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, 0) RETURNING id", kind,
            name);
      };
      const int64_t bureau = CORRIDOR_TRY(tenant("bureau", "Bureau"));
      tokens.push_back(CORRIDOR_TRY(
          service::CreateUserWithToken(c, clock, bureau, service::Role::kBureauAdmin, "admin")));
      const int64_t bank = CORRIDOR_TRY(tenant("bank", "Bank"));
      tokens.push_back(CORRIDOR_TRY(
          service::CreateUserWithToken(c, clock, bank, service::Role::kBankOfficer, "officer")));
      const int64_t agency = CORRIDOR_TRY(tenant("guarantor", "Agency"));
      tokens.push_back(CORRIDOR_TRY(service::CreateUserWithToken(
          c, clock, agency, service::Role::kGuaranteeOfficer, "officer")));
      return true;
    });
    CORRIDOR_FUZZ_CHECK(made.has_value());
    api::HttpRequest reg;
    reg.method = "POST";
    reg.target = "/api/v1/enterprises";
    reg.body =
        R"({"uscc":"91150402MA0000011P","name":"f","region":"Hongshan","industry":"farming_herding"})";
    const auto r = api->Handle(reg);
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    tokens.push_back(body.value("token", std::string()));
    tokens.push_back("");
    for (const auto& spec : api->router().routes()) {
      if (spec.method == "GET") continue;
      std::string path = spec.pattern;
      for (const char* p : {"{id}", "{analysis}", "{index}"}) {
        for (auto at = path.find(p); at != std::string::npos; at = path.find(p)) {
          path.replace(at, std::string_view(p).size(), "1");
        }
      }
      for (auto at = path.find("{model}"); at != std::string::npos; at = path.find("{model}")) {
        path.replace(at, 7, "uscc-validate");
      }
      for (auto at = path.find("{key}"); at != std::string::npos; at = path.find("{key}")) {
        path.replace(at, 5, "entrepreneurship_spread_bps");
      }
      routes.push_back({spec.method, path});
    }
  }
  ~Platform() { std::filesystem::remove_all(dir); }

  std::string dir;
  ManualClock clock{ManualClock::MicrosAt(*Date::Parse("2025-06-01"))};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<app::App> app;
  std::unique_ptr<api::Api> api;
  std::vector<std::string> tokens;
  std::vector<std::pair<std::string, std::string>> routes;
};

}  // namespace

CORRIDOR_FUZZ_TARGET(api_body) {
  if (size < 2 || size > 8192) return 0;
  static Platform platform;
  const auto& [method, path] = platform.routes[data[0] % platform.routes.size()];
  // The analyses run in the background on real books; their input reader is all that is fuzzed.
  const std::string& token = platform.tokens[data[1] % platform.tokens.size()];
  api::HttpRequest req;
  req.method = method;
  req.target = path;
  if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
  req.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto r = platform.api->Handle(req);
  CORRIDOR_FUZZ_CHECK(r.status < 500 || r.status == 503);
  return 0;
}
