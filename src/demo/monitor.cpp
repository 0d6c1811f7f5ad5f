// The early-warning monitor's demo: twelve wind and solar projects of the demo's new-energy
// borrowers, each financed by its loan's bank, with a year of telemetry uploaded through the
// monitor's use case (validated, stored and charted like any upload): hourly generation and
// curtailment (the rate derived), daily utilization and availability, monthly debt-service
// coverage, revenue collection and subsidy age. The Hexigten wind farm's curtailment rises to about
// 18% over the last ten days (the threshold and CUSUM rules fire), a solar plant's utilization
// falls to 55% in the last week (critical; its supply-chain financing restricted), and the demo
// bank has acknowledged one alert. Profiles and noise are drawn demo values.
#include "service/monitor/monitor.hpp"

#include <cmath>

#include "demo/builder.hpp"
#include "risk/monitor/telemetry.hpp"

namespace corridor::service::demo_stages {

namespace {

constexpr int kProjects = 12;
constexpr int kDays = 365;
constexpr double kPi = 3.14159265358979323846;

struct DemoProject {
  std::string code, name, type, region;
  int64_t capacity_kw = 0;
  int64_t enterprise = 0, enterprise_tenant = 0, bank = 0, loan = 0;
};

// The county each project stands in: the wind counties of the north and the solar plains.
constexpr std::array<std::string_view, kProjects> kRegions = {
    "Hexigten", "ArHorqin", "BairinRight", "Ongniud",   "Linxi",  "BairinLeft",
    "Hexigten", "Songshan", "Aohan",       "Ningcheng", "Harqin", "Ongniud"};

}  // namespace

Status DemoBuilder::Monitor() {
  service::Ecosystems ecosystems(store, as_of_clock);
  service::Monitor monitor(store, as_of_clock, ecosystems);
  // The new-energy borrowers' loans, the demo bank's first.
  auto q = CORRIDOR_TRY(store::Query::Make(
      c,
      "SELECT l.id, l.bank_tenant_id, e.id, e.tenant_id, e.name FROM loans l JOIN enterprises e "
      "ON e.id = l.enterprise_id WHERE e.industry = 'new_energy' ORDER BY l.bank_tenant_id <> ?, "
      "l.id LIMIT ?",
      banks[0].tenant_id, kProjects));
  std::vector<DemoProject> projects;
  while (CORRIDOR_TRY(q.Next())) {
    const int k = static_cast<int>(projects.size());
    const bool wind = k % 3 != 1;
    DemoProject p;
    p.loan = q.Int(0);
    p.bank = q.Int(1);
    p.enterprise = q.Int(2);
    p.enterprise_tenant = q.Int(3);
    p.region = std::string(kRegions[static_cast<size_t>(k)]);
    p.type = wind ? "wind" : "solar";
    p.code = fmt::format("{}-CF-{:03}", wind ? "WF" : "PV", k + 1);
    p.name = fmt::format("{}{}", q.Text(4), wind ? "风电场" : "光伏电站");
    p.capacity_kw =
        (wind ? 50'000 : 20'000) * (1 + static_cast<int64_t>(rng.Below(kMonitor, k, 4)));
    projects.push_back(std::move(p));
  }
  if (projects.size() < 3) return Fail(Error::Internal("the demo has too few new-energy loans"));
  const auto officer_of = [&](int64_t bank) -> Result<Caller> {
    const auto user = CORRIDOR_TRY(internal::QueryInt(
        c, "SELECT min(id) FROM users WHERE tenant_id = ? AND role = 'bank_officer'", bank));
    if (!user) return Fail(Error::Internal("a demo bank has no officer"));
    return Caller{.user_id = *user,
                  .tenant_id = bank,
                  .role = Role::kBankOfficer,
                  .tenant_kind = TenantKind::kBank,
                  .enterprise_id = 0};
  };
  // The bureau registers each for the bank that finances it.
  for (auto& p : projects) {
    CORRIDOR_TRY(monitor.RegisterProject(c, bureau_admin,
                                         Json{{"code", p.code},
                                              {"name", p.name},
                                              {"type", p.type},
                                              {"capacity_kw", p.capacity_kw},
                                              {"region", p.region},
                                              {"enterprise_id", p.enterprise},
                                              {"loan_id", p.loan},
                                              {"bank_tenant_id", p.bank}}));
  }
  // The owner of the third project (a calm wind farm) uploads in the dashboard: its user carries
  // the demo's token.
  CORRIDOR_TRY_STATUS(User(projects[2].enterprise_tenant, Role::kEnterpriseUser,
                           "Wind farm operator", "project_owner"));

  // A year of telemetry, a month of a project per upload, as the bureau's collector sends it.
  const int64_t end_s = as_of_us / 1'000'000;  // midnight of the as-of date, UTC+8
  const int64_t start_s = end_s - int64_t{kDays} * 86'400;
  for (size_t k = 0; k < projects.size(); ++k) {
    const DemoProject& p = projects[k];
    const bool wind = p.type == "wind";
    const double mw = static_cast<double>(p.capacity_kw) / 1000.0;
    std::string csv = "project,indicator,time,value\n";
    const auto flush = [&]() -> Status {
      CORRIDOR_TRY(monitor.Ingest(c, bureau_admin, Json{{"csv", csv}}));
      csv = "project,indicator,time,value\n";
      return {};
    };
    const auto row = [&](std::string_view indicator, int64_t t, std::string value) {
      csv += fmt::format("{},{},{},{}\n", p.code, indicator, risk::monitor::FormatRfc3339Utc(t),
                         value);
    };
    for (int d = 0; d < kDays; ++d) {
      const int64_t day_s = start_s + int64_t{d} * 86'400;
      const double season = std::cos(2 * kPi * (d + 30) / 365.0);  // windy winters, sunny summers
      const int left = kDays - d;                                  // days before the as-of date
      for (int h = 0; h < 24; ++h) {
        const int64_t t = day_s + int64_t{h} * 3'600;
        const uint64_t i = (k * kDays + static_cast<uint64_t>(d)) * 24 + static_cast<uint64_t>(h);
        const double noise = rng.Uniform(kMonitor, 1'000 + i);
        double factor = 0;
        if (wind) {
          factor = std::clamp(0.32 + 0.12 * season + 0.25 * (noise - 0.5), 0.02, 0.95);
        } else {
          const int local_hour = (h + 8) % 24;  // the clock hour in Chifeng
          const double sun = std::sin(kPi * (local_hour - 6) / 12.0);
          factor = local_hour > 6 && local_hour < 18
                       ? std::clamp((0.55 - 0.15 * season) * sun * (0.7 + 0.6 * noise), 0.0, 0.9)
                       : 0.0;
        }
        const double available = mw * factor;  // MWh in the hour
        if (available <= 0) continue;
        double share = 0.02 + 0.04 * rng.Uniform(kMonitor, 9'000'000 + i);
        if (k == 0 && left <= 10) share = 0.16 + 0.04 * rng.Uniform(kMonitor, 9'500'000 + i);
        const double curtailed = available * share;
        row("generation_mwh", t, fmt::format("{:.3f}", available - curtailed));
        row("curtailed_mwh", t, fmt::format("{:.3f}", curtailed));
      }
      // Daily: utilization and availability at noon (Chifeng), sound but for one solar plant's
      // last week.
      const int64_t noon = day_s + int64_t{4} * 3'600;
      const double u = rng.Uniform(kMonitor, 20'000'000 + k * kDays + static_cast<uint64_t>(d));
      const double utilization = k == 1 && left <= 7 ? 0.55 : 0.82 + 0.12 * u;
      row("equipment_utilization", noon, fmt::format("{:.4f}", utilization));
      row("availability", noon, fmt::format("{:.4f}", 0.975 + 0.02 * u));
      if (d % 30 == 29) {
        row("dscr", noon, fmt::format("{:.2f}", 1.35 + 0.3 * u));
        row("revenue_collection_rate", noon, fmt::format("{:.3f}", 0.93 + 0.06 * u));
        row("subsidy_receivable_age_days", noon, std::to_string(200 + (d * 2) / 3));
        CORRIDOR_TRY_STATUS(flush());
      }
    }
    CORRIDOR_TRY_STATUS(flush());
  }

  // The demo bank acknowledged the Hexigten farm's curtailment-threshold alert.
  const auto alert = CORRIDOR_TRY(internal::QueryInt(
      c,
      "SELECT a.id FROM monitor_alerts a JOIN monitor_projects p ON p.id = a.project_id WHERE "
      "p.code = ? AND a.indicator = 'curtailment_rate' AND a.status = 'firing' ORDER BY a.id "
      "LIMIT 1",
      projects[0].code));
  if (alert && projects[0].bank == banks[0].tenant_id) {
    const Caller bank = CORRIDOR_TRY(officer_of(projects[0].bank));
    CORRIDOR_TRY(monitor.Acknowledge(
        c, bank, *alert,
        Json{{"note", "已联系业主核实限电原因 (asked the owner about the dispatch limits)"}}));
  }
  return {};
}

// The ecosystem health index's demo (seed 002 §5.3.1): 26 weeks of reports of every member firm of
// the demo's ecosystem up to the week before the as-of date, uploaded by the bureau through the
// monitor's use case. Each firm's weekly orders, collections, utilization and stock are drawn
// about its own level; the core's first supplier loses its orders in the last two weeks (45% and
// then 20% of its level, collections, utilization and unsold stock following), its index falls
// by more than 15% in each of them and its health alert fires. Drawn demo values.
Status DemoBuilder::Health() {
  constexpr int kWeeks = 26;
  service::Ecosystems ecosystems(store, as_of_clock);
  service::Monitor monitor(store, as_of_clock, ecosystems);
  auto eco = CORRIDOR_TRY(
      store::Query::Make(c, "SELECT id, core_enterprise_id FROM ecosystems ORDER BY id LIMIT 1"));
  if (!CORRIDOR_TRY(eco.Next())) return Fail(Error::Internal("the demo has no ecosystem"));
  const int64_t eco_id = eco.Int(0);
  // The core's first supplier: the supplier of its first order.
  const auto falling = CORRIDOR_TRY(internal::QueryInt(
      c,
      "SELECT e.id FROM ecosystem_trades t JOIN enterprises e ON e.tenant_id = "
      "t.supplier_tenant_id JOIN enterprises core ON core.tenant_id = t.buyer_tenant_id WHERE "
      "t.ecosystem_id = ? AND t.kind = 'order' AND core.id = ? ORDER BY t.id LIMIT 1",
      eco_id, eco.Int(1)));
  auto q = CORRIDOR_TRY(store::Query::Make(c,
                                           "SELECT e.id FROM ecosystem_members m JOIN enterprises "
                                           "e ON e.tenant_id = m.tenant_id WHERE m.ecosystem_id "
                                           "= ? ORDER BY e.id",
                                           eco_id));
  std::vector<int64_t> firms;
  while (CORRIDOR_TRY(q.Next())) firms.push_back(q.Int(0));
  // The Monday of the as-of date's week: the weeks before it are complete.
  const Date this_week = as_of.AddDays(-static_cast<int32_t>((as_of.days_since_epoch() + 3) % 7));
  Json reports = Json::array();
  uint64_t draw = 0;
  const auto u = [&] { return rng.Uniform(kHealth, draw++); };
  for (int64_t firm : firms) {
    // The firm's level: weekly orders of 200,000 to 2,000,000 yuan, capacity and the stock its
    // orders need in units.
    const double orders = 20'000'000.0 + 180'000'000.0 * u();
    const double capacity = std::floor(1'000.0 + 4'000.0 * u());
    const double need = std::floor(500.0 + 1'500.0 * u());
    const double utilization = 0.72 + 0.18 * u();
    for (int w = kWeeks; w >= 1; --w) {
      // The falling supplier's last two weeks: orders at 45% and 20% of its level.
      const int tail = falling && firm == *falling && w <= 2 ? 3 - w : 0;  // 1, then 2
      const double order_level = tail == 0 ? 0.9 + 0.2 * u() : (tail == 1 ? 0.45 : 0.20);
      const double collected = tail == 0 ? 0.92 + 0.08 * u() : (tail == 1 ? 0.70 : 0.45);
      const double used = tail == 0 ? utilization + 0.04 * (u() - 0.5) : (tail == 1 ? 0.60 : 0.45);
      const double stock = tail == 0 ? 0.9 + 0.25 * u() : (tail == 1 ? 1.5 : 2.2);
      const auto due = std::llround(orders * 0.8);
      reports.push_back(
          {{"enterprise_id", firm},
           {"week", this_week.AddDays(-7 * w).ToString()},
           {"orders_fen", std::llround(orders * order_level / 100.0) * 100},
           {"receivables_due_fen", due},
           {"receivables_collected_fen", std::llround(static_cast<double>(due) * collected)},
           {"capacity_units", static_cast<int64_t>(capacity)},
           {"used_units", std::llround(capacity * used)},
           {"inventory_units", std::llround(need * stock)},
           {"inventory_need_units", static_cast<int64_t>(need)}});
    }
  }
  const auto upload = CORRIDOR_TRY(monitor.IngestHealth(
      c, bureau_admin, Json{{"ecosystem_id", eco_id}, {"reports", std::move(reports)}}));
  if (!upload.body["refused"].empty() || upload.body["alerts_fired"].empty()) {
    return Fail(Error::Internal(
        fmt::format("the demo's health reports did not go as planned: {}", upload.body.dump())));
  }
  return {};
}

}  // namespace corridor::service::demo_stages
