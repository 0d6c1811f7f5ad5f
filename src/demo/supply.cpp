// The supply-chain products around the demo's ecosystem, through the supply and registry use
// cases (so registered, pledged and logged like any other): the core enterprise's order pool,
// the demo bank's lines to every supplier of the chain, their orders, draws, production readings
// and margin runs, confirmed and factored receivables, the FX table with a border trader's
// settlements, and a capacity-sharing and a patent-pledge loan.
#include "service/supply/supply.hpp"

#include <map>
#include <tuple>

#include "demo/builder.hpp"

namespace corridor::service::demo_stages {

namespace {

struct Member {
  int64_t enterprise_id = 0, tenant_id = 0, user_id = 0;
  std::string uscc;
};

Caller EnterpriseCaller(const Member& m) {
  return Caller{.user_id = m.user_id,
                .tenant_id = m.tenant_id,
                .role = Role::kEnterpriseUser,
                .tenant_kind = TenantKind::kEnterprise,
                .enterprise_id = m.enterprise_id};
}

// The three months before `month` (1-12), wrapping: the chain's peak season in the demo.
Json PeakBefore(int month) {
  Json peak = Json::array();
  for (int k = 3; k >= 1; --k) peak.push_back((month - k + 11) % 12 + 1);
  return peak;
}

}  // namespace

// The order pool and the lines (seed 002 §4.1, §5.4). The chain's orders (ecosystem_trades) are
// registered by their suppliers in three parts (50/30/20%) due 60 to 420 days after the as-of
// date and put into the pool by their buyers; the first part of four trades in five is already
// delivered (the suppliers' fulfilment history), one order is cancelled by its buyer. Each supplier
// draws half of what is available. Readings a month before the as-of date are sound; on the as-of
// date one tier-2 supplier's utilization has fallen to 55% (new financing refused) and one tier-3
// supplier's stock contradicts its orders (its line frozen, the bank alerted). The chain's peak
// season is the three months before the as-of month: the margin run at the end of last month
// (10%) was met, the run on the as-of date (30% off-peak) leaves calls open. Drawn demo values.
Status DemoBuilder::SupplyChain() {
  Supply supply(store, as_of_clock);
  ManualClock registry_clock(as_of_us);
  TransparencyLog unused_log(store, registry_clock,
                             registry::NoteSigner("demo.invalid/unused", registry::Seed{}));
  Registry registry(store, registry_clock, unused_log);
  const auto officer = CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", banks[0].tenant_id));
  const Caller bank{.user_id = *officer,
                    .tenant_id = banks[0].tenant_id,
                    .role = Role::kBankOfficer,
                    .tenant_kind = TenantKind::kBank,
                    .enterprise_id = 0};

  // The ecosystem's enterprises, each with a user who acts for it (the core and the first
  // supplier with the demo's tokens).
  auto eco = CORRIDOR_TRY(
      store::Query::Make(c, "SELECT id, core_enterprise_id FROM ecosystems ORDER BY id LIMIT 1"));
  if (!CORRIDOR_TRY(eco.Next())) return Fail(Error::Internal("the demo has no ecosystem"));
  const int64_t eco_id = eco.Int(0), core_id = eco.Int(1);
  std::vector<std::tuple<int64_t, int64_t, int64_t>> trades;  // buyer, supplier tenants; amount
  {
    auto q = CORRIDOR_TRY(store::Query::Make(c,
                                             "SELECT buyer_tenant_id, supplier_tenant_id, "
                                             "amount_fen FROM ecosystem_trades WHERE ecosystem_id "
                                             "= ? AND kind = 'order' ORDER BY id",
                                             eco_id));
    while (CORRIDOR_TRY(q.Next())) trades.emplace_back(q.Int(0), q.Int(1), q.Int(2));
  }
  std::map<int64_t, Member> members;  // by tenant
  std::vector<int64_t> suppliers;     // tenants, in the order of their first sale
  auto member = [&](int64_t tenant) -> Result<Member*> {
    if (auto it = members.find(tenant); it != members.end()) return &it->second;
    auto q = CORRIDOR_TRY(
        store::Query::Make(c, "SELECT id, uscc FROM enterprises WHERE tenant_id = ?", tenant));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("an ecosystem member is no firm"));
    Member m{.enterprise_id = q.Int(0), .tenant_id = tenant, .user_id = 0, .uscc = q.Text(1)};
    if (m.enterprise_id == core_id) {
      CORRIDOR_TRY_STATUS(
          User(tenant, Role::kEnterpriseUser, "Core enterprise user", "core_enterprise"));
    } else if (members.size() == 1) {
      CORRIDOR_TRY_STATUS(User(tenant, Role::kEnterpriseUser, "Supplier user", "supplier"));
    }
    m.user_id =
        CORRIDOR_TRY(internal::QueryInt(c, "SELECT max(id) FROM users WHERE tenant_id = ?", tenant))
            .value_or(0);
    if (m.user_id == 0) {
      m.user_id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO users (tenant_id, role, name, created_at) VALUES (?, 'enterprise_user', "
          "'Finance officer', ?) RETURNING id",
          tenant, now));
    }
    return &members.emplace(tenant, std::move(m)).first->second;
  };
  const int64_t core_tenant = *CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", core_id));
  CORRIDOR_TRY(member(core_tenant));
  for (const auto& [buyer, seller, amount] : trades) {
    if (!members.contains(seller)) suppliers.push_back(seller);
    CORRIDOR_TRY(member(seller));
    CORRIDOR_TRY(member(buyer));
  }

  const Caller core = EnterpriseCaller(members.at(core_tenant));
  const auto pool = CORRIDOR_TRY(supply.CreatePool(
      c, core,
      Json{{"ecosystem_id", eco_id},
           {"name", "赤峰新能源装备订单池 Chifeng new-energy equipment order pool"}}));
  const int64_t pool_id = pool.body["id"].get<int64_t>();

  // Lines: the ceiling is 80% of the supplier's chain orders; advance 80%; the buyer cap 60%,
  // except for the core's direct suppliers, whose one buyer is the core (the pool's anchor); the
  // bank's view of fulfilment 90-100%.
  const Date last_month_end = as_of.AddDays(-as_of.day());
  const Json peak = PeakBefore(as_of.month());
  std::map<int64_t, int64_t> line_of;  // supplier tenant -> line
  for (size_t k = 0; k < suppliers.size(); ++k) {
    int64_t sold = 0;
    bool sells_to_core = false;
    for (const auto& [buyer, seller, amount] : trades) {
      if (seller != suppliers[k]) continue;
      sold += amount;
      sells_to_core = sells_to_core || buyer == core_tenant;
    }
    const auto line = CORRIDOR_TRY(supply.GrantLine(
        c, bank, pool_id,
        Json{{"supplier_enterprise_id", members.at(suppliers[k]).enterprise_id},
             {"limit_fen", std::max<int64_t>(1'000'000, sold / 1'000'000 * 800'000)},
             {"advance_rate_bps", 8'000},
             {"max_buyer_share_bps", sells_to_core ? 10'000 : 6'000},
             {"fulfilment_rate_bps", 9'000 + static_cast<int64_t>(rng.Below(kSupply, k, 11)) * 100},
             {"peak_months", peak}}));
    line_of[suppliers[k]] = line.body["id"].get<int64_t>();
  }

  // Orders: registered by the supplier, pooled by the buyer with their units (a unit price of
  // 500 to 5,000 yuan), the first part of every fifth trade delivered.
  std::vector<int64_t> pooled_orders;
  uint64_t draw = 0;
  for (size_t t = 0; t < trades.size(); ++t) {
    const auto& [buyer_tenant, seller_tenant, amount] = trades[t];
    const Member& buyer = members.at(buyer_tenant);
    const Member& seller = members.at(seller_tenant);
    const auto parts = *SplitLargestRemainder(amount, {5, 3, 2});
    for (size_t p = 0; p < parts.size(); ++p) {
      const int64_t price =
          100 * (500 + static_cast<int64_t>(rng.Below(kSupply, 1'000 + draw, 4'501)));
      const int32_t due = 60 + static_cast<int32_t>(rng.Below(kSupply, 2'000 + draw, 361));
      ++draw;
      const auto asset = CORRIDOR_TRY(registry.RegisterAsset(
          c, EnterpriseCaller(seller),
          Json{{"type", "order"},
               {"document_number", fmt::format("SO{:06d}-{}", 260'000 + t, p + 1)},
               {"debtor_uscc", buyer.uscc},
               {"creditor_uscc", seller.uscc},
               {"amount_fen", parts[p]},
               {"due_date", as_of.AddDays(due).ToString()}}));
      const int64_t asset_id = asset.body["id"].get<int64_t>();
      const auto pooled = CORRIDOR_TRY(supply.PoolOrder(
          c, EnterpriseCaller(buyer), pool_id,
          Json{{"asset_id", asset_id}, {"units", std::max<int64_t>(1, parts[p] / price)}}));
      pooled_orders.push_back(pooled.body["pool_order_id"].get<int64_t>());
      if (p == 0 && t % 5 != 4) {
        CORRIDOR_TRY(registry.ConfirmDelivery(c, EnterpriseCaller(buyer), asset_id));
      }
    }
  }
  // The core enterprise cancels the last part of its last order to a tier-1 supplier.
  if (!pooled_orders.empty()) {
    size_t last_core = 0;
    for (size_t t = 0; t < trades.size(); ++t) {
      if (std::get<0>(trades[t]) == core_tenant) last_core = t;
    }
    CORRIDOR_TRY(supply.CancelOrder(c, core, pooled_orders[3 * last_core + 2]));
  }

  // Readings a month ago, sound: 70-95% utilization, stock 1.0-1.3 times the orders' units.
  auto units_of = [&](int64_t tenant) -> Result<int64_t> {
    return CORRIDOR_TRY(internal::QueryInt(c,
                                           "SELECT coalesce(sum(o.units), 0) FROM "
                                           "supply_pool_orders o JOIN registry_assets a ON a.id "
                                           "= o.asset_id WHERE o.line_id = ? AND o.status = "
                                           "'pooled' AND a.status = 'registered'",
                                           line_of.at(tenant)))
        .value_or(0);
  };
  auto reading = [&](size_t k, Date date, double utilization, double stock) -> Status {
    const Member& m = members.at(suppliers[k]);
    const int64_t capacity = 1'000 + static_cast<int64_t>(rng.Below(kSupply, 3'000 + k, 4'001));
    const int64_t units = CORRIDOR_TRY(units_of(suppliers[k]));
    CORRIDOR_TRY(supply.RecordReading(
        c, EnterpriseCaller(m),
        Json{{"date", date.ToString()},
             {"capacity_units", capacity},
             {"used_units", std::llround(static_cast<double>(capacity) * utilization)},
             {"inventory_units", std::llround(static_cast<double>(units) * stock)}}));
    return {};
  };
  for (size_t k = 0; k < suppliers.size(); ++k) {
    CORRIDOR_TRY_STATUS(reading(k, as_of.AddDays(-30),
                                0.70 + 0.25 * rng.Uniform(kSupply, 4'000 + k),
                                1.0 + 0.3 * rng.Uniform(kSupply, 5'000 + k)));
  }
  // Each supplier draws half of what its line makes available, in whole yuan.
  for (size_t k = 0; k < suppliers.size(); ++k) {
    const Member& m = members.at(suppliers[k]);
    const Json line =
        CORRIDOR_TRY(supply.GetLine(c, EnterpriseCaller(m), line_of.at(suppliers[k])));
    const int64_t half = line["available_fen"].get<int64_t>() / 200 * 100;
    if (half > 0) {
      CORRIDOR_TRY(supply.Draw(c, EnterpriseCaller(m), line_of.at(suppliers[k]),
                               Json{{"amount_fen", half}}));
    }
  }
  // Last month's margin run, in the peak season, met by every supplier.
  const auto peak_run =
      CORRIDOR_TRY(supply.RunMargins(c, bank, Json{{"date", last_month_end.ToString()}}));
  for (const Json& call : peak_run.body["calls"]) {
    const int64_t line_id = call["line_id"].get<int64_t>();
    for (const auto& [tenant, id] : line_of) {
      if (id == line_id) {
        CORRIDOR_TRY(supply.MeetMarginCall(c, EnterpriseCaller(members.at(tenant)),
                                           call["id"].get<int64_t>()));
      }
    }
  }
  // Today's readings: one tier-2 supplier below 60%, one tier-3 supplier's stock at 40% of its
  // orders (its line frozen); the rest as before.
  const size_t low = std::min<size_t>(12, suppliers.size() - 1);
  const size_t short_stock = std::min<size_t>(40, suppliers.size() - 1);
  for (size_t k = 0; k < suppliers.size(); ++k) {
    const double u = k == low ? 0.55 : 0.70 + 0.25 * rng.Uniform(kSupply, 6'000 + k);
    const double stock = k == short_stock ? 0.4 : 1.0 + 0.3 * rng.Uniform(kSupply, 7'000 + k);
    CORRIDOR_TRY_STATUS(reading(k, as_of, u, stock));
  }
  // The off-season run on the as-of date: calls to add margin, open.
  CORRIDOR_TRY(supply.RunMargins(c, bank, Json{{"date", as_of.ToString()}}));

  // Receivables of the chain: registered by the supplier, confirmed by the buyer as registered,
  // every other one factored by the bank (alternately with and without recourse) at 80%.
  {
    auto q = CORRIDOR_TRY(store::Query::Make(c,
                                             "SELECT buyer_tenant_id, supplier_tenant_id, "
                                             "amount_fen FROM ecosystem_trades WHERE ecosystem_id "
                                             "= ? AND kind = 'receivable' ORDER BY id",
                                             eco_id));
    std::vector<std::tuple<int64_t, int64_t, int64_t>> receivables;
    while (CORRIDOR_TRY(q.Next())) receivables.emplace_back(q.Int(0), q.Int(1), q.Int(2));
    for (size_t r = 0; r < receivables.size(); ++r) {
      const auto& [buyer_tenant, seller_tenant, amount] = receivables[r];
      const Member& buyer = *CORRIDOR_TRY(member(buyer_tenant));
      const Member& seller = *CORRIDOR_TRY(member(seller_tenant));
      const std::string due = as_of.AddDays(30 + static_cast<int32_t>(r % 4) * 15).ToString();
      const auto asset = CORRIDOR_TRY(
          registry.RegisterAsset(c, EnterpriseCaller(seller),
                                 Json{{"type", "receivable"},
                                      {"document_type", "invoice"},
                                      {"document_number", fmt::format("FP{:08d}", 26'000'000 + r)},
                                      {"debtor_uscc", buyer.uscc},
                                      {"creditor_uscc", seller.uscc},
                                      {"amount_fen", amount},
                                      {"due_date", due}}));
      const int64_t asset_id = asset.body["id"].get<int64_t>();
      CORRIDOR_TRY(supply.ConfirmReceivable(c, EnterpriseCaller(buyer), asset_id,
                                            Json{{"amount_fen", amount}, {"due_date", due}}));
      if (r % 2 == 0) {
        CORRIDOR_TRY(
            supply.Factor(c, bank,
                          Json{{"receivable_id", asset_id},
                               {"receivable_fen", amount},
                               {"due_date", due},
                               {"financed_fen", amount / 100 * 80},
                               {"recourse", r % 4 == 0 ? "with_recourse" : "without_recourse"}}));
      }
    }
  }

  // The FX table (demo rates in the range of 2025's central parities, not published fixings)
  // and the first supplier's border trade with Mongolia and Russia, converted at them.
  struct Rate {
    std::string_view from, rate;
  };
  static constexpr Rate kRates[] = {{"USD", "7.1000"},   {"EUR", "8.2000"},  {"JPY", "0.04800"},
                                    {"MNT", "0.002050"}, {"RUB", "0.08900"}, {"KWD", "23.1500"}};
  for (const auto& r : kRates) {
    CORRIDOR_TRY(
        supply.RecordFxRate(c, bureau_admin,
                            Json{{"date", as_of.AddDays(-1).ToString()},
                                 {"from", r.from},
                                 {"to", "CNY"},
                                 {"rate", r.rate},
                                 {"source", "示例汇率 demo rate (not a published fixing)"}}));
  }
  const Caller trader = EnterpriseCaller(members.at(suppliers[0]));
  struct Settlement {
    std::string_view direction, counterparty, country, currency;
    int64_t amount_minor;
  };
  static constexpr Settlement kSettlements[] = {
      {"receipt", "Erdenet Mining Corporation", "MN", "USD", 48'250'000},
      {"payment", "Ulaanbaatar Logistics LLC", "MN", "MNT", 1'250'000'000},
      {"receipt", "Zabaikalsk Trading House", "RU", "RUB", 356'000'000},
      {"payment", "Kuwait Industrial Supplies Co.", "KW", "KWD", 12'345'678}};
  for (size_t k = 0; k < std::size(kSettlements); ++k) {
    const auto& s = kSettlements[k];
    CORRIDOR_TRY(supply.RecordSettlement(c, trader,
                                         Json{{"direction", s.direction},
                                              {"counterparty", s.counterparty},
                                              {"counterparty_country", s.country},
                                              {"currency", s.currency},
                                              {"amount_minor", s.amount_minor},
                                              {"date", as_of.ToString()},
                                              {"reference", fmt::format("XB{:06d}", 2'600 + k)}}));
  }

  // A capacity-sharing loan to the second supplier: its press line registered as equipment,
  // appraised, with two new orders from the core pledged, at 70% of the appraisal, then
  // re-appraised 15% lower (restricted, a top-up called); a patent-pledge loan with warrant
  // terms and R&D funds by milestone to the third.
  if (suppliers.size() >= 3) {
    const Member& maker = members.at(suppliers[1]);
    const Caller maker_caller = EnterpriseCaller(maker);
    const auto equipment = CORRIDOR_TRY(registry.RegisterAsset(
        c, maker_caller,
        Json{{"type", "equipment"},
             {"document_number", "EQ-2026-0001"},
             {"creditor_uscc", maker.uscc},
             {"description", "伺服冲压生产线 servo press line (shared capacity)"}}));
    std::vector<int64_t> orders;
    for (int64_t k = 0; k < 2; ++k) {
      const auto order = CORRIDOR_TRY(registry.RegisterAsset(
          c, maker_caller,
          Json{{"type", "order"},
               {"document_number", fmt::format("CS-2026-{:04d}", k + 1)},
               {"debtor_uscc", members.at(core_tenant).uscc},
               {"creditor_uscc", maker.uscc},
               {"amount_fen", 1'800'000'000 + k * 600'000'000},
               {"due_date", as_of.AddDays(static_cast<int32_t>(120 + 60 * k)).ToString()}}));
      orders.push_back(order.body["id"].get<int64_t>());
    }
    const auto loan =
        CORRIDOR_TRY(supply.GrantCapacityLoan(c, bank,
                                              Json{{"enterprise_id", maker.enterprise_id},
                                                   {"equipment_asset_id", equipment.body["id"]},
                                                   {"appraised_fen", 5'000'000'000},
                                                   {"principal_fen", 3'500'000'000},
                                                   {"order_asset_ids", orders}}));
    CORRIDOR_TRY(
        supply.Reappraise(c, bank, loan.body["id"].get<int64_t>(),
                          Json{{"appraised_fen", 4'250'000'000}, {"date", as_of.ToString()}}));
    const Member& inventor = members.at(suppliers[2]);
    CORRIDOR_TRY(supply.GrantIpLoan(
        c, bank,
        Json{{"enterprise_id", inventor.enterprise_id},
             {"patents", {"ZL202310123456.7", "ZL202310654321.0", "ZL202420987654.3"}},
             {"valuation_fen", 2'400'000'000},
             {"pledge_rate_bps", 4'000},
             {"principal_fen", 900'000'000},
             {"warrant",
              {{"equity_bps", 200},
               {"strike_fen", 1'200'000'000},
               {"expiry_date", as_of.AddMonths(36).ToString()},
               {"terms",
                "投贷联动：认股权 2% of equity at the strike, exercisable for 3 years"}}}}));
    // R&D funds by milestone for the same firm: the first milestone confirmed and paid, the
    // second confirmed by the bureau's review, the third to come.
    const auto rnd = CORRIDOR_TRY(supply.ApproveRndFund(
        c, bank,
        Json{{"enterprise_id", inventor.enterprise_id},
             {"project", "固态电池电芯研发 solid-state cell R&D"},
             {"approved_fen", 2'000'000'000},
             {"tranches",
              {{{"milestone", "实验室电芯 lab cell"}, {"amount_fen", 600'000'000}},
               {{"milestone", "中试线 pilot line"}, {"amount_fen", 800'000'000}},
               {{"milestone", "车规认证 automotive certification"},
                {"amount_fen", 600'000'000}}}}}));
    const int64_t first = rnd.body["tranches"][0]["id"], second = rnd.body["tranches"][1]["id"];
    CORRIDOR_TRY(supply.ConfirmRndMilestone(c, bank, first,
                                            Json{{"evidence", "第三方检测报告 test report"}}));
    CORRIDOR_TRY(supply.DisburseRndTranche(c, bank, first));
    CORRIDOR_TRY(supply.ConfirmRndMilestone(c, bureau_admin, second,
                                            Json{{"evidence", "专家评审 expert review"}}));
  }
  return {};
}

}  // namespace corridor::service::demo_stages
