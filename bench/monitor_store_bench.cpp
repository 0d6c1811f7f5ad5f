// Early-warning telemetry through the platform: N wind and solar projects (default 1,000) upload
// a day of 15-minute readings of every indicator that applies to them, as CSV, through the
// monitor's use case — read, validated, merged into the stored day blocks (SQLite, one write
// transaction an upload) and charted by the bureau's default rules, alerts and all. Then the same
// day again (every row a stored duplicate), and a project's month of curtailment read back. Then
// the ecosystem health index: an ecosystem of FIRMS member firms (default 1,000) uploads a year of
// weekly reports at once, then one week of all its firms (the weekly run), each computing every
// firm's and the ecosystem's index and the alerts; and the ecosystem's view read back.
//   monitor_store_bench [PROJECTS] [PROJECTS_PER_UPLOAD] [FIRMS]   (docs/perf/early-warning.md)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "app/app.hpp"
#include "risk/monitor/telemetry.hpp"
#include "service/kernel/auth.hpp"
#include "store/testing.hpp"

namespace {

using namespace corridor;
using service::Caller;
using service::Json;
using service::Role;
using service::TenantKind;
using SteadyClock = std::chrono::steady_clock;
namespace mon = risk::monitor;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

int Die(const Error& e) {
  fmt::print(stderr, "monitor_store_bench: {}\n", Describe(e));
  return 1;
}

constexpr int kSlots = 96;

// One upload: a day of every applicable indicator of projects [first, last).
std::string Upload(int first, int last, int64_t midnight_s) {
  std::string csv = "project,indicator,time,value\n";
  const auto& specs = mon::Indicators();
  for (int p = first; p < last; ++p) {
    const bool wind = p % 3 != 0;
    const std::string code = fmt::format("{}-{:05}", wind ? "WF" : "PV", p);
    for (int s = 0; s < kSlots; ++s) {
      const std::string t = mon::FormatRfc3339Utc(midnight_s + int64_t{900} * s);
      for (size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        if ((spec.applies == mon::Applies::kWind && !wind) ||
            (spec.applies == mon::Applies::kSolar && wind)) {
          continue;
        }
        // Values inside every default rule's normal band: a day without alerts, so that what is
        // measured is the path every reading takes.
        const int v = (p * 31 + s * 7 + static_cast<int>(i)) % 10;
        std::string value;
        if (spec.code == "grid_connected") {
          value = "1";
        } else if (spec.code == "active_power_mw") {
          value = fmt::format("{}.{}", 20 + v, v);
        } else if (spec.code == "grid_frequency_hz") {
          value = fmt::format("50.0{}", v);
        } else if (spec.unit == "ratio") {
          value = spec.code == "curtailment_rate" || spec.code == "auxiliary_consumption_rate"
                      ? fmt::format("0.0{}", 2 + v % 3)
                      : fmt::format("0.9{}", 7 + v % 3);
          if (spec.code == "dscr") value = fmt::format("1.{}", 40 + v);
        } else if (spec.code == "dscr") {
          value = fmt::format("1.{}", 40 + v);
        } else if (spec.exact) {  // money, counts and age in days are whole
          value = std::to_string(100 + v);
        } else {
          value = fmt::format("{}.{}", 10 + v, v);
        }
        csv += fmt::format("{},{},{},{}\n", code, spec.code, t, value);
      }
    }
  }
  return csv;
}

// The health index's part: FIRMS firms of one ecosystem (tenants from 100, enterprises from 100),
// 52 weeks of reports before `monday` in one upload, then the week of `monday`. One firm's orders
// collapse in the last two weeks of the history, so that one alert fires.
int HealthBench(store::Store& store, app::App& app, const Caller& bureau, int firms, Date monday) {
  auto setup = store.Write([&](store::Connection& c) -> Status {
    for (int f = 0; f < firms; ++f) {
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO tenants (id, kind, name, created_at) VALUES (?, "
                                  "'enterprise', 'Firm', 0)",
                                  100 + f));
      CORRIDOR_TRY(store::Execute(
          c,
          "INSERT INTO enterprises (id, tenant_id, uscc, name, region, industry, status, "
          "registered_at) VALUES (?, ?, ?, 'Firm', 'Hongshan', 'manufacturing', 'verified', 0)",
          100 + f, 100 + f, fmt::format("9115040{:011}", f)));
    }
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO ecosystems (id, name, core_enterprise_id, "
                                "core_cap_bps, created_by, created_at, entry_index) VALUES (1, "
                                "'Chain', 100, 3000, 1, 0, 0)"));
    for (int f = 0; f < firms; ++f) {
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO ecosystem_members (ecosystem_id, tenant_id, "
                                  "capital_fen, joined_at) VALUES (1, ?, ?, 0)",
                                  100 + f, 1'000'000 + int64_t{1'000} * f));
    }
    return {};
  });
  if (!setup) return Die(setup.error());
  const auto reports = [&](int first_week, int last_week) {
    Json rows = Json::array();
    for (int w = first_week; w < last_week; ++w) {
      for (int f = 0; f < firms; ++f) {
        const bool falling = f == 1 && (w == -2 || w == -1);
        const int64_t level = 10'000'000 + int64_t{10'000} * f;
        const int v = (f * 7 + w * 13 + 520) % 10;
        rows.push_back(
            {{"enterprise_id", 100 + f},
             {"week", monday.AddDays(7 * w).ToString()},
             {"orders_fen", falling ? level / (w == -2 ? 3 : 9) : level + int64_t{v} * 10'000},
             {"receivables_due_fen", level},
             {"receivables_collected_fen", level - int64_t{v} * 1'000},
             {"capacity_units", 1'000},
             {"used_units", falling ? (w == -2 ? 500 : 300) : 800 + v * 10},
             {"inventory_units", 500 + v},
             {"inventory_need_units", 500}});
      }
    }
    return rows;
  };
  const auto upload = [&](const char* what, Json rows) -> int {
    const size_t n = rows.size();
    const size_t bytes = rows.dump().size();
    const auto start = SteadyClock::now();
    auto r = store.Write([&](store::Connection& c) -> Result<service::Response> {
      return app.monitor().IngestHealth(c, bureau,
                                        Json{{"ecosystem_id", 1}, {"reports", std::move(rows)}});
    });
    if (!r) return Die(r.error());
    const double s = Seconds(start);
    fmt::print(
        "{}: {} reports ({:.1f} MB) in {:.2f} s: {:.0f} reports/s; kept {}, alerts fired {}\n",
        what, n, static_cast<double>(bytes) / 1e6, s, static_cast<double>(n) / s,
        r->body["accepted"].get<int64_t>(), r->body["alerts_fired"].size());
    return r->body["accepted"].get<size_t>() == n ? 0 : 1;
  };
  if (upload("health: a year of weekly reports", reports(-52, 0)) != 0) return 1;
  if (upload("health: the next week of every firm", reports(0, 1)) != 0) return 1;
  const auto start = SteadyClock::now();
  constexpr int kReads = 10;
  for (int k = 0; k < kReads; ++k) {
    auto view = app.monitor().Health(bureau, 1, std::nullopt, 52);
    if (!view) return Die(view.error());
  }
  fmt::print("health: the ecosystem's view (52 weeks, {} firms worst first): {:.1f} ms\n", firms,
             Seconds(start) * 1e3 / kReads);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int projects = argc > 1 ? std::atoi(argv[1]) : 1'000;
  const int per_upload = argc > 2 ? std::atoi(argv[2]) : 50;
  const int firms = argc > 3 ? std::atoi(argv[3]) : 1'000;
  const Date day = *Date::Parse("2026-06-29");
  store::testing::TempDir dir;
  auto store = store::testing::OpenStore("sqlite", dir);
  ManualClock clock(ManualClock::MicrosAt(day.AddDays(2)));
  app::AppOptions options;
  options.integrate_in_background = false;
  app::App app(*store, clock, std::move(options));
  const Caller bureau{.user_id = 1,
                      .tenant_id = 1,
                      .role = Role::kBureauAdmin,
                      .tenant_kind = TenantKind::kBureau,
                      .enterprise_id = 0};
  // The bureau, a bank and one owner enterprise; the projects registered by the bureau.
  auto setup = store->Write([&](store::Connection& c) -> Status {
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO tenants (id, kind, name, created_at) VALUES (1, "
                                "'bureau', 'Bureau', 0), (2, 'bank', 'Bank', 0), (3, "
                                "'enterprise', 'Owner', 0)"));
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO users (id, tenant_id, role, name, created_at) VALUES "
                                "(1, 1, 'bureau_admin', 'admin', 0)"));
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO enterprises (id, tenant_id, uscc, name, region, "
                                "industry, status, registered_at) VALUES (1, 3, "
                                "'91150402MA0000001X', 'Owner', 'Hongshan', 'new_energy', "
                                "'verified', 0)"));
    for (int p = 0; p < projects; ++p) {
      const bool wind = p % 3 != 0;
      CORRIDOR_TRY(app.monitor().RegisterProject(
          c, bureau,
          Json{{"code", fmt::format("{}-{:05}", wind ? "WF" : "PV", p)},
               {"name", "project"},
               {"type", wind ? "wind" : "solar"},
               {"capacity_kw", 200'000},
               {"region", "Hongshan"},
               {"enterprise_id", 1},
               {"bank_tenant_id", 2}}));
    }
    return {};
  });
  if (!setup) return Die(setup.error());

  const int64_t midnight = ManualClock::MicrosAt(day) / 1'000'000;
  std::vector<std::string> uploads;
  size_t rows = 0, bytes = 0;
  for (int p = 0; p < projects; p += per_upload) {
    uploads.push_back(Upload(p, std::min(projects, p + per_upload), midnight));
    rows += static_cast<size_t>(std::count(uploads.back().begin(), uploads.back().end(), '\n')) - 1;
    bytes += uploads.back().size();
  }
  const auto run = [&](const char* what, int64_t expect_accepted) -> int {
    int64_t accepted = 0, refused = 0, fired = 0;
    const auto start = SteadyClock::now();
    for (const auto& csv : uploads) {
      auto r = store->Write([&](store::Connection& c) -> Result<service::Response> {
        return app.monitor().Ingest(c, bureau, Json{{"csv", csv}});
      });
      if (!r) return Die(r.error());
      accepted += r->body["accepted"].get<int64_t>();
      refused += static_cast<int64_t>(r->body["refused"].size());
      fired += static_cast<int64_t>(r->body["alerts_fired"].size());
    }
    const double s = Seconds(start);
    fmt::print(
        "{}: {} rows in {} uploads ({:.1f} MB) in {:.2f} s: {:.0f} rows/s; kept {}, refused "
        "{}, alerts fired {}\n",
        what, rows, uploads.size(), static_cast<double>(bytes) / 1e6, s,
        static_cast<double>(rows) / s, accepted, refused, fired);
    if (accepted != expect_accepted) {
      fmt::print(stderr, "monitor_store_bench: expected {} rows kept\n", expect_accepted);
      return 1;
    }
    return 0;
  };
  if (run("first upload of the day", static_cast<int64_t>(rows)) != 0) return 1;
  if (run("the same day again (stored duplicates)", 0) != 0) return 1;
  auto size = store->Read([](store::Connection& c) -> Result<std::pair<int64_t, int64_t>> {
    auto q = CORRIDOR_TRY(
        store::Query::Make(c, "SELECT sum(readings), sum(length(block)) FROM telemetry_days"));
    CORRIDOR_TRY(q.Next());
    return std::pair(q.Int(0), q.Int(1));
  });
  if (!size) return Die(size.error());
  fmt::print(
      "stored: {} readings (with the derived rates) in {} bytes of blocks: {:.2f} bytes a "
      "reading\n",
      size->first, size->second,
      static_cast<double>(size->second) / static_cast<double>(size->first));
  const auto start = SteadyClock::now();
  constexpr int kReads = 50;
  for (int k = 0; k < kReads; ++k) {
    auto series =
        app.monitor().Series(bureau, 1 + k % projects, "curtailment_rate", day.AddDays(-29), day);
    if (!series) return Die(series.error());
  }
  fmt::print(
      "a project's curtailment series read back (30 days asked, the day stored): {:.2f} ms\n",
      Seconds(start) * 1e3 / kReads);
  return HealthBench(*store, app, bureau, firms, day);
}
