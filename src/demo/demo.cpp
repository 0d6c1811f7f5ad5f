#include "demo/demo.hpp"

#include "demo/builder.hpp"

namespace corridor::service {
namespace demo_stages {

// The bureau, the banks and guarantee agencies with their first users, and the LPR table.
Status DemoBuilder::Members() {
  auto existing = CORRIDOR_TRY(store::Query::Make(c, "SELECT count(*) FROM tenants"));
  CORRIDOR_TRY(existing.Next());
  if (existing.Int(0) != 0) return Fail(Error::Conflict("the database already holds data"));
  now = clock.NowMicros();
  as_of_us = ManualClock::MicrosAt(as_of);

  bureau = CORRIDOR_TRY(Tenant("bureau", "赤峰市财政局 Chifeng Finance Bureau"));
  CORRIDOR_TRY_STATUS(User(bureau, Role::kBureauAdmin, "Bureau administrator"));
  for (const std::string& name : tables.banks) {
    banks.push_back({CORRIDOR_TRY(Tenant("bank", name)), {}});
  }
  CORRIDOR_TRY_STATUS(User(banks[0].tenant_id, Role::kBankOfficer, "Credit officer"));
  for (const std::string& name : tables.guarantors)
    guarantors.push_back(CORRIDOR_TRY(Tenant("guarantor", name)));
  CORRIDOR_TRY_STATUS(User(guarantors[0], Role::kGuaranteeOfficer, "Guarantee officer"));

  for (const auto& f : tables.lpr) {
    const Date effective = *Date::Parse(f.date);
    CORRIDOR_TRY_STATUS(lending::PutLpr(c, effective, domain::ToString(f.tenor), f.bps));
    lpr.push_back({effective, f.tenor, f.bps});
  }
  return {};
}

// The product catalogue (each bank four of the six templates) and the project catalogue.
Status DemoBuilder::Catalogue() {
  // Products: each bank publishes four of the six templates.
  for (size_t b = 0; b < banks.size(); ++b) {
    for (size_t k = 0; k < 4; ++k) {
      const auto& t = tables.products[(b + k) % tables.products.size()];
      const int64_t rate = t.rate_bps + static_cast<int64_t>(b % 3) * 10 - 10;
      banks[b].products.push_back(
          CORRIDOR_TRY(marketplace::InsertProduct(c, {.bank_tenant_id = banks[b].tenant_id,
                                                      .name = t.name,
                                                      .min_amount_fen = t.min_yuan * 100,
                                                      .max_amount_fen = t.max_yuan * 100,
                                                      .min_term_months = t.min_term,
                                                      .max_term_months = t.max_term,
                                                      .industries_json = t.industries,
                                                      .collateral_free = t.collateral_free,
                                                      .green_only = t.green_only,
                                                      .rate_bps = rate,
                                                      .green_discount_bps = t.green_discount_bps,
                                                      .created_at = now})));
    }
  }
  // Project catalogue: one project per division and leading industry.
  for (size_t r = 0; r < tables.regions.size(); ++r) {
    for (size_t k = 0; k < 4; ++k) {
      const auto& ind = tables.industries[k];
      const bool green = ind.key == "new_energy";
      const int64_t amount_yuan =
          (5 + static_cast<int64_t>(rng.Below(kName, r * 16 + k + (1ULL << 39), 200))) * 1'000'000;
      const std::string name = fmt::format("{}{}项目 {} {} project", tables.regions[r].zh, ind.zh,
                                           tables.regions[r].key, ind.key);
      CORRIDOR_TRY(
          marketplace::InsertProject(c, {.name = name,
                                         .region = tables.regions[r].key,
                                         .industry = ind.key,
                                         .amount_fen = amount_yuan * 100,
                                         .green_label = green ? "medium_green" : "none",
                                         .description = "融资项目手册 project catalogue entry",
                                         .created_at = now}));
    }
  }
  return {};
}

// The registered and verified enterprises with their credit profiles; picks the borrowers.
Status DemoBuilder::Enterprises() {
  // Enterprises. Exactly `verified` of them are verified: enterprise i is verified when
  // (i * 7919) mod registered < verified (a permutation, 7919 being prime and coprime to any
  // registered count not divisible by it), and the borrowers are those with key < deals.
  const int64_t registered = scale.registered;
  borrower_ids.assign(static_cast<size_t>(scale.deals), 0);
  const int64_t registration_window_days = int64_t{6} * 365;
  for (int64_t i = 0; i < registered; ++i) {
    const auto ui = static_cast<uint64_t>(i);
    const int64_t key =
        static_cast<int64_t>((static_cast<UInt128>(ui) * 7919) % static_cast<UInt128>(registered));
    const bool verified = key < scale.verified;
    const size_t region_index = static_cast<size_t>(
        &Pick(tables.regions, rng.Uniform(kRegion, ui)) - tables.regions.data());
    const Weighted& region = tables.regions[region_index];
    const Weighted& industry = Pick(tables.industries, rng.Uniform(kIndustry, ui));
    const double g = rng.Uniform(kGreen, ui);
    std::string_view label = "none";
    if (industry.key == "new_energy") {
      label = g < 0.4 ? "deep_green" : (g < 0.8 ? "medium_green" : "light_green");
    } else if (industry.key == "nonferrous_metals") {
      label = g < 0.3 ? "transition" : "none";
    } else if (g < 0.06) {
      label = "light_green";
    }
    // Borrowers were on the platform before the loan book's three years began.
    const int64_t borrower_min_days = int64_t{3} * 365 + 60;
    const int64_t age_days =
        key < scale.deals
            ? borrower_min_days +
                  static_cast<int64_t>(rng.Below(
                      kRegistered, ui,
                      static_cast<uint64_t>(registration_window_days - borrower_min_days)))
            : static_cast<int64_t>(
                  rng.Below(kRegistered, ui, static_cast<uint64_t>(registration_window_days)));
    const int64_t registered_at = as_of_us - age_days * 86'400'000'000LL;
    const std::string name =
        fmt::format("赤峰{}{}{}有限公司", region.zh,
                    tables.name_words[rng.Below(kName, ui, tables.name_words.size())], industry.zh);
    const int64_t tenant_id =
        CORRIDOR_TRY(marketplace::InsertTenant(c, "enterprise", name, registered_at));
    const std::string uscc = MakeUscc(i, static_cast<int>(region_index), rng);
    const int64_t id = CORRIDOR_TRY(marketplace::InsertEnterprise(
        c, {.tenant_id = tenant_id,
            .uscc = uscc,
            .name = name,
            .region = region.key,
            .industry = industry.key,
            .green_label = label,
            .registered_at = registered_at,
            .verified_at = verified ? std::optional<int64_t>(registered_at + 3 * 86'400'000'000LL)
                                    : std::nullopt}));
    if (!verified) continue;
    // Shared-data credit profile, recorded when the enterprise was verified: revenue log-normal
    // around 3 million yuan; tax a 25th of it, but farmers and herders sell their own produce
    // free of VAT (增值税暂行条例 第十五条) and pay a tenth of that: a record that says little of
    // their credit, which a model trained on it may read against them (seed 002 §5.2).
    const double z = rng.Normal(kProfile, ui);
    const int64_t revenue_fen = static_cast<int64_t>(std::exp(std::log(3.0e6) + 1.1 * z)) * 100;
    const double scale_draw = rng.Uniform(kScale, ui);
    const std::string_view biz_scale =
        revenue_fen < 300'000'000
            ? "micro"
            : (revenue_fen < 2'000'000'000 ? "small" : (scale_draw < 0.8 ? "medium" : "large"));
    const double record_draw = rng.Uniform(kProfile, ui + (1ULL << 38));
    CORRIDOR_TRY_STATUS(marketplace::PutCreditProfile(
        c, {.enterprise_id = id,
            .tax_paid_12m_fen = revenue_fen / (industry.key == "farming_herding" ? 250 : 25),
            .social_insurance_headcount = 1 + revenue_fen / 40'000'000,
            .utilities_paid_12m_fen = revenue_fen / 60,
            .credit_record =
                record_draw < 0.92 ? "clean" : (record_draw < 0.985 ? "minor_late" : "defaulted"),
            .scale = biz_scale,
            .annual_revenue_fen = revenue_fen,
            .updated_at = registered_at + 3 * 86'400'000'000LL}));
    if (industry.key == "farming_herding") {
      // What the bureau's shared data says of the farm or herd, recorded with the profile: a
      // herd of one sheep unit per 1,500 yuan of revenue, on 15 to 40 mu of grassland each
      // (Chifeng's pastoral and semi-pastoral banners); some cropland; 70% insured at 800 yuan
      // a sheep unit; 55% in a cooperative.
      const double herd = std::max(1.0, static_cast<double>(revenue_fen) / 150'000.0 *
                                            std::exp(0.3 * rng.Normal(kAgri, ui)));
      const double mu_each = 15.0 + 25.0 * rng.Uniform(kAgri, ui + (1ULL << 36));
      const bool insured = rng.Uniform(kAgri, ui + (2ULL << 36)) < 0.7;
      CORRIDOR_TRY_STATUS(marketplace::PutAgriProfile(
          c,
          {.enterprise_id = id,
           .herd_sheep_units = static_cast<int64_t>(herd),
           .grassland_contract_mu = static_cast<int64_t>(herd * mu_each),
           .cropland_contract_mu = static_cast<int64_t>(rng.Below(kAgri, ui + (3ULL << 36), 300)),
           .insured_amount_fen = insured ? static_cast<int64_t>(herd) * 80'000 : 0,
           .cooperative_member = rng.Uniform(kAgri, ui + (4ULL << 36)) < 0.55,
           .updated_at = registered_at + 3 * 86'400'000'000LL}));
    }
    if (key < scale.deals) {
      borrower_ids[static_cast<size_t>(key)] = id;
    } else if (key < scale.deals + scale.open_needs) {
      open_need_enterprises.push_back(id);
    }
  }
  if (std::find(borrower_ids.begin(), borrower_ids.end(), 0) != borrower_ids.end()) {
    return Fail(Error::Internal("demo borrower selection left a gap"));
  }
  return {};
}

}  // namespace demo_stages

Result<DemoResult> GenerateDemo(store::Store& store, const Clock& clock, uint64_t seed, Date as_of,
                                const DemoScale& scale) {
  if (scale.verified > scale.registered || scale.deals > scale.verified || scale.deals < 1 ||
      scale.amount_financed_fen < scale.deals * 1'000'000 ||
      scale.amount_financed_fen % 10'000 != 0 || scale.registered % 7919 == 0) {
    return Fail(Error::Invalid("/scale", "inconsistent demo scale"));
  }
  const CounterRng rng(seed);
  auto tables = CORRIDOR_TRY(demo_stages::LoadDemoTables());
  return store.Write([&](store::Connection& c) -> Result<DemoResult> {
    demo_stages::DemoBuilder demo{store, c, clock, rng, scale, as_of, tables};
    for (const auto stage :
         {&demo_stages::DemoBuilder::Members, &demo_stages::DemoBuilder::Catalogue,
          &demo_stages::DemoBuilder::Enterprises, &demo_stages::DemoBuilder::Loans,
          &demo_stages::DemoBuilder::OpenNeeds, &demo_stages::DemoBuilder::PolicyLog,
          &demo_stages::DemoBuilder::RegistryAssets, &demo_stages::DemoBuilder::BureauActor,
          &demo_stages::DemoBuilder::Cooperation, &demo_stages::DemoBuilder::Ecosystem,
          &demo_stages::DemoBuilder::Green, &demo_stages::DemoBuilder::UsersAndProgrammes,
          &demo_stages::DemoBuilder::SupplyChain, &demo_stages::DemoBuilder::Monitor,
          &demo_stages::DemoBuilder::Health, &demo_stages::DemoBuilder::CreditScoring,
          &demo_stages::DemoBuilder::Pension}) {
      CORRIDOR_TRY_STATUS((demo.*stage)());
    }
    return std::move(demo.result);
  });
}

}  // namespace corridor::service
