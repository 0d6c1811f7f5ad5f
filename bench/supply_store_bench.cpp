// Supply-chain finance through the store: the Chifeng demo's order pool (59 suppliers' lines,
// each computed from the registry at every read) read as the bureau, a page of the bank's lines,
// and one supplier's line grown to N pooled orders, registered and pooled one transaction each.
//   supply_store_bench [N] [READS]     (default 10000 orders, 20 reads; docs/perf/supply-chain.md)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "demo/demo.hpp"
#include "service/kernel/log.hpp"
#include "service/registry/registry.hpp"
#include "service/supply/supply.hpp"
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
  fmt::print(stderr, "supply_store_bench: {}\n", e.message);
  return 1;
}

template <class F>
double MillisPer(int reads, F&& read) {
  const auto start = SteadyClock::now();
  for (int k = 0; k < reads; ++k) {
    if (!read()) std::abort();
  }
  return Seconds(start) * 1e3 / reads;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 10'000;
  const int reads = argc > 2 ? std::atoi(argv[2]) : 20;
  const Date as_of = *Date::Parse("2026-06-30");
  store::testing::TempDir dir;
  auto store = store::testing::OpenStore("sqlite", dir);
  ManualClock clock(ManualClock::MicrosAt(as_of));
  auto start = SteadyClock::now();
  if (auto demo = service::GenerateDemo(*store, clock, 3, as_of); !demo) return Die(demo.error());
  fmt::print("demo generated in {:.1f} s\n", Seconds(start));

  struct Ids {
    int64_t pool, line, supplier, supplier_tenant, supplier_user, core, core_tenant, core_user,
        bank_tenant, bank_user;
    std::string supplier_uscc, core_uscc;
  };
  auto ids = store->Read([](store::Connection& c) -> Result<Ids> {
    auto q = CORRIDOR_TRY(store::Query::Make(
        c,
        "SELECT p.id, l.id, s.id, s.tenant_id, (SELECT max(id) FROM users WHERE tenant_id = "
        "s.tenant_id), k.id, k.tenant_id, (SELECT max(id) FROM users WHERE tenant_id = "
        "k.tenant_id), l.bank_tenant_id, (SELECT min(id) FROM users WHERE tenant_id = "
        "l.bank_tenant_id), s.uscc, k.uscc FROM supply_pools p JOIN supply_lines l ON l.pool_id "
        "= p.id JOIN enterprises s ON s.id = l.supplier_enterprise_id JOIN enterprises k ON k.id "
        "= p.core_enterprise_id ORDER BY l.id LIMIT 1"));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("the demo has no supply line"));
    return Ids{q.Int(0), q.Int(1), q.Int(2), q.Int(3), q.Int(4),   q.Int(5),
               q.Int(6), q.Int(7), q.Int(8), q.Int(9), q.Text(10), q.Text(11)};
  });
  if (!ids) return Die(ids.error());
  const Caller bureau{.user_id = 1,
                      .tenant_id = 1,
                      .role = Role::kBureauAdmin,
                      .tenant_kind = TenantKind::kBureau,
                      .enterprise_id = 0};
  const Caller bank{.user_id = ids->bank_user,
                    .tenant_id = ids->bank_tenant,
                    .role = Role::kBankOfficer,
                    .tenant_kind = TenantKind::kBank,
                    .enterprise_id = 0};
  const Caller supplier{.user_id = ids->supplier_user,
                        .tenant_id = ids->supplier_tenant,
                        .role = Role::kEnterpriseUser,
                        .tenant_kind = TenantKind::kEnterprise,
                        .enterprise_id = ids->supplier};
  const Caller core{.user_id = ids->core_user,
                    .tenant_id = ids->core_tenant,
                    .role = Role::kEnterpriseUser,
                    .tenant_kind = TenantKind::kEnterprise,
                    .enterprise_id = ids->core};
  service::Supply supply(*store, clock);

  const auto pool = supply.GetPool(bureau, ids->pool);
  if (!pool) return Die(pool.error());
  fmt::print("the pool: {} lines, {} fen pooled\n", (*pool)["totals"]["lines"].get<int64_t>(),
             (*pool)["totals"]["pooled_fen"].get<int64_t>());
  fmt::print("pool read as the bureau (every line from the registry): {:.2f} ms\n",
             MillisPer(reads, [&] { return supply.GetPool(bureau, ids->pool).has_value(); }));
  service::Page page;
  page.limit = 20;
  fmt::print("a page of 20 of the bank's lines: {:.2f} ms\n",
             MillisPer(reads, [&] { return supply.ListLines(bank, page).has_value(); }));
  fmt::print("one supplier's line: {:.2f} ms\n",
             MillisPer(reads, [&] { return supply.GetLine(supplier, ids->line).has_value(); }));

  // Grow the line: the supplier registers, the core pools, one write transaction per order.
  ManualClock registry_clock(ManualClock::MicrosAt(as_of));
  service::TransparencyLog log(*store, registry_clock,
                               registry::NoteSigner("bench.invalid/supply", registry::Seed{}));
  service::Registry registry(*store, registry_clock, log);
  start = SteadyClock::now();
  for (int64_t k = 0; k < n; ++k) {
    auto r = store->Write([&](store::Connection& c) -> Result<int64_t> {
      const auto asset = CORRIDOR_TRY(registry.RegisterAsset(
          c, supplier,
          Json{{"type", "order"},
               {"document_number", fmt::format("BENCH-{:08d}", k)},
               {"debtor_uscc", ids->core_uscc},
               {"creditor_uscc", ids->supplier_uscc},
               {"amount_fen", 1'000'000 + k},
               {"due_date", as_of.AddDays(60 + static_cast<int32_t>(k % 300)).ToString()}}));
      const auto pooled = CORRIDOR_TRY(supply.PoolOrder(
          c, core, ids->pool, Json{{"asset_id", asset.body["id"]}, {"units", 10}}));
      return pooled.body["pool_order_id"].get<int64_t>();
    });
    if (!r) return Die(r.error());
  }
  const double grow = Seconds(start);
  fmt::print("{} orders registered and pooled: {:.0f} orders/s ({:.2f} ms each, commit included)\n",
             n, static_cast<double>(n) / grow, grow * 1e3 / static_cast<double>(n));
  fmt::print("the line of {} orders: {:.2f} ms\n", n,
             MillisPer(reads, [&] { return supply.GetLine(supplier, ids->line).has_value(); }));
  fmt::print("pool read as the bureau with it: {:.2f} ms\n",
             MillisPer(reads, [&] { return supply.GetPool(bureau, ids->pool).has_value(); }));
  return 0;
}
