// Pension finance on the platform (service/pension/pension.hpp), through the API: the insurers'
// claims settled by period to the fen, a migratory-bird trust whose movements never overdraw it and
// whose projection is the engine's, the compensation fund's events, eco-index assessments.
#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class PensionPlatform : public ApiFixture {
 protected:
  static std::string Id(int64_t id) { return std::to_string(id); }
};

// Three insurers: Beijing's, Xilingol's and Hulunbuir's. Each sets its policy; the grassland
// insurers advance care for Beijing's members and Beijing for Xilingol's. Every figure below is
// worked by hand from the policies (deductible first, then the share, rounded down to the fen).
TEST_F(PensionPlatform, ClaimsAreSettledBetweenInsurersByPeriodToTheFen) {
  const auto [bj, bj_token] = Onboard("insurer", "北京市社会保险基金管理中心", "insurance_officer");
  const auto [xl, xl_token] =
      Onboard("insurer", "锡林郭勒盟社会保险事业服务中心", "insurance_officer");
  const auto [hl, hl_token] =
      Onboard("insurer", "呼伦贝尔市社会保险事业服务中心", "insurance_officer");
  const auto [bank, bank_token] = Onboard("bank", "Bank", "bank_officer");

  ASSERT_EQ(
      Call("POST", "/api/v1/pension/policies", bj_token,
           {{"deductible_fen", 100'000}, {"reimbursement_bps", 7'000}, {"cap_fen", 5'000'000}})
          .status,
      201);
  ASSERT_EQ(Call("POST", "/api/v1/pension/policies", xl_token,
                 {{"deductible_fen", 50'000}, {"reimbursement_bps", 8'000}})
                .status,
            201);
  auto claim = [&](const std::string& token, int64_t insuring, const std::string& member,
                   const std::string& date, int64_t eligible) {
    return Call("POST", "/api/v1/pension/claims", token,
                {{"insuring_tenant_id", insuring},
                 {"member", member},
                 {"period", date.substr(0, 7)},
                 {"care_date", date},
                 {"provider", "旗人民医院"},
                 {"eligible_fen", eligible}});
  };
  ASSERT_EQ(claim(xl_token, bj, "BJ-001", "2025-05-03", 300'000).status, 201);
  ASSERT_EQ(claim(xl_token, bj, "BJ-001", "2025-05-20", 50'001).status, 201);
  ASSERT_EQ(claim(bj_token, xl, "XL-001", "2025-05-07", 40'000).status, 201);
  ASSERT_EQ(claim(bj_token, xl, "XL-002", "2025-05-09", 1'000'000).status, 201);
  ASSERT_EQ(claim(hl_token, bj, "BJ-002", "2025-05-11", 200'000).status, 201);
  ASSERT_EQ(claim(xl_token, bj, "BJ-003", "2025-06-01", 90'000).status, 201);  // next period

  // Errors name the field; a bank may record nothing and read nothing.
  auto bad = Call("POST", "/api/v1/pension/claims", xl_token,
                  {{"insuring_tenant_id", bj},
                   {"member", "BJ-001"},
                   {"period", "2025-05"},
                   {"care_date", "2025-04-30"},
                   {"provider", "x"},
                   {"eligible_fen", 1}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/care_date") << bad.raw.body;
  bad = claim(xl_token, xl, "XL-009", "2025-05-01", 1);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/insuring_tenant_id") << bad.raw.body;
  bad = claim(xl_token, bank, "BJ-001", "2025-05-01", 1);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/insuring_tenant_id") << bad.raw.body;
  EXPECT_EQ(claim(bank_token, bj, "BJ-001", "2025-05-01", 1).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/pension/claims", bank_token).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/pension/settlements", xl_token, {{"period", "2025-05"}}).status,
            403);

  // Hulunbuir insures none of these claims' members, so it needs no policy; the bureau settles.
  auto s = Call("POST", "/api/v1/pension/settlements", bureau_, {{"period", "2025-05"}});
  ASSERT_EQ(s.status, 201) << s.raw.body;
  EXPECT_EQ(s.body["claims"], 5);
  EXPECT_EQ(s.body["eligible_fen"], 1'590'001);
  // BJ-001: 300,000 − 100,000 deductible → 70% = 140,000; then 70% of 50,001 = 35,000 (down).
  // XL-001: 40,000 under the 50,000 deductible → 0. XL-002: 80% of 950,000 = 760,000.
  // BJ-002: 70% of 100,000 = 70,000.
  EXPECT_EQ(s.body["reimbursed_fen"], 140'000 + 35'000 + 760'000 + 70'000);
  // Beijing owes Xilingol 175,000 and Hulunbuir 70,000; Xilingol owes Beijing 760,000.
  // Netted: Xilingol pays Beijing 585,000; Beijing pays Hulunbuir 70,000.
  std::map<std::pair<int64_t, int64_t>, int64_t> net;
  for (const auto& n : s.body["net"]) {
    net[{n["payer_tenant_id"].get<int64_t>(), n["payee_tenant_id"].get<int64_t>()}] =
        n["amount_fen"].get<int64_t>();
  }
  EXPECT_EQ(net, (std::map<std::pair<int64_t, int64_t>, int64_t>{{{xl, bj}, 585'000},
                                                                 {{bj, hl}, 70'000}}));
  std::map<int64_t, int64_t> position;
  int64_t sum = 0;
  for (const auto& p : s.body["positions"]) {
    position[p["tenant_id"].get<int64_t>()] = p["position_fen"].get<int64_t>();
    sum += p["position_fen"].get<int64_t>();
  }
  EXPECT_EQ(sum, 0);
  EXPECT_EQ(position, (std::map<int64_t, int64_t>{{bj, 515'000}, {xl, -585'000}, {hl, 70'000}}));
  EXPECT_TRUE(s.body["log_index"].is_number());
  const std::string id = Id(s.body["id"].get<int64_t>());

  // Each claim carries its reimbursement; the June claim waits for its period.
  auto claims = Call("GET", "/api/v1/pension/claims?period=2025-05", bureau_);
  ASSERT_EQ(claims.body["items"].size(), 5u);
  EXPECT_EQ(claims.body["items"][1]["reimbursed_fen"], 35'000);
  EXPECT_EQ(claims.body["items"][1]["member_bears_fen"], 15'001);
  auto june = Call("GET", "/api/v1/pension/claims?period=2025-06", bureau_);
  EXPECT_TRUE(june.body["items"][0]["settlement_id"].is_null());

  // Hulunbuir sees its own claim and position only: not Beijing's dealings with Xilingol.
  auto mine = Call("GET", "/api/v1/pension/settlements/" + id, hl_token);
  ASSERT_EQ(mine.status, 200) << mine.raw.body;
  ASSERT_EQ(mine.body["positions"].size(), 1u);
  EXPECT_EQ(mine.body["positions"][0]["position_fen"], 70'000);
  ASSERT_EQ(mine.body["net"].size(), 1u);
  EXPECT_EQ(mine.body["net"][0]["payer_tenant_id"], bj);
  EXPECT_EQ(Call("GET", "/api/v1/pension/claims", hl_token).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/pension/settlements/" + id, bank_token).status, 403);

  // A settled period takes no more claims and is not settled twice.
  EXPECT_EQ(claim(xl_token, bj, "BJ-001", "2025-05-30", 1'000).status, 409);
  EXPECT_EQ(Call("POST", "/api/v1/pension/settlements", bureau_, {{"period", "2025-05"}}).status,
            409);
  // A period whose insuring region has no policy waits for one.
  ASSERT_EQ(claim(bj_token, hl, "HL-001", "2025-07-02", 10'000).status, 201);
  auto no_policy = Call("POST", "/api/v1/pension/settlements", bureau_, {{"period", "2025-07"}});
  EXPECT_EQ(no_policy.status, 409);
  EXPECT_NE(no_policy.raw.body.find("呼伦贝尔"), std::string::npos) << no_policy.raw.body;
  EXPECT_EQ(Call("POST", "/api/v1/pension/settlements", bureau_, {{"period", "2025-13"}})
                .body["errors"][0]["field"],
            "/period");
}

// A trust's movements keep its assets, never below zero; a death ends a member's payments; the
// platform's projection is the engine's on the trust's active members (checked against the
// trust-projection calc model given the same members), and seeded scenarios repeat.
TEST_F(PensionPlatform, ATrustsMovementsNeverOverdrawItAndItsProjectionIsTheEngines) {
  const auto [trustee, token] = Onboard("trustee", "内蒙古候鸟养老信托", "trust_officer");
  const auto [other, other_token] = Onboard("trustee", "Other trust company", "trust_officer");
  const auto [insurer, insurer_token] = Onboard("insurer", "Insurer", "insurance_officer");
  auto t = Call("POST", "/api/v1/pension/trusts", token,
                {{"name", "草原候鸟养老信托一号"}, {"interest_bps", 400}});
  ASSERT_EQ(t.status, 201) << t.raw.body;
  const std::string trust = Id(t.body["id"].get<int64_t>());
  EXPECT_EQ(Call("POST", "/api/v1/pension/trusts", token,
                 {{"name", "草原候鸟养老信托一号"}, {"interest_bps", 400}})
                .body["errors"][0]["field"],
            "/name");
  // 2025: ages 65 (retired), 60 (retiring now) and 50 (paying in for ten more years).
  const Json members = Json::array({{{"member", "M1"},
                                     {"birth_year", 1960},
                                     {"retirement_age", 60},
                                     {"benefit_fen", 2'400'000},
                                     {"grassland_service_fen", 600'000},
                                     {"beijing_service_fen", 900'000}},
                                    {{"member", "M2"},
                                     {"birth_year", 1965},
                                     {"retirement_age", 60},
                                     {"benefit_fen", 1'800'000},
                                     {"grassland_service_fen", 600'000},
                                     {"beijing_service_fen", 900'000}},
                                    {{"member", "M3"},
                                     {"birth_year", 1975},
                                     {"retirement_age", 60},
                                     {"contribution_fen", 1'200'000},
                                     {"benefit_fen", 1'800'000},
                                     {"grassland_service_fen", 600'000},
                                     {"beijing_service_fen", 900'000}}});
  auto added =
      Call("POST", "/api/v1/pension/trusts/" + trust + "/members", token, {{"members", members}});
  ASSERT_EQ(added.status, 201) << added.raw.body;
  EXPECT_EQ(added.body["members"], 3);
  auto dup = Call("POST", "/api/v1/pension/trusts/" + trust + "/members", token,
                  {{"members", Json::array({members[1]})}});
  EXPECT_EQ(dup.body["errors"][0]["field"], "/members/0/member") << dup.raw.body;
  Json young = members[0];
  young["member"] = "M9";
  young["birth_year"] = 2010;
  EXPECT_EQ(Call("POST", "/api/v1/pension/trusts/" + trust + "/members", token,
                 {{"members", Json::array({young})}})
                .body["errors"][0]["field"],
            "/members/0/birth_year");
  auto listed = Call("GET", "/api/v1/pension/trusts/" + trust + "/members", token);
  std::map<std::string, int64_t> member_id;
  for (const auto& m : listed.body["items"]) member_id[m["member"]] = m["id"].get<int64_t>();

  auto move = [&](const std::string& kind, std::optional<std::string> member, int64_t fen) {
    Json body{{"kind", kind}, {"amount_fen", fen}, {"date", "2025-05-31"}};
    if (member) body["member_id"] = member_id[*member];
    return Call("POST", "/api/v1/pension/trusts/" + trust + "/movements", token, body);
  };
  auto paid = move("benefit", "M1", 200'000);
  EXPECT_EQ(paid.status, 409) << paid.raw.body;  // the trust holds nothing yet
  auto in = move("contribution", "M3", 100'000'000);
  ASSERT_EQ(in.status, 201) << in.raw.body;
  EXPECT_EQ(in.body["assets_after_fen"], 100'000'000);
  EXPECT_EQ(move("benefit", "M1", 200'000).body["assets_after_fen"], 99'800'000);
  EXPECT_EQ(move("grassland_service", "M1", 50'000).body["assets_after_fen"], 99'750'000);
  EXPECT_EQ(move("investment_return", std::nullopt, -750'000).body["assets_after_fen"], 99'000'000);
  EXPECT_EQ(move("investment_return", "M1", 1).body["errors"][0]["field"], "/member_id");
  EXPECT_EQ(move("benefit", "M1", 0).body["errors"][0]["field"], "/amount_fen");
  EXPECT_EQ(move("benefit", "M1", 99'000'001).status, 409);
  ASSERT_EQ(move("death", "M1", 0).status, 201);
  EXPECT_EQ(move("benefit", "M1", 1).status, 409);  // no payments after a death
  auto got = Call("GET", "/api/v1/pension/trusts/" + trust, token);
  EXPECT_EQ(got.body["assets_fen"], 99'000'000);
  EXPECT_EQ(got.body["members"]["active"], 2);
  EXPECT_EQ(got.body["members"]["deceased"], 1);
  EXPECT_EQ(got.body["movements"]["contribution"]["amount_fen"], 100'000'000);
  auto moves = Call("GET", "/api/v1/pension/trusts/" + trust + "/movements", token);
  EXPECT_EQ(moves.body["items"].size(), 5u);

  // The projection of the two active members equals the calc model given them by hand (in the
  // platform's order of its groups: youngest first).
  auto p = Call("GET", "/api/v1/pension/trusts/" + trust + "/projection?years=60", token);
  ASSERT_EQ(p.status, 200) << p.raw.body;
  EXPECT_EQ(p.body["members"], 2);
  auto calc = Call("POST", "/api/v1/calc/trust-projection", token,
                   {{"table", "sult"},
                    {"interest", 0.04},
                    {"years", 60},
                    {"assets_fen", 99'000'000},
                    {"members", Json::array({{{"age", 50},
                                              {"retirement_age", 60},
                                              {"contribution_fen", 1'200'000},
                                              {"benefit_fen", 1'800'000},
                                              {"grassland_service_fen", 600'000},
                                              {"beijing_service_fen", 900'000}},
                                             {{"age", 60},
                                              {"retirement_age", 60},
                                              {"benefit_fen", 1'800'000},
                                              {"grassland_service_fen", 600'000},
                                              {"beijing_service_fen", 900'000}}})}});
  ASSERT_EQ(calc.status, 200) << calc.raw.body;
  EXPECT_GT(p.body["liability_fen"].get<int64_t>(), 0);
  EXPECT_EQ(p.body["liability_fen"], calc.body["liability_fen"]);
  EXPECT_EQ(p.body["years"], calc.body["years"]);
  EXPECT_EQ(p.body["funding_ratio"], calc.body["funding_ratio"]);
  // Seeded scenarios repeat exactly, and give the probability of a shortfall.
  const std::string stochastic = "/api/v1/pension/trusts/" + trust +
                                 "/projection?years=40&scenarios=500&seed=11&mean_return_bps=350";
  auto s1 = Call("GET", stochastic, token);
  auto s2 = Call("GET", stochastic, token);
  ASSERT_EQ(s1.status, 200) << s1.raw.body;
  EXPECT_EQ(s1.body["years"], s2.body["years"]);
  EXPECT_EQ(s1.body["scenarios"], 500);
  const double shortfall = s1.body["shortfall_probability"].get<double>();
  EXPECT_GE(shortfall, 0.0);
  EXPECT_LE(shortfall, 1.0);
  EXPECT_EQ(Call("GET", "/api/v1/pension/trusts/" + trust + "/projection?scenarios=10001", token)
                .body["errors"][0]["field"],
            "/scenarios");

  // Another trust company does not see it; an insurer reads no trusts; the bureau reads all.
  EXPECT_EQ(Call("GET", "/api/v1/pension/trusts/" + trust, other_token).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/pension/trusts", other_token).body["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/pension/trusts", insurer_token).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/pension/trusts", bureau_).body["items"].size(), 1u);
}

// The fund's events as the bureau records them, each from the state the last one left: a
// contribution split 60/40 to the fen, a blizzard partly reinsured, a storm that drains it to its
// floor with the rest owed, and a top-up that pays what waits first.
TEST_F(PensionPlatform, TheFundPaysDisastersDownToItsFloorAndATopUpPaysWhatWaits) {
  const auto [insurer, insurer_token] = Onboard("insurer", "Insurer", "insurance_officer");
  const auto [bank, bank_token] = Onboard("bank", "Bank", "bank_officer");
  auto event = [&](Json body) {
    body["date"] = "2025-05-01";
    return Call("POST", "/api/v1/pension/fund/events", bureau_, body);
  };
  EXPECT_EQ(event({{"kind", "contribution"}, {"amount_fen", 1}}).status, 409);  // no rules yet
  auto rules = Call(
      "PUT", "/api/v1/pension/fund/rules", bureau_,
      {{"beijing_share_bps", 6'000},
       {"floor_fen", 1'000'000},
       {"layers",
        Json::array(
            {{{"attachment_fen", 5'000'000}, {"limit_fen", 10'000'000}, {"share_bps", 8'000}}})}});
  ASSERT_EQ(rules.status, 200) << rules.raw.body;
  EXPECT_EQ(Call("PUT", "/api/v1/pension/fund/rules", bureau_,
                 {{"beijing_share_bps", 6'000},
                  {"floor_fen", 0},
                  {"layers", Json::array({{{"attachment_fen", 0}, {"limit_fen", 0}}})}})
                .body["errors"][0]["field"],
            "/layers/0/limit_fen");

  auto c = event({{"kind", "contribution"}, {"amount_fen", 12'000'001}});
  ASSERT_EQ(c.status, 201) << c.raw.body;
  EXPECT_EQ(c.body["beijing_fen"], 7'200'000);  // 60% of 12,000,001, rounded down
  EXPECT_EQ(c.body["inner_mongolia_fen"], 4'800'001);
  EXPECT_EQ(c.body["balance_fen"], 12'000'001);
  // 300 herders lose 500 yuan each: 15,000,000; the layer recovers 80% of the 10,000,000 above
  // 5,000,000; the fund pays 7,000,000 and keeps 5,000,001.
  auto b = event({{"kind", "blizzard"},
                  {"area", "锡林郭勒盟"},
                  {"affected_members", 300},
                  {"loss_per_member_fen", 50'000}});
  ASSERT_EQ(b.status, 201) << b.raw.body;
  EXPECT_EQ(b.body["recovered_fen"], 8'000'000);
  EXPECT_EQ(b.body["paid_fen"], 7'000'000);
  EXPECT_EQ(b.body["balance_fen"], 5'000'001);
  // A storm of 4,500,000 (under the attachment): 4,000,001 paid, down to the floor exactly;
  // 499,999 owed.
  auto d = event({{"kind", "sandstorm"},
                  {"area", "正蓝旗"},
                  {"affected_members", 100},
                  {"loss_per_member_fen", 45'000}});
  EXPECT_EQ(d.body["paid_fen"], 4'000'001);
  EXPECT_EQ(d.body["balance_fen"], 1'000'000);
  EXPECT_EQ(d.body["owed_fen"], 499'999);
  EXPECT_EQ(d.body["needs_top_up"], true);
  auto top = event({{"kind", "top_up"}, {"area", "beijing"}, {"amount_fen", 2'000'000}});
  EXPECT_EQ(top.body["beijing_fen"], 2'000'000);
  EXPECT_EQ(top.body["paid_fen"], 499'999);
  EXPECT_EQ(top.body["owed_fen"], 0);
  EXPECT_EQ(top.body["balance_fen"], 2'500'001);

  auto fund = Call("GET", "/api/v1/pension/fund", insurer_token);
  ASSERT_EQ(fund.status, 200) << fund.raw.body;
  EXPECT_EQ(fund.body["balance_fen"], 2'500'001);
  EXPECT_EQ(fund.body["from_beijing_fen"], 9'200'000);
  EXPECT_EQ(fund.body["from_inner_mongolia_fen"], 4'800'001);
  EXPECT_EQ(fund.body["gross_claims_fen"], 19'500'000);
  EXPECT_EQ(fund.body["members_affected"], 400);
  EXPECT_EQ(fund.body["rules"]["inner_mongolia_share_bps"], 4'000);
  // Every fen in (both regions' 14,000,001 and the reinsurers' 8,000,000) went to the claims,
  // paid in full (19,500,000), or is the balance (2,500,001).
  EXPECT_EQ(fund.body["from_beijing_fen"].get<int64_t>() +
                fund.body["from_inner_mongolia_fen"].get<int64_t>() +
                fund.body["recovered_fen"].get<int64_t>(),
            fund.body["gross_claims_fen"].get<int64_t>() + fund.body["balance_fen"].get<int64_t>());
  auto events = Call("GET", "/api/v1/pension/fund/events", bureau_);
  ASSERT_EQ(events.body["items"].size(), 4u);
  for (const auto& e : events.body["items"]) EXPECT_GE(e["balance_fen"].get<int64_t>(), 0);

  EXPECT_EQ(event({{"kind", "flood"}}).body["errors"][0]["field"], "/kind");
  EXPECT_EQ(
      event({{"kind", "top_up"}, {"area", "hebei"}, {"amount_fen", 1}}).body["errors"][0]["field"],
      "/area");
  EXPECT_EQ(Call("POST", "/api/v1/pension/fund/events", insurer_token,
                 {{"kind", "contribution"}, {"amount_fen", 1}, {"date", "2025-05-01"}})
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/pension/fund", bank_token).status, 403);
}

// A county's observation assessed for every policy of the insurer there: at the thresholds the
// premium is discounted and the benefit raised; a degraded county pays out in proportion; each
// decision is explained in both languages and made once a year.
TEST_F(PensionPlatform, EcoIndexAssessmentsTriggerAtTheThresholdAndExplainThemselves) {
  const auto [insurer, token] =
      Onboard("insurer", "锡林郭勒盟社会保险事业服务中心", "insurance_officer");
  const auto [other, other_token] = Onboard("insurer", "Other insurer", "insurance_officer");
  auto observe = [&](const std::string& county, int64_t days, int64_t good, int64_t ndvi,
                     int64_t baseline) {
    return Call("POST", "/api/v1/pension/eco/observations", bureau_,
                {{"county", county},
                 {"year", 2024},
                 {"days_observed", days},
                 {"good_air_days", good},
                 {"ndvi_e4", ndvi},
                 {"baseline_ndvi_e4", baseline},
                 {"source", "盟生态环境局 / MODIS NDVI"}});
  };
  // 292 of 365 good days = 80.00%; NDVI at its baseline = 100%: the index is 90.00%.
  ASSERT_EQ(observe("锡林浩特市", 365, 292, 4'500, 4'500).status, 201);
  // 183 of 366 = 50.00%; NDVI 2,000 of 4,000 = 50.00%: the index 50.00% is under 60.00%.
  ASSERT_EQ(observe("正蓝旗", 366, 183, 2'000, 4'000).status, 201);
  EXPECT_EQ(observe("正蓝旗", 366, 183, 2'000, 4'000).status, 409);
  EXPECT_EQ(observe("阿巴嘎旗", 365, 400, 1, 1).body["errors"][0]["field"], "/good_air_days");

  auto policy = [&](const std::string& t, const std::string& member, const std::string& county) {
    return Call("POST", "/api/v1/pension/eco/policies", t,
                {{"member", member},
                 {"county", county},
                 {"premium_fen", 120'000},
                 {"benefit_fen", 300'000},
                 {"sum_insured_fen", 5'000'000}});
  };
  ASSERT_EQ(policy(token, "XL-100", "锡林浩特市").status, 201);
  ASSERT_EQ(policy(token, "XL-101", "锡林浩特市").status, 201);
  ASSERT_EQ(policy(token, "XL-200", "正蓝旗").status, 201);
  ASSERT_EQ(policy(other_token, "OT-1", "锡林浩特市").status, 201);
  EXPECT_EQ(policy(token, "XL-100", "正蓝旗").body["errors"][0]["field"], "/member");

  auto a = Call("POST", "/api/v1/pension/eco/assessments", token,
                {{"county", "锡林浩特市"}, {"year", 2024}});
  ASSERT_EQ(a.status, 201) << a.raw.body;
  EXPECT_EQ(a.body["index_bps"], 9'000);
  EXPECT_EQ(a.body["assessed"], 2);  // the other insurer's policy is its own to assess
  EXPECT_EQ(a.body["discounted"], 2);
  EXPECT_EQ(a.body["uplifted"], 2);
  EXPECT_EQ(a.body["payout_fen"], 0);
  EXPECT_EQ(Call("POST", "/api/v1/pension/eco/assessments", token,
                 {{"county", "锡林浩特市"}, {"year", 2024}})
                .status,
            409);
  auto degraded = Call("POST", "/api/v1/pension/eco/assessments", token,
                       {{"county", "正蓝旗"}, {"year", 2024}});
  ASSERT_EQ(degraded.status, 201) << degraded.raw.body;
  // 5,000,000 × (6,000 − 5,000) / 6,000 = 833,333 fen, rounded down.
  EXPECT_EQ(degraded.body["payout_fen"], 833'333);
  EXPECT_EQ(
      Call("POST", "/api/v1/pension/eco/assessments", token, {{"county", "正蓝旗"}, {"year", 2023}})
          .status,
      409);  // no observation of that year

  auto list = Call("GET", "/api/v1/pension/eco/assessments", token);
  ASSERT_EQ(list.body["items"].size(), 3u);
  const auto& first = list.body["items"][0];
  EXPECT_EQ(first["premium_fen"], 114'000);  // 5% off
  EXPECT_EQ(first["benefit_fen"], 309'000);  // 3% more
  EXPECT_NE(first["explanation_zh"].get<std::string>().find("保费减免 5.00%"), std::string::npos);
  EXPECT_NE(first["explanation_en"].get<std::string>().find("Eco-index 90.00%"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/pension/eco/assessments", other_token).body["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/pension/eco/policies", other_token).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/pension/eco/policies", bureau_).body["items"].size(), 4u);
  EXPECT_EQ(Call("GET", "/api/v1/pension/eco/observations", other_token).body["items"].size(), 2u);
}

}  // namespace
}  // namespace corridor::testing
