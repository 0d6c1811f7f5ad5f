#include "api/calc.hpp"

#include <gtest/gtest.h>

namespace corridor::api {
namespace {

TEST(Calc, ListsModelsSortedByName) {
  ASSERT_GE(CalcModels().size(), 2u);
  EXPECT_EQ(CalcModels()[0].name, "loan-schedule");
  EXPECT_EQ(CalcModels()[1].name, "uscc-validate");
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

}  // namespace
}  // namespace corridor::api
