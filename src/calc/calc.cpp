#include "calc/calc.hpp"

#include <algorithm>

#include "domain/schedule.hpp"
#include "domain/uscc.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {

// Defined in calc_registry.cpp, calc_evaluate.cpp, calc_risk.cpp, calc_contagion.cpp,
// calc_green.cpp, calc_supply.cpp, calc_monitor.cpp, calc_scoring.cpp, calc_federated.cpp and
// calc_pension.cpp.
void AddRegistryModels(std::vector<CalcModel>& models);
void AddEvaluateModels(std::vector<CalcModel>& models);
void AddRiskModels(std::vector<CalcModel>& models);
void AddContagionModels(std::vector<CalcModel>& models);
void AddGreenModels(std::vector<CalcModel>& models);
void AddSupplyChainModels(std::vector<CalcModel>& models);
void AddMonitorModels(std::vector<CalcModel>& models);
void AddScoringModels(std::vector<CalcModel>& models);
void AddFederatedModels(std::vector<CalcModel>& models);
void AddPensionModels(std::vector<CalcModel>& models);

namespace {

Result<Json> UsccValidate(const Json& input) {
  service::Input in(input);
  const std::string code = in.OptStr("uscc", 256).value_or("");
  if (!in.Has("uscc")) in.Problem("uscc", "is required");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto verdict = domain::ValidateUscc(code);
  return Json{{"valid", verdict.valid}, {"reason", verdict.reason}};
}

Result<Json> LoanSchedule(const Json& input) {
  service::Input in(input);
  const int64_t principal = in.Int("principal_fen", 1, domain::kMaxPrincipalFen);
  const int64_t rate = in.Int("annual_rate_bps", 0, domain::kMaxAnnualRateBps);
  const int64_t term = in.Int("term_months", 1, domain::kMaxTermMonths);
  const std::string method_text = in.Str("method", 40);
  const Date start = in.DateField("start_date");
  auto method = domain::ParseRepaymentMethod(method_text);
  if (!method_text.empty() && !method) {
    in.Problem("method", "must be one of equal_installment, equal_principal, bullet");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto schedule = CORRIDOR_TRY(
      domain::BuildSchedule(domain::LoanTerms{.principal = Money::FromFen(principal),
                                              .annual_rate_bps = rate,
                                              .term_months = static_cast<int32_t>(term),
                                              .method = *method,
                                              .start_date = start}));
  Json installments = Json::array();
  for (const auto& i : schedule.installments) {
    installments.push_back(Json{{"seq", i.seq},
                                {"due_date", i.due_date.ToString()},
                                {"principal_fen", i.principal.fen()},
                                {"interest_fen", i.interest.fen()},
                                {"payment_fen", i.payment.fen()},
                                {"balance_fen", i.balance.fen()}});
  }
  return Json{{"installments", std::move(installments)},
              {"total_interest_fen", schedule.total_interest.fen()},
              {"total_payment_fen", schedule.total_interest.fen() + principal}};
}

std::vector<CalcModel> MakeModels() {
  std::vector<CalcModel> models = {
      {"loan-schedule",
       "Repayment schedule (equal_installment, equal_principal, bullet) in integer fen",
       LoanSchedule},
      {"uscc-validate", "Validates a unified social credit code (GB 32100-2015)", UsccValidate},
  };
  AddRegistryModels(models);
  AddEvaluateModels(models);
  AddRiskModels(models);
  AddContagionModels(models);
  AddGreenModels(models);
  AddSupplyChainModels(models);
  AddMonitorModels(models);
  AddScoringModels(models);
  AddFederatedModels(models);
  AddPensionModels(models);
  std::sort(models.begin(), models.end(),
            [](const CalcModel& a, const CalcModel& b) { return a.name < b.name; });
  return models;
}

}  // namespace

const std::vector<CalcModel>& CalcModels() {
  static const std::vector<CalcModel> kModels = MakeModels();
  return kModels;
}

Result<Json> RunCalc(std::string_view name, const Json& input) {
  return RunCalc(name, input, CalcContext{});
}

Result<Json> RunCalc(std::string_view name, const Json& input, const CalcContext& context) {
  for (const auto& m : CalcModels()) {
    if (m.name != name) continue;
    return m.run_with_context ? m.run_with_context(input, context) : m.run(input);
  }
  return Fail(Error{ErrorCode::kNotFound,
                    "unknown model '" + std::string(name) + "'; `corridor calc --list` lists them",
                    {}});
}

}  // namespace corridor::calc
