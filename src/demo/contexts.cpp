// What the demo's bureau records through the other contexts' use cases, and its users.
#include "demo/builder.hpp"

namespace corridor::service::demo_stages {

// The bureau's administrator, who acts in the stages that follow, on the as-of date.
Status DemoBuilder::BureauActor() {
  // The bureau's administrator acts in the use cases below, on the as-of date.
  const auto admin =
      CORRIDOR_TRY(internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", bureau));
  bureau_admin = Caller{.user_id = *admin,
                        .tenant_id = bureau,
                        .role = Role::kBureauAdmin,
                        .tenant_kind = TenantKind::kBureau,
                        .enterprise_id = 0};
  as_of_clock.Set(as_of_us);
  return {};
}

// Cooperation indicators of the seven border cities, through the evaluation use case.
Status DemoBuilder::Cooperation() {
  // Cooperation indicators of the seven border cities for three years, recorded by the bureau
  // through the evaluation use case (demo values, drawn: the published statistics are in
  // data/border_cities.csv and evaluated from there).
  {
    static constexpr std::string_view kCities[] = {"Chifeng",  "Tongliao", "Chengde", "Qinhuangdao",
                                                   "Chaoyang", "Huludao",  "Jinzhou"};
    struct Indicator {
      std::string_view key, subsystem;
      double low, high;
    };
    static constexpr Indicator kIndicators[] = {
        {"industrial_chain_co_construction_rate", "cooperation", 0.05, 0.35},
        {"cross_province_project_count", "cooperation", 3, 40},
        {"ecological_compensation_payment_rate", "ecology", 0.55, 1.0},
        {"forest_coverage_rate", "ecology", 0.25, 0.60},
        {"cross_province_credit_share", "finance", 0.02, 0.20},
        {"green_loan_share", "finance", 0.05, 0.25}};
    Evaluation evaluation(store, as_of_clock);
    const int year0 = as_of.year() - 3;
    for (int y = 0; y < 3; ++y) {
      for (size_t ci = 0; ci < std::size(kCities); ++ci) {
        for (size_t ii = 0; ii < std::size(kIndicators); ++ii) {
          const auto& ind = kIndicators[ii];
          // A city's level drifts upward over the years; the draw is per (year, city, indicator).
          const uint64_t key = (static_cast<uint64_t>(y) * 16 + ci) * 16 + ii;
          const double u = std::min(1.0, rng.Uniform(kCooperation, key) * 0.8 + 0.1 * y);
          double value = ind.low + u * (ind.high - ind.low);
          value = ind.key == "cross_province_project_count" ? std::round(value)
                                                            : std::round(value * 1e4) / 1e4;
          CORRIDOR_TRY(evaluation.RecordIndicator(
              c, bureau_admin,
              Json{{"region", kCities[ci]},
                   {"year", year0 + y},
                   {"indicator", ind.key},
                   {"value", value},
                   {"unit", ind.key == "cross_province_project_count" ? "projects" : "fraction"},
                   {"subsystem", ind.subsystem}}));
        }
      }
    }
  }
  return {};
}

// The supply-chain ecosystem and its risk pools, through the ecosystem use cases.
Status DemoBuilder::Ecosystem() {
  // A supply-chain ecosystem of sixty borrowers around a core enterprise, in three tiers of
  // suppliers, with its lenders and guarantors as members, orders and open receivables among
  // members, and the four risk pools, built through the ecosystem use cases (so logged).
  // Capital, trade and pool amounts are drawn demo values: an enterprise's equity 20-60% of its
  // revenue, a bank's a tenth of its outstanding book on the platform, a guarantor's 50 million
  // yuan.
  {
    Ecosystems eco(store, as_of_clock);
    const size_t size = std::min<size_t>(60, borrower_ids.size() - 1);
    std::vector<int64_t> members(borrower_ids.begin() + 1,
                                 borrower_ids.begin() + 1 + static_cast<std::ptrdiff_t>(size));
    const std::string outstanding_sql =
        fmt::format("SELECT coalesce(sum({}), 0) FROM loans l WHERE l.enterprise_id = ?",
                    internal::kOutstandingPrincipalSql);
    std::vector<int64_t> outstanding;
    int64_t total = 0;
    for (int64_t m : members) {
      outstanding.push_back(CORRIDOR_TRY(internal::QueryInt(c, outstanding_sql, m)).value_or(0));
      total += outstanding.back();
    }
    // The core: the largest borrower within a quarter of the chain's financing.
    size_t core = 0;
    for (size_t i = 0; i < members.size(); ++i) {
      if (outstanding[i] * 4 <= total && outstanding[i] >= outstanding[core]) core = i;
    }
    std::swap(members[0], members[core]);
    auto capital_of = [&](int64_t enterprise, uint64_t key) -> Result<int64_t> {
      const auto revenue = CORRIDOR_TRY(internal::QueryInt(
          c, "SELECT annual_revenue_fen FROM credit_profiles WHERE enterprise_id = ?", enterprise));
      const double share = 0.2 + 0.4 * rng.Uniform(kEcosystem, key);
      return std::max<int64_t>(
          50'000'000, static_cast<int64_t>(static_cast<double>(revenue.value_or(0)) * share));
    };
    auto created = CORRIDOR_TRY(
        eco.Create(c, bureau_admin,
                   Json{{"name", "赤峰新能源装备产业链 Chifeng new-energy equipment chain"},
                        {"core_enterprise_id", members[0]},
                        {"core_capital_fen", CORRIDOR_TRY(capital_of(members[0], 0))}}));
    const int64_t eco_id = created.body["id"].get<int64_t>();
    for (size_t i = 1; i < members.size(); ++i) {
      CORRIDOR_TRY(eco.AddMember(c, bureau_admin, eco_id,
                                 Json{{"enterprise_id", members[i]},
                                      {"capital_fen", CORRIDOR_TRY(capital_of(members[i], i))}}));
    }
    const std::string ids = fmt::format("{}", fmt::join(members, ","));
    std::vector<int64_t> lenders;
    {
      auto q = CORRIDOR_TRY(store::Query::Make(
          c, fmt::format("SELECT DISTINCT bank_tenant_id FROM loans WHERE enterprise_id IN ({}) "
                         "ORDER BY 1",
                         ids)));
      while (CORRIDOR_TRY(q.Next())) lenders.push_back(q.Int(0));
    }
    for (int64_t bank : lenders) {
      const int64_t book =
          CORRIDOR_TRY(internal::QueryInt(c,
                                          fmt::format("SELECT coalesce(sum({}), 0) FROM loans "
                                                      "l WHERE l.bank_tenant_id = ?",
                                                      internal::kOutstandingPrincipalSql),
                                          bank))
              .value_or(0);
      CORRIDOR_TRY(eco.AddMember(
          c, bureau_admin, eco_id,
          Json{{"tenant_id", bank}, {"capital_fen", std::max<int64_t>(book / 10, 1)}}));
    }
    {
      auto q = CORRIDOR_TRY(store::Query::Make(
          c, fmt::format("SELECT DISTINCT g.guarantor_tenant_id FROM guarantees g JOIN loans l "
                         "ON l.id = g.loan_id WHERE l.enterprise_id IN ({}) ORDER BY 1",
                         ids)));
      std::vector<int64_t> agencies;
      while (CORRIDOR_TRY(q.Next())) agencies.push_back(q.Int(0));
      for (int64_t g : agencies) {
        CORRIDOR_TRY(eco.AddMember(c, bureau_admin, eco_id,
                                   Json{{"tenant_id", g}, {"capital_fen", 5'000'000'000}}));
      }
    }
    // Tiers: the core buys from ten, each of those from two of the next twenty, each of those
    // from one or two of the rest. About half the orders leave an open receivable of a fifth.
    uint64_t draw = 1'000;
    auto trade = [&](size_t buyer, size_t supplier, int64_t low_yuan, int64_t high_yuan) -> Status {
      const int64_t amount =
          100 * (low_yuan + static_cast<int64_t>(rng.Below(
                                kEcosystem, draw++, static_cast<uint64_t>(high_yuan - low_yuan))));
      const Json order{{"kind", "order"},
                       {"buyer_enterprise_id", members[buyer]},
                       {"supplier_enterprise_id", members[supplier]},
                       {"amount_fen", amount}};
      CORRIDOR_TRY(eco.RecordTrade(c, bureau_admin, eco_id, order));
      if (rng.Uniform(kEcosystem, draw++) < 0.5) {
        Json receivable = order;
        receivable["kind"] = "receivable";
        receivable["amount_fen"] = amount / 5;
        CORRIDOR_TRY(eco.RecordTrade(c, bureau_admin, eco_id, receivable));
      }
      return {};
    };
    const size_t tier1 = std::min<size_t>(10, members.size() - 1);
    const size_t tier2_end = std::min<size_t>(members.size(), 1 + tier1 + 20);
    for (size_t i = 1; i <= tier1; ++i) {
      CORRIDOR_TRY_STATUS(trade(0, i, 2'000'000, 20'000'000));
    }
    for (size_t i = tier1 + 1; i < members.size(); ++i) {
      const bool tier2 = i < tier2_end;
      const size_t first = tier2 ? 1 : tier1 + 1, width = tier2 ? tier1 : tier2_end - tier1 - 1;
      CORRIDOR_TRY_STATUS(
          trade(first + i % width, i, tier2 ? 500'000 : 100'000, tier2 ? 8'000'000 : 3'000'000));
      if (i % 3 == 0) {
        CORRIDOR_TRY_STATUS(trade(first + (i + 1) % width, i, tier2 ? 500'000 : 100'000,
                                  tier2 ? 8'000'000 : 3'000'000));
      }
    }
    // The four risk pools (seed 002 §4.4), funded; the compensation pool has covered one loss.
    struct PoolSeed {
      std::string_view name, scheme;
      int64_t funding_fen;
    };
    static constexpr PoolSeed kPools[] = {
        {"产业链风险补偿资金池 Chain risk-compensation pool", "compensation_pool", 2'000'000'000},
        {"风险准备金池 Risk reserve pool", "reserve_pool", 600'000'000},
        {"研发失败补偿基金 R&D failure fund", "rnd_failure_fund", 1'000'000'000},
        {"研发失败保险 R&D failure insurance", "rnd_insurance", 30'000'000}};
    for (const auto& p : kPools) {
      auto pool = CORRIDOR_TRY(eco.CreatePool(
          c, bureau_admin, Json{{"name", p.name}, {"scheme", p.scheme}, {"ecosystem_id", eco_id}}));
      const int64_t id = pool.body["id"].get<int64_t>();
      CORRIDOR_TRY(eco.FundPool(c, bureau_admin, id,
                                Json{{"amount_fen", p.funding_fen}, {"note", "initial funding"}}));
      if (p.scheme == "compensation_pool") {
        CORRIDOR_TRY(eco.DrawPool(c, bureau_admin, id,
                                  Json{{"loss_fen", 85'000'000},
                                       {"note",
                                        "a tier-3 supplier's written-off working-capital "
                                        "loan (demo)"}}));
      }
    }
  }
  return {};
}

// Green labels, reserves, carbon accounts and a sustainability-linked loan.
Status DemoBuilder::Green() {
  // Green finance. The bureau labels the new-energy borrowers' loans from their projects'
  // evidence (wind or solar, life-cycle intensity, capacity; about 15% without metered data,
  // which the rules flag into the review queue) and the nonferrous smelters' energy-saving
  // loans (waste-heat recovery by emission cut, captive coal-power retrofits as transition);
  // the labelled firms keep carbon accounts for two years; the first smelter loan of the demo
  // bank is sustainability-linked (seed 003's ESG-linked zinc smelter loan). Drawn demo values.
  {
    GreenFinance green(store, as_of_clock);
    auto q = CORRIDOR_TRY(store::Query::Make(
        c,
        "SELECT l.id, e.id, e.industry, l.bank_tenant_id FROM loans l JOIN enterprises e ON "
        "e.id = l.enterprise_id WHERE e.industry IN ('new_energy', 'nonferrous_metals') ORDER "
        "BY l.id"));
    struct GreenLoan {
      int64_t loan, enterprise, bank;
      bool energy;
    };
    std::vector<GreenLoan> loans;
    while (CORRIDOR_TRY(q.Next())) {
      loans.push_back({q.Int(0), q.Int(1), q.Int(3), q.View(2) == "new_energy"});
    }
    std::vector<int64_t> labelled;
    for (size_t k = 0; k < loans.size(); ++k) {
      const auto& l = loans[k];
      const double u = rng.Uniform(kGreenFinance, 4 * k), v = rng.Uniform(kGreenFinance, 4 * k + 1);
      const bool metered = rng.Uniform(kGreenFinance, 4 * k + 2) < 0.85;
      Json project;
      Json body{{"loan_id", l.loan}};
      if (l.energy) {
        const std::string activity = k % 2 ? "wind" : "solar_pv";
        project = {{"category", "clean_energy"},
                   {"activity", activity},
                   {"intensity_gco2e_per_kwh", std::round(80 + 1'100 * u) / 10},
                   {"proceeds_purpose", activity}};
        body["capacity_mw"] = std::round(10 + 490 * v) / 10;
      } else if (k % 5 == 0) {
        project = {{"category", "energy_saving"},
                   {"activity", "coal_power_retrofit"},
                   {"emission_reduction_pct", std::round(180 + 250 * u) / 10},
                   {"proceeds_purpose", "clean_retrofit"}};
      } else {
        project = {{"category", "energy_saving"},
                   {"activity", "waste_heat_recovery"},
                   {"emission_reduction_pct", std::round(100 + 400 * u) / 10},
                   {"proceeds_purpose", "waste_heat_recovery"}};
      }
      if (metered) project["evidence"] = {"metered_data"};
      body["project"] = std::move(project);
      CORRIDOR_TRY(green.DecideLabel(c, bureau_admin, body));
      if (labelled.empty() || labelled.back() != l.enterprise) labelled.push_back(l.enterprise);
    }
    // Carbon accounts: scope 1+2 intensity moving -25% to +10% between the two years. Most
    // firms also report their equity + debt (4 to 10 times their platform borrowing), which
    // brings their loans into the banks' financed emissions; one in seven does not, and its
    // loans show as not covered. A quarter of the new-energy firms sell carbon credits.
    for (size_t k = 0; k < labelled.size(); ++k) {
      const int64_t borrowed =
          CORRIDOR_TRY(internal::QueryInt(c,
                                          "SELECT coalesce(sum(principal_fen), 0) FROM loans WHERE "
                                          "enterprise_id = ?",
                                          labelled[k]))
              .value_or(0);
      const double leverage = 4 + 6 * rng.Uniform(kGreenFinance, (5ULL << 40) + k);
      const int64_t equity_debt =
          std::max<int64_t>(1, std::llround(leverage * static_cast<double>(borrowed)));
      const bool energy =
          CORRIDOR_TRY(
              internal::QueryInt(c, "SELECT industry = 'new_energy' FROM enterprises WHERE id = ?",
                                 labelled[k]))
              .value_or(0) != 0;
      const int64_t output =
          1'000 + static_cast<int64_t>(rng.Below(kGreenFinance, (1ULL << 40) + k, 99'000));
      const double base = 50 + 450 * rng.Uniform(kGreenFinance, (2ULL << 40) + k);  // kg per unit
      const double drift = -0.25 + 0.35 * rng.Uniform(kGreenFinance, (3ULL << 40) + k);
      for (int year = 0; year < 2; ++year) {
        const double kg = base * (year ? 1 + drift : 1) * static_cast<double>(output);
        const int64_t quality =
            1 + static_cast<int64_t>(rng.Below(kGreenFinance, (4ULL << 40) + 2 * k + year, 4));
        Json record{{"period", std::to_string(as_of.year() - 2 + year)},
                    {"scope1_kg", std::llround(kg * 0.7)},
                    {"scope2_kg", std::llround(kg * 0.3)},
                    {"scope3_kg", std::llround(kg * 1.5)},
                    {"reductions_kg", year ? std::llround(std::max(0.0, -drift) * kg) : 0},
                    {"output", output},
                    {"output_unit", k % 3 ? "MWh" : "t"},
                    {"data_quality", quality},
                    {"metered", quality <= 3}};
        if (k % 7 != 3) record["equity_plus_debt_fen"] = equity_debt;
        if (energy && k % 4 == 0) record["credits_generated_kg"] = std::llround(kg * 0.2);
        CORRIDOR_TRY(green.RecordCarbon(c, bureau_admin, labelled[k], record));
      }
    }
    const auto officer = CORRIDOR_TRY(
        internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", banks[0].tenant_id));
    const Caller bank_officer{.user_id = *officer,
                              .tenant_id = banks[0].tenant_id,
                              .role = Role::kBankOfficer,
                              .tenant_kind = TenantKind::kBank,
                              .enterprise_id = 0};
    for (const auto& l : loans) {
      if (l.energy || l.bank != banks[0].tenant_id) continue;
      CORRIDOR_TRY(green.LinkSustainability(c, bank_officer, l.loan,
                                            Json{{"base_margin_bps", 120},
                                                 {"ratchet", "symmetric"},
                                                 {"floor_bps", 90},
                                                 {"cap_bps", 150},
                                                 {"kpis",
                                                  {{{"name", "so2_kg_per_t_zinc"},
                                                    {"target", 1.2},
                                                    {"direction", "lower_is_better"},
                                                    {"step_bps", 10}},
                                                   {{"name", "energy_tce_per_t_zinc"},
                                                    {"target", 0.9},
                                                    {"direction", "lower_is_better"},
                                                    {"step_bps", 5}}}}}));
      break;
    }
  }
  return {};
}

// The remaining demo users, the subsidy programmes and the published statistics.
Status DemoBuilder::UsersAndProgrammes() {
  // The enterprise demo user is the first borrower; risk analyst and auditor sit at the bureau.
  const int64_t first_borrower_tenant = *CORRIDOR_TRY([&]() -> Result<std::optional<int64_t>> {
    auto q = CORRIDOR_TRY(
        store::Query::Make(c, "SELECT tenant_id FROM enterprises WHERE id = ?", borrower_ids[0]));
    CORRIDOR_TRY(q.Next());
    return q.OptInt(0);
  }());
  CORRIDOR_TRY_STATUS(User(first_borrower_tenant, Role::kEnterpriseUser, "Enterprise user"));
  CORRIDOR_TRY_STATUS(User(bureau, Role::kRiskAnalyst, "Risk analyst"));
  CORRIDOR_TRY_STATUS(User(bureau, Role::kAuditor, "Auditor"));
  // Interest-subsidy programmes of the bureau.
  CORRIDOR_TRY(
      lending::InsertSubsidyProgram(c, {.name = "创业担保贷款贴息 Entrepreneurship loan subsidy",
                                        .subsidy_bps = 150,
                                        .budget_fen = 5'000'000'000,
                                        .created_at = now}));
  CORRIDOR_TRY(
      lending::InsertSubsidyProgram(c, {.name = "绿色贷款贴息 Green loan subsidy (by label)",
                                        .subsidy_bps = 150,
                                        .budget_fen = 2'000'000'000,
                                        .by_green_label = true,
                                        .created_at = now}));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE platform_stats SET registered = ?, verified = ?, deals = ?, "
                       "amount_financed_fen = ? WHERE id = 1",
                       scale.registered, scale.verified, scale.deals, scale.amount_financed_fen));
  return {};
}

}  // namespace corridor::service::demo_stages
