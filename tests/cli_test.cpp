// `corridor calc` and `corridor evaluate` as scripts call them. calc: JSON on stdin, JSON on
// stdout, exit 0; invalid input exits 2 with a 422 problem naming the fields; an unknown model
// exits 2 with status 404.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "process.hpp"
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

}  // namespace
}  // namespace corridor::testing
