// The green calc models: green-reserve, sll-margin and pcaf. Conventions: green/green.hpp.
#include <fmt/format.h>

#include <cmath>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "green/green.hpp"
#include "green/label.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;

Result<Json> GreenReserveModel(const Json& body) {
  Input in(body);
  const int64_t financing = in.Int("financing_fen", 0, INT64_MAX);
  const double capacity = NumberField(in, body, "capacity_mw", 0.0);
  const int64_t per_mw = in.OptInt("deposit_fen_per_mw", 0, INT64_MAX).value_or(0);
  if (!(capacity >= 0 && capacity <= 1e9)) in.Problem("capacity_mw", "must be 0 to 10^9 MW");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r =
      CORRIDOR_TRY(green::GreenReserve(financing, std::llround(capacity * 1'000'000), per_mw));
  return Json{{"risk_reserve_fen", r.risk_reserve_fen},
              {"decommissioning_deposit_fen", r.decommissioning_deposit_fen}};
}

Result<Json> SllMarginModel(const Json& body) {
  Input in(body);
  const int64_t base = in.Int("base_margin_bps", -10'000, 10'000);
  std::vector<green::Kpi> kpis;
  EachObject(in, body, "kpis", 100, [&](Input& k, const Json& j) {
    green::Kpi kpi;
    kpi.name = k.Str("name", 100);
    kpi.target = NumberField(k, j, "target", std::nullopt);
    kpi.actual = NumberField(k, j, "actual", std::nullopt);
    const std::string d = k.Str("direction", 20);
    if (d == "higher_is_better") {
      kpi.direction = green::KpiDirection::kHigherIsBetter;
    } else if (d != "lower_is_better") {
      k.Problem("direction", "must be lower_is_better or higher_is_better");
    }
    kpi.step_bps = k.Int("step_bps", 0, 10'000);
    kpis.push_back(std::move(kpi));
  });
  const std::string ratchet = in.OptStr("ratchet", 20).value_or("symmetric");
  if (ratchet != "symmetric" && ratchet != "downward_only") {
    in.Problem("ratchet", "must be symmetric or downward_only");
  }
  const int64_t floor = in.OptInt("floor_bps", -10'000, 10'000).value_or(-10'000);
  const int64_t cap = in.OptInt("cap_bps", -10'000, 10'000).value_or(10'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(green::SustainabilityLinkedMargin(
      base, kpis,
      ratchet == "downward_only" ? green::Ratchet::kDownwardOnly : green::Ratchet::kSymmetric,
      floor, cap));
  Json adjustments = Json::array();
  for (const auto& a : r.adjustments) {
    adjustments.push_back({{"name", a.name}, {"met", a.met}, {"change_bps", a.change_bps}});
  }
  return Json{{"margin_bps", r.margin_bps},
              {"unclamped_margin_bps", r.unclamped_bps},
              {"adjustments", std::move(adjustments)}};
}

Result<Json> PcafModel(const Json& body) {
  Input in(body);
  std::vector<green::PcafLoan> loans;
  EachObject(in, body, "loans", 1'000'000, [&](Input& l, const Json& j) {
    green::PcafLoan loan;
    loan.outstanding = NumberField(l, j, "outstanding", std::nullopt);
    if (l.Has("total_equity_plus_debt")) {
      loan.total_equity_plus_debt = NumberField(l, j, "total_equity_plus_debt", std::nullopt);
    }
    if (l.Has("evic")) loan.evic = NumberField(l, j, "evic", std::nullopt);
    loan.scope1 = NumberField(l, j, "scope1", 0.0);
    loan.scope2 = NumberField(l, j, "scope2", 0.0);
    loan.scope3 = NumberField(l, j, "scope3", 0.0);
    loan.removals = NumberField(l, j, "removals", 0.0);
    loan.credits_retired = NumberField(l, j, "credits_retired", 0.0);
    loan.credits_generated = NumberField(l, j, "credits_generated", 0.0);
    loan.data_quality_score = NumberField(l, j, "data_quality_score", 5.0);
    if (l.Has("scope3_data_quality_score")) {
      loan.scope3_data_quality_score = NumberField(l, j, "scope3_data_quality_score", std::nullopt);
    }
    loans.push_back(loan);
  });
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(green::FinancedEmissions(loans));
  Json rows = Json::array();
  for (const auto& x : r.loans) {
    rows.push_back({{"attribution_factor", x.attribution_factor},
                    {"scope1", x.scope1},
                    {"scope2", x.scope2},
                    {"scope3", x.scope3},
                    {"removals", x.removals},
                    {"credits_retired", x.credits_retired},
                    {"credits_generated", x.credits_generated}});
  }
  return Json{
      {"scope1", r.scope1},
      {"scope2", r.scope2},
      {"scope3", r.scope3},
      {"removals", r.removals},
      {"credits_retired", r.credits_retired},
      {"credits_generated", r.credits_generated},
      {"weighted_data_quality", r.weighted_data_quality},
      {"weighted_data_quality_scope3",
       r.weighted_data_quality_scope3 ? Json(*r.weighted_data_quality_scope3) : Json(nullptr)},
      {"loans", std::move(rows)}};
}

Result<Json> GreenLabelModel(const Json& body) {
  const auto project = CORRIDOR_TRY(service::ParseGreenProject(body));
  return service::LabelDecisionJson(CORRIDOR_TRY(green::DecideLabel(project)));
}

}  // namespace

void AddGreenModels(std::vector<CalcModel>& models) {
  models.push_back({"green-reserve", "Green project risk reserve (1%) and decommissioning deposit",
                    GreenReserveModel});
  models.push_back(
      {"sll-margin", "Sustainability-linked loan margin after KPI steps", SllMarginModel});
  models.push_back({"pcaf", "Financed emissions by the PCAF standard", PcafModel});
  models.push_back({"green-label",
                    "Green label from evidence, with rules fired and greenwashing flags",
                    GreenLabelModel});
}

}  // namespace corridor::calc
