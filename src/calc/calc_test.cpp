#include "calc/calc.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "gpu/gpu.hpp"

namespace corridor::calc {
namespace {

TEST(Calc, ListsModelsSortedByName) {
  std::vector<std::string> names;
  for (const auto& m : CalcModels()) names.push_back(m.name);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const char* want : {"checkpoint-verify",
                           "ed25519-verify",
                           "loan-schedule",
                           "merkle-consistency-proof",
                           "merkle-inclusion-proof",
                           "merkle-root",
                           "merkle-verify-consistency",
                           "merkle-verify-inclusion",
                           "uscc-validate",
                           "coupling-coordination",
                           "dea",
                           "sbm",
                           "malmquist",
                           "moran-i",
                           "cusum",
                           "ewma",
                           "arl",
                           "health-alerts",
                           "logistic-regression",
                           "score-scale",
                           "woe-binning",
                           "paillier",
                           "vertical-lr"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

// RFC 6962's reference leaves (transparency-dev/merkle testonly/constants.go).
const Json kLeaves = Json::array({"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                  "606162636465666768696a6b6c6d6e6f"});

TEST(Calc, MerkleModelsAnswerTheContract) {
  auto root = RunCalc("merkle-root", Json{{"leaves_hex", kLeaves}});
  ASSERT_TRUE(root);
  EXPECT_EQ((*root)["tree_size"], 8);
  EXPECT_EQ((*root)["root_hex"],
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  auto empty = RunCalc("merkle-root", Json{{"leaves_hex", Json::array()}});
  EXPECT_EQ((*empty)["root_hex"],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  auto inclusion = RunCalc("merkle-inclusion-proof",
                           Json{{"leaves_hex", kLeaves}, {"leaf_index", 5}, {"tree_size", 8}});
  ASSERT_TRUE(inclusion);
  const Json proof = (*inclusion)["proof_hex"];
  ASSERT_EQ(proof.size(), 3u);
  Json verify{{"leaf_index", 5},
              {"tree_size", 8},
              {"leaf_hash_hex", "4271A26BE0D8A84F0BD54C8C302E7CB3A3B5D1FA6780A40BCCE2873477DAB658"},
              {"proof_hex", proof},
              {"root_hex", (*root)["root_hex"]}};
  EXPECT_EQ((*RunCalc("merkle-verify-inclusion", verify))["valid"], true);  // upper-case hex
  verify["leaf_index"] = 4;
  auto wrong = RunCalc("merkle-verify-inclusion", verify);
  ASSERT_TRUE(wrong);  // a proof that fails is an answer, not an error
  EXPECT_EQ((*wrong)["valid"], false);
  EXPECT_FALSE((*wrong)["reason"].get<std::string>().empty());
  verify["root_hex"] = "abcd";  // hex, but not 32 bytes
  EXPECT_EQ((*RunCalc("merkle-verify-inclusion", verify))["valid"], false);
  verify["root_hex"] = "xyz";  // not hex: the schema is broken
  EXPECT_FALSE(RunCalc("merkle-verify-inclusion", verify));

  auto consistency = RunCalc("merkle-consistency-proof",
                             Json{{"leaves_hex", kLeaves}, {"size1", 2}, {"size2", 5}});
  ASSERT_TRUE(consistency);
  EXPECT_EQ((*consistency)["proof_hex"],
            Json::array({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                         "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  Json check{{"size1", 2},
             {"size2", 5},
             {"root1_hex", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"},
             {"root2_hex", "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"},
             {"proof_hex", (*consistency)["proof_hex"]}};
  EXPECT_EQ((*RunCalc("merkle-verify-consistency", check))["valid"], true);
  check["size1"] = 0;
  EXPECT_EQ((*RunCalc("merkle-verify-consistency", check))["valid"], false);
  EXPECT_FALSE(RunCalc("merkle-consistency-proof",
                       Json{{"leaves_hex", kLeaves}, {"size1", 0}, {"size2", 5}}));
  EXPECT_FALSE(RunCalc("merkle-root", Json::object()));
}

TEST(Calc, EvaluationModelsAnswerTheContract) {
  // Hand-computed values as in evaluate/mcdm_test.cpp.
  auto e = RunCalc("entropy-weights",
                   Json{{"matrix", {{1, 10}, {2, 20}}}, {"directions", {"positive", "negative"}}});
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["weights"], Json({0.5, 0.5}));
  EXPECT_EQ((*e)["composite"], Json({0.5, 0.5}));
  auto t = RunCalc("topsis", Json{{"matrix", {{1}, {2}, {3}}},
                                  {"weights", {1}},
                                  {"types", {"benefit"}},
                                  {"normalization", "minmax"}});
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)["ranking"], Json({3, 2, 1}));
  auto g = RunCalc("gra", Json{{"matrix", {{0, 10}, {1, 20}, {2, 0}}},
                               {"directions", {"positive", "negative"}}});
  ASSERT_TRUE(g);
  EXPECT_NEAR((*g)["grades"][2].get<double>(), 1.0, 1e-15);
  auto bad = RunCalc("topsis", Json{{"matrix", {{1, "x"}}}, {"types", {"up"}}});
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& f : bad.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("/matrix/0/1"));
  EXPECT_TRUE(fields.count("/types/0"));
  EXPECT_TRUE(fields.count("/weights"));
}

TEST(Calc, RegionalModelsAnswerTheContract) {
  // Values derived in evaluate/coupling_test.cpp, dea_test.cpp and spatial_test.cpp.
  auto c = RunCalc("coupling-coordination", Json{{"u", {0.2, 0.8}}, {"variant", "wang2021"}});
  ASSERT_TRUE(c);
  EXPECT_NEAR((*c)["c"].get<double>(), std::sqrt(0.1), 1e-12);
  EXPECT_EQ((*c)["grade"], "轻度失调");
  auto d = RunCalc("dea", Json{{"inputs", {{2}, {3}, {6}, {4}}},
                               {"outputs", {{1}, {3}, {4}, {2}}},
                               {"returns", "vrs"},
                               {"orientation", "output"}});
  ASSERT_TRUE(d);
  EXPECT_NEAR((*d)["efficiency"][3].get<double>(), 0.6, 1e-9);
  EXPECT_EQ((*d)["lambdas"][3].size(), 4u);  // dense rows, one weight per DMU
  auto super = RunCalc("dea", Json{{"inputs", {{2}, {3}, {6}, {4}}},
                                   {"outputs", {{1}, {3}, {4}, {2}}},
                                   {"returns", "vrs"},
                                   {"super_efficiency", true}});
  ASSERT_TRUE(super);
  EXPECT_TRUE((*super)["efficiency"][2].is_null());  // infeasible under VRS
  auto sbm = RunCalc(
      "sbm",
      Json{{"inputs", {{1}, {1}}}, {"outputs", {{1}, {1}}}, {"undesirable_outputs", {{1}, {2}}}});
  ASSERT_TRUE(sbm);
  EXPECT_NEAR((*sbm)["efficiency"][1].get<double>(), 0.8, 1e-9);
  EXPECT_NEAR((*sbm)["undesirable_slacks"][1][0].get<double>(), 1.0, 1e-9);
  auto m = RunCalc("malmquist", Json{{"periods",
                                      {{{"inputs", {{2}, {4}}}, {"outputs", {{2}, {2}}}},
                                       {{"inputs", {{2}, {4}}}, {"outputs", {{3}, {4}}}}}}});
  ASSERT_TRUE(m);
  EXPECT_NEAR((*m)["results"][1]["malmquist"].get<double>(), 2.0, 1e-9);
  EXPECT_EQ((*m)["results"][1]["to_period"], 1);
  auto moran = RunCalc("moran-i", Json{{"values", {1, 2, 3, 4}},
                                       {"neighbors", {{1}, {0, 2}, {1, 3}, {2}}},
                                       {"row_standardize", false}});
  ASSERT_TRUE(moran);
  EXPECT_NEAR((*moran)["i"].get<double>(), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR((*moran)["variance_normal"].get<double>(), 80.0 / 540.0, 1e-15);
  // Errors name the field.
  auto both = RunCalc(
      "moran-i",
      Json{{"values", {1, 2, 3, 4}}, {"neighbors", {{1}, {0}, {3}, {2}}}, {"weights", {{0}}}});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().fields.at(0).field, "/neighbors");
  auto period = RunCalc("malmquist", Json{{"periods", {{{"inputs", {{1}}}}, 3}}});
  ASSERT_FALSE(period);
  std::set<std::string> fields;
  for (const auto& f : period.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("/periods/0/outputs")) << period.error().message;
  auto big = RunCalc(
      "dea", Json{{"inputs", Json::array()}, {"outputs", Json::array()}, {"returns", "drs"}});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().fields.at(0).field, "/returns");
}

TEST(Calc, RiskModelsAnswerTheContract) {
  // Values pinned in risk/credit/credit_test.cpp (Basel Annex 5; Bürgisser et al. 1999).
  auto irb =
      RunCalc("irb-capital", Json{{"asset_class", "corporate"}, {"pd", 0.01}, {"lgd", 0.45}});
  ASSERT_TRUE(irb);
  EXPECT_NEAR((*irb)["risk_weight"].get<double>(), 0.9232, 5e-5);
  auto sme =
      RunCalc("irb-capital", Json{{"asset_class", "sme_corporate"}, {"pd", 0.01}, {"lgd", 0.45}});
  ASSERT_FALSE(sme);
  EXPECT_EQ(sme.error().fields.at(0).field, "/sales_eur_m");
  auto crp = RunCalc("creditriskplus",
                     Json{{"unit_loss", 0.1},
                          {"sector_volatilities", {0.75, 0.75}},
                          {"sector_correlation", 0.5},
                          {"obligors",
                           {{{"exposure", 1}, {"pd", 0.04}, {"sector", 0}, {"count", 1000}},
                            {{"exposure", 2}, {"pd", 0.02}, {"sector", 1}, {"count", 1000}}}},
                          {"quantiles", {0.99}}});
  ASSERT_TRUE(crp) << crp.error().message;
  EXPECT_NEAR((*crp)["quantiles"]["0.99"].get<double>(), 250, 0.5);
  EXPECT_NEAR((*crp)["unexpected_loss"].get<double>(), 53.1, 0.01);
  auto mc = RunCalc("portfolio-mc", Json{{"obligors",
                                          {{{"ead", 1},
                                            {"pd", 0.02},
                                            {"lgd", 1},
                                            {"loadings", {0.3}},
                                            {"sector", "agri"},
                                            {"count", 100}}}},
                                         {"scenarios", 2000},
                                         {"seed", 5},
                                         {"confidence_levels", {0.99}},
                                         {"threads", 1}});
  ASSERT_TRUE(mc) << mc.error().message;
  EXPECT_TRUE((*mc)["var"].contains("0.99"));
  EXPECT_EQ((*mc)["backend_used"], "cpu");
  EXPECT_EQ((*mc)["contributions"].size(), 1u);
  auto cuda = RunCalc("portfolio-mc", Json{{"obligors", Json::array()}, {"backend", "cuda"}});
  ASSERT_FALSE(cuda);
  std::set<std::string> fields;
  for (const auto& f : cuda.error().fields) fields.insert(f.field);
  if (!gpu::Device()) {
    EXPECT_TRUE(fields.count("/backend"));  // no device (or no CUDA): refused, field named
  }
  auto conc = RunCalc(
      "concentration",
      Json{{"exposures",
            {{{"ead", 70}, {"sector", "solar"}}, {{"ead", 30}, {"sector", "agriculture"}}}}});
  ASSERT_TRUE(conc);
  EXPECT_EQ((*conc)["flags"][0]["flag"], "new_energy_over_60pct");
  auto lhp = RunCalc("vasicek-lhp", Json{{"pd", 0.01}, {"rho", 0.2}, {"confidence", 0.999}});
  ASSERT_TRUE(lhp);
  EXPECT_GT((*lhp)["expected_shortfall_rate"].get<double>(),
            (*lhp)["quantile_loss_rate"].get<double>());
  auto fin = RunCalc("vasicek-finite",
                     Json{{"obligors", 100}, {"pd", 0.02}, {"rho", 0.15}, {"confidence", 0.99}});
  ASSERT_TRUE(fin);
  EXPECT_GE((*fin)["cdf_at_quantile"].get<double>(), 0.99);
}

TEST(Calc, ContagionModelsAnswerTheContract) {
  // Values derived in risk/contagion/contagion_test.cpp.
  auto d = RunCalc("debtrank", Json{{"assets", {{0, 5}, {5, 0}}},
                                    {"capital", {10, 10}},
                                    {"initial_stress", {0, 0.5}},
                                    {"variant", "original"}});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_NEAR((*d)["debtrank"].get<double>(), 0.1875, 1e-15);
  EXPECT_EQ((*d)["final_stress"].size(), 2u);
  auto all =
      RunCalc("debtrank-all",
              Json{{"assets", {{0, 5}, {5, 0}}}, {"capital", {4, 10}}, {"variant", "threshold"}});
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)["nodes"][1]["additional_defaults"], 1);
  auto en = RunCalc("eisenberg-noe",
                    Json{{"liabilities", {{0, 10}, {5, 0}}}, {"external_assets", {2, 4}}});
  ASSERT_TRUE(en);
  EXPECT_NEAR((*en)["clearing_payments"][0].get<double>(), 7, 1e-12);
  EXPECT_EQ((*en)["defaulted"][0], true);
  auto st = RunCalc("stress-transmission",
                    Json{{"edges", {{{"buyer", "a"}, {"supplier", "b"}, {"amount", 5}}}},
                         {"shock", {{"node", "a"}, {"drop", 0.4}}},
                         {"pass_through", 1},
                         {"max_tiers", 3}});
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_NEAR((*st)["nodes"][1]["order_drop"].get<double>(), 0.4, 1e-15);
  auto rs = RunCalc("risk-sharing", Json{{"scheme", "compensation_pool"}, {"amount_fen", 7}});
  ASSERT_TRUE(rs);
  EXPECT_EQ((*rs)["shares"][1]["party"], "bank");
  EXPECT_EQ((*rs)["shares"][1]["amount_fen"], 3);
  auto bad =
      RunCalc("debtrank",
              Json{{"assets", {{0, -1}, {0, 0}}}, {"capital", {1, 1}}, {"initial_stress", {0, 1}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/assets/0/1");
}

// The sparse edge list is the dense matrix by other means: the same network gives the same
// numbers bit for bit, by index or by name; a 100,000-node chain runs (the dense form stops at
// 5,000 nodes).
TEST(Calc, DebtRankTakesASparseEdgeList) {
  const Json dense{{"assets", {{0, 5, 1}, {5, 0, 0}, {0, 2, 0}}},
                   {"capital", {10, 10, 4}},
                   {"initial_stress", {0, 0.5, 0}},
                   {"variant", "original"}};
  Json by_index{{"nodes", 3},
                {"edges",
                 {{{"creditor", 0}, {"debtor", 1}, {"amount", 3}},
                  {{"creditor", 0}, {"debtor", 1}, {"amount", 2}},  // adds up to 5
                  {{"creditor", 0}, {"debtor", 2}, {"amount", 1}},
                  {{"creditor", 1}, {"debtor", 0}, {"amount", 5}},
                  {{"creditor", 2}, {"debtor", 1}, {"amount", 2}}}},
                {"capital", {10, 10, 4}},
                {"initial_stress", {0, 0.5, 0}},
                {"variant", "original"}};
  Json by_name = by_index;
  by_name["nodes"] = {"core", "supplier", "bank"};
  const char* names[] = {"core", "supplier", "bank"};
  for (auto& e : by_name["edges"]) {
    e["creditor"] = names[e["creditor"].get<int>()];
    e["debtor"] = names[e["debtor"].get<int>()];
  }
  const auto want = RunCalc("debtrank", dense);
  ASSERT_TRUE(want);
  for (const Json& sparse : {by_index, by_name}) {
    const auto got = RunCalc("debtrank", sparse);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, *want);
  }
  Json all = by_name;
  all.erase("initial_stress");
  Json all_dense = dense;
  all_dense.erase("initial_stress");
  const auto rows = RunCalc("debtrank-all", all);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)["nodes"][2]["name"], "bank");
  EXPECT_EQ((*rows)["nodes"][2]["debtrank"],
            (*RunCalc("debtrank-all", all_dense))["nodes"][2]["debtrank"]);
  // Errors name the edge and the field.
  by_name["edges"][3]["debtor"] = "nobody";
  auto bad = RunCalc("debtrank", by_name);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/edges/3/debtor");
  by_index["edges"][0]["debtor"] = 0;
  EXPECT_EQ(RunCalc("debtrank", by_index).error().fields.at(0).field, "/edges/0/debtor");
  // A chain of 100,000 firms, each holding a claim of 1 on the next with capital 2: the first
  // default stresses the second by 1/2, and the original DebtRank passes stress only once.
  constexpr int kN = 100'000;
  Json chain{{"nodes", kN}, {"variant", "original"}};
  Json edges = Json::array();
  for (int i = 0; i + 1 < kN; ++i)
    edges.push_back({{"creditor", i}, {"debtor", i + 1}, {"amount", 1}});
  chain["edges"] = std::move(edges);
  chain["capital"] = std::vector<double>(kN, 2);
  std::vector<double> h0(kN, 0);
  h0[kN - 1] = 1;
  chain["initial_stress"] = h0;
  const auto run = RunCalc("debtrank", chain);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ((*run)["final_stress"][kN - 2], 0.5);
  EXPECT_EQ((*run)["final_stress"][kN - 3], 0.25);
}

TEST(Calc, GreenModelsAnswerTheContract) {
  // Values worked in green/green_test.cpp.
  auto r = RunCalc("green-reserve", Json{{"financing_fen", 30'000'000'000},
                                         {"capacity_mw", 12.5},
                                         {"deposit_fen_per_mw", 1'000'000}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["risk_reserve_fen"], 300'000'000);
  EXPECT_EQ((*r)["decommissioning_deposit_fen"], 12'500'000);
  auto m = RunCalc("sll-margin", Json{{"base_margin_bps", 150},
                                      {"kpis",
                                       {{{"name", "energy"},
                                         {"target", 1.2},
                                         {"actual", 1.1},
                                         {"direction", "lower_is_better"},
                                         {"step_bps", 5}},
                                        {{"name", "so2"},
                                         {"target", 100},
                                         {"actual", 120},
                                         {"direction", "lower_is_better"},
                                         {"step_bps", 5}}}},
                                      {"ratchet", "downward_only"},
                                      {"floor_bps", 100},
                                      {"cap_bps", 200}});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ((*m)["margin_bps"], 145);
  EXPECT_EQ((*m)["adjustments"][1]["met"], false);
  auto p = RunCalc(
      "pcaf",
      Json{{"loans",
            {{{"outstanding", 10},
              {"total_equity_plus_debt", 100},
              {"scope1", 1000},
              {"data_quality_score", 4}},
             {{"outstanding", 50}, {"evic", 200}, {"scope1", 2000}, {"data_quality_score", 2}}}}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_DOUBLE_EQ((*p)["scope1"].get<double>(), 600);
  EXPECT_DOUBLE_EQ((*p)["weighted_data_quality"].get<double>(), 140.0 / 60);
  // PCAF Part A (2022) Tables 5-8 and 5-9 through the contract: the forestry, industrial and
  // energy companies at attribution factors 10%, 25% and 20%.
  auto table = RunCalc("pcaf", Json{{"loans",
                                     {{{"outstanding", 10},
                                       {"total_equity_plus_debt", 100},
                                       {"scope1", 1000},
                                       {"scope2", 100},
                                       {"scope3", 5000},
                                       {"removals", 20000},
                                       {"credits_retired", 0},
                                       {"credits_generated", 5000},
                                       {"data_quality_score", 2}},
                                      {{"outstanding", 25},
                                       {"total_equity_plus_debt", 100},
                                       {"scope1", 20000},
                                       {"scope2", 5000},
                                       {"scope3", 30000},
                                       {"credits_retired", 25000},
                                       {"data_quality_score", 2}},
                                      {{"outstanding", 20},
                                       {"total_equity_plus_debt", 100},
                                       {"scope1", 5000},
                                       {"scope3", 10000},
                                       {"removals", 1000},
                                       {"credits_retired", 5000},
                                       {"credits_generated", 500},
                                       {"data_quality_score", 2}}}}});
  ASSERT_TRUE(table) << table.error().message;
  for (const auto& [key, want] :
       std::vector<std::pair<std::string, double>>{{"scope1", 6100},
                                                   {"scope2", 1260},
                                                   {"scope3", 10000},
                                                   {"removals", 2200},
                                                   {"credits_retired", 7250},
                                                   {"credits_generated", 600}}) {
    EXPECT_NEAR((*table)[key].get<double>(), want, 1e-9) << key;
  }
  EXPECT_DOUBLE_EQ((*table)["loans"][1]["attribution_factor"].get<double>(), 0.25);
  auto bad = RunCalc(
      "sll-margin",
      Json{
          {"base_margin_bps", 150},
          {"kpis",
           {{{"name", "x"}, {"target", 1}, {"actual", 1}, {"direction", "up"}, {"step_bps", 5}}}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/kpis/0/direction");
}

TEST(Calc, SignatureModelsAnswerTheContract) {
  // RFC 8032 §7.1 test 2.
  Json sig{{"public_key_hex", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"},
           {"message_hex", "72"},
           {"signature_hex",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f"
            "3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"}};
  EXPECT_EQ((*RunCalc("ed25519-verify", sig))["valid"], true);
  sig["message_hex"] = "73";
  EXPECT_EQ((*RunCalc("ed25519-verify", sig))["valid"], false);
  // RFC 8032 §7.1 test 1 signs the empty message: empty is a message, not a missing field.
  Json empty{{"public_key_hex", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
             {"message_hex", ""},
             {"signature_hex",
              "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
              "39701cf9b46bd25bf5f0595bbe24655141438e7a100b"}};
  auto verified = RunCalc("ed25519-verify", empty);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ((*verified)["valid"], true);
  empty["message_hex"] = "00";
  EXPECT_EQ((*RunCalc("ed25519-verify", empty))["valid"], false);
  empty.erase("message_hex");
  auto missing = RunCalc("ed25519-verify", empty);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields.at(0).field, "/message_hex");
  // An empty key is the model's to judge: invalid, with the reason, never an input error.
  sig["public_key_hex"] = "";
  auto no_key = RunCalc("ed25519-verify", sig);
  ASSERT_TRUE(no_key);
  EXPECT_EQ((*no_key)["valid"], false);
  // The C2SP signed-note example.
  const std::string note =
      "This is an example message.\n\n\xE2\x80\x94 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
      "\n";
  auto opened =
      RunCalc("checkpoint-verify",
              Json{{"note", note},
                   {"verifier_key",
                    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"}});
  ASSERT_TRUE(opened);
  EXPECT_EQ((*opened)["valid"], true);
  EXPECT_FALSE(opened->contains("tree_size"));  // signed, but not a checkpoint
}

TEST(Calc, UsccValidateAnswersTheContract) {
  auto ok = RunCalc("uscc-validate", Json{{"uscc", "91350100M000100Y43"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)["valid"], true);
  auto bad = RunCalc("uscc-validate", Json{{"uscc", "91350100M000100Y40"}});
  ASSERT_TRUE(bad);  // an invalid code is an answer, not an error
  EXPECT_EQ((*bad)["valid"], false);
  EXPECT_FALSE((*bad)["reason"].get<std::string>().empty());
  auto missing = RunCalc("uscc-validate", Json::object());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().fields[0].field, "/uscc");
  EXPECT_EQ(RunCalc("uscc-validate", Json{{"uscc", 5}}).error().fields[0].field, "/uscc");
}

TEST(Calc, LoanScheduleAnswersTheContract) {
  // 12,000.00 yuan, 12% a year, 12 months, equal installment: r = 1%, payment 1,066.19 yuan
  // (annuity factor 0.0888488 from standard tables).
  auto r = RunCalc("loan-schedule", Json{{"principal_fen", 1'200'000},
                                         {"annual_rate_bps", 1200},
                                         {"term_months", 12},
                                         {"method", "equal_installment"},
                                         {"start_date", "2025-01-15"}});
  ASSERT_TRUE(r);
  const auto& inst = (*r)["installments"];
  ASSERT_EQ(inst.size(), 12u);
  EXPECT_EQ(inst[0]["payment_fen"], 106'619);
  EXPECT_EQ(inst[0]["interest_fen"], 12'000);
  EXPECT_EQ(inst[0]["due_date"], "2025-02-15");
  int64_t principal = 0, interest = 0;
  for (const auto& i : inst) {
    principal += i["principal_fen"].get<int64_t>();
    interest += i["interest_fen"].get<int64_t>();
    EXPECT_EQ(i["payment_fen"].get<int64_t>(),
              i["principal_fen"].get<int64_t>() + i["interest_fen"].get<int64_t>());
  }
  EXPECT_EQ(principal, 1'200'000);
  EXPECT_EQ((*r)["total_interest_fen"], interest);
  EXPECT_EQ(inst[11]["balance_fen"], 0);
}

TEST(Calc, LoanScheduleNamesEveryBadField) {
  auto r = RunCalc("loan-schedule", Json{{"principal_fen", 0},
                                         {"annual_rate_bps", "4%"},
                                         {"term_months", 601},
                                         {"method", "balloon"},
                                         {"start_date", "2025-02-30"}});
  ASSERT_FALSE(r);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"/principal_fen", "/annual_rate_bps", "/term_months",
                                              "/start_date", "/method"}));
  EXPECT_EQ(RunCalc("no-such-model", Json::object()).error().code, ErrorCode::kNotFound);
}

// The supply-chain models answer the contracts of issue 19 exactly as written; the rules behind
// them are tested at their boundaries in domain/trade_finance_test.cpp.
TEST(Calc, SupplyChainModelsAnswerTheContract) {
  auto pool = RunCalc("order-pool-line", Json::parse(R"({"orders": [
          {"id": "PO-1", "buyer": "catl", "amount_fen": 600000, "status": "confirmed",
           "due_date": "2026-09-30"},
          {"id": "PO-2", "buyer": "byd", "amount_fen": 400000, "status": "confirmed",
           "due_date": "2026-08-31"},
          {"id": 3, "buyer": "byd", "amount_fen": 100000, "status": "cancelled",
           "due_date": "2026-08-31"}],
        "advance_rate_bps": 8000, "max_buyer_share_bps": 5000, "fulfilment_rate_bps": 9500,
        "as_of": "2026-06-01"})"));
  ASSERT_TRUE(pool) << pool.error().message;
  // catl 600,000 of 1,000,000 eligible, capped at 50%: 100,000 out; 900,000 × 0.8 × 0.95.
  EXPECT_EQ((*pool)["eligible_fen"], 900'000);
  EXPECT_EQ((*pool)["line_fen"], 684'000);
  ASSERT_EQ((*pool)["excluded"].size(), 2u);
  EXPECT_EQ((*pool)["excluded"][0]["order"], "3");
  EXPECT_EQ((*pool)["excluded"][0]["reason"], "cancelled");

  auto capacity = RunCalc("capacity-loan-limit", Json{{"equipment_appraised_fen", 10'000'000},
                                                      {"pledged_orders_fen", 9'000'000}});
  ASSERT_TRUE(capacity);
  EXPECT_EQ((*capacity)["max_loan_fen"], 7'000'000);
  EXPECT_EQ((*capacity)["binding_constraint"], "equipment_ltv");

  auto margin = RunCalc("dynamic-margin", Json{{"exposure_fen", 5'000'000},
                                               {"date", "2026-11-03"},
                                               {"peak_months", {9, 10, 11}},
                                               {"margin_held_fen", 1'500'000}});
  ASSERT_TRUE(margin);
  EXPECT_EQ((*margin)["season"], "peak");
  EXPECT_EQ((*margin)["ratio_bps"], 1'000);
  EXPECT_EQ((*margin)["margin_fen"], 500'000);
  EXPECT_EQ((*margin)["margin_call_fen"], -1'000'000);

  auto late = RunCalc(
      "late-payment-interest",
      Json{{"amount_fen", 100'000'000}, {"due_date", "2026-03-31"}, {"paid_date", "2026-04-30"}});
  ASSERT_TRUE(late);
  EXPECT_EQ((*late)["interest_fen"], 1'500'000);
  EXPECT_EQ((*late)["days_late"], 30);
  auto below = RunCalc("late-payment-interest", Json{{"amount_fen", 100},
                                                     {"due_date", "2026-03-31"},
                                                     {"paid_date", "2026-04-30"},
                                                     {"agreed_annual_bps", 300},
                                                     {"lpr_1y_bps_at_signing", 310}});
  ASSERT_FALSE(below);
  EXPECT_EQ(below.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(below.error().fields.at(0).field, "/agreed_annual_bps");

  auto priority = RunCalc("factoring-priority", Json::parse(R"({"receivable_fen": 100000,
      "claims": [{"factor": "silent", "amount_fen": 80000},
                 {"factor": "notified", "amount_fen": 50000, "notice_reached_at_us": 5},
                 {"factor": "registered", "amount_fen": 30000, "registered_at_us": 9}]})"));
  ASSERT_TRUE(priority) << priority.error().message;
  EXPECT_EQ((*priority)["allocations"][2]["allocated_fen"], 30'000);
  EXPECT_EQ((*priority)["allocations"][1]["allocated_fen"], 50'000);
  EXPECT_EQ((*priority)["allocations"][0]["allocated_fen"], 20'000);
  EXPECT_EQ((*priority)["unallocated_fen"], 0);

  auto fx = RunCalc("fx-convert", Json::parse(R"({"amount_minor": 10000, "currency": "USD",
      "to": "CNY", "date": "2026-06-01", "rates": [{"date": "2026-06-01", "from": "USD",
      "to": "CNY", "rate": "7.1186", "source": "CFETS central parity"}]})"));
  ASSERT_TRUE(fx) << fx.error().message;
  EXPECT_EQ((*fx)["amount_minor"], 71'186);
  EXPECT_EQ((*fx)["rate"], "7.1186");
  EXPECT_EQ((*fx)["rate_source"], "CFETS central parity");
  auto float_rate = RunCalc("fx-convert", Json::parse(R"({"amount_minor": 1, "currency": "USD",
      "to": "CNY", "date": "2026-06-01", "rates": [{"date": "2026-06-01", "from": "USD",
      "to": "CNY", "rate": 7.1186}]})"));
  ASSERT_FALSE(float_rate);
  EXPECT_EQ(float_rate.error().fields.at(0).field, "/rates/0/rate");
}

// The early-warning models on Montgomery's Table 9.1 example (target 10, σ 1; CUSUM k ½, h 5;
// EWMA λ 0.1, L 2.7: both first signal at period 29), the two-sided CUSUM's published ARL
// (Montgomery Table 9.3: 465 in control for k ½, h 5) and the 15% rule at its boundary.
TEST(Calc, EarlyWarningModelsAnswerTheContract) {
  const Json values =
      Json::array({9.45,  7.99,  9.29,  11.66, 12.16, 10.18, 8.04,  11.46, 9.20,  10.34,
                   9.03,  11.47, 10.51, 9.40,  10.08, 9.37,  10.62, 10.31, 8.52,  10.84,
                   10.90, 9.33,  12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52});
  auto cusum = RunCalc("cusum", Json{{"values", values}, {"target", 10}, {"sigma", 1}});
  ASSERT_TRUE(cusum) << cusum.error().message;
  EXPECT_EQ((*cusum)["first_signal_index"], 28);
  EXPECT_EQ((*cusum)["side"], "upper");
  EXPECT_NEAR((*cusum)["c_plus"][28].get<double>(), 5.28, 5e-3);
  EXPECT_EQ((*cusum)["c_minus"].size(), 30u);
  auto quiet = RunCalc("cusum", Json{{"values", {10.0, 10.1}}, {"target", 10}, {"sigma", 1}});
  EXPECT_TRUE((*quiet)["first_signal_index"].is_null());
  EXPECT_TRUE((*quiet)["side"].is_null());
  auto no_sigma = RunCalc("cusum", Json{{"values", values}, {"target", 10}});
  ASSERT_FALSE(no_sigma);
  EXPECT_EQ(no_sigma.error().fields.at(0).field, "/sigma");

  auto ewma = RunCalc(
      "ewma", Json{{"values", values}, {"target", 10}, {"sigma", 1}, {"lambda", 0.1}, {"l", 2.7}});
  ASSERT_TRUE(ewma) << ewma.error().message;
  EXPECT_EQ((*ewma)["first_signal_index"], 28);
  EXPECT_NEAR((*ewma)["ucl"][0].get<double>(), 10.27, 1e-12);
  EXPECT_NEAR((*ewma)["lcl"][0].get<double>(), 9.73, 1e-12);
  EXPECT_NEAR((*ewma)["z"][0].get<double>(), 9.945, 1e-12);

  auto arl = RunCalc("arl", Json{{"chart", "cusum"}, {"k", 0.5}, {"h", 5}, {"two_sided", true}});
  ASSERT_TRUE(arl) << arl.error().message;
  EXPECT_NEAR((*arl)["arl"].get<double>(), 465.4435, 1e-3);
  auto shifted = RunCalc(
      "arl",
      Json{{"chart", "ewma"}, {"lambda", 0.1}, {"l", 2.814}, {"shift", 1}, {"two_sided", true}});
  ASSERT_TRUE(shifted) << shifted.error().message;
  EXPECT_NEAR((*shifted)["arl"].get<double>(), 10.3307, 1e-3);  // Lucas & Saccucci: 10.3
  auto bad_chart = RunCalc("arl", Json{{"chart", "shewhart"}});
  ASSERT_FALSE(bad_chart);
  EXPECT_EQ(bad_chart.error().fields.at(0).field, "/chart");

  // 0.60 → 0.51 is exactly a 15% fall, twice in a row from week 1: fires at week 2.
  auto health = RunCalc("health-alerts", Json::parse(R"({"index": [0.7058823529411765, 0.60,
      0.51, null, 0.5, 0.425, "0.36125"]})"));
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ((*health)["alerts"], Json::array({2, 6}));
  auto under = RunCalc("health-alerts", Json::parse(R"({"index": [1, 0.85, 0.7225001]})"));
  EXPECT_EQ((*under)["alerts"], Json::array());
  auto three =
      RunCalc("health-alerts",
              Json::parse(R"({"index": [1, 0.9, 0.8], "drop_pct": 10, "consecutive": 2})"));
  EXPECT_EQ((*three)["alerts"], Json::array({2}));  // 10% then 11.1%
  auto bad = RunCalc("health-alerts", Json::parse(R"({"index": [1, "x"]})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/index/1");
}

// The scoring models answer their contracts; the engines' own checks (R's glm, hand-computed WoE)
// are in risk/scoring/scoring_test.cpp.
TEST(Calc, ScoringModelsAnswerTheContract) {
  // One binary feature: intercept −ln 3, slope 2 ln 3 (the closed-form fit); AUC: the fitted
  // probabilities split the classes 0.25 / 0.75, so AUC = (6·6 + ½(6·2 + 2·2)) / 64... by pairs:
  // positives at 0.75 (6) and 0.25 (2), negatives at 0.75 (2) and 0.25 (6): U = 6·6 + ½·6·2 +
  // ½·2·6 = 48, AUC = 48 / 64 = 0.75.
  Json features = Json::array(), labels = Json::array();
  for (int i = 0; i < 8; ++i) {
    features.push_back({0});
    labels.push_back(i < 2 ? 1 : 0);
    features.push_back({1});
    labels.push_back(i < 6 ? 1 : 0);
  }
  auto lr = RunCalc("logistic-regression", Json{{"features", features}, {"labels", labels}});
  ASSERT_TRUE(lr) << Describe(lr.error());
  EXPECT_NEAR((*lr)["intercept"].get<double>(), -std::log(3.0), 1e-12);
  EXPECT_NEAR((*lr)["coefficients"][0].get<double>(), 2 * std::log(3.0), 1e-12);
  EXPECT_NEAR((*lr)["auc"].get<double>(), 0.75, 1e-15);
  EXPECT_GT((*lr)["iterations"].get<int>(), 0);
  EXPECT_LT((*lr)["log_likelihood"].get<double>(), 0);
  // A singular design is a 422 naming its columns.
  auto singular =
      RunCalc("logistic-regression", Json::parse(R"({"features": [[1, 2], [2, 4], [3, 6], [4, 8]],
                                          "labels": [0, 1, 0, 1]})"));
  ASSERT_FALSE(singular);
  EXPECT_EQ(singular.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(singular.error().fields.at(0).field, "/features");
  EXPECT_NE(singular.error().fields.at(0).message.find("column 1"), std::string::npos);
  auto bad_label =
      RunCalc("logistic-regression", Json::parse(R"({"features": [[1], [2]], "labels": [0, 2]})"));
  ASSERT_FALSE(bad_label);
  EXPECT_EQ(bad_label.error().fields.at(0).field, "/labels/1");

  // 600 points at 1:19, 50 to double the odds.
  auto scale = RunCalc("score-scale", Json{{"pd", 0.05}});
  ASSERT_TRUE(scale);
  EXPECT_NEAR((*scale)["score"].get<double>(), 600, 1e-9);
  EXPECT_NEAR((*scale)["factor"].get<double>(), 50 / std::log(2.0), 1e-12);
  EXPECT_NEAR(RunCalc("score-scale", Json{{"pd", 2.0 / 21}})->at("score").get<double>(), 550, 1e-9);
  EXPECT_FALSE(RunCalc("score-scale", Json{{"pd", 1.5}}));

  auto woe = RunCalc("woe-binning", Json::parse(R"({"values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null],
                                     "labels": [0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1],
                                     "max_bins": 2, "monotonic": true})"));
  ASSERT_TRUE(woe) << Describe(woe.error());
  ASSERT_EQ((*woe)["bins"].size(), 3u);  // two bins and the missing values' bin
  EXPECT_TRUE((*woe)["bins"][0]["lower"].is_null());
  EXPECT_EQ((*woe)["bins"][0]["upper"], 4.0);
  EXPECT_EQ((*woe)["bins"][1]["bad"], 4);
  EXPECT_EQ((*woe)["bins"][2]["missing"], true);
  EXPECT_GT((*woe)["iv"].get<double>(), 0);
  EXPECT_FALSE(RunCalc("woe-binning", Json::parse(R"({"values": [1], "labels": [1]})")));
}

// Paillier's worked example (Wikipedia, "Paillier cryptosystem"): p = 7, q = 11, g = 5652,
// m = 42, r = 23 give c = 4624; with g left out it is n + 1. Big values travel as decimal text.
TEST(Calc, PaillierKnownAnswers) {
  auto r = RunCalc("paillier", Json{{"p", 7}, {"q", 11}, {"g", 5652}, {"m", 42}, {"r", 23}});
  ASSERT_TRUE(r) << Describe(r.error());
  EXPECT_EQ((*r)["n"], 77);
  EXPECT_EQ((*r)["ciphertext"], 4624);
  EXPECT_EQ((*r)["decrypted"], 42);
  EXPECT_EQ((*r)["lambda"], 30);
  EXPECT_EQ((*r)["mu"], 74);
  // g = n + 1: c = (1 + m n) r^n mod n².
  auto plain = RunCalc("paillier", Json{{"p", 7}, {"q", 11}, {"m", 42}, {"r", 23}});
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)["g"], 78);
  EXPECT_EQ((*plain)["decrypted"], 42);
  // Mersenne primes 2^61 − 1 and 2^89 − 1: n and c pass 2^63 and come back as text.
  auto big = RunCalc("paillier", Json{{"p", "2305843009213693951"},
                                      {"q", "618970019642690137449562111"},
                                      {"m", "123456789012345678901234567890"},
                                      {"r", 5}});
  ASSERT_TRUE(big) << Describe(big.error());
  EXPECT_EQ((*big)["n"], "1427247692705959880439315947500961989719490561");
  EXPECT_EQ((*big)["decrypted"], "123456789012345678901234567890");
  // Bad input names the field.
  auto bad = RunCalc("paillier", Json{{"p", 8}, {"q", 11}, {"m", 1}, {"r", 2}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/p");
  bad = RunCalc("paillier", Json{{"p", 7}, {"q", 11}, {"m", 77}, {"r", 14}});
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 2U);
  EXPECT_EQ(bad.error().fields[0].field, "/m");
  EXPECT_EQ(bad.error().fields[1].field, "/r");
  EXPECT_FALSE(RunCalc("paillier", Json{{"p", -7}, {"q", 11}, {"m", 1}, {"r", 2}}));
  EXPECT_FALSE(RunCalc("paillier", Json{{"p", "7x"}, {"q", 11}, {"m", 1}, {"r", 2}}));
}

// The pension models answer their contract: the SULT at 5% (Dickson, Hardy & Waters, AMLCR 2nd
// ed., Appendix D: ä₆₅ = 13.5498, A₆₅ = 0.35477), the same table given as a Makeham law, the
// transfer and benefit formulas on worked examples (src/pension/pension_test.cpp), and errors by
// field.
TEST(Calc, PensionModelsAnswerTheContract) {
  auto r = RunCalc("life-annuity", Json{{"table", "sult"}, {"age", 65}, {"interest", 0.05}});
  ASSERT_TRUE(r) << Describe(r.error());
  EXPECT_NEAR((*r)["annuity"].get<double>(), 13.5498, 5e-5);
  EXPECT_NEAR((*r)["insurance"].get<double>(), 0.35477, 5e-6);
  const Json makeham = {{"makeham", {{"a", 0.00022}, {"b", 2.7e-6}, {"c", 1.124}}},
                        {"radix_age", 20}};
  auto same = RunCalc("life-annuity", Json{{"table", makeham},
                                           {"age", 65},
                                           {"interest", 0.05},
                                           {"payments_per_year", 12},
                                           {"timing", "immediate"}});
  ASSERT_TRUE(same) << Describe(same.error());
  auto due12 =
      RunCalc("life-annuity",
              Json{{"table", "sult"}, {"age", 65}, {"interest", 0.05}, {"payments_per_year", 12}});
  EXPECT_NEAR((*same)["annuity"].get<double>(), (*due12)["annuity"].get<double>() - 1.0 / 12,
              1e-12);
  auto qx = RunCalc("life-annuity", Json{{"table", {{"qx", {0.1, 0.7}}, {"start_age", 80}}},
                                         {"age", 80},
                                         {"interest", 0.1},
                                         {"term", 1}});
  ASSERT_TRUE(qx) << Describe(qx.error());
  EXPECT_NEAR((*qx)["annuity"].get<double>(), 1, 1e-15);
  EXPECT_NEAR((*qx)["insurance"].get<double>(), 0.1 / 1.1, 1e-15);
  auto bad = RunCalc("life-annuity", Json{{"table", "sult"}, {"age", 10}, {"interest", 0.05}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/age");
  bad = RunCalc(
      "life-annuity",
      Json{{"table", {{"qx", {0.1, 2}}, {"start_age", 80}}}, {"age", 80}, {"interest", 0.05}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/table/qx/1");
  EXPECT_FALSE(RunCalc("life-annuity", Json{{"table", "nosuch"}, {"age", 65}, {"interest", 0.05}}));

  auto t =
      RunCalc("pension-transfer",
              Json{{"contribution_wages_fen_by_month", Json(std::vector<int64_t>(12, 500'000))},
                   {"personal_account_fen", 3'000'000}});
  ASSERT_TRUE(t) << Describe(t.error());
  EXPECT_EQ((*t)["pooled_transfer_fen"], 720'000);
  EXPECT_EQ((*t)["total_fen"], 3'720'000);
  bad = RunCalc("pension-transfer", Json{{"contribution_wages_fen_by_month", {500'000, 1.5}},
                                         {"personal_account_fen", 0}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/contribution_wages_fen_by_month/1");

  auto b = RunCalc("pension-benefit", Json{{"provincial_avg_wage_fen", 800'000},
                                           {"indexed_wage_ratio", 1.0},
                                           {"years", 35},
                                           {"personal_account_fen", 20'000'000},
                                           {"retirement_age", 60}});
  ASSERT_TRUE(b) << Describe(b.error());
  EXPECT_EQ((*b)["basic_fen"], 280'000);
  EXPECT_EQ((*b)["account_fen"], 143'885);
  EXPECT_EQ((*b)["monthly_fen"], 423'885);
  b = RunCalc("pension-benefit", Json{{"provincial_avg_wage_fen", 600'000},
                                      {"indexed_wage_ratio", 0.6},
                                      {"years", 15.5},
                                      {"personal_account_fen", 10'000'000},
                                      {"retirement_age", 55}});
  ASSERT_TRUE(b) << Describe(b.error());
  EXPECT_EQ((*b)["basic_fen"], 74'400);
  EXPECT_EQ((*b)["account_fen"], 58'824);
  bad = RunCalc("pension-benefit", Json{{"provincial_avg_wage_fen", 600'000},
                                        {"indexed_wage_ratio", 0.61234},
                                        {"years", 15},
                                        {"personal_account_fen", 0},
                                        {"retirement_age", 61}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/indexed_wage_ratio");

  // The trust: funded with its liability, the deterministic projection ends near nothing; the
  // scenarios give a shortfall probability, the same for the same seed.
  const Json members = Json::array({{{"age", 50},
                                     {"lives", 600},
                                     {"retirement_age", 60},
                                     {"contribution_fen", 2'400'000},
                                     {"benefit_fen", 3'600'000},
                                     {"grassland_service_fen", 600'000},
                                     {"beijing_service_fen", 900'000}}});
  auto first =
      RunCalc("trust-projection",
              Json{{"members", members}, {"table", "sult"}, {"interest", 0.04}, {"years", 1}});
  ASSERT_TRUE(first) << Describe(first.error());
  const int64_t liability = (*first)["liability_fen"];
  auto full = RunCalc("trust-projection", Json{{"members", members},
                                               {"table", "sult"},
                                               {"interest", 0.04},
                                               {"years", 81},
                                               {"assets_fen", liability}});
  ASSERT_TRUE(full) << Describe(full.error());
  EXPECT_LT(std::abs((*full)["years"][80]["assets_end_fen"].get<int64_t>()), 30);
  const Json stochastic = {
      {"members", members},
      {"table", "sult"},
      {"years", 30},
      {"assets_fen", liability},
      {"seed", 3},
      {"scenarios", {{"mean_return", 0.04}, {"volatility", 0.1}, {"count", 200}}}};
  auto s1 = RunCalc("trust-projection", stochastic);
  auto s2 = RunCalc("trust-projection", stochastic);
  ASSERT_TRUE(s1) << Describe(s1.error());
  EXPECT_EQ(*s1, *s2);
  EXPECT_GT((*s1)["shortfall_probability"].get<double>(), 0.0);
  EXPECT_TRUE((*s1)["years"][0].contains("assets_p5_fen"));
  bad = RunCalc("trust-projection", Json{{"members", members}, {"table", "sult"}, {"years", 3}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/interest");
}

// Two parties, one column each, against the pooled fit of the logistic-regression model.
TEST(Calc, VerticalLrFitsThePooledModel) {
  Json a = Json::array(), b = Json::array(), pooled = Json::array();
  Json labels = Json::array();
  for (int i = 0; i < 60; ++i) {
    const double x1 = (i % 7) - 3.0, x2 = ((i * 5) % 11) / 4.0;
    a.push_back({x1});
    b.push_back({x2});
    pooled.push_back({x1, x2});
    labels.push_back((i * 13) % 10 < 3 + (i % 7) / 2 ? 1 : 0);
  }
  auto v = RunCalc("vertical-lr", Json{{"parties", {{{"features", a}}, {{"features", b}}}},
                                       {"labels", labels},
                                       {"label_party", 0},
                                       {"key_bits", 256},
                                       {"seed", 3}});
  ASSERT_TRUE(v) << Describe(v.error());
  auto p = RunCalc("logistic-regression", Json{{"features", pooled}, {"labels", labels}});
  ASSERT_TRUE(p);
  EXPECT_NEAR((*v)["log_likelihood"].get<double>(), (*p)["log_likelihood"].get<double>(), 1e-6);
  EXPECT_NEAR((*v)["coefficients"][1][0].get<double>(), (*p)["coefficients"][1].get<double>(),
              1e-4);
  EXPECT_GT((*v)["bytes_exchanged"].get<int64_t>(), 0);
  auto bad = RunCalc("vertical-lr",
                     Json{{"parties", {{{"features", a}}}}, {"labels", labels}, {"key_bits", 64}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/key_bits");
}

}  // namespace
}  // namespace corridor::calc
