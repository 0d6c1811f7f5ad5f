// The credit-risk calc models: irb-capital, vasicek-lhp, vasicek-finite, creditriskplus,
// portfolio-mc and concentration. Conventions: risk/credit/*.hpp and docs/risk.md.
#include <fmt/format.h>

#include <thread>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "gpu/gpu.hpp"
#include "risk/credit/concentration.hpp"
#include "risk/credit/creditriskplus.hpp"
#include "risk/credit/irb.hpp"
#include "risk/credit/portfolio_mc.hpp"
#include "risk/credit/vasicek.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;

double Num(Input& in, const Json& body, std::string_view name, std::optional<double> fallback) {
  return NumberField(in, body, name, fallback);
}

std::vector<double> NumList(Input& in, const Json& body, std::string_view name, bool required,
                            size_t max = 1'000) {
  return NumberArray(in, body, name, required, max);
}

// A square matrix of at most 256 rows (factor or sector correlations).
std::vector<std::vector<double>> NumMatrix(Input& in, const Json& body, std::string_view name) {
  return NumberMatrix(in, body, name, false, 256, 256);
}

std::string LevelKey(double level) { return fmt::format("{}", level); }

Result<Json> IrbModel(const Json& body) {
  Input in(body);
  risk::IrbInput irb;
  const std::string ac = in.Str("asset_class", 40);
  irb.pd = Num(in, body, "pd", std::nullopt);
  irb.lgd = Num(in, body, "lgd", std::nullopt);
  irb.maturity_years = Num(in, body, "maturity_years", 2.5);
  irb.sales_eur_m = Num(in, body, "sales_eur_m", 50.0);
  irb.scaling_factor = Num(in, body, "scaling_factor", 1.0);
  irb.pd_floor = Num(in, body, "pd_floor", 0.0003);
  if (ac == "sme_corporate" && !in.Has("sales_eur_m")) {
    in.Problem("sales_eur_m", "is required for sme_corporate");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  irb.asset_class = CORRIDOR_TRY(risk::ParseAssetClass(ac));
  const auto r = CORRIDOR_TRY(risk::IrbCapital(irb));
  return Json{{"correlation", r.correlation},
              {"maturity_adjustment", r.maturity_adjustment},
              {"capital_k", r.capital_k},
              {"risk_weight", r.risk_weight}};
}

Result<Json> VasicekLhpModel(const Json& body) {
  Input in(body);
  const double pd = Num(in, body, "pd", std::nullopt);
  const double rho = Num(in, body, "rho", std::nullopt);
  const double confidence = Num(in, body, "confidence", std::nullopt);
  const double lgd = Num(in, body, "lgd", 1.0);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(risk::VasicekLargePortfolio(pd, rho, confidence, lgd));
  return Json{{"quantile_loss_rate", r.quantile_loss_rate},
              {"expected_shortfall_rate", r.expected_shortfall_rate},
              {"expected_loss_rate", r.expected_loss_rate}};
}

Result<Json> VasicekFiniteModel(const Json& body) {
  Input in(body);
  const int64_t n = in.Int("obligors", 1, 100'000'000);
  const double pd = Num(in, body, "pd", std::nullopt);
  const double rho = Num(in, body, "rho", std::nullopt);
  const double confidence = Num(in, body, "confidence", std::nullopt);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(risk::VasicekFinitePortfolio(n, pd, rho, confidence));
  return Json{{"quantile_defaults", r.quantile_defaults},
              {"cdf_at_quantile", r.cdf_at_quantile},
              {"expected_shortfall_default_rate", r.expected_shortfall_default_rate},
              {"expected_default_rate", r.expected_default_rate}};
}

Result<Json> CreditRiskPlusModel(const Json& body) {
  Input in(body);
  risk::CreditRiskPlusInput crp;
  crp.unit_loss = Num(in, body, "unit_loss", std::nullopt);
  crp.sector_volatilities = NumList(in, body, "sector_volatilities", true, 256);
  // A number is the common correlation of every pair of sectors; a matrix is taken as given.
  if (in.Has("sector_correlation") && body.at("sector_correlation").is_number()) {
    const double r = body.at("sector_correlation").get<double>();
    const size_t k = crp.sector_volatilities.size();
    crp.sector_correlation.assign(k, std::vector<double>(k, r));
    for (size_t j = 0; j < k; ++j) crp.sector_correlation[j][j] = 1;
  } else {
    crp.sector_correlation = NumMatrix(in, body, "sector_correlation");
  }
  EachObject(in, body, "obligors", 1'000'000, [&](Input& o, const Json& j) {
    risk::CrpObligor ob;
    ob.exposure = Num(o, j, "exposure", std::nullopt);
    ob.pd = Num(o, j, "pd", std::nullopt);
    ob.sector = static_cast<int>(o.Int("sector", 0, 255));
    ob.count = o.OptInt("count", 1, 1'000'000'000).value_or(1);
    crp.obligors.push_back(ob);
  });
  crp.quantiles = NumList(in, body, "quantiles", false, 100);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(risk::CreditRiskPlus(crp));
  Json quantiles = Json::object();
  for (size_t k = 0; k < crp.quantiles.size(); ++k) {
    quantiles[LevelKey(crp.quantiles[k])] = r.quantile_losses[k];
  }
  return Json{{"expected_loss", r.expected_loss},
              {"unexpected_loss", r.unexpected_loss},
              {"sector_expected_loss", r.sector_expected_loss},
              {"sector_unexpected_loss", r.sector_unexpected_loss},
              {"relative_default_variance", r.relative_default_variance},
              {"quantiles", std::move(quantiles)}};
}

Result<Json> PortfolioMcModel(const Json& body) {
  Input in(body);
  risk::McInput mc;
  EachObject(in, body, "obligors", 1'000'000, [&](Input& o, const Json& j) {
    risk::McObligor ob;
    ob.ead = Num(o, j, "ead", std::nullopt);
    ob.pd = Num(o, j, "pd", std::nullopt);
    ob.lgd = Num(o, j, "lgd", std::nullopt);
    ob.loadings = NumList(o, j, "loadings", true, 256);
    ob.sector = o.OptStr("sector", 100).value_or("");
    ob.bank = o.OptStr("bank", 100).value_or("");
    ob.count = o.OptInt("count", 1, 1'000'000'000).value_or(1);
    mc.obligors.push_back(std::move(ob));
  });
  mc.factor_correlation = NumMatrix(in, body, "factor_correlation");
  mc.scenarios = in.OptInt("scenarios", 100, 100'000'000).value_or(100'000);
  mc.seed = static_cast<uint64_t>(in.OptInt("seed", 0, INT64_MAX).value_or(1));
  if (in.Has("confidence_levels")) {
    mc.confidence_levels = NumList(in, body, "confidence_levels", true, 20);
  }
  mc.importance_sampling = in.Bool("importance_sampling", false);
  const std::string backend = in.OptStr("backend", 10).value_or("auto");
  if (backend != "cpu" && backend != "cuda" && backend != "auto") {
    in.Problem("backend", "must be cpu, cuda or auto");
  }
  std::unique_ptr<risk::ScenarioEngine> engine;
  if (backend == "cuda") {
    auto e = gpu::SelectMcEngine(backend, 0);
    if (e) {
      engine = std::move(*e);
    } else {
      in.Problem("backend", e.error().fields.at(0).message);
    }
  }
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mc.threads = static_cast<int>(in.OptInt("threads", 1, 256).value_or(hw));
  CORRIDOR_TRY_STATUS(in.Finish());
  if (backend == "auto") {
    double draws = 0;
    for (const auto& o : mc.obligors) draws += static_cast<double>(o.count);
    engine = CORRIDOR_TRY(gpu::SelectMcEngine(backend, draws * static_cast<double>(mc.scenarios)));
  }
  mc.engine = engine.get();
  const auto r = CORRIDOR_TRY(risk::PortfolioMonteCarlo(mc));
  Json var = Json::object(), es = Json::object();
  for (size_t k = 0; k < mc.confidence_levels.size(); ++k) {
    var[LevelKey(mc.confidence_levels[k])] = r.var[k];
    es[LevelKey(mc.confidence_levels[k])] = r.es[k];
  }
  Json contributions = Json::array();
  for (size_t i = 0; i < r.contributions.size(); ++i) {
    contributions.push_back({{"obligor", i}, {"es_contribution", r.contributions[i]}});
  }
  auto groups = [](const std::vector<risk::GroupContribution>& g, const char* key) {
    Json out = Json::array();
    for (const auto& c : g) out.push_back({{key, c.name}, {"es_contribution", c.es_contribution}});
    return out;
  };
  Json out{{"expected_loss", r.expected_loss},
           {"analytic_expected_loss", r.analytic_expected_loss},
           {"loss_std", r.loss_std},
           {"var", std::move(var)},
           {"es", std::move(es)},
           {"contribution_level", r.contribution_level},
           {"contributions", std::move(contributions)},
           {"sector_contributions", groups(r.sector_contributions, "sector")},
           {"bank_contributions", groups(r.bank_contributions, "bank")},
           {"backend_used", r.backend},
           {"scenarios", r.scenarios},
           {"tail_scenarios", r.tail_scenarios},
           {"seed", mc.seed}};
  if (!r.shift.empty()) out["importance_shift"] = r.shift;
  if (r.variance_reduction) out["variance_reduction"] = *r.variance_reduction;
  return out;
}

Result<Json> ConcentrationModel(const Json& body) {
  Input in(body);
  std::vector<risk::Exposure> exposures;
  EachObject(in, body, "exposures", 1'000'000, [&](Input& o, const Json& j) {
    risk::Exposure e;
    e.ead = Num(o, j, "ead", std::nullopt);
    e.sector = o.Str("sector", 100);
    if (o.Has("pd")) e.pd = Num(o, j, "pd", std::nullopt);
    if (o.Has("lgd")) e.lgd = Num(o, j, "lgd", std::nullopt);
    exposures.push_back(std::move(e));
  });
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(risk::Concentration(exposures));
  Json sectors = Json::array();
  for (const auto& s : r.sectors) {
    sectors.push_back({{"sector", s.sector}, {"ead", s.ead}, {"share", s.share}});
  }
  Json flags = Json::array();
  if (r.new_energy_over_limit) {
    flags.push_back({{"flag", "new_energy_over_60pct"},
                     {"message", fmt::format("wind and solar are {:.1f}% of the portfolio, above "
                                             "the 60% limit",
                                             100 * r.new_energy_share)}});
  }
  Json out{{"total_ead", r.total_ead},
           {"sectors", std::move(sectors)},
           {"sector_hhi", r.sector_hhi},
           {"name_hhi", r.name_hhi},
           {"effective_sectors", r.effective_sectors},
           {"effective_names", r.effective_names},
           {"new_energy_share", r.new_energy_share},
           {"flags", std::move(flags)}};
  if (r.granularity_adjustment) out["granularity_adjustment"] = *r.granularity_adjustment;
  return out;
}

}  // namespace

void AddRiskModels(std::vector<CalcModel>& models) {
  models.push_back({"irb-capital", "Basel IRB capital K and risk weight (CRE31)", IrbModel});
  models.push_back(
      {"vasicek-lhp", "Vasicek large-portfolio loss quantile and ES", VasicekLhpModel});
  models.push_back({"vasicek-finite", "Exact finite homogeneous one-factor default quantile and ES",
                    VasicekFiniteModel});
  models.push_back({"creditriskplus", "CreditRisk+ with correlated sectors (Bürgisser et al.)",
                    CreditRiskPlusModel});
  models.push_back({"portfolio-mc",
                    "Multi-factor Gaussian-copula Monte Carlo: EL, VaR, ES, Euler contributions",
                    PortfolioMcModel});
  models.push_back({"concentration", "Sector shares, HHI, granularity adjustment, new-energy flag",
                    ConcentrationModel});
}

}  // namespace corridor::calc
