// Tenant isolation: one bank never sees another's offers, loans or guarantees; an enterprise sees
// only its own; a cross-tenant read answers 404 exactly like a missing record.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class Isolation : public ApiFixture {
 protected:
  // Books a standard loan of `bank` to `enterprise`; returns {offer id, loan id}.
  std::pair<int64_t, int64_t> BookLoan(const std::string& bank, const std::string& enterprise,
                                       const std::string& guarantor, int64_t guarantor_id) {
    const int64_t offer = AcceptedOffer(bank, enterprise, 50'000'000, 12, 395, "equal_principal");
    const int64_t request = ApprovedGuarantee(bank, guarantor, guarantor_id, offer, 5000, 150);
    auto loan = Call(
        "POST", "/api/v1/loans", bank,
        {{"offer_id", offer}, {"start_date", "2025-06-01"}, {"guarantee_request_id", request}});
    EXPECT_EQ(loan.status, 201) << loan.raw.body;
    return {offer, loan.body["id"].get<int64_t>()};
  }
};

TEST_F(Isolation, BanksEnterprisesAndGuarantorsSeeOnlyTheirOwn) {
  const auto [bank_a_id, bank_a] = Onboard("bank", "Bank A", "bank_officer");
  const auto [bank_b_id, bank_b] = Onboard("bank", "Bank B", "bank_officer");
  const auto [g1_id, g1] = Onboard("guarantor", "Guarantor 1", "guarantee_officer");
  const auto [g2_id, g2] = Onboard("guarantor", "Guarantor 2", "guarantee_officer");
  const auto [e1_id, e1] = Enterprise(1);
  const auto [e2_id, e2] = Enterprise(2);
  const auto [offer_a, loan_a] = BookLoan(bank_a, e1, g1, g1_id);
  const auto [offer_b, loan_b] = BookLoan(bank_b, e2, g2, g2_id);
  const std::string a = "/api/v1/loans/" + std::to_string(loan_a);
  const std::string missing = "/api/v1/loans/999999";

  // Bank B reading bank A's loan gets exactly what a missing loan gives.
  const auto cross = Call("GET", a, bank_b);
  const auto absent = Call("GET", missing, bank_b);
  EXPECT_EQ(cross.status, 404);
  EXPECT_EQ(cross.raw.body, absent.raw.body);
  EXPECT_EQ(Call("GET", a, bank_a).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/offers/" + std::to_string(offer_a), bank_b).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/offers/" + std::to_string(offer_a), e2).status, 404);
  EXPECT_EQ(Call("GET", a, e2).status, 404);
  EXPECT_EQ(Call("GET", a, e1).status, 200);
  EXPECT_EQ(Call("GET", a, g2).status, 404);
  EXPECT_EQ(Call("GET", a, g1).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/enterprises/" + std::to_string(e1_id), e2).status, 404);

  // Lists hold only the caller's records.
  for (const auto& [token, loan] :
       {std::pair{bank_a, loan_a}, std::pair{bank_b, loan_b}, std::pair{e1, loan_a},
        std::pair{e2, loan_b}, std::pair{g1, loan_a}, std::pair{g2, loan_b}}) {
    auto list = Call("GET", "/api/v1/loans", token);
    ASSERT_EQ(list.body["items"].size(), 1u) << list.raw.body;
    EXPECT_EQ(list.body["items"][0]["id"], loan);
    auto guarantees = Call("GET", "/api/v1/guarantees", token);
    ASSERT_EQ(guarantees.body["items"].size(), 1u);
    EXPECT_EQ(guarantees.body["items"][0]["loan_id"], loan);
  }
  EXPECT_EQ(Call("GET", "/api/v1/offers", bank_a).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/offers", e2).body["items"][0]["id"], offer_b);
  EXPECT_EQ(Call("GET", "/api/v1/loans", bureau_).body["items"].size(), 2u);

  // Writes across tenants fail the same way: bank B cannot book or repay bank A's business.
  EXPECT_EQ(
      Call("POST", "/api/v1/loans", bank_b, {{"offer_id", offer_a}, {"start_date", "2025-06-01"}})
          .status,
      404);
  EXPECT_EQ(Call("POST", a + "/repayments", bank_b, {{"amount_fen", 100}}).status, 404);
  EXPECT_EQ(Call("POST", a + "/repayments", e2, {{"amount_fen", 100}}).status, 404);
  // Guarantee requests: each agency sees only those addressed to it, each bank its own.
  EXPECT_EQ(Call("GET", "/api/v1/guarantee-requests", g1).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/guarantee-requests", bank_b).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/guarantee-requests", e1).body["items"].size(), 0u);
  // Two more accepted offers of bank A; a request approved for one cannot back the other, and
  // neither bank B nor guarantor 2 can touch them.
  std::vector<int64_t> offers;
  for (int k = 0; k < 2; ++k) {
    auto need = Call("POST", "/api/v1/needs", e1,
                     {{"amount_fen", 1'000'000}, {"term_months", 6}, {"purpose", "more feed"}});
    auto offer = Call("POST", "/api/v1/offers", bank_a,
                      {{"need_id", need.body["id"]},
                       {"amount_fen", 1'000'000},
                       {"annual_rate_bps", 400},
                       {"term_months", 6}});
    offers.push_back(offer.body["id"].get<int64_t>());
  }
  // Only one offer per need may be accepted; these are on two needs.
  for (int64_t o : offers) {
    ASSERT_EQ(Call("POST", "/api/v1/offers/" + std::to_string(o) + "/accept", e1).status, 200);
  }
  const std::string x_requests =
      "/api/v1/offers/" + std::to_string(offers[0]) + "/guarantee-requests";
  EXPECT_EQ(Call("POST", x_requests, bank_b, {{"guarantor_tenant_id", g1_id}, {"cover_bps", 5000}})
                .status,
            404);
  auto req =
      Call("POST", x_requests, bank_a, {{"guarantor_tenant_id", g1_id}, {"cover_bps", 5000}});
  ASSERT_EQ(req.status, 201);
  const std::string req_path =
      "/api/v1/guarantee-requests/" + std::to_string(req.body["id"].get<int64_t>());
  EXPECT_EQ(Call("POST", req_path + "/approve", g2).status, 404);
  ASSERT_EQ(Call("POST", req_path + "/approve", g1).status, 200);
  auto misuse = Call("POST", "/api/v1/loans", bank_a,
                     {{"offer_id", offers[1]},
                      {"start_date", "2025-06-01"},
                      {"guarantee_request_id", req.body["id"]}});
  EXPECT_EQ(misuse.status, 422);
  EXPECT_EQ(misuse.body["errors"][0]["field"], "/guarantee_request_id");
  auto used = Call("POST", "/api/v1/loans", bank_a,
                   {{"offer_id", offers[0]},
                    {"start_date", "2025-06-01"},
                    {"guarantee_request_id", req.body["id"]}});
  EXPECT_EQ(used.status, 201) << used.raw.body;

  auto whitelist = Call("POST", "/api/v1/whitelists", bank_a, {{"name", "A's core suppliers"}});
  ASSERT_EQ(whitelist.status, 201);
  const std::string members =
      "/api/v1/whitelists/" + std::to_string(whitelist.body["id"].get<int64_t>()) + "/members";
  EXPECT_EQ(Call("POST", members, bank_b, {{"enterprise_id", e2_id}}).status, 404);
  EXPECT_EQ(Call("GET", members, bank_b).status, 404);
  EXPECT_EQ(Call("POST", members, bank_a, {{"enterprise_id", e1_id}}).status, 201);
  EXPECT_EQ(Call("GET", members, bank_a).body["items"].size(), 1u);
}

TEST_F(Isolation, WhitelistProductsAdmitOnlyMembers) {
  const auto [bank_id, bank] = Onboard("bank", "Bank A", "bank_officer");
  const auto [e1_id, e1] = Enterprise(1);
  const auto [e2_id, e2] = Enterprise(2);
  auto whitelist =
      Call("POST", "/api/v1/whitelists", bureau_, {{"name", "Zinc smelter ecosystem"}});
  const int64_t wl = whitelist.body["id"].get<int64_t>();
  ASSERT_EQ(Call("POST", "/api/v1/whitelists/" + std::to_string(wl) + "/members", bureau_,
                 {{"enterprise_id", e1_id}})
                .status,
            201);
  ASSERT_EQ(Call("POST", "/api/v1/products", bank,
                 {{"name", "Ecosystem supplier loan"},
                  {"min_amount_fen", 100},
                  {"max_amount_fen", 100'000'000},
                  {"min_term_months", 1},
                  {"max_term_months", 24},
                  {"rate_bps", 350},
                  {"whitelist_id", wl}})
                .status,
            201);
  for (const auto& [token, expected] : {std::pair{e1, 1u}, std::pair{e2, 0u}}) {
    auto need = Call("POST", "/api/v1/needs", token,
                     {{"amount_fen", 1'000'000}, {"term_months", 6}, {"purpose", "ore"}});
    auto m =
        Call("GET", "/api/v1/needs/" + std::to_string(need.body["id"].get<int64_t>()) + "/matches",
             token);
    EXPECT_EQ(m.body["matches"].size(), expected) << m.raw.body;
  }
}

}  // namespace
}  // namespace corridor::testing
