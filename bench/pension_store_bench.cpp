// Cross-region settlement through the store (service/pension/pension.hpp): three insurers, N claims
// of one month recorded one write transaction each (as the API records them), the month settled
// in one transaction, then the settlement and a page of claims read as an insurer.
//   pension_store_bench [N]     (default 50000 claims; docs/perf/pension.md)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "core/rng.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/kernel.hpp"
#include "service/pension/pension.hpp"
#include "store/testing.hpp"

namespace {

using namespace corridor;
using service::Caller;
using service::Json;
using service::Role;
using service::TenantKind;
using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

int Die(const Error& e) {
  fmt::print(stderr, "pension_store_bench: {}\n", Describe(e));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::strtoll(argv[1], nullptr, 10) : 50'000;
  store::testing::TempDir dir;
  auto store = store::testing::OpenStore("sqlite", dir);
  ManualClock clock(ManualClock::MicrosAt(*Date::Parse("2026-06-30")));
  service::Transactions tx(*store, clock);
  service::PensionFinance pension(*store, clock);

  // The bureau and three insurers, each with its officer.
  auto made = store->Write([&](store::Connection& c) -> Result<std::vector<Caller>> {
    std::vector<Caller> callers;
    const char* names[] = {"bureau", "北京", "锡林郭勒", "呼伦贝尔"};
    for (int k = 0; k < 4; ++k) {
      const bool bureau = k == 0;
      const int64_t tenant = CORRIDOR_TRY(store::InsertReturningId(
          c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, 0) RETURNING id",
          bureau ? "bureau" : "insurer", names[k]));
      const Role role = bureau ? Role::kBureauAdmin : Role::kInsuranceOfficer;
      CORRIDOR_TRY(service::CreateUserWithToken(c, clock, tenant, role, names[k]));
      const int64_t user = *CORRIDOR_TRY(
          service::internal::QueryInt(c, "SELECT max(id) FROM users WHERE tenant_id = ?", tenant));
      callers.push_back({.user_id = user,
                         .tenant_id = tenant,
                         .role = role,
                         .tenant_kind = bureau ? TenantKind::kBureau : TenantKind::kInsurer,
                         .enterprise_id = 0});
    }
    return callers;
  });
  if (!made) return Die(made.error());
  const auto& who = *made;
  for (int k = 1; k <= 3; ++k) {
    auto set = tx.Mutate(&who[k], std::nullopt, "", [&](store::Connection& c) {
      return pension.SetPolicy(c, who[k],
                               Json{{"deductible_fen", 100'000 + 10'000 * k},
                                    {"reimbursement_bps", 7'500},
                                    {"cap_fen", 0}});
    });
    if (!set) return Die(set.error());
  }

  // N claims in June: Beijing's members cared for on the grassland and the leagues' in Beijing.
  const CounterRng rng(7);
  auto start = SteadyClock::now();
  for (int64_t k = 0; k < n; ++k) {
    const uint64_t i = static_cast<uint64_t>(k);
    const int care = 1 + static_cast<int>(rng.Below(1, i, 3));
    const int insuring = care == 1 ? 2 + static_cast<int>(rng.Below(2, i, 2)) : 1;
    const Json body{{"insuring_tenant_id", who[insuring].tenant_id},
                    {"member", fmt::format("M{}-{:06d}", insuring, rng.Below(3, i, 20'000))},
                    {"period", "2026-06"},
                    {"care_date", fmt::format("2026-06-{:02d}", 1 + rng.Below(4, i, 30))},
                    {"provider", "hospital"},
                    {"eligible_fen", 10'000 + static_cast<int64_t>(rng.Below(5, i, 1'000'000))}};
    auto r = tx.Mutate(&who[care], std::nullopt, "", [&](store::Connection& c) {
      return pension.RecordClaim(c, who[care], body);
    });
    if (!r) return Die(r.error());
  }
  const double recorded = Seconds(start);
  start = SteadyClock::now();
  auto settled = tx.Mutate(&who[0], std::nullopt, "", [&](store::Connection& c) {
    return pension.Settle(c, who[0], Json{{"period", "2026-06"}});
  });
  if (!settled) return Die(settled.error());
  const double settling = Seconds(start);
  int64_t sum = 0;
  for (const auto& p : settled->body["positions"]) sum += p["position_fen"].get<int64_t>();

  service::Page page;
  page.limit = 50;
  start = SteadyClock::now();
  constexpr int kReads = 100;
  for (int k = 0; k < kReads; ++k) {
    if (!pension.GetSettlement(who[1], settled->body["id"].get<int64_t>())) std::abort();
    if (!pension.ListClaims(who[2], std::string("2026-06"), page)) std::abort();
  }
  const double reading = Seconds(start) * 1e3 / kReads;
  fmt::print(
      "{} claims recorded one transaction each in {:.2f} s ({:.0f} a second)\n"
      "the month settled in {:.3f} s: reimbursed {:.2f} yuan, positions summing to {} fen\n"
      "an insurer's settlement and a page of 50 claims read in {:.3f} ms\n",
      n, recorded, static_cast<double>(n) / recorded, settling,
      static_cast<double>(settled->body["reimbursed_fen"].get<int64_t>()) / 100.0, sum, reading);
  return 0;
}
