// Early-warning telemetry through the platform: N wind and solar projects (default 1,000) upload
// a day of 15-minute readings of every indicator that applies to them, as CSV, through the
// monitor's use case — read, validated, merged into the stored day blocks (SQLite, one write
// transaction an upload) and charted by the bureau's default rules, alerts and all. Then the same
// day again (every row a stored duplicate), and a project's month of curtailment read back.
//   monitor_store_bench [PROJECTS] [PROJECTS_PER_UPLOAD]   (docs/perf/early-warning.md)
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

}  // namespace

int main(int argc, char** argv) {
  const int projects = argc > 1 ? std::atoi(argv[1]) : 1'000;
  const int per_upload = argc > 2 ? std::atoi(argv[2]) : 50;
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
  return 0;
}
