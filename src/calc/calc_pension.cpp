// The pension calc models: life-annuity, pension-transfer and pension-benefit (src/pension/;
// docs/pension.md).
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "pension/actuarial.hpp"
#include "pension/social.hpp"
#include "pension/trust.hpp"
#include "service/kernel/input.hpp"
#include "service/pension/pension.hpp"

namespace corridor::calc {
namespace {

using service::Input;

// A decimal with at most four places, in ten-thousandths (0.6 → 6,000): exact, never binary.
std::optional<int64_t> TenThousandths(Input& in, const Json& body, std::string_view name,
                                      int64_t max_e4) {
  if (!in.Has(name)) {
    in.Problem(name, "is required");
    return std::nullopt;
  }
  const Json& v = body.at(std::string(name));
  if (!v.is_number()) {
    in.Problem(name, "must be a number");
    return std::nullopt;
  }
  const double scaled = v.get<double>() * 10'000;
  const double rounded = std::round(scaled);
  if (!std::isfinite(scaled) || std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, rounded) ||
      rounded < 0 || rounded > static_cast<double>(max_e4)) {
    in.Problem(name, fmt::format("must be a decimal of at most four places, 0 to {}",
                                 static_cast<double>(max_e4) / 10'000));
    return std::nullopt;
  }
  return static_cast<int64_t>(rounded);
}

Result<pension::LifeTable> TableField(const Json& body) {
  if (!body.contains("table")) return Fail(Error::Invalid("/table", "is required"));
  const Json& t = body["table"];
  if (t.is_string()) {
    auto named = pension::LifeTable::Named(t.get<std::string>());
    if (!named) return Fail(Error::Invalid("/table", named.error().message));
    return named;
  }
  if (!t.is_object()) {
    return Fail(Error::Invalid("/table", "a shipped table's name, {\"makeham\"} or {\"qx\"}"));
  }
  if (t.contains("makeham")) {
    const Json& m = t["makeham"];
    Input in(t, "/table");
    if (!m.is_object() || !m.contains("a") || !m.contains("b") || !m.contains("c") ||
        !m["a"].is_number() || !m["b"].is_number() || !m["c"].is_number()) {
      return Fail(Error::Invalid("/table/makeham", "needs the numbers a, b and c"));
    }
    const auto radix = in.Int("radix_age", 0, 129);
    CORRIDOR_TRY_STATUS(in.Finish());
    auto table = pension::LifeTable::Makeham(m["a"].get<double>(), m["b"].get<double>(),
                                             m["c"].get<double>(), static_cast<int>(radix));
    if (!table) {
      Error e = table.error();
      for (auto& f : e.fields) f.field = "/table" + f.field;
      return Fail(std::move(e));
    }
    return table;
  }
  Input in(t, "/table");
  const auto qx = NumberArray(in, t, "qx", true, 150);
  const auto start = in.Int("start_age", 0, 120);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto table = pension::LifeTable::FromQx(static_cast<int>(start), qx);
  if (!table) {
    Error e = table.error();
    for (auto& f : e.fields) f.field = "/table" + f.field;
    return Fail(std::move(e));
  }
  return table;
}

Result<Json> LifeAnnuityModel(const Json& body) {
  const auto table = CORRIDOR_TRY(TableField(body));
  Input in(body);
  pension::AnnuityBasis basis;
  basis.age = static_cast<int>(in.Int("age", 0, 150));
  basis.interest = NumberField(in, body, "interest", std::nullopt);
  if (const auto term = in.OptInt("term", 1, 150)) basis.term = static_cast<int>(*term);
  basis.deferral = static_cast<int>(in.OptInt("deferral", 0, 150).value_or(0));
  basis.payments_per_year = static_cast<int>(in.OptInt("payments_per_year", 1, 365).value_or(1));
  const std::string timing = in.OptStr("timing", 20).value_or("due");
  if (timing != "due" && timing != "immediate") in.Problem("timing", "must be due or immediate");
  basis.due = timing == "due";
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto v = CORRIDOR_TRY(pension::Value(table, basis));
  return Json{{"annuity", v.annuity},
              {"insurance", v.insurance},
              {"pure_endowment", v.pure_endowment},
              {"fractional_ages", "uniform distribution of deaths"},
              {"table", {{"start_age", table.start_age()}, {"last_age", table.last_age()}}}};
}

Result<Json> PensionTransferModel(const Json& body) {
  Input in(body);
  std::vector<int64_t> wages;
  if (!in.Has("contribution_wages_fen_by_month") ||
      !body["contribution_wages_fen_by_month"].is_array()) {
    in.Problem("contribution_wages_fen_by_month", "must be an array of integers (fen)");
  } else {
    const Json& list = body["contribution_wages_fen_by_month"];
    if (list.size() > 1'200) in.Problem("contribution_wages_fen_by_month", "at most 1,200 months");
    for (size_t k = 0; k < list.size() && k < 1'200; ++k) {
      if (!list[k].is_number_integer()) {
        in.Problem(fmt::format("contribution_wages_fen_by_month/{}", k),
                   "must be an integer (fen)");
        continue;
      }
      wages.push_back(list[k].get<int64_t>());
    }
  }
  const int64_t account = in.Int("personal_account_fen", 0, 100'000'000'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto t = CORRIDOR_TRY(pension::TransferPension(wages, account));
  return Json{{"pooled_transfer_fen", t.pooled_transfer_fen},
              {"personal_account_fen", t.personal_account_fen},
              {"total_fen", t.total_fen},
              {"months", t.months}};
}

Result<Json> PensionBenefitModel(const Json& body) {
  Input in(body);
  const int64_t avg = in.Int("provincial_avg_wage_fen", 1, 1'000'000'000);
  const auto ratio = TenThousandths(in, body, "indexed_wage_ratio", 30'000);
  const auto years = TenThousandths(in, body, "years", 700'000);
  const int64_t account = in.Int("personal_account_fen", 0, 100'000'000'000);
  const auto age = in.Int("retirement_age", 40, 70);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto b =
      CORRIDOR_TRY(pension::BasicPension(avg, *ratio, *years, account, static_cast<int>(age)));
  return Json{{"basic_fen", b.basic_fen},
              {"account_fen", b.account_fen},
              {"monthly_fen", b.monthly_fen},
              {"months_divisor", b.months_divisor}};
}

Result<Json> TrustProjectionModel(const Json& body) {
  const auto table = CORRIDOR_TRY(TableField(body));
  Input in(body);
  std::vector<pension::TrustMember> members;
  EachObject(in, body, "members", 200'000, [&](Input& m, const Json&) {
    pension::TrustMember t;
    t.age = static_cast<int>(m.Int("age", 0, 150));
    t.lives = m.OptInt("lives", 1, 10'000'000).value_or(1);
    t.retirement_age = static_cast<int>(m.Int("retirement_age", 40, 80));
    t.contribution_fen = m.OptInt("contribution_fen", 0, 100'000'000'000).value_or(0);
    t.benefit_fen = m.OptInt("benefit_fen", 0, 100'000'000'000).value_or(0);
    t.grassland_service_fen = m.OptInt("grassland_service_fen", 0, 100'000'000'000).value_or(0);
    t.beijing_service_fen = m.OptInt("beijing_service_fen", 0, 100'000'000'000).value_or(0);
    members.push_back(t);
  });
  pension::TrustOptions o;
  o.years = static_cast<int>(in.Int("years", 1, 150));
  o.assets_fen = in.OptInt("assets_fen", 0, 1'000'000'000'000'000).value_or(0);
  o.seed =
      static_cast<uint64_t>(in.OptInt("seed", 0, std::numeric_limits<int64_t>::max()).value_or(1));
  const bool has_interest = in.Has("interest"), has_scenarios = in.Has("scenarios");
  if (has_interest == has_scenarios) {
    in.Problem("interest", "give the interest rate or the scenarios, one of them");
  } else if (has_interest) {
    o.interest = NumberField(in, body, "interest", std::nullopt);
  } else if (const Json* sc = in.Object("scenarios")) {
    Input s(*sc, "/scenarios");
    pension::TrustScenarios t;
    t.mean_return = NumberField(s, *sc, "mean_return", std::nullopt);
    t.volatility = NumberField(s, *sc, "volatility", std::nullopt);
    t.count = static_cast<int>(s.Int("count", 1, 100'000));
    in.Include(s);
    o.scenarios = t;
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto p = CORRIDOR_TRY(pension::ProjectTrust(table, members, o));
  return service::TrustProjectionJson(p, o.scenarios.has_value());
}

}  // namespace

void AddPensionModels(std::vector<CalcModel>& models) {
  models.push_back({"life-annuity",
                    "A life annuity of 1 a year (due or immediate, temporary, deferred, in m "
                    "instalments under uniform deaths between ages) and the insurance of 1 on the "
                    "same basis, on a shipped table, a Makeham law or q_x",
                    LifeAnnuityModel});
  models.push_back({"pension-transfer",
                    "The transfer of a basic-pension relationship (国办发〔2009〕66号): 12% of the "
                    "contribution wages since 1998 from the pooled fund, and the personal account",
                    PensionTransferModel});
  models.push_back(
      {"pension-benefit",
       "The monthly basic pension (国发〔2005〕38号): the basic part by wage, index and "
       "years, and the personal account over the months divisor of the retirement age",
       PensionBenefitModel});
  models.push_back({"trust-projection",
                    "The migratory-bird pension trust: yearly expected cash flows and assets, the "
                    "liability and funding ratio, and with seeded scenarios of deaths and returns "
                    "the assets' percentiles and the probability of a shortfall",
                    TrustProjectionModel});
}

}  // namespace corridor::calc
