// The demo's pension finance between Beijing and the grassland leagues (docs/pension.md): the
// three social-insurance agencies with their policies and a half-year of claims for each other's
// seasonal residents, the months before this one settled; a migratory-bird trust with its members
// and a year of movements; the compensation fund's three years; the leagues' eco observations and
// the eco-index policies assessed on them. Everything goes through the platform's use cases.
#include "service/pension/pension.hpp"

#include <cmath>

#include "demo/builder.hpp"
#include "pension/life_table.hpp"
#include "pension/trust.hpp"

namespace corridor::service::demo_stages {

namespace {

struct County {
  std::string_view name;
  int league;  // 0: Xilingol, 1: Hulunbuir
  int64_t baseline_ndvi_e4;
};
// Grassland counties of the two leagues, each with a growing-season NDVI baseline of the order
// the leagues' typical steppe shows (desert steppe lowest, meadow steppe highest).
constexpr County kCounties[] = {
    {"锡林浩特市", 0, 3'600},   {"正蓝旗", 0, 3'900},         {"阿巴嘎旗", 0, 2'800},
    {"东乌珠穆沁旗", 0, 4'300}, {"多伦县", 0, 4'200},         {"陈巴尔虎旗", 1, 4'800},
    {"新巴尔虎左旗", 1, 3'700}, {"鄂温克族自治旗", 1, 5'600},
};

Caller Officer(int64_t user, int64_t tenant, Role role, TenantKind kind) {
  return Caller{
      .user_id = user, .tenant_id = tenant, .role = role, .tenant_kind = kind, .enterprise_id = 0};
}

}  // namespace

Status DemoBuilder::Pension() {
  PensionFinance pension(store, as_of_clock);
  // Members, claims and policies follow the city's scale (the tests' small demos stay small).
  const int64_t claims_a_month = std::max<int64_t>(24, scale.deals / 3);
  const int64_t trust_members = std::max<int64_t>(40, scale.deals / 2);
  const int64_t eco_policies = std::max<int64_t>(40, scale.deals / 2);
  uint64_t draw = 0;
  const auto u = [&]() { return rng.Uniform(kPension, draw++); };
  const auto pick = [&](uint64_t n) { return rng.Below(kPension, draw++, n); };

  // The three agencies and the trust company, each with its officer.
  struct Agency {
    std::string_view name, label;
    int64_t tenant = 0;
    Caller officer;
  };
  Agency agencies[] = {{"北京市社会保险基金管理中心", "insurance_officer", 0, {}},
                       {"锡林郭勒盟社会保险事业服务中心", "insurance_officer_xilingol", 0, {}},
                       {"呼伦贝尔市社会保险事业服务中心", "insurance_officer_hulunbuir", 0, {}}};
  const auto user_of = [&](int64_t tenant) {
    return internal::QueryInt(c, "SELECT max(id) FROM users WHERE tenant_id = ?", tenant);
  };
  for (auto& a : agencies) {
    a.tenant = CORRIDOR_TRY(Tenant("insurer", a.name));
    CORRIDOR_TRY_STATUS(User(a.tenant, Role::kInsuranceOfficer, "医保结算科", a.label));
    a.officer = Officer(*CORRIDOR_TRY(user_of(a.tenant)), a.tenant, Role::kInsuranceOfficer,
                        TenantKind::kInsurer);
  }
  const int64_t trustee = CORRIDOR_TRY(Tenant("trustee", "北方候鸟养老信托有限公司"));
  CORRIDOR_TRY_STATUS(User(trustee, Role::kTrustOfficer, "信托经理"));
  const Caller trust_officer =
      Officer(*CORRIDOR_TRY(user_of(trustee)), trustee, Role::kTrustOfficer, TenantKind::kTrustee);

  // Reimbursement policies for members' care in the other region: deductible, share, cap.
  const int64_t policy[3][3] = {
      {130'000, 8'000, 50'000'000}, {80'000, 7'500, 30'000'000}, {100'000, 7'500, 30'000'000}};
  for (int k = 0; k < 3; ++k) {
    CORRIDOR_TRY(pension.SetPolicy(c, agencies[k].officer,
                                   Json{{"deductible_fen", policy[k][0]},
                                        {"reimbursement_bps", policy[k][1]},
                                        {"cap_fen", policy[k][2]}}));
  }

  // Six months of claims and this month's so far: Beijing's elders summer on the grassland
  // (care advanced by the leagues, most claims from May to October), the leagues' herders winter
  // in Beijing. Eligible amounts are log-normal around 2,400 yuan (outpatient to inpatient).
  static constexpr std::string_view kProviders[3][3] = {
      {"北京积水潭医院", "北京大学第一医院", "首都医科大学附属北京天坛医院"},
      {"锡林郭勒盟医院", "多伦县医院", "锡林浩特市蒙医医院"},
      {"呼伦贝尔市人民医院", "陈巴尔虎旗人民医院", "海拉尔区人民医院"}};
  const Date this_month = as_of.AddDays(1 - as_of.day());
  for (int m = 6; m >= 0; --m) {
    const Date first = this_month.AddMonths(-m);
    const int days = m == 0 ? as_of.day() : DaysInMonth(first.year(), first.month());
    const bool summer = first.month() >= 5 && first.month() <= 10;
    for (int64_t k = 0; k < claims_a_month; ++k) {
      // Who advanced the care and whose member it was.
      int care = 0, insuring = 0;
      if (u() < (summer ? 0.8 : 0.25)) {
        care = 1 + static_cast<int>(pick(2));
        insuring = 0;
      } else {
        care = 0;
        insuring = 1 + static_cast<int>(pick(2));
      }
      const int64_t member_no = static_cast<int64_t>(pick(insuring == 0 ? 6'000 : 3'000));
      const std::string member = fmt::format("{}-{:06d}",
                                             insuring == 0   ? "BJ"
                                             : insuring == 1 ? "XL"
                                                             : "HL",
                                             member_no);
      const double eligible_yuan = std::exp(std::log(2'400.0) + 1.1 * rng.Normal(kPension, draw++));
      const int64_t eligible =
          std::clamp<int64_t>(std::llround(eligible_yuan * 100), 1'000, 80'000'000);
      const Date day = first.AddDays(static_cast<int32_t>(pick(static_cast<uint64_t>(days))));
      CORRIDOR_TRY(pension.RecordClaim(c, agencies[care].officer,
                                       Json{{"insuring_tenant_id", agencies[insuring].tenant},
                                            {"member", member},
                                            {"period", first.ToString().substr(0, 7)},
                                            {"care_date", day.ToString()},
                                            {"provider", kProviders[care][pick(3)]},
                                            {"eligible_fen", eligible}}));
    }
  }
  for (int m = 6; m >= 1; --m) {
    CORRIDOR_TRY(pension.Settle(
        c, bureau_admin, Json{{"period", this_month.AddMonths(-m).ToString().substr(0, 7)}}));
  }

  // The migratory-bird trust: members aged 50 to 79, retiring at 60; the working pay in, the
  // retired draw their pension and the seasons' care. Each joined with a transfer of about its
  // own liability at the trust's rate (85% to 110% of it), so the trust is about fully funded.
  auto trust = CORRIDOR_TRY(pension.CreateTrust(
      c, trust_officer, Json{{"name", "草原候鸟养老信托一号"}, {"interest_bps", 400}}));
  const int64_t trust_id = trust.body.at("id").get<int64_t>();
  const auto table = CORRIDOR_TRY(pension::LifeTable::Named("sult"));
  Json members = Json::array();
  std::vector<int64_t> transfers;
  for (int64_t k = 0; k < trust_members; ++k) {
    const int age = 50 + static_cast<int>(pick(30));
    const pension::TrustMember m{.age = age,
                                 .retirement_age = 60,
                                 .contribution_fen = age < 60 ? 1'200'000 : 0,
                                 .benefit_fen = 2'400'000 + 60'000 * static_cast<int64_t>(pick(21)),
                                 .grassland_service_fen = 600'000,
                                 .beijing_service_fen = 900'000};
    const auto value = CORRIDOR_TRY(
        pension::ProjectTrust(table, std::span(&m, 1), {.years = 1, .interest = 0.04}));
    transfers.push_back(
        static_cast<int64_t>(static_cast<double>(value.liability_fen) * (0.85 + 0.25 * u())));
    members.push_back({{"member", fmt::format("HN-{:06d}", k + 1)},
                       {"birth_year", as_of.year() - age},
                       {"retirement_age", m.retirement_age},
                       {"contribution_fen", m.contribution_fen},
                       {"benefit_fen", m.benefit_fen},
                       {"grassland_service_fen", m.grassland_service_fen},
                       {"beijing_service_fen", m.beijing_service_fen}});
  }
  CORRIDOR_TRY(pension.AddMembers(c, trust_officer, trust_id, Json{{"members", members}}));
  const std::string year_start = fmt::format("{}-01-15", as_of.year());
  for (int64_t k = 0; k < trust_members; ++k) {
    const Json& m = members[static_cast<size_t>(k)];
    const auto id = CORRIDOR_TRY(
        internal::QueryInt(c, "SELECT id FROM trust_members WHERE trust_id = ? AND member = ?",
                           trust_id, m.at("member").get<std::string>()));
    const auto move = [&](std::string_view kind, int64_t fen, const std::string& date) {
      return pension.RecordMovement(
          c, trust_officer, trust_id,
          Json{{"kind", kind}, {"member_id", *id}, {"amount_fen", fen}, {"date", date}});
    };
    if (transfers[static_cast<size_t>(k)] > 0) {
      CORRIDOR_TRY(move("contribution", transfers[static_cast<size_t>(k)], year_start));
    }
    if (as_of.year() - m.at("birth_year").get<int>() >= 60) {
      CORRIDOR_TRY(move("benefit", m.at("benefit_fen").get<int64_t>(), year_start));
      CORRIDOR_TRY(move("beijing_service", m.at("beijing_service_fen").get<int64_t>(), year_start));
      if (as_of.month() >= 6) {
        CORRIDOR_TRY(move("grassland_service", m.at("grassland_service_fen").get<int64_t>(),
                          fmt::format("{}-06-01", as_of.year())));
      }
    } else {
      CORRIDOR_TRY(move("contribution", m.at("contribution_fen").get<int64_t>(), year_start));
    }
  }
  // The first half-year's investment return, 2.1% of the assets.
  {
    const auto assets = CORRIDOR_TRY(
        internal::QueryInt(c, "SELECT assets_fen FROM pension_trusts WHERE id = ?", trust_id));
    CORRIDOR_TRY(pension.RecordMovement(
        c, trust_officer, trust_id,
        Json{{"kind", "investment_return"},
             {"amount_fen", *assets * 21 / 1'000},
             {"date", fmt::format("{}-06-30", as_of.year())},
             {"note", "上半年投资收益 (First half-year's investment return)"}}));
  }

  // The compensation fund: Beijing pays 60% of each year's contribution, Inner Mongolia 40%; a
  // floor of 5 million yuan; a reinsurance layer of 80 million above 20 million, 70% ceded.
  CORRIDOR_TRY(pension.SetFundRules(c, bureau_admin,
                                    Json{{"beijing_share_bps", 6'000},
                                         {"floor_fen", 500'000'000},
                                         {"layers", Json::array({{{"attachment_fen", 2'000'000'000},
                                                                  {"limit_fen", 8'000'000'000},
                                                                  {"share_bps", 7'000}}})}}));
  const int y = as_of.year();
  const Json fund_events[] = {
      {{"kind", "contribution"},
       {"date", fmt::format("{}-01-10", y - 2)},
       {"amount_fen", 6'000'000'000},
       {"note", "年度筹资 Annual contribution"}},
      {{"kind", "blizzard"},
       {"date", fmt::format("{}-12-18", y - 2)},
       {"area", "锡林郭勒盟"},
       {"affected_members", 1'200},
       {"loss_per_member_fen", 800'000},
       {"note", "东乌珠穆沁旗、阿巴嘎旗白灾"}},
      {{"kind", "contribution"},
       {"date", fmt::format("{}-01-10", y - 1)},
       {"amount_fen", 6'000'000'000},
       {"note", "年度筹资 Annual contribution"}},
      {{"kind", "sandstorm"},
       {"date", fmt::format("{}-04-11", y - 1)},
       {"area", "正蓝旗"},
       {"affected_members", 600},
       {"loss_per_member_fen", 300'000},
       {"note", "春季沙尘暴 Spring sandstorm"}},
      {{"kind", "blizzard"},
       {"date", fmt::format("{}-01-05", y)},
       {"area", "呼伦贝尔市"},
       {"affected_members", 9'000},
       {"loss_per_member_fen", 2'000'000},
       {"note", "陈巴尔虎旗、新巴尔虎左旗特大白灾"}},
      {{"kind", "top_up"},
       {"date", fmt::format("{}-01-20", y)},
       {"area", "inner_mongolia"},
       {"amount_fen", 3'000'000'000},
       {"note", "自治区财政补充 Regional top-up"}},
      {{"kind", "contribution"},
       {"date", fmt::format("{}-02-10", y)},
       {"amount_fen", 6'000'000'000},
       {"note", "年度筹资 Annual contribution"}},
  };
  for (const auto& e : fund_events) CORRIDOR_TRY(pension.RecordFundEvent(c, bureau_admin, e));

  // Eco observations of the last two years, one county in a drought year; the leagues' herders'
  // eco-index policies, assessed on last year's index.
  for (int year = y - 2; year <= y - 1; ++year) {
    for (const auto& county : kCounties) {
      const bool drought = year == y - 1 && county.name == "阿巴嘎旗";
      const int64_t days = (year % 4 == 0) ? 366 : 365;
      const int64_t good =
          drought ? days * 7 / 10 : days * (80 + static_cast<int64_t>(pick(15))) / 100;
      const int64_t ndvi =
          drought ? county.baseline_ndvi_e4 * 2 / 5
                  : county.baseline_ndvi_e4 * (85 + static_cast<int64_t>(pick(20))) / 100;
      CORRIDOR_TRY(pension.RecordObservation(
          c, bureau_admin,
          Json{{"county", county.name},
               {"year", year},
               {"days_observed", days},
               {"good_air_days", good},
               {"ndvi_e4", ndvi},
               {"baseline_ndvi_e4", county.baseline_ndvi_e4},
               {"source", "盟生态环境局空气质量监测；MODIS MOD13Q1 生长季 NDVI"}}));
    }
  }
  for (int64_t k = 0; k < eco_policies; ++k) {
    const auto& county = kCounties[pick(std::size(kCounties))];
    const Agency& insurer = agencies[1 + county.league];
    CORRIDOR_TRY(pension.CreateEcoPolicy(
        c, insurer.officer,
        Json{{"member", fmt::format("{}-E{:05d}", county.league == 0 ? "XL" : "HL", k + 1)},
             {"county", county.name},
             {"premium_fen", 60'000 + 10'000 * static_cast<int64_t>(pick(7))},
             {"benefit_fen", 1'800'000 + 60'000 * static_cast<int64_t>(pick(11))},
             {"sum_insured_fen", 2'000'000 + 500'000 * static_cast<int64_t>(pick(7))}}));
  }
  for (const auto& county : kCounties) {
    const Agency& insurer = agencies[1 + county.league];
    auto assessed =
        pension.Assess(c, insurer.officer, Json{{"county", county.name}, {"year", y - 1}});
    // A county where no policy was drawn has nothing to assess.
    if (!assessed && assessed.error().code != ErrorCode::kConflict) {
      return Fail(std::move(assessed.error()));
    }
  }
  return {};
}

}  // namespace corridor::service::demo_stages
