#include "service/ecosystems/ecosystems.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/int128.hpp"
#include "core/money.hpp"
#include "domain/schedule.hpp"
#include "domain/supply_chain.hpp"
#include "risk/contagion/debtrank.hpp"
#include "risk/contagion/sharing.hpp"
#include "risk/contagion/transmission.hpp"
#include "service/ecosystems/internal.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "store/db.hpp"

namespace corridor::service {

using ecosystems_internal::RequireOversight;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

// One node of an ecosystem's graph: a member, or a lender to members that is not one.
struct Node {
  std::string id;    // enterprise-{enterprise id} | bank-{tenant id} | guarantor-{tenant id}
  std::string kind;  // enterprise | bank | guarantor
  std::string name;
  int64_t tenant_id = 0;
  std::optional<int64_t> enterprise_id;
  std::optional<int64_t> capital_fen;  // members only
  int64_t borrowed_fen = 0;            // outstanding loans, as a borrower
};

// Claims of a creditor on a debtor by kind (loan, guarantee, receivable), and orders.
struct Link {
  int from = 0, to = 0;  // creditor → debtor; for orders buyer → supplier
  std::string kind;
  int64_t amount_fen = 0;
};

struct Network {
  int64_t id = 0;
  std::string name;
  int64_t core_enterprise_id = 0;
  int64_t cap_bps = domain::kDefaultCoreCapBps;
  std::vector<Node> nodes;
  std::map<int64_t, int> by_tenant;
  std::vector<Link> links;
  int core = -1;
  int64_t financing_fen = 0;  // outstanding loans of member enterprises

  int FindOrAdd(int64_t tenant_id, const std::string& kind, const std::string& name) {
    if (auto it = by_tenant.find(tenant_id); it != by_tenant.end()) return it->second;
    nodes.push_back({fmt::format("{}-{}", kind, tenant_id), kind, name, tenant_id, {}, {}, 0});
    return by_tenant[tenant_id] = static_cast<int>(nodes.size()) - 1;
  }
  int Find(const std::string& id) const {
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
};

std::string TenantKindName(std::string_view kind) {
  return kind == "guarantor" ? "guarantor" : kind == "bank" ? "bank" : "enterprise";
}

Result<Network> LoadNetwork(Connection& c, int64_t ecosystem_id) {
  Network net;
  {
    auto q = CORRIDOR_TRY(
        Query::Make(c, "SELECT name, core_enterprise_id, core_cap_bps FROM ecosystems WHERE id = ?",
                    ecosystem_id));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("ecosystem"));
    net.id = ecosystem_id;
    net.name = q.Text(0);
    net.core_enterprise_id = q.Int(1);
    net.cap_bps = q.Int(2);
  }
  {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT m.tenant_id, m.capital_fen, t.kind, "
                                      "coalesce(e.name, t.name), e.id FROM ecosystem_members m "
                                      "JOIN tenants t ON t.id = m.tenant_id LEFT JOIN enterprises "
                                      "e ON e.tenant_id = t.id WHERE m.ecosystem_id = ? "
                                      "ORDER BY m.tenant_id",
                                      ecosystem_id));
    while (CORRIDOR_TRY(q.Next())) {
      Node n;
      n.kind = TenantKindName(q.View(2));
      n.tenant_id = q.Int(0);
      n.capital_fen = q.Int(1);
      n.name = q.Text(3);
      n.enterprise_id = q.OptInt(4);
      n.id = n.enterprise_id ? fmt::format("enterprise-{}", *n.enterprise_id)
                             : fmt::format("{}-{}", n.kind, n.tenant_id);
      if (n.enterprise_id == net.core_enterprise_id) net.core = static_cast<int>(net.nodes.size());
      net.by_tenant[n.tenant_id] = static_cast<int>(net.nodes.size());
      net.nodes.push_back(std::move(n));
    }
  }
  {
    // Outstanding principal of every loan to a member enterprise; the bank's claim is what the
    // guarantee does not cover.
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT l.bank_tenant_id, bt.name, e.tenant_id, {}, g.guarantor_tenant_id, "
                    "gt.name, g.cover_bps FROM loans l JOIN enterprises e ON e.id = "
                    "l.enterprise_id JOIN ecosystem_members m ON m.tenant_id = e.tenant_id AND "
                    "m.ecosystem_id = ? JOIN tenants bt ON bt.id = l.bank_tenant_id LEFT JOIN "
                    "guarantees g ON g.loan_id = l.id LEFT JOIN tenants gt ON gt.id = "
                    "g.guarantor_tenant_id ORDER BY l.id",
                    internal::kOutstandingPrincipalSql),
        ecosystem_id));
    while (CORRIDOR_TRY(q.Next())) {
      const int64_t outstanding = q.Int(3);
      if (outstanding <= 0) continue;
      const int borrower = net.by_tenant.at(q.Int(2));
      net.nodes[borrower].borrowed_fen += outstanding;
      net.financing_fen += outstanding;
      int64_t covered = 0;
      if (!q.IsNull(4)) {
        covered = CORRIDOR_TRY(Money::FromFen(outstanding).ApplyBps(q.Int(6))).fen();
        const int g = net.FindOrAdd(q.Int(4), "guarantor", q.Text(5));
        net.links.push_back({g, borrower, "guarantee", covered});
      }
      const int bank = net.FindOrAdd(q.Int(0), "bank", q.Text(1));
      if (outstanding > covered)
        net.links.push_back({bank, borrower, "loan", outstanding - covered});
    }
  }
  {
    // Receivables registered in the registry between members and not yet settled.
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT cr.tenant_id, de.tenant_id, sum(a.amount_fen) FROM registry_assets a JOIN "
        "enterprises cr ON cr.uscc = a.creditor_uscc JOIN enterprises de ON de.uscc = "
        "a.debtor_uscc JOIN ecosystem_members mc ON mc.tenant_id = cr.tenant_id AND "
        "mc.ecosystem_id = ?1 JOIN ecosystem_members md ON md.tenant_id = de.tenant_id AND "
        "md.ecosystem_id = ?1 WHERE a.type = 'receivable' AND a.status <> 'settled' AND "
        "a.amount_fen > 0 GROUP BY cr.tenant_id, de.tenant_id ORDER BY cr.tenant_id, de.tenant_id",
        ecosystem_id));
    while (CORRIDOR_TRY(q.Next())) {
      net.links.push_back({net.by_tenant.at(q.Int(0)), net.by_tenant.at(q.Int(1)),
                           "registry_receivable", q.Int(2)});
    }
  }
  {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT kind, buyer_tenant_id, supplier_tenant_id, "
                                      "sum(amount_fen) FROM ecosystem_trades WHERE ecosystem_id "
                                      "= ? GROUP BY kind, buyer_tenant_id, supplier_tenant_id "
                                      "ORDER BY kind, buyer_tenant_id, supplier_tenant_id",
                                      ecosystem_id));
    while (CORRIDOR_TRY(q.Next())) {
      const int buyer = net.by_tenant.at(q.Int(1)), supplier = net.by_tenant.at(q.Int(2));
      if (q.View(0) == "receivable") {
        net.links.push_back({supplier, buyer, "receivable", q.Int(3)});
      } else {
        net.links.push_back({buyer, supplier, "order", q.Int(3)});
      }
    }
  }
  return net;
}

// Claims summed per (creditor, debtor).
std::map<std::pair<int, int>, int64_t> Claims(const Network& net) {
  std::map<std::pair<int, int>, int64_t> claims;
  for (const Link& l : net.links) {
    if (l.kind != "order") claims[{l.from, l.to}] += l.amount_fen;
  }
  return claims;
}

// DebtRank over the claims: capital as declared by members; a lender without declared capital
// takes any loss in full (impact 1) and weighs nothing.
Result<risk::DebtRank> MakeDebtRank(const Network& net) {
  const int n = static_cast<int>(net.nodes.size());
  risk::SparseMatrix a{n, std::vector<std::vector<std::pair<int, double>>>(n)};
  for (const auto& [pair, amount] : Claims(net)) {
    a.rows[pair.first].emplace_back(pair.second, static_cast<double>(amount));
  }
  std::vector<double> capital(n), weights(n);
  for (int i = 0; i < n; ++i) {
    const auto& cap = net.nodes[i].capital_fen;
    capital[i] = cap ? static_cast<double>(*cap) : 1e-9;
    weights[i] = cap ? static_cast<double>(*cap) : 0.0;
  }
  return risk::DebtRank::Make(a, capital, weights);
}

std::string Percent(Int128 numerator, Int128 denominator) {
  const Int128 bp = numerator * 10'000 / denominator;  // basis points, rounded down
  return fmt::format("{}.{:02}%", static_cast<int64_t>(bp / 100), static_cast<int64_t>(bp % 100));
}

Result<int64_t> TenantOfEnterprise(Connection& c, int64_t enterprise_id, const char* field) {
  auto t =
      CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  if (!t) return Fail(Error::Invalid(field, "no such enterprise"));
  return *t;
}

}  // namespace

// --- writes ---

Result<Response> Ecosystems::Create(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string name = in.Str("name");
  const int64_t core = in.Int("core_enterprise_id", 1, INT64_MAX);
  const int64_t core_capital = in.Int("core_capital_fen", 1, domain::kMaxBalanceFen);
  const int64_t cap = in.OptInt("core_cap_bps", 1, 10'000).value_or(domain::kDefaultCoreCapBps);
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t core_tenant = CORRIDOR_TRY(TenantOfEnterprise(c, core, "/core_enterprise_id"));
  const int64_t now = clock_.NowMicros();
  const Json record{{"name", name},
                    {"core_enterprise_id", core},
                    {"core_capital_fen", core_capital},
                    {"core_cap_bps", cap}};
  const auto entry =
      CORRIDOR_TRY(AppendLogEntry(c, "ecosystem.created", &caller, record, {core_tenant}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO ecosystems (name, core_enterprise_id, core_cap_bps, created_by, created_at, "
      "entry_index) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      name, core, cap, caller.user_id, now, entry.index));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO ecosystem_members (ecosystem_id, tenant_id, capital_fen, "
                       "joined_at) VALUES (?, ?, ?, ?)",
                       id, core_tenant, core_capital, now));
  Json out = record;
  out["id"] = id;
  out["log_index"] = entry.index;
  return Response{std::move(out)};
}

Result<Response> Ecosystems::AddMember(Connection& c, const Caller& caller, int64_t ecosystem_id,
                                       const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM ecosystems WHERE id = ?", ecosystem_id))) {
    return Fail(Error::NotFound("ecosystem"));
  }
  Input in(body);
  const auto enterprise = in.OptInt("enterprise_id", 1, INT64_MAX);
  const auto tenant = in.OptInt("tenant_id", 1, INT64_MAX);
  const int64_t capital = in.Int("capital_fen", 1, domain::kMaxBalanceFen);
  if (enterprise.has_value() == tenant.has_value()) {
    in.Problem(enterprise ? "tenant_id" : "enterprise_id",
               "give enterprise_id for an enterprise or tenant_id for a bank or guarantee agency, "
               "not both");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  int64_t tenant_id = 0;
  if (enterprise) {
    tenant_id = CORRIDOR_TRY(TenantOfEnterprise(c, *enterprise, "/enterprise_id"));
  } else {
    auto q = CORRIDOR_TRY(Query::Make(c, "SELECT kind FROM tenants WHERE id = ?", *tenant));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Invalid("/tenant_id", "no such tenant"));
    if (q.View(0) != "bank" && q.View(0) != "guarantor") {
      return Fail(Error::Invalid("/tenant_id",
                                 "must be a bank or a guarantee agency (give an "
                                 "enterprise by enterprise_id)"));
    }
    tenant_id = *tenant;
  }
  if (CORRIDOR_TRY(QueryInt(c,
                            "SELECT 1 FROM ecosystem_members WHERE ecosystem_id = ? AND "
                            "tenant_id = ?",
                            ecosystem_id, tenant_id))) {
    return Fail(Error::Conflict("already a member of this ecosystem"));
  }
  const int64_t now = clock_.NowMicros();
  Json record{{"ecosystem_id", ecosystem_id}, {"tenant_id", tenant_id}, {"capital_fen", capital}};
  if (enterprise) record["enterprise_id"] = *enterprise;
  const auto entry =
      CORRIDOR_TRY(AppendLogEntry(c, "ecosystem.member_added", &caller, record, {tenant_id}, now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO ecosystem_members (ecosystem_id, tenant_id, capital_fen, "
                       "joined_at) VALUES (?, ?, ?, ?)",
                       ecosystem_id, tenant_id, capital, now));
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

Result<Response> Ecosystems::RecordTrade(Connection& c, const Caller& caller, int64_t ecosystem_id,
                                         const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kEnterpriseUser}));
  Input in(body);
  const std::string kind = in.Str("kind", 20);
  const int64_t buyer = in.Int("buyer_enterprise_id", 1, INT64_MAX);
  const int64_t supplier = in.Int("supplier_enterprise_id", 1, INT64_MAX);
  const int64_t amount = in.Int("amount_fen", 1, domain::kMaxPrincipalFen);
  if (kind != "order" && kind != "receivable") in.Problem("kind", "must be order or receivable");
  if (buyer == supplier) in.Problem("supplier_enterprise_id", "must differ from the buyer");
  CORRIDOR_TRY_STATUS(in.Finish());
  const bool party = caller.role == Role::kEnterpriseUser &&
                     (caller.enterprise_id == buyer || caller.enterprise_id == supplier);
  if (caller.role == Role::kEnterpriseUser && !party) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "an enterprise records only trade it is a party to",
                      {{"/buyer_enterprise_id", "the caller is neither buyer nor supplier"}}});
  }
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM ecosystems WHERE id = ?", ecosystem_id))) {
    return Fail(Error::NotFound("ecosystem"));
  }
  const int64_t buyer_tenant = CORRIDOR_TRY(TenantOfEnterprise(c, buyer, "/buyer_enterprise_id"));
  const int64_t supplier_tenant =
      CORRIDOR_TRY(TenantOfEnterprise(c, supplier, "/supplier_enterprise_id"));
  for (auto [tenant, field] : {std::pair{buyer_tenant, "/buyer_enterprise_id"},
                               std::pair{supplier_tenant, "/supplier_enterprise_id"}}) {
    if (!CORRIDOR_TRY(QueryInt(c,
                               "SELECT 1 FROM ecosystem_members WHERE ecosystem_id = ? AND "
                               "tenant_id = ?",
                               ecosystem_id, tenant))) {
      return Fail(Error::Invalid(field, "is not a member of this ecosystem"));
    }
  }
  const int64_t now = clock_.NowMicros();
  Json record{{"ecosystem_id", ecosystem_id},
              {"kind", kind},
              {"buyer_enterprise_id", buyer},
              {"supplier_enterprise_id", supplier},
              {"amount_fen", amount}};
  const auto entry = CORRIDOR_TRY(AppendLogEntry(c, "ecosystem.trade_recorded", &caller, record,
                                                 {buyer_tenant, supplier_tenant}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO ecosystem_trades (ecosystem_id, kind, buyer_tenant_id, supplier_tenant_id, "
      "amount_fen, recorded_by, recorded_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      ecosystem_id, kind, buyer_tenant, supplier_tenant, amount, caller.user_id, now, entry.index));
  record["id"] = id;
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

Status CheckCoreCap(Connection& c, int64_t enterprise_id, int64_t principal_fen) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT id, name, core_cap_bps FROM ecosystems WHERE core_enterprise_id = ? ORDER BY id",
      enterprise_id));
  while (CORRIDOR_TRY(q.Next())) {
    const int64_t id = q.Int(0), cap = q.Int(2);
    const std::string totals_sql = fmt::format(
        "SELECT coalesce(sum({0}), 0), coalesce(sum(CASE WHEN l.enterprise_id = ? THEN {0} "
        "ELSE 0 END), 0) FROM loans l JOIN enterprises e ON e.id = l.enterprise_id JOIN "
        "ecosystem_members m ON m.tenant_id = e.tenant_id AND m.ecosystem_id = ?",
        internal::kOutstandingPrincipalSql);
    auto t = CORRIDOR_TRY(Query::Make(c, totals_sql, enterprise_id, id));
    CORRIDOR_TRY(t.Next());
    const int64_t total = t.Int(0), core = t.Int(1);
    const Int128 after_core = static_cast<Int128>(core) + principal_fen;
    const Int128 after_total = static_cast<Int128>(total) + principal_fen;
    if (!domain::WithinCoreCap(after_core, after_total, cap)) {
      return Fail(Error::Invalid(
          "/offer_id",
          fmt::format("this loan would lift the core enterprise of ecosystem {} ({}) to {} of "
                      "its outstanding financing, above the {} cap; at most {} fen more can go "
                      "to it now — finance the chain's other members first",
                      id, q.Text(1), Percent(after_core, after_total), Percent(cap, 10'000),
                      domain::CoreCapHeadroom(core, total, cap).value_or(0))));
    }
  }
  return {};
}

// --- reads ---

Result<Json> Ecosystems::List(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireOversight(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT x.id, x.name, x.core_enterprise_id, x.core_cap_bps, "
                                      "(SELECT count(*) FROM ecosystem_members m WHERE "
                                      "m.ecosystem_id = x.id) FROM ecosystems x WHERE x.id > ? "
                                      "ORDER BY x.id LIMIT ?",
                                      page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      return Json{{"id", row.Int(0)},
                  {"name", row.Text(1)},
                  {"core_enterprise_id", row.Int(2)},
                  {"core_cap_bps", row.Int(3)},
                  {"members", row.Int(4)}};
    });
  });
}

Result<Json> Ecosystems::Graph(const Caller& caller, int64_t ecosystem_id,
                               const std::optional<SupplyShock>& shock) {
  CORRIDOR_TRY_STATUS(RequireOversight(caller));
  const Network net = CORRIDOR_TRY(
      store_.Read([&](Connection& c) -> Result<Network> { return LoadNetwork(c, ecosystem_id); }));
  const int n = static_cast<int>(net.nodes.size());
  const auto dr = CORRIDOR_TRY(MakeDebtRank(net));
  const auto defaults = dr.AllSingleDefaults(risk::DebtRankVariant::kOriginal, 1);
  const auto impact = dr.DirectImpact();
  std::vector<int> rank(n);
  {
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return defaults[a].debtrank > defaults[b].debtrank; });
    for (int r = 0; r < n; ++r) rank[order[r]] = r + 1;
  }
  std::map<std::string, risk::TransmittedStress> transmitted;
  if (shock) {
    if (net.Find(shock->node) < 0) {
      return Fail(
          Error::Invalid("/shock", fmt::format("no node {} in this ecosystem", shock->node)));
    }
    std::vector<risk::OrderEdge> orders;
    for (const Link& l : net.links) {
      if (l.kind == "order") {
        orders.push_back(
            {net.nodes[l.from].id, net.nodes[l.to].id, static_cast<double>(l.amount_fen)});
      }
    }
    for (auto& t : CORRIDOR_TRY(risk::StressTransmission(orders, shock->node, shock->drop,
                                                         shock->pass_through, shock->max_tiers))) {
      transmitted[t.node] = t;
    }
  }
  std::vector<int64_t> claims_fen(n, 0), owed_fen(n, 0), degree(n, 0);
  for (const auto& [pair, amount] : Claims(net)) {
    claims_fen[pair.first] += amount;
    owed_fen[pair.second] += amount;
    ++degree[pair.first];
    ++degree[pair.second];
  }
  Json nodes = Json::array();
  Json notes = Json::array();
  for (int i = 0; i < n; ++i) {
    const Node& v = net.nodes[i];
    Json row{{"id", v.id},
             {"kind", v.kind},
             {"name", v.name},
             {"tenant_id", v.tenant_id},
             {"member", v.capital_fen.has_value()},
             {"core", i == net.core},
             {"capital_fen", v.capital_fen ? Json(*v.capital_fen) : Json()},
             {"borrowed_fen", v.borrowed_fen},
             {"claims_fen", claims_fen[i]},
             {"owed_fen", owed_fen[i]},
             {"degree", degree[i]},
             {"direct_impact", impact[i]},
             {"debtrank", defaults[i].debtrank},
             {"debtrank_rank", rank[i]},
             {"defaults_caused", defaults[i].additional_defaults}};
    if (v.enterprise_id) row["enterprise_id"] = *v.enterprise_id;
    if (v.kind == "enterprise" && net.financing_fen > 0) {
      row["financing_share"] =
          static_cast<double>(v.borrowed_fen) / static_cast<double>(net.financing_fen);
    }
    if (shock) {
      if (auto it = transmitted.find(v.id); it != transmitted.end()) {
        row["tier"] = it->second.tier;
        row["order_drop"] = it->second.order_drop;
      }
    }
    if (!v.capital_fen) {
      notes.push_back(
          fmt::format("{} ({}) lends to members but is not a member: its exposure "
                      "is shown, its stress is not measured",
                      v.id, v.name));
    }
    nodes.push_back(std::move(row));
  }
  Json edges = Json::array();
  for (const Link& l : net.links) {
    Json e{{"kind", l.kind},
           {"source", net.nodes[l.from].id},
           {"target", net.nodes[l.to].id},
           {"amount_fen", l.amount_fen}};
    if (l.kind != "order" && net.nodes[l.from].capital_fen) {
      e["impact"] = std::min(1.0, static_cast<double>(l.amount_fen) /
                                      static_cast<double>(*net.nodes[l.from].capital_fen));
    }
    edges.push_back(std::move(e));
  }
  Json eco{{"id", net.id},
           {"name", net.name},
           {"core_cap_bps", net.cap_bps},
           {"financing_fen", net.financing_fen}};
  if (net.core >= 0) {
    const int64_t core = net.nodes[net.core].borrowed_fen;
    eco["core"] = net.nodes[net.core].id;
    eco["core_financing_fen"] = core;
    eco["core_share"] =
        net.financing_fen > 0
            ? Json(static_cast<double>(core) / static_cast<double>(net.financing_fen))
            : Json();
    const auto room = domain::CoreCapHeadroom(core, net.financing_fen, net.cap_bps);
    eco["core_headroom_fen"] = room ? Json(*room) : Json();
  }
  Json out{{"ecosystem", std::move(eco)},
           {"method",
            {{"edges",
              "source → target: the creditor's claim on the debtor (loan: outstanding "
              "principal less the guaranteed part; guarantee: the guaranteed part; "
              "receivable: open receivables) or, for orders, buyer → supplier"},
             {"debtrank",
              "original DebtRank (Battiston et al. 2012) of each node's default "
              "alone, weighted by members' capital"},
             {"direct_impact", "Σ creditors' min(1, claim/capital) × weight"}}},
           {"nodes", std::move(nodes)},
           {"edges", std::move(edges)},
           {"notes", std::move(notes)}};
  if (shock) {
    out["shock"] = {{"node", shock->node},
                    {"drop", shock->drop},
                    {"pass_through", shock->pass_through},
                    {"max_tiers", shock->max_tiers}};
  }
  return out;
}

Result<Json> Ecosystems::Paths(const Caller& caller, int64_t ecosystem_id,
                               const std::string& from) {
  CORRIDOR_TRY_STATUS(RequireOversight(caller));
  const Network net = CORRIDOR_TRY(
      store_.Read([&](Connection& c) -> Result<Network> { return LoadNetwork(c, ecosystem_id); }));
  const int source = net.Find(from);
  if (source < 0)
    return Fail(Error::Invalid("/from", fmt::format("no node {} in this ecosystem", from)));
  const auto dr = CORRIDOR_TRY(MakeDebtRank(net));
  const auto tree = dr.StrongestPaths(source);
  std::vector<double> h0(net.nodes.size(), 0.0);
  h0[source] = 1;
  const auto cascade = CORRIDOR_TRY(dr.Run(h0, risk::DebtRankVariant::kOriginal));
  const auto claims = Claims(net);
  std::map<std::pair<int, int>, std::vector<std::string>> kinds;
  for (const Link& l : net.links) {
    if (l.kind != "order") kinds[{l.from, l.to}].push_back(l.kind);
  }
  Json paths = Json::array();
  Json unreachable = Json::array();
  for (int v = 0; v < static_cast<int>(net.nodes.size()); ++v) {
    const Node& lender = net.nodes[v];
    if (lender.kind == "enterprise" || v == source) continue;
    const auto path = tree.PathTo(v);
    int64_t exposure = 0;
    for (const auto& [pair, amount] : claims) {
      if (pair.first == v) exposure += amount;
    }
    if (path.empty()) {
      unreachable.push_back(lender.id);
      continue;
    }
    Json hops = Json::array();
    for (size_t k = 0; k + 1 < path.size(); ++k) {
      const int debtor = path[k], creditor = path[k + 1];
      const int64_t amount = claims.at({creditor, debtor});
      const auto& cap = net.nodes[creditor].capital_fen;
      hops.push_back({{"debtor", net.nodes[debtor].id},
                      {"creditor", net.nodes[creditor].id},
                      {"kinds", kinds.at({creditor, debtor})},
                      {"amount_fen", amount},
                      {"impact", cap ? Json(std::min(1.0, static_cast<double>(amount) /
                                                              static_cast<double>(*cap)))
                                     : Json()}});
    }
    paths.push_back({{"lender", lender.id},
                     {"name", lender.name},
                     {"kind", lender.kind},
                     {"exposure_fen", exposure},
                     {"strength", tree.strength[v]},
                     {"stress", lender.capital_fen ? Json(cascade.final_stress[v]) : Json()},
                     {"hops", std::move(hops)}});
  }
  // Strongest first (ties in node order).
  std::stable_sort(paths.begin(), paths.end(), [](const Json& a, const Json& b) {
    return a["strength"].get<double>() > b["strength"].get<double>();
  });
  return Json{{"ecosystem_id", ecosystem_id},
              {"from", from},
              {"method",
               "the strongest path: the largest product of impacts min(1, claim/capital) from "
               "the failing node to the lender (a lender without declared capital counts 1); "
               "stress: the lender's stress in the original DebtRank of the node's default"},
              {"debtrank", cascade.debtrank},
              {"paths", std::move(paths)},
              {"unreachable", std::move(unreachable)}};
}

}  // namespace corridor::service
