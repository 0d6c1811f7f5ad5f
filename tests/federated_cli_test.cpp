// `corridor federated` as data holders run it: three parties, three processes, each reading only
// its own CSV and talking to the others over HTTP on 127.0.0.1 with 2048-bit Paillier keys. The
// model they train is the pooled logistic fit of the enterprises they have in common; the label
// holder's scores are the pooled model's; bad input stops every party with a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <string>

#include "core/rng.hpp"
#include "process.hpp"
#include "risk/scoring/logistic.hpp"
#include "store/testing.hpp"

namespace corridor::testing {
namespace {

using Json = nlohmann::json;

Json ReadJson(const std::filesystem::path& p) {
  std::ifstream in(p);
  return Json::parse(in, nullptr, false);
}

std::string Id(size_t i) { return "91150400MA" + std::to_string(100000 + i) + "X"; }

class FederatedCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::string> names = {"bank", "beijing-tax", "grassland"};
    for (size_t k = 0; k < 3; ++k) {
      const auto key = dir_.path() / (names[k] + ".key");
      const auto r =
          RunCommand(std::string(CORRIDOR_BIN) + " federated keygen --out " + key.string());
      ASSERT_EQ(r.exit_code, 0) << r.output;
      const Json pk = Json::parse(r.output);
      session_["parties"].push_back({{"name", names[k]},
                                     {"listen", "127.0.0.1:" + std::to_string(FreePort())},
                                     {"public_key", pk["public_key"]}});
    }
    session_["label_party"] = "bank";
    session_["key_bits"] = 2048;
    // The enterprises: 0..159 held by all; the bank also has 160..169, the tax bureau 170..179,
    // the grassland bureau 180..189 (none common); each file in its own order.
    const CounterRng rng(17);
    for (size_t i = 0; i < 190; ++i) {
      const double revenue = rng.Normal(1, i), tax = rng.Normal(2, i), arrears = rng.Normal(3, i),
                   herd = rng.Normal(4, i);
      const double eta = -1.2 - 0.8 * revenue + 0.6 * tax + 0.9 * arrears - 0.4 * herd;
      const int label = rng.Uniform(5, i) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
      rows_.push_back({revenue, tax, arrears, herd});
      labels_.push_back(label);
    }
  }

  void WriteData(const std::string& tag, const std::vector<size_t>& bank,
                 const std::vector<size_t>& tax, const std::vector<size_t>& grass) {
    std::ofstream b(dir_.path() / ("bank" + tag + ".csv")), t(dir_.path() / ("tax" + tag + ".csv")),
        g(dir_.path() / ("grass" + tag + ".csv"));
    for (auto* f : {&b, &t, &g}) *f << std::setprecision(17);
    b << "uscc,label,revenue\n";
    for (size_t i : bank) b << Id(i) << "," << labels_[i] << "," << rows_[i][0] << "\n";
    t << "uscc,tax_paid,arrears\n";
    for (size_t i : tax) t << Id(i) << "," << rows_[i][1] << "," << rows_[i][2] << "\n";
    g << "uscc,herd\n";
    for (size_t i : grass) g << Id(i) << "," << rows_[i][3] << "\n";
  }

  // Runs the three parties at once; their exit codes.
  std::vector<int> RunParties(const std::string& command, const std::string& tag,
                              const std::string& extra = "") {
    std::ofstream(dir_.path() / "session.json") << session_.dump(2);
    const std::vector<std::pair<std::string, std::string>> parties = {
        {"bank", "bank"}, {"beijing-tax", "tax"}, {"grassland", "grass"}};
    std::string script;
    for (const auto& [name, file] : parties) {
      const auto d = dir_.path();
      std::string cmd = std::string(CORRIDOR_BIN) + " federated " + command + " --session " +
                        (d / "session.json").string() + " --party " + name + " --key " +
                        (d / (name + ".key")).string() + " --data " +
                        (d / (file + tag + ".csv")).string() + " --out " +
                        (d / (name + "." + command + ".json")).string() + " --timeout 120 " + extra;
      if (command == "score") cmd += " --model " + (d / (name + ".train.json")).string();
      script += "(" + cmd + " > " + (d / (name + ".stdout")).string() + " 2> " +
                (d / (name + ".stderr")).string() + "; echo $? > " + (d / (name + ".rc")).string() +
                ") & ";
    }
    script += "wait";
    RunCommand("bash -c '" + script + "'");
    std::vector<int> rc;
    for (const auto& [name, file] : parties) {
      std::ifstream in(dir_.path() / (name + ".rc"));
      int v = -1;
      in >> v;
      rc.push_back(v);
    }
    return rc;
  }

  std::string Stdout(const std::string& party) {
    std::ifstream in(dir_.path() / (party + ".stdout"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  store::testing::TempDir dir_;
  Json session_ = {{"session", "chifeng-joint-test"}, {"parties", Json::array()}};
  std::vector<std::vector<double>> rows_;
  std::vector<int> labels_;
};

TEST_F(FederatedCli, ThreeProcessesTrainThePooledModelAndScoreApplicants) {
  std::vector<size_t> bank, tax, grass;
  for (size_t i = 0; i < 150; ++i) {
    bank.push_back(i);
    tax.push_back(149 - i);
    grass.push_back((i * 7) % 150);
  }
  for (size_t i = 160; i < 170; ++i) bank.push_back(i);
  for (size_t i = 170; i < 180; ++i) tax.push_back(i);
  for (size_t i = 180; i < 190; ++i) grass.push_back(i);
  WriteData("", bank, tax, grass);
  const auto rc = RunParties("train", "", "--seed 9");
  ASSERT_EQ(rc, (std::vector<int>{0, 0, 0})) << Stdout("bank") << Stdout("beijing-tax");

  // The pooled fit of the 150 common enterprises, columns in the parties' order.
  std::vector<std::vector<double>> pooled_rows;
  std::vector<int> pooled_labels;
  std::vector<std::string> ids;
  for (size_t i = 0; i < 150; ++i) ids.push_back(Id(i));
  std::sort(ids.begin(), ids.end());
  for (const auto& id : ids) {
    const size_t i = std::stoul(id.substr(10, 6)) - 100000;
    pooled_rows.push_back({rows_[i][0], rows_[i][1], rows_[i][2], rows_[i][3]});
    pooled_labels.push_back(labels_[i]);
  }
  const auto pooled = risk::scoring::FitLogistic(pooled_rows, pooled_labels);
  ASSERT_TRUE(pooled);
  const Json bank_model = ReadJson(dir_.path() / "bank.train.json");
  const Json tax_model = ReadJson(dir_.path() / "beijing-tax.train.json");
  const Json grass_model = ReadJson(dir_.path() / "grassland.train.json");
  EXPECT_EQ(bank_model["cases"], 150);
  EXPECT_EQ(tax_model["cases"], 150);
  EXPECT_EQ(bank_model["key_bits"], 2048);
  EXPECT_TRUE(bank_model["converged"].get<bool>());
  EXPECT_NEAR(bank_model["log_likelihood"].get<double>(), pooled->log_likelihood, 1e-6);
  auto near = [](double got, double want) { EXPECT_NEAR(got, want, 1e-4 * (1 + std::abs(want))); };
  near(bank_model["intercept"], pooled->intercept);
  near(bank_model["coefficients"][0], pooled->coefficients[0]);
  near(tax_model["coefficients"][0], pooled->coefficients[1]);
  near(tax_model["coefficients"][1], pooled->coefficients[2]);
  near(grass_model["coefficients"][0], pooled->coefficients[3]);
  // The hosts hold no intercept, no likelihood: only the label holder learns how the model fits.
  EXPECT_FALSE(tax_model.contains("log_likelihood"));
  EXPECT_FALSE(grass_model.contains("intercept"));
  EXPECT_GT(tax_model["bytes_sent"].get<double>(), 0);

  // Applicants: the bank's new enterprises 150..154 (held by all) and 160 (by the bank alone).
  const std::string train_session = session_["session"];
  session_["session"] = "chifeng-joint-test-score";
  std::vector<size_t> applicants = {150, 151, 152, 153, 154, 160},
                      held = {150, 151, 152, 153, 154, 3};
  WriteData("-applicants", applicants, held, held);
  const auto scored = RunParties("score", "-applicants");
  ASSERT_EQ(scored, (std::vector<int>{0, 0, 0})) << Stdout("bank");
  const Json scores = ReadJson(dir_.path() / "bank.score.json");
  ASSERT_EQ(scores["scores"].size(), 5U);
  EXPECT_EQ(scores["unscored"], Json::array({Id(160)}));
  for (const auto& s : scores["scores"]) {
    const size_t i = std::stoul(s["uscc"].get<std::string>().substr(10, 6)) - 100000;
    const std::vector<double> row = {rows_[i][0], rows_[i][1], rows_[i][2], rows_[i][3]};
    EXPECT_NEAR(s["probability"].get<double>(), risk::scoring::Predict(*pooled, row), 1e-6);
    EXPECT_EQ(s["shares"].size(), 3U);
    for (const auto& r : s["reasons"]) EXPECT_GT(r["contribution"].get<double>(), 0);
  }
  // The hosts learn how many they helped score, not the scores.
  const Json tax_out = ReadJson(dir_.path() / "beijing-tax.score.json");
  EXPECT_EQ(tax_out["scored"], 5);
  EXPECT_FALSE(tax_out.contains("scores"));
  (void)train_session;
}

TEST_F(FederatedCli, BadInputStopsEveryPartyWithAClearError) {
  std::vector<size_t> all;
  for (size_t i = 0; i < 40; ++i) all.push_back(i);
  WriteData("", all, all, all);
  // A key below 2048 bits is refused before anything is sent.
  session_["key_bits"] = 1024;
  std::ofstream(dir_.path() / "session.json") << session_.dump(2);
  auto r = RunCommand(std::string(CORRIDOR_BIN) + " federated train --session " +
                      (dir_.path() / "session.json").string() + " --party bank --key " +
                      (dir_.path() / "bank.key").string() + " --data " +
                      (dir_.path() / "bank.csv").string() + " --out " +
                      (dir_.path() / "m.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Json::parse(r.output)["errors"][0]["field"], "/key_bits");
  session_["key_bits"] = 2048;
  std::ofstream(dir_.path() / "session.json") << session_.dump(2);
  // Another party's key.
  r = RunCommand(std::string(CORRIDOR_BIN) + " federated train --session " +
                 (dir_.path() / "session.json").string() + " --party bank --key " +
                 (dir_.path() / "grassland.key").string() + " --data " +
                 (dir_.path() / "bank.csv").string() + " --out " +
                 (dir_.path() / "m.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Json::parse(r.output)["errors"][0]["field"], "/key");
  // A label that is not 0 or 1: the bank stops and tells the others, who stop too.
  std::ofstream(dir_.path() / "bank.csv", std::ios::app) << Id(99) << ",2,0.5\n";
  const auto rc = RunParties("train", "");
  EXPECT_EQ(rc[0], 2);
  EXPECT_NE(rc[1], 0);
  EXPECT_NE(Stdout("bank").find("/csv/line/42/label"), std::string::npos) << Stdout("bank");
  EXPECT_NE(Stdout("beijing-tax").find("stopped"), std::string::npos) << Stdout("beijing-tax");
  // A keygen never overwrites a key.
  r = RunCommand(std::string(CORRIDOR_BIN) + " federated keygen --out " +
                 (dir_.path() / "bank.key").string());
  EXPECT_EQ(r.exit_code, 2);
}

// Horizontal pooling as banks run it: a coordinator and three banks, four processes, each bank
// reading only its own borrowers. One bank's line fails in round 2 after its masks are fixed
// (--silent-at): the coordinator waits --drop-after, drops it, completes the round on the two
// survivors' sum and goes on; the model every party ends with is the pooled logistic fit of the
// two remaining banks' borrowers.
TEST(FederatedPool, FourProcessesPoolBorrowersAndSurviveABankDroppingOut) {
  store::testing::TempDir dir;
  const std::vector<std::string> names = {"coordinator", "bank-a", "bank-b", "bank-c"};
  Json session = {{"session", "chifeng-pool-test"}, {"coordinator", "coordinator"}};
  for (const auto& name : names) {
    const auto key = dir.path() / (name + ".key");
    const auto r =
        RunCommand(std::string(CORRIDOR_BIN) + " federated keygen --out " + key.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    session["parties"].push_back({{"name", name},
                                  {"listen", "127.0.0.1:" + std::to_string(FreePort())},
                                  {"public_key", Json::parse(r.output)["public_key"]}});
  }
  std::ofstream(dir.path() / "session.json") << session.dump(2);
  // 120 borrowers a bank, from one model: log-odds −1 + 0.8·x₁ − 0.5·x₂.
  const CounterRng rng(23);
  std::vector<std::vector<double>> kept_rows;
  std::vector<int> kept_labels;
  for (size_t b = 1; b < 4; ++b) {
    std::ofstream f(dir.path() / (names[b] + ".csv"));
    f << std::setprecision(17) << "uscc,income,leverage,label\n";
    for (size_t i = 0; i < 120; ++i) {
      const uint64_t at = b * 1000 + i;
      const double x1 = rng.Normal(1, at), x2 = rng.Normal(2, at);
      const int label = rng.Uniform(3, at) < 1 / (1 + std::exp(1 - 0.8 * x1 + 0.5 * x2)) ? 1 : 0;
      f << Id(at) << "," << x1 << "," << x2 << "," << label << "\n";
      if (b != 3) {
        kept_rows.push_back({x1, x2});
        kept_labels.push_back(label);
      }
    }
  }
  std::string script;
  for (const auto& name : names) {
    const auto d = dir.path();
    std::string cmd = std::string(CORRIDOR_BIN) + " federated pool --session " +
                      (d / "session.json").string() + " --party " + name + " --key " +
                      (d / (name + ".key")).string() + " --out " + (d / (name + ".json")).string() +
                      " --timeout 60";
    if (name == "coordinator") cmd += " --drop-after 3";
    if (name != "coordinator") cmd += " --data " + (d / (name + ".csv")).string();
    if (name == "bank-c") cmd += " --silent-at 2";
    script += "(" + cmd + " > " + (d / (name + ".stdout")).string() + " 2> " +
              (d / (name + ".stderr")).string() + "; echo $? > " + (d / (name + ".rc")).string() +
              ") & ";
  }
  RunCommand("bash -c '" + script + "wait'");
  auto rc = [&](const std::string& name) {
    std::ifstream in(dir.path() / (name + ".rc"));
    int v = -1;
    in >> v;
    return v;
  };
  EXPECT_EQ(rc("coordinator"), 0);
  EXPECT_EQ(rc("bank-a"), 0);
  EXPECT_EQ(rc("bank-b"), 0);
  EXPECT_EQ(rc("bank-c"), 1);  // it went silent
  const Json model = ReadJson(dir.path() / "coordinator.json");
  ASSERT_TRUE(model.is_object());
  EXPECT_EQ(model["columns"], Json({"income", "leverage"}));
  EXPECT_EQ(model["banks"], Json({"bank-a", "bank-b"}));
  ASSERT_EQ(model["dropped"].size(), 1U);
  EXPECT_EQ(model["dropped"][0]["bank"], "bank-c");
  EXPECT_EQ(model["dropped"][0]["round"], 2);
  EXPECT_TRUE(model["converged"].get<bool>());
  const auto pooled = risk::scoring::FitLogistic(kept_rows, kept_labels);
  ASSERT_TRUE(pooled);
  EXPECT_NEAR(model["log_likelihood"].get<double>(), pooled->log_likelihood, 1e-6);
  EXPECT_NEAR(model["intercept"].get<double>(), pooled->intercept, 1e-6);
  for (size_t j = 0; j < 2; ++j) {
    EXPECT_NEAR(model["coefficients"][j].get<double>(), pooled->coefficients[j], 1e-6);
  }
  // Each remaining bank has the same model; the silent one has none.
  for (const std::string bank : {"bank-a", "bank-b"}) {
    const Json mine = ReadJson(dir.path() / (bank + ".json"));
    EXPECT_EQ(mine["coefficients"], model["coefficients"]);
    EXPECT_EQ(mine["banks"], model["banks"]);
    EXPECT_EQ(mine["borrowers"], 120);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bank-c.json"));
  // A pooling session is not a joint model's: train refuses it naming the field.
  const auto refused =
      RunCommand(std::string(CORRIDOR_BIN) + " federated train --session " +
                 (dir.path() / "session.json").string() + " --party bank-a --key " +
                 (dir.path() / "bank-a.key").string() + " --data x.csv --out y.json");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.output.find("/coordinator"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace corridor::testing
