#pragma once
// An in-process Corridor: temporary SQLite store, manual clock, the Api, and helpers to call it
// as a client would and to set up the usual cast (bureau, banks, guarantor, enterprises).
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "api/api.hpp"
#include "app/app.hpp"
#include "core/clock.hpp"
#include "store/testing.hpp"

namespace corridor::testing {

using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
  api::HttpResponse raw;
};

// USCCs with valid check characters for test enterprise number i.
inline std::string TestUscc(int i) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string code = "91150402MA";
  std::string tail(7, '0');
  int v = i;
  for (int k = 6; k >= 0; --k) {
    tail[static_cast<size_t>(k)] = kAlphabet[static_cast<size_t>(v % 31)];
    v /= 31;
  }
  code += tail;
  int sum = 0;
  static constexpr int kW[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  for (size_t k = 0; k < 17; ++k) sum += static_cast<int>(kAlphabet.find(code[k])) * kW[k];
  code.push_back(kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)]);
  return code;
}

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::testing::OpenStore("sqlite", dir_);
    ASSERT_NE(store_, nullptr);
    app_ = std::make_unique<app::App>(
        *store_, clock_,
        app::AppOptions{.registry_signer = registry::NoteSigner::Generate("corridor.test/registry"),
                        .integrate_in_background = false,
                        .federated_key = risk::federated::PartyKey::FromSeed({7})});
    app_->Start();
    api_ = std::make_unique<api::Api>(*app_);
    // The bureau and its administrator exist from the start, as after onboarding.
    auto token = store_->Write([&](store::Connection& c) -> Result<std::string> {
      const int64_t id = CORRIDOR_TRY(store::InsertReturningId(
          c,
          "INSERT INTO tenants (kind, name, created_at) VALUES ('bureau', 'Chifeng Finance "
          "Bureau', 0) RETURNING id"));
      return service::CreateUserWithToken(c, clock_, id, service::Role::kBureauAdmin, "admin");
    });
    ASSERT_TRUE(token);
    bureau_ = *token;
  }

  Reply Call(const std::string& method, const std::string& target, const std::string& token,
             const Json& body = nullptr, const std::string& idempotency_key = "") {
    api::HttpRequest req;
    req.method = method;
    req.target = target;
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    if (!idempotency_key.empty()) req.headers.emplace_back("idempotency-key", idempotency_key);
    if (!body.is_null()) req.body = body.dump();
    Reply r;
    r.raw = api_->Handle(req);
    r.status = r.raw.status;
    r.body = Json::parse(r.raw.body, nullptr, false);
    return r;
  }

  // Onboards a tenant of `kind` with one user of `role`; returns {tenant id, token}.
  std::pair<int64_t, std::string> Onboard(const std::string& kind, const std::string& name,
                                          const std::string& role) {
    auto t = Call("POST", "/api/v1/tenants", bureau_, {{"kind", kind}, {"name", name}});
    EXPECT_EQ(t.status, 201) << t.raw.body;
    const int64_t id = t.body["id"].get<int64_t>();
    auto u = Call("POST", "/api/v1/tenants/" + std::to_string(id) + "/users", bureau_,
                  {{"role", role}, {"name", name + " user"}});
    EXPECT_EQ(u.status, 201) << u.raw.body;
    return {id, u.body["token"].get<std::string>()};
  }

  // Registers and verifies an enterprise; returns {enterprise id, token}.
  std::pair<int64_t, std::string> Enterprise(int i, const std::string& industry = "farming_herding",
                                             const std::string& green = "none") {
    auto r = Call("POST", "/api/v1/enterprises", "",
                  {{"uscc", TestUscc(i)},
                   {"name", "赤峰测试企业" + std::to_string(i)},
                   {"region", "Hongshan"},
                   {"industry", industry},
                   {"green_label", green}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    const int64_t id = r.body["enterprise"]["id"].get<int64_t>();
    auto v = Call("POST", "/api/v1/enterprises/" + std::to_string(id) + "/verify", bureau_);
    EXPECT_EQ(v.status, 200) << v.raw.body;
    return {id, r.body["token"].get<std::string>()};
  }

  // The enterprise posts a need, the bank offers exactly that, the enterprise accepts; returns
  // the accepted offer's id.
  int64_t AcceptedOffer(const std::string& bank, const std::string& enterprise, int64_t amount_fen,
                        int64_t term_months, int64_t rate_bps, const std::string& method) {
    auto need = Call("POST", "/api/v1/needs", enterprise,
                     {{"amount_fen", amount_fen}, {"term_months", term_months}, {"purpose", "x"}});
    EXPECT_EQ(need.status, 201) << need.raw.body;
    auto offer = Call("POST", "/api/v1/offers", bank,
                      {{"need_id", need.body["id"]},
                       {"amount_fen", amount_fen},
                       {"annual_rate_bps", rate_bps},
                       {"term_months", term_months},
                       {"method", method}});
    EXPECT_EQ(offer.status, 201) << offer.raw.body;
    const int64_t id = offer.body["id"].get<int64_t>();
    EXPECT_EQ(Call("POST", "/api/v1/offers/" + std::to_string(id) + "/accept", enterprise).status,
              200);
    return id;
  }

  // Bank asks, guarantor approves; returns the approved request id.
  int64_t ApprovedGuarantee(const std::string& bank, const std::string& guarantor,
                            int64_t guarantor_id, int64_t offer_id, int64_t cover_bps,
                            int64_t fee_bps = 0) {
    auto r = Call(
        "POST", "/api/v1/offers/" + std::to_string(offer_id) + "/guarantee-requests", bank,
        {{"guarantor_tenant_id", guarantor_id}, {"cover_bps", cover_bps}, {"fee_bps", fee_bps}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    const int64_t id = r.body["id"].get<int64_t>();
    auto a =
        Call("POST", "/api/v1/guarantee-requests/" + std::to_string(id) + "/approve", guarantor);
    EXPECT_EQ(a.status, 200) << a.raw.body;
    return id;
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{ManualClock::MicrosAt(*Date::Parse("2025-06-01"))};
  std::unique_ptr<app::App> app_;
  std::unique_ptr<api::Api> api_;
  std::string bureau_;
};

}  // namespace corridor::testing
