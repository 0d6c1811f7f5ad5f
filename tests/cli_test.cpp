// `corridor calc` and `corridor evaluate` as scripts call them. calc: JSON on stdin, JSON on
// stdout, exit 0; invalid input exits 2 with a 422 problem naming the fields; an unknown model
// exits 2 with status 404.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.hpp"
#include "process.hpp"
#include "service/kernel/log.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/testing.hpp"

namespace corridor::testing {
namespace {

struct CliResult {
  int exit_code = -1;
  std::string out;
};

CliResult RunCalc(const std::string& args, const std::string& stdin_text) {
  store::testing::TempDir dir;
  const auto input = dir.path() / "in.json";
  std::ofstream(input) << stdin_text;
  const auto run = RunCommand(std::string(CORRIDOR_BIN) + " calc " + args + " < " + input.string());
  return CliResult{run.exit_code, run.output};
}

TEST(CalcCli, AnswersOnStdoutWithExitZero) {
  auto r = RunCalc("uscc-validate", R"({"uscc": "91350100M000100Y43"})");
  EXPECT_EQ(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], true);
  r = RunCalc("loan-schedule",
              R"({"principal_fen": 1200000, "annual_rate_bps": 1200, "term_months": 12,
                  "method": "equal_installment", "start_date": "2025-01-15"})");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["installments"][0]["payment_fen"], 106'619);
}

TEST(CalcCli, InvalidInputExitsTwoWithA422Problem) {
  auto r = RunCalc("loan-schedule", R"({"principal_fen": 0, "term_months": 12})");
  EXPECT_EQ(r.exit_code, 2);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["errors"][0]["field"], "/principal_fen");
  r = RunCalc("uscc-validate", "this is not json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["status"], 422);
}

TEST(CalcCli, UnknownModelExitsTwoWithA404Problem) {
  auto r = RunCalc("no-such-model", "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["status"], 404);
  r = RunCalc("--list", "");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("loan-schedule"), std::string::npos);
  EXPECT_NE(r.out.find("uscc-validate"), std::string::npos);
}

// `corridor evaluate`: the border cities as text, JSON or SVG; bad input exits 2 naming the field,
// I/O problems exit 1.
TEST(EvaluateCli, BorderCitiesInEveryFormat) {
  const std::string bin(CORRIDOR_BIN);
  auto text = RunCommand(bin + " evaluate");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("Chengde"), std::string::npos);
  EXPECT_NE(text.output.find("urbanization_rate_2023 is left out"), std::string::npos);
  auto json = RunCommand(bin + " evaluate --format json");
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(json.output)["regions"].size(), 7u);
  store::testing::TempDir dir;
  const auto svg = dir.path() / "report.svg";
  EXPECT_EQ(RunCommand(bin + " evaluate --format svg -o " + svg.string()).exit_code, 0);
  std::ifstream f(svg);
  std::string head(4, ' ');
  f.read(head.data(), 4);
  EXPECT_EQ(head, "<svg");
}

TEST(EvaluateCli, BadInputExitsTwoAndMissingFilesOne) {
  const std::string bin(CORRIDOR_BIN);
  auto format = RunCommand(bin + " evaluate --format xml 2>&1");
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(format.output)["errors"][0]["field"], "/format");
  store::testing::TempDir dir;
  const auto csv = dir.path() / "bad.csv";
  std::ofstream(csv) << "city_zh,city_en\nA,B\nC,D\n";
  auto bad = RunCommand(bin + " evaluate --data " + csv.string() + " 2>&1");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(bad.output)["errors"][0]["field"], "/data");
  EXPECT_EQ(RunCommand(bin + " evaluate --data " + (dir.path() / "none.csv").string() + " 2>&1")
                .exit_code,
            1);
  EXPECT_EQ(
      RunCommand(bin + " evaluate --db " + (dir.path() / "none.db").string() + " --year 2024 2>&1")
          .exit_code,
      1);
}

// An analyst's spreadsheet: a CSV of counties with in:/out: columns, options by --set, the
// answer labelled by county; a table for TOPSIS; a loan book for the Monte Carlo.
TEST(CalcCli, TakesFilesCsvTablesAndSettings) {
  store::testing::TempDir dir;
  const auto csv = dir.path() / "counties.csv";
  std::ofstream(csv) << "county,in:labour,in:capital,out:gdp\r\n"
                        "Hongshan,10,20,30\r\n\"Songshan, east\",12,18,25\r\nLinxi,8,30,20\r\n"
                        "Ningcheng,15,15,28\r\n";
  auto r = RunCommand(std::string(CORRIDOR_BIN) + " calc dea --input " + csv.string() +
                      " --set returns=vrs");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["dmu_labels"][1], "Songshan, east");
  ASSERT_EQ(j["efficiency"].size(), 4u);
  // The same data as JSON gives the same scores.
  const auto json = dir.path() / "counties.json";
  std::ofstream(json) << R"({"inputs": [[10,20],[12,18],[8,30],[15,15]],
                             "outputs": [[30],[25],[20],[28]], "returns": "vrs"})";
  auto same = RunCommand(std::string(CORRIDOR_BIN) + " calc dea --input " + json.string());
  ASSERT_EQ(same.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(same.output)["efficiency"], j["efficiency"]);
  auto topsis =
      RunCommand(std::string(CORRIDOR_BIN) + " calc topsis --input " + csv.string() +
                 " --set 'weights=[0.3,0.3,0.4]' --set 'types=[\"cost\",\"cost\",\"benefit\"]'");
  ASSERT_EQ(topsis.exit_code, 0) << topsis.output;
  EXPECT_EQ(nlohmann::json::parse(topsis.output)["scores"].size(), 4u);
  const auto book = dir.path() / "book.csv";
  std::ofstream(book)
      << "name,ead,pd,lgd,sector,bank,count,loading:1\n"
         "herders,100,0.02,0.45,farming,b1,10,0.3\nsolar,200,0.01,0.4,energy,b2,5,0.4\n";
  auto mc = RunCommand(std::string(CORRIDOR_BIN) + " calc portfolio-mc --input " + book.string() +
                       " --set scenarios=2000 --set seed=1 --set 'factor_correlation=[[1]]'");
  ASSERT_EQ(mc.exit_code, 0) << mc.output;
  // EL = 10 x 100 x 0.02 x 0.45 + 5 x 200 x 0.01 x 0.4 = 9 + 4.
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(mc.output)["analytic_expected_loss"].get<double>(), 13.0);
  // A bad cell names its line and column; a missing file exits 1.
  std::ofstream(csv) << "county,in:labour,out:gdp\nHongshan,ten,30\n";
  auto bad = RunCommand(std::string(CORRIDOR_BIN) + " calc dea --input " + csv.string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(bad.output)["errors"][0]["field"], "/csv/line/2/in:labour");
  EXPECT_EQ(RunCommand(std::string(CORRIDOR_BIN) + " calc dea --input /nonexistent 2>&1").exit_code,
            1);
}

// Beyond the 2,000 DMUs of the old limit: a county-scale problem is solved, the dense λ matrix
// (n² numbers) gives way to the peers' nonzero λ.
TEST(CalcCli, DeaTakesMoreDmusThanCounties) {
  store::testing::TempDir dir;
  constexpr int kN = 3'000;  // more than China's 2,850 county-level divisions
  nlohmann::json x = nlohmann::json::array(), y = nlohmann::json::array();
  uint64_t state = 12345;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return 10 + 90 * static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < kN; ++i) {
    const double a = uniform(), b = uniform();
    x.push_back({a, b});
    y.push_back({std::sqrt(a * b) * (0.5 + uniform() / 200)});
  }
  const auto file = dir.path() / "dmus.json";
  std::ofstream(file) << nlohmann::json{{"inputs", x}, {"outputs", y}, {"threads", 2}}.dump();
  auto r =
      RunCommand(std::string(CORRIDOR_BIN) + " calc dea --input " + file.string() + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output.substr(0, 300);
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["efficiency"].size(), static_cast<size_t>(kN));
  EXPECT_TRUE(j["lambdas"].is_null());
  ASSERT_EQ(j["peers"].size(), static_cast<size_t>(kN));
  for (int o = 0; o < kN; o += 97) {
    const double e = j["efficiency"][o].get<double>();
    EXPECT_GT(e, 0);
    EXPECT_LE(e, 1 + 1e-9);
    EXPECT_FALSE(j["peers"][o].empty());
  }
}

// `corridor verify` proves a database's registry log whole from its entries; a database whose
// checkpoint rows were deleted is refused at start with what to do, and repaired by signing a
// checkpoint for the integrated tree; damage a checkpoint cannot mend is reported, not repaired.
TEST(VerifyCli, ProvesTheLogWholeAndRepairsLostCheckpoints) {
  store::testing::TempDir dir;
  const std::string db = (dir.path() / "c.db").string();
  auto exec = [&](const char* sql) {
    auto store = store::SqliteStore::Open({.path = db});
    ASSERT_TRUE(store);
    auto done = (*store)->Write([&](store::Connection& c) -> Status { return c.Exec(sql); });
    ASSERT_TRUE(done) << Describe(done.error());
  };
  {
    auto store = store::SqliteStore::Open({.path = db});
    ASSERT_TRUE(store);
    auto signer = service::LoadOrCreateSigningKey((dir.path() / "registry-signing.key").string(),
                                                  "corridor.test/registry");
    ASSERT_TRUE(signer);
    ManualClock clock(1'700'000'000'000'000);
    service::TransparencyLog log(**store, clock, std::move(*signer));
    // 300 entries in three integrations: two bottom tiles and three checkpoints.
    for (int batch = 0; batch < 3; ++batch) {
      auto wrote = (*store)->Write([&](store::Connection& c) -> Status {
        for (int i = 0; i < 100; ++i) {
          auto e = service::AppendLogEntry(c, "test.entry", nullptr,
                                           nlohmann::json{{"i", batch * 100 + i}}, {}, 0);
          if (!e) return Fail(e.error());
        }
        return {};
      });
      ASSERT_TRUE(wrote);
      ASSERT_TRUE(log.Integrate());
    }
  }
  const std::string verify = std::string(CORRIDOR_BIN) + " verify --db " + db;
  auto whole = RunCommand(verify);
  EXPECT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_NE(whole.output.find("entries 300, integrated 300"), std::string::npos) << whole.output;
  EXPECT_NE(whole.output.find("whole"), std::string::npos);

  exec("DELETE FROM registry_checkpoints");
  auto serve = RunCommand(std::string(CORRIDOR_BIN) + " serve --db " + db +
                          " --listen 127.0.0.1:0 --access-log off 2>&1");
  EXPECT_EQ(serve.exit_code, 1) << serve.output;
  EXPECT_NE(serve.output.find("checkpoint rows are missing"), std::string::npos) << serve.output;
  EXPECT_NE(serve.output.find("corridor verify --db PATH --repair"), std::string::npos);
  EXPECT_EQ(serve.output.find("UNIQUE"), std::string::npos) << serve.output;
  auto damaged = RunCommand(verify);
  EXPECT_EQ(damaged.exit_code, 1) << damaged.output;
  EXPECT_NE(damaged.output.find("DAMAGED: the newest checkpoint covers 0 of the 300"),
            std::string::npos)
      << damaged.output;
  auto repaired = RunCommand(verify + " --repair");
  EXPECT_EQ(repaired.exit_code, 0) << repaired.output;
  EXPECT_NE(repaired.output.find("signed a checkpoint for the 300"), std::string::npos);
  EXPECT_EQ(RunCommand(verify).exit_code, 0);

  // A rewritten tile is damage that no new checkpoint may paper over.
  exec("UPDATE registry_tiles SET hashes = zeroblob(length(hashes)) WHERE id = 0");
  auto tile = RunCommand(verify + " --repair");
  EXPECT_EQ(tile.exit_code, 1) << tile.output;
  EXPECT_NE(tile.output.find("DAMAGED: tile 0/0 differs"), std::string::npos) << tile.output;
  EXPECT_NE(tile.output.find("NOT REPAIRED"), std::string::npos);
  // A rewritten entry shows in the leaf index, the tiles and every checkpoint over it.
  exec("UPDATE registry_entries SET data = data || ' ' WHERE idx = 5");
  auto entry = RunCommand(verify);
  EXPECT_EQ(entry.exit_code, 1);
  EXPECT_NE(entry.output.find("leaf index holds a wrong hash for entry 5"), std::string::npos)
      << entry.output;
}

}  // namespace
}  // namespace corridor::testing
