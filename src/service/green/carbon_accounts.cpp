// Carbon accounts and sustainability-linked loans (service/green.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/date.hpp"
#include "domain/schedule.hpp"
#include "green/green.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "store/db.hpp"

namespace corridor::service {

using internal::IsOversight;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

// A reporting period: a year (2025) or a quarter (2025-Q3).
bool ValidPeriod(std::string_view p) {
  auto digits = [&](size_t from, size_t n) {
    return std::all_of(p.begin() + from, p.begin() + from + n,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (p.size() == 4) return digits(0, 4);
  return p.size() == 7 && digits(0, 4) && p.substr(4, 2) == "-Q" && p[6] >= '1' && p[6] <= '4';
}

Result<int64_t> EnterpriseTenant(Connection& c, int64_t enterprise_id) {
  auto t =
      CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  if (!t) return Fail(Error::NotFound("enterprise"));
  return *t;
}

// The loan's bank and borrower; NotFound for a bank officer of another bank.
struct OwnLoan {
  int64_t enterprise = 0, enterprise_tenant = 0, rate = 0;
  std::string method, start_date;
};
Result<OwnLoan> BanksOwnLoan(Connection& c, const Caller& caller, int64_t loan_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT l.bank_tenant_id, l.enterprise_id, e.tenant_id, "
                                    "l.annual_rate_bps, l.method, l.start_date FROM loans l JOIN "
                                    "enterprises e ON e.id = l.enterprise_id WHERE l.id = ?",
                                    loan_id));
  if (!CORRIDOR_TRY(q.Next()) || q.Int(0) != caller.tenant_id) {
    return Fail(Error::NotFound("loan"));
  }
  return OwnLoan{q.Int(1), q.Int(2), q.Int(3), q.Text(4), q.Text(5)};
}

// The platform's carbon-pricing rule: against the previous period of the same kind and output
// unit, a scope 1+2 intensity down at least 10% earns -15 bp and down at least 5% -5 bp, on
// metered data of quality 1-3; up at least 10% costs +10 bp whatever the data.
int64_t CarbonPricingBps(double change, bool metered, int64_t quality) {
  if (change >= 0.10) return 10;
  if (!metered || quality > 3) return 0;
  if (change <= -0.10) return -15;
  if (change <= -0.05) return -5;
  return 0;
}

// The KPIs of stored terms, with this period's actuals.
Result<std::vector<green::Kpi>> KpisWithActuals(const Json& kpis, const Json* actuals) {
  std::vector<green::Kpi> out;
  std::vector<FieldError> missing;
  for (const auto& k : kpis) {
    green::Kpi kpi;
    kpi.name = k.at("name").get<std::string>();
    kpi.target = k.at("target").get<double>();
    kpi.direction = k.at("direction") == "higher_is_better" ? green::KpiDirection::kHigherIsBetter
                                                            : green::KpiDirection::kLowerIsBetter;
    kpi.step_bps = k.at("step_bps").get<int64_t>();
    kpi.actual = kpi.target;
    if (actuals) {
      const auto it = actuals->find(kpi.name);
      if (it == actuals->end() || !it->is_number() || !std::isfinite(it->get<double>())) {
        missing.push_back({fmt::format("/actuals/{}", kpi.name), "a number is required"});
      } else {
        kpi.actual = it->get<double>();
      }
    }
    out.push_back(std::move(kpi));
  }
  if (!missing.empty()) return Fail(Error::Invalid(std::move(missing)));
  return out;
}

// Re-prices the unpaid installments from `from_seq` on at the loan's rate plus `delta_bps`: the
// remaining principal is amortized again over the same number of installments by the loan's
// method (due dates unchanged); the principal parts still sum to the principal.
Status Reprice(Connection& c, int64_t loan_id, const OwnLoan& loan, int64_t from_seq,
               int64_t delta_bps) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT seq, principal_fen, paid_fen FROM installments WHERE "
                                    "loan_id = ? AND seq >= ? ORDER BY seq",
                                    loan_id, from_seq));
  int64_t principal = 0;
  int32_t n = 0;
  while (CORRIDOR_TRY(q.Next())) {
    if (q.Int(2) != 0) return Fail(Error::Conflict("an installment to re-price is partly paid"));
    principal += q.Int(1);
    ++n;
  }
  if (n == 0) return {};
  const int64_t rate = loan.rate + delta_bps;
  if (rate < 0) return Fail(Error::Conflict("the new margin would make the rate negative"));
  const auto method = CORRIDOR_TRY(domain::ParseRepaymentMethod(loan.method));
  const auto schedule =
      CORRIDOR_TRY(domain::BuildSchedule({.principal = Money::FromFen(principal),
                                          .annual_rate_bps = rate,
                                          .term_months = n,
                                          .method = method,
                                          .start_date = *Date::Parse(loan.start_date)}));
  const int64_t subsidy_rate =
      CORRIDOR_TRY(QueryInt(c, "SELECT subsidy_rate_bps FROM loans WHERE id = ?", loan_id))
          .value_or(0);
  for (const auto& i : schedule.installments) {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE installments SET principal_fen = ?, interest_fen = ?, "
                         "payment_fen = ?, balance_fen = ?, subsidy_interest_fen = ? WHERE "
                         "loan_id = ? AND seq = ?",
                         i.principal.fen(), i.interest.fen(), i.payment.fen(), i.balance.fen(),
                         domain::SubsidyInterest(i, subsidy_rate).fen(), loan_id,
                         from_seq + i.seq - 1));
  }
  CORRIDOR_TRY(Execute(c,
                       "UPDATE loans SET annual_rate_bps = annual_rate_bps + ?, "
                       "borrower_rate_bps = borrower_rate_bps + ? WHERE id = ?",
                       delta_bps, delta_bps, loan_id));
  return {};
}

}  // namespace

Result<Response> GreenFinance::RecordCarbon(Connection& c, const Caller& caller,
                                            int64_t enterprise_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kEnterpriseUser}));
  if (caller.role == Role::kEnterpriseUser && caller.enterprise_id != enterprise_id) {
    return Fail(Error::NotFound("enterprise"));
  }
  const int64_t tenant = CORRIDOR_TRY(EnterpriseTenant(c, enterprise_id));
  Input in(body);
  const std::string period = in.Str("period", 7);
  constexpr int64_t kMaxKg = 1'000'000'000'000'000;
  const int64_t s1 = in.Int("scope1_kg", 0, kMaxKg);
  const int64_t s2 = in.Int("scope2_kg", 0, kMaxKg);
  const int64_t s3 = in.Int("scope3_kg", 0, kMaxKg);
  const int64_t reductions = in.OptInt("reductions_kg", 0, kMaxKg).value_or(0);
  const int64_t output = in.Int("output", 1, kMaxKg);
  const std::string unit = in.Str("output_unit", 30);
  const int64_t quality = in.Int("data_quality", 1, 5);
  const bool metered = in.Bool("metered", false);
  // PCAF's inputs: removals and carbon credits apart from emissions; the attribution factor's
  // denominators (optional; a loan to the firm is covered by financed emissions only with one).
  const int64_t removals = in.OptInt("removals_kg", 0, kMaxKg).value_or(0);
  const int64_t retired = in.OptInt("credits_retired_kg", 0, kMaxKg).value_or(0);
  const int64_t generated = in.OptInt("credits_generated_kg", 0, kMaxKg).value_or(0);
  constexpr int64_t kMaxFen = domain::kMaxBalanceFen;
  const std::optional<int64_t> equity_debt = in.OptInt("equity_plus_debt_fen", 1, kMaxFen);
  const std::optional<int64_t> evic = in.OptInt("evic_fen", 1, kMaxFen);
  if (!period.empty() && !ValidPeriod(period)) in.Problem("period", "must be YYYY or YYYY-Qn");
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t now = clock_.NowMicros();
  Json record{{"enterprise_id", enterprise_id},
              {"period", period},
              {"scope1_kg", s1},
              {"scope2_kg", s2},
              {"scope3_kg", s3},
              {"reductions_kg", reductions},
              {"output", output},
              {"output_unit", unit},
              {"data_quality", quality},
              {"metered", metered},
              {"removals_kg", removals},
              {"credits_retired_kg", retired},
              {"credits_generated_kg", generated},
              {"equity_plus_debt_fen", equity_debt ? Json(*equity_debt) : Json()},
              {"evic_fen", evic ? Json(*evic) : Json()}};
  const auto entry =
      CORRIDOR_TRY(AppendLogEntry(c, "green.carbon_recorded", &caller, record, {tenant}, now));
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO carbon_records (enterprise_id, period, scope1_kg, scope2_kg, scope3_kg, "
      "reductions_kg, output, output_unit, data_quality, metered, recorded_by, recorded_at, "
      "entry_index, removals_kg, credits_retired_kg, credits_generated_kg, "
      "equity_plus_debt_fen, evic_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?) ON CONFLICT (enterprise_id, period) DO UPDATE SET scope1_kg = excluded.scope1_kg, "
      "scope2_kg = excluded.scope2_kg, scope3_kg = excluded.scope3_kg, reductions_kg = "
      "excluded.reductions_kg, output = excluded.output, output_unit = excluded.output_unit, "
      "data_quality = excluded.data_quality, metered = excluded.metered, recorded_by = "
      "excluded.recorded_by, recorded_at = excluded.recorded_at, entry_index = "
      "excluded.entry_index, removals_kg = excluded.removals_kg, credits_retired_kg = "
      "excluded.credits_retired_kg, credits_generated_kg = excluded.credits_generated_kg, "
      "equity_plus_debt_fen = excluded.equity_plus_debt_fen, evic_fen = excluded.evic_fen",
      enterprise_id, period, s1, s2, s3, reductions, output, unit, quality, metered ? 1 : 0,
      caller.user_id, now, entry.index, removals, retired, generated, equity_debt, evic));
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

namespace {

struct CarbonData {
  Json periods = Json::array();
  std::optional<CarbonPricing> pricing;
  std::optional<double> weighted_quality;
};

// An enterprise's carbon records in period order, each compared with the previous period of the
// same kind and unit; the pricing from the latest comparison.
Result<CarbonData> LoadCarbon(Connection& c, int64_t enterprise_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT period, scope1_kg, scope2_kg, scope3_kg, "
                                    "reductions_kg, output, output_unit, data_quality, metered, "
                                    "entry_index, removals_kg, credits_retired_kg, "
                                    "credits_generated_kg, equity_plus_debt_fen, evic_fen FROM "
                                    "carbon_records WHERE enterprise_id = ? ORDER BY "
                                    "length(period), period",
                                    enterprise_id));
  CarbonData d;
  double weighted = 0, emissions = 0;
  while (CORRIDOR_TRY(q.Next())) {
    const int64_t s1 = q.Int(1), s2 = q.Int(2), s3 = q.Int(3), output = q.Int(5);
    const std::string period = q.Text(0), unit = q.Text(6);
    const double intensity = static_cast<double>(s1 + s2) / static_cast<double>(output);
    Json row{{"period", period},
             {"scope1_kg", s1},
             {"scope2_kg", s2},
             {"scope3_kg", s3},
             {"total_kg", s1 + s2 + s3},
             {"reductions_kg", q.Int(4)},
             {"output", output},
             {"output_unit", unit},
             {"intensity_kg_per_unit", intensity},
             {"data_quality", q.Int(7)},
             {"metered", q.Int(8) != 0},
             {"log_index", q.Int(9)},
             {"removals_kg", q.Int(10)},
             {"credits_retired_kg", q.Int(11)},
             {"credits_generated_kg", q.Int(12)},
             {"equity_plus_debt_fen", q.IsNull(13) ? Json() : Json(q.Int(13))},
             {"evic_fen", q.IsNull(14) ? Json() : Json(q.Int(14))}};
    for (auto it = d.periods.rbegin(); it != d.periods.rend(); ++it) {
      const std::string before_period = (*it)["period"].get<std::string>();
      if (before_period.size() != period.size() || (*it)["output_unit"] != unit) continue;
      const double before = (*it)["intensity_kg_per_unit"].get<double>();
      if (before > 0) {
        const double change = intensity / before - 1;
        row["intensity_change"] = change;
        d.pricing = CarbonPricing{
            CarbonPricingBps(change, q.Int(8) != 0, q.Int(7)),
            fmt::format("intensity {:+.1f}% ({} vs {})", change * 100, period, before_period)};
      }
      break;
    }
    weighted += static_cast<double>(q.Int(7)) * static_cast<double>(s1 + s2 + s3);
    emissions += static_cast<double>(s1 + s2 + s3);
    d.periods.push_back(std::move(row));
  }
  if (emissions > 0) d.weighted_quality = weighted / emissions;
  return d;
}

}  // namespace

Result<std::optional<CarbonPricing>> CarbonPricingOf(Connection& c, int64_t enterprise_id) {
  return CORRIDOR_TRY(LoadCarbon(c, enterprise_id)).pricing;
}

Result<Json> GreenFinance::CarbonAccount(const Caller& caller, int64_t enterprise_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    CORRIDOR_TRY(EnterpriseTenant(c, enterprise_id));
    const bool sees =
        IsOversight(caller) || (caller.in_enterprise() && caller.enterprise_id == enterprise_id) ||
        (caller.in_bank() &&
         CORRIDOR_TRY(QueryInt(c,
                               "SELECT 1 FROM loans WHERE bank_tenant_id = ? AND enterprise_id "
                               "= ? LIMIT 1",
                               caller.tenant_id, enterprise_id)));
    if (!sees) return Fail(Error::NotFound("enterprise"));
    CarbonData d = CORRIDOR_TRY(LoadCarbon(c, enterprise_id));
    return Json{{"enterprise_id", enterprise_id},
                {"periods", std::move(d.periods)},
                {"weighted_data_quality", d.weighted_quality ? Json(*d.weighted_quality) : Json()},
                {"pricing_adjustment_bps", d.pricing ? Json(d.pricing->bps) : Json()},
                {"pricing_reason", d.pricing ? Json(d.pricing->reason) : Json()},
                {"pricing_rule",
                 "scope 1+2 intensity against the previous period of the same kind and unit: down "
                 "≥ 10% -15 bp, down ≥ 5% -5 bp (metered data of quality 1-3); up ≥ 10% +10 bp; "
                 "applied to the enterprise's matched product rates"}};
  });
}

namespace {

Json PcafTotals(const green::PcafResult& r) {
  return Json{{"scope1_t", r.scope1},
              {"scope2_t", r.scope2},
              {"scope3_t", r.scope3},
              {"removals_t", r.removals},
              {"credits_retired_t", r.credits_retired},
              {"credits_generated_t", r.credits_generated},
              {"weighted_data_quality", r.weighted_data_quality},
              {"weighted_data_quality_scope3",
               r.weighted_data_quality_scope3 ? Json(*r.weighted_data_quality_scope3) : Json()}};
}

// Totals of covered loans (none: zeros and no score).
Result<Json> PcafTotalsOf(const std::vector<green::PcafLoan>& loans) {
  if (loans.empty()) {
    return Json{{"scope1_t", 0},
                {"scope2_t", 0},
                {"scope3_t", 0},
                {"removals_t", 0},
                {"credits_retired_t", 0},
                {"credits_generated_t", 0},
                {"weighted_data_quality", Json()},
                {"weighted_data_quality_scope3", Json()}};
  }
  return PcafTotals(CORRIDOR_TRY(green::FinancedEmissions(loans)));
}

}  // namespace

Result<Json> GreenFinance::FinancedEmissions(const Caller& caller, const std::string& period) {
  CORRIDOR_TRY_STATUS(RequireRole(
      caller, {Role::kBureauAdmin, Role::kRiskAnalyst, Role::kAuditor, Role::kBankOfficer}));
  if (!ValidPeriod(period)) return Fail(Error::Invalid("period", "must be YYYY or YYYY-Qn"));
  const bool platform = IsOversight(caller);
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format(
            "SELECT * FROM (SELECT l.id, l.bank_tenant_id, t.name, l.enterprise_id, e.name, {} "
            "AS outstanding, r.id, r.scope1_kg, r.scope2_kg, r.scope3_kg, r.removals_kg, "
            "r.credits_retired_kg, r.credits_generated_kg, r.data_quality, "
            "r.equity_plus_debt_fen, r.evic_fen FROM loans l JOIN enterprises e ON e.id = "
            "l.enterprise_id JOIN tenants t ON t.id = l.bank_tenant_id LEFT JOIN carbon_records "
            "r ON r.enterprise_id = l.enterprise_id AND r.period = ? WHERE {}) WHERE "
            "outstanding > 0 ORDER BY 1",
            internal::kOutstandingPrincipalSql,
            platform ? std::string("1") : fmt::format("l.bank_tenant_id = {}", caller.tenant_id)),
        period));
    struct Bank {
      std::string name;
      std::vector<green::PcafLoan> loans;
      int64_t outstanding = 0, covered = 0;
    };
    std::map<int64_t, Bank> banks;
    std::vector<green::PcafLoan> covered;
    Json rows = Json::array(), not_covered = Json::array();
    int64_t outstanding_all = 0, covered_fen = 0;
    auto tonnes = [](int64_t kg) { return static_cast<double>(kg) / 1000; };
    while (CORRIDOR_TRY(q.Next())) {
      const int64_t loan = q.Int(0), bank = q.Int(1), enterprise = q.Int(3), o = q.Int(5);
      Bank& b = banks[bank];
      b.name = q.Text(2);
      b.outstanding += o;
      outstanding_all += o;
      const std::optional<int64_t> evic = q.OptInt(15), equity_debt = q.OptInt(14);
      const std::optional<int64_t> base = evic ? evic : equity_debt;
      std::string reason;
      if (q.IsNull(6)) {
        reason = "the borrower has no carbon record for the period";
      } else if (!base) {
        reason = "the borrower's carbon record gives neither equity_plus_debt_fen nor evic_fen";
      } else if (o > *base) {
        reason = "the outstanding principal exceeds the borrower's equity plus debt";
      }
      if (!reason.empty()) {
        not_covered.push_back({{"loan_id", loan},
                               {"bank_tenant_id", bank},
                               {"enterprise_id", enterprise},
                               {"enterprise", q.Text(4)},
                               {"outstanding_fen", o},
                               {"reason", reason}});
        continue;
      }
      green::PcafLoan l;
      l.outstanding = static_cast<double>(o);
      if (evic) {
        l.evic = static_cast<double>(*evic);
      } else {
        l.total_equity_plus_debt = static_cast<double>(*equity_debt);
      }
      l.scope1 = tonnes(q.Int(7));
      l.scope2 = tonnes(q.Int(8));
      l.scope3 = tonnes(q.Int(9));
      l.removals = tonnes(q.Int(10));
      l.credits_retired = tonnes(q.Int(11));
      l.credits_generated = tonnes(q.Int(12));
      l.data_quality_score = static_cast<double>(q.Int(13));
      Json row;
      row["loan_id"] = loan;
      row["bank_tenant_id"] = bank;
      row["enterprise_id"] = enterprise;
      row["enterprise"] = q.Text(4);
      row["outstanding_fen"] = o;
      row["denominator"] = evic ? "evic" : "total_equity_plus_debt";
      row["denominator_fen"] = *base;
      row["data_quality_score"] = q.Int(13);
      rows.push_back(std::move(row));
      covered.push_back(l);
      b.loans.push_back(l);
      b.covered += o;
      covered_fen += o;
    }
    auto share = [](int64_t part, int64_t whole) {
      return whole > 0 ? Json(static_cast<double>(part) / static_cast<double>(whole)) : Json();
    };
    Json out = CORRIDOR_TRY(PcafTotalsOf({}));
    if (!covered.empty()) {
      const auto all = CORRIDOR_TRY(green::FinancedEmissions(covered));
      out = PcafTotals(all);
      for (size_t k = 0; k < rows.size(); ++k) {
        const green::PcafLoanResult& x = all.loans[k];
        rows[k]["attribution_factor"] = x.attribution_factor;
        rows[k]["scope1_t"] = x.scope1;
        rows[k]["scope2_t"] = x.scope2;
        rows[k]["scope3_t"] = x.scope3;
        rows[k]["removals_t"] = x.removals;
        rows[k]["credits_retired_t"] = x.credits_retired;
        rows[k]["credits_generated_t"] = x.credits_generated;
      }
    }
    out["period"] = period;
    out["scope"] = platform ? "platform" : "bank";
    out["standard"] =
        "PCAF Global GHG Accounting and Reporting Standard Part A (2nd ed., 2022), business "
        "loans: attributed = outstanding / (EVIC for listed firms, else total equity + debt) × "
        "the borrower's emissions; removals and credits reported apart, never netted; data "
        "quality weighted by outstanding (scope 3 apart)";
    out["coverage"] = {{"outstanding_fen", outstanding_all},
                       {"covered_fen", covered_fen},
                       {"share", share(covered_fen, outstanding_all)},
                       {"loans", rows.size() + not_covered.size()},
                       {"covered_loans", rows.size()}};
    if (platform) {
      Json by_bank = Json::array();
      for (auto& [id, b] : banks) {
        Json row = CORRIDOR_TRY(PcafTotalsOf(b.loans));
        row["bank_tenant_id"] = id;
        row["bank"] = b.name;
        row["outstanding_fen"] = b.outstanding;
        row["covered_fen"] = b.covered;
        row["coverage_share"] = share(b.covered, b.outstanding);
        by_bank.push_back(std::move(row));
      }
      out["banks"] = std::move(by_bank);
    }
    out["loans"] = std::move(rows);
    out["not_covered"] = std::move(not_covered);
    return out;
  });
}

Result<Response> GreenFinance::LinkSustainability(Connection& c, const Caller& caller,
                                                  int64_t loan_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  const OwnLoan loan = CORRIDOR_TRY(BanksOwnLoan(c, caller, loan_id));
  Input in(body);
  const int64_t base = in.Int("base_margin_bps", 0, 5'000);
  const std::string ratchet = in.OptStr("ratchet", 20).value_or("symmetric");
  const int64_t floor = in.OptInt("floor_bps", 0, 5'000).value_or(0);
  const int64_t cap = in.OptInt("cap_bps", 0, 5'000).value_or(5'000);
  if (ratchet != "symmetric" && ratchet != "downward_only") {
    in.Problem("ratchet", "must be symmetric or downward_only");
  }
  Json kpis = Json::array();
  if (!in.Has("kpis") || !body.at("kpis").is_array() || body.at("kpis").empty()) {
    in.Problem("kpis", "needs at least one {name, target, direction, step_bps}");
  } else {
    const Json& list = body.at("kpis");
    for (size_t k = 0; k < list.size(); ++k) {
      if (!list[k].is_object()) {
        in.Problem(fmt::format("kpis/{}", k), "must be an object");
        continue;
      }
      Input ki(list[k], fmt::format("/kpis/{}", k));
      const std::string name = ki.Str("name", 60);
      const std::string direction = ki.OptStr("direction", 20).value_or("lower_is_better");
      const int64_t step = ki.Int("step_bps", 0, 500);
      if (!ki.Has("target") || !list[k].at("target").is_number()) {
        ki.Problem("target", "must be a number");
      }
      if (direction != "lower_is_better" && direction != "higher_is_better") {
        ki.Problem("direction", "must be lower_is_better or higher_is_better");
      }
      if (!ki.Finish()) {
        in.Include(ki);
        continue;
      }
      kpis.push_back({{"name", name},
                      {"target", list[k].at("target").get<double>()},
                      {"direction", direction},
                      {"step_bps", step}});
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (base < floor || base > cap) {
    return Fail(Error::Invalid("/base_margin_bps", "must lie between floor_bps and cap_bps"));
  }
  // The terms must compute (a KPI met at its target).
  CORRIDOR_TRY(green::SustainabilityLinkedMargin(
      base, CORRIDOR_TRY(KpisWithActuals(kpis, nullptr)),
      ratchet == "downward_only" ? green::Ratchet::kDownwardOnly : green::Ratchet::kSymmetric,
      floor, cap));
  if (CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM sll_terms WHERE loan_id = ?", loan_id))) {
    return Fail(Error::Conflict("this loan already has sustainability-linked terms"));
  }
  const int64_t now = clock_.NowMicros();
  Json record{{"loan_id", loan_id}, {"base_margin_bps", base}, {"margin_bps", base},
              {"ratchet", ratchet}, {"floor_bps", floor},      {"cap_bps", cap},
              {"kpis", kpis}};
  const auto entry = CORRIDOR_TRY(
      AppendLogEntry(c, "green.sll_linked", &caller, record, {loan.enterprise_tenant}, now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO sll_terms (loan_id, base_margin_bps, margin_bps, ratchet, "
                       "floor_bps, cap_bps, kpis, created_at, entry_index) VALUES (?, ?, ?, ?, "
                       "?, ?, ?, ?, ?)",
                       loan_id, base, base, ratchet, floor, cap, kpis.dump(), now, entry.index));
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

Result<Response> GreenFinance::ObserveKpis(Connection& c, const Caller& caller, int64_t loan_id,
                                           const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  const OwnLoan loan = CORRIDOR_TRY(BanksOwnLoan(c, caller, loan_id));
  auto t = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT base_margin_bps, margin_bps, ratchet, floor_bps, "
                                    "cap_bps, kpis FROM sll_terms WHERE loan_id = ?",
                                    loan_id));
  if (!CORRIDOR_TRY(t.Next())) return Fail(Error::NotFound("sustainability-linked terms"));
  const int64_t base = t.Int(0), current = t.Int(1), floor = t.Int(3), cap = t.Int(4);
  const std::string ratchet = t.Text(2);
  const Json kpis = Json::parse(t.Text(5));
  Input in(body);
  const std::string period = in.Str("period", 20);
  const Json* actuals = in.Object("actuals");
  if (!in.Has("actuals")) in.Problem("actuals", "is required: {KPI name: value}");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto observed = CORRIDOR_TRY(KpisWithActuals(kpis, actuals));
  if (CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM sll_observations WHERE loan_id = ? AND period = ?",
                            loan_id, period))) {
    return Fail(Error::Conflict(fmt::format("period {} is already observed", period)));
  }
  const auto m = CORRIDOR_TRY(green::SustainabilityLinkedMargin(
      base, observed,
      ratchet == "downward_only" ? green::Ratchet::kDownwardOnly : green::Ratchet::kSymmetric,
      floor, cap));
  const int64_t delta = m.margin_bps - current;
  // The next period: the first installment whose period starts today or later (the one
  // running now keeps its rate).
  const std::string today = clock_.Today().ToString();
  std::optional<int64_t> from;
  {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT i.seq FROM installments i WHERE i.loan_id = ?1 AND "
                                      "coalesce((SELECT p.due_date FROM installments p WHERE "
                                      "p.loan_id = ?1 AND p.seq = i.seq - 1), ?2) >= ?3 ORDER BY "
                                      "i.seq LIMIT 1",
                                      loan_id, loan.start_date, today));
    if (CORRIDOR_TRY(q.Next())) from = q.Int(0);
  }
  if (delta != 0 && from) CORRIDOR_TRY_STATUS(Reprice(c, loan_id, loan, *from, delta));
  Json adjustments = Json::array();
  for (const auto& a : m.adjustments) {
    adjustments.push_back({{"name", a.name}, {"met", a.met}, {"change_bps", a.change_bps}});
  }
  const int64_t now = clock_.NowMicros();
  Json record{{"loan_id", loan_id},
              {"period", period},
              {"actuals", *actuals},
              {"margin_before_bps", current},
              {"margin_bps", m.margin_bps},
              {"change_bps", delta},
              {"effective_from_seq", from && delta != 0 ? Json(*from) : Json()},
              {"adjustments", adjustments}};
  const auto entry = CORRIDOR_TRY(AppendLogEntry(c, "green.sll_margin_observed", &caller, record,
                                                 {loan.enterprise_tenant}, now));
  CORRIDOR_TRY(
      Execute(c, "UPDATE sll_terms SET margin_bps = ? WHERE loan_id = ?", m.margin_bps, loan_id));
  CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO sll_observations (loan_id, period, actuals, margin_before_bps, "
      "margin_after_bps, effective_from_seq, adjustments, recorded_by, created_at, entry_index) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      loan_id, period, actuals->dump(), current, m.margin_bps,
      (from && delta != 0) ? from : std::optional<int64_t>(), adjustments.dump(), caller.user_id,
      now, entry.index));
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

Result<Json> GreenFinance::Sustainability(const Caller& caller, int64_t loan_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(internal::CanSeeLoan(c, caller, loan_id))) {
      return Fail(Error::NotFound("loan"));
    }
    auto t = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT base_margin_bps, margin_bps, ratchet, floor_bps, "
                                      "cap_bps, kpis, entry_index FROM sll_terms WHERE loan_id = ?",
                                      loan_id));
    if (!CORRIDOR_TRY(t.Next())) return Fail(Error::NotFound("sustainability-linked terms"));
    Json out{{"loan_id", loan_id},
             {"base_margin_bps", t.Int(0)},
             {"margin_bps", t.Int(1)},
             {"ratchet", t.Text(2)},
             {"floor_bps", t.Int(3)},
             {"cap_bps", t.Int(4)},
             {"kpis", Json::parse(t.Text(5))},
             {"log_index", t.Int(6)}};
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT period, actuals, margin_before_bps, "
                                      "margin_after_bps, effective_from_seq, adjustments, "
                                      "entry_index FROM sll_observations WHERE loan_id = ? ORDER "
                                      "BY id",
                                      loan_id));
    Json observations = Json::array();
    while (CORRIDOR_TRY(q.Next())) {
      observations.push_back({{"period", q.Text(0)},
                              {"actuals", Json::parse(q.Text(1))},
                              {"margin_before_bps", q.Int(2)},
                              {"margin_bps", q.Int(3)},
                              {"effective_from_seq", q.IsNull(4) ? Json() : Json(q.Int(4))},
                              {"adjustments", Json::parse(q.Text(5))},
                              {"log_index", q.Int(6)}});
    }
    out["observations"] = std::move(observations);
    return out;
  });
}

}  // namespace corridor::service
