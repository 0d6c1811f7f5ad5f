// Supply-chain ecosystem routes: members and trades, the risk graph and paths, risk pools.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

namespace {
// ?shock=NODE&drop=&pass_through=&max_tiers= of the ecosystem graph.
Result<std::optional<service::SupplyShock>> ShockParams(const Target& t) {
  if (!t.HasParam("shock")) return std::optional<service::SupplyShock>();
  service::SupplyShock s;
  s.node = std::string(t.Param("shock"));
  if (!t.HasParam("drop")) return Fail(Error::Invalid("/drop", "is required with shock"));
  s.drop = CORRIDOR_TRY(NumberParam(t, "drop", 0, 1, 0));
  s.pass_through = CORRIDOR_TRY(NumberParam(t, "pass_through", 0, 1, 1));
  if (t.HasParam("max_tiers")) {
    const uint64_t tiers = CORRIDOR_TRY(ParseCount(t.Param("max_tiers"), "/max_tiers"));
    if (tiers < 1 || tiers > 20) return Fail(Error::Invalid("/max_tiers", "must be 1 to 20"));
    s.max_tiers = static_cast<int>(tiers);
  }
  return std::optional<service::SupplyShock>(s);
}

}  // namespace

void AddEcosystems(Table& t) {
  // Supply-chain ecosystems: the risk graph, risk paths, the core cap, risk pools.
  t.Write("POST", "/api/v1/ecosystems", "Create an ecosystem around a core enterprise (bureau)",
          Schema({{"name", Prop("string")},
                  {"core_enterprise_id", Prop("integer")},
                  {"core_capital_fen", Prop("integer", "the core's equity, for the risk measures")},
                  {"core_cap_bps", Prop("integer",
                                        "the core's cap on the ecosystem's financing; "
                                        "default 3000 (30%)")}},
                 {"name", "core_enterprise_id", "core_capital_fen"}),
          [](Conn& c, const C& x) { return x.app->ecosystems().Create(c, *x.caller, *x.body); });
  t.Get("/api/v1/ecosystems", "The ecosystems", true, [](const C& x) {
     return Ok(x.app->ecosystems().List(*x.caller, x.page));
   }).Returns(schemas::Page(schemas::Ecosystem()));
  t.Write("POST", "/api/v1/ecosystems/{id}/members",
          "Add an enterprise (enterprise_id) or a bank or guarantee agency (tenant_id) with its "
          "capital (bureau)",
          Schema({{"enterprise_id", Prop("integer")},
                  {"tenant_id", Prop("integer")},
                  {"capital_fen", Prop("integer")}},
                 {"capital_fen"}),
          [](Conn& c, const C& x) {
            return x.app->ecosystems().AddMember(c, *x.caller, x.id(), *x.body);
          });
  t.Write("POST", "/api/v1/ecosystems/{id}/trades",
          "Record an order (buyer → supplier) or an open receivable between members (bureau or a "
          "party to it)",
          Schema({{"kind", Prop("string", "order | receivable")},
                  {"buyer_enterprise_id", Prop("integer")},
                  {"supplier_enterprise_id", Prop("integer")},
                  {"amount_fen", Prop("integer")}},
                 {"kind", "buyer_enterprise_id", "supplier_enterprise_id", "amount_fen"}),
          [](Conn& c, const C& x) {
            return x.app->ecosystems().RecordTrade(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/ecosystems/{id}/graph",
        "The risk graph: nodes with DebtRank, impact and financing share, edges with amounts; "
        "?shock=NODE&drop=0.4[&pass_through=1&max_tiers=3] adds each node's order drop",
        false, [](const C& x) -> Result<Response> {
          const auto shock = ShockParams(*x.target);
          if (!shock) return Fail(shock.error());
          return Ok(x.app->ecosystems().Graph(*x.caller, x.id(), *shock));
        });
  t.Get("/api/v1/ecosystems/{id}/paths",
        "The strongest risk path from ?from=NODE's default to each lender, with the amounts", false,
        [](const C& x) -> Result<Response> {
          if (!x.target->HasParam("from")) return Fail(Error::Invalid("/from", "is required"));
          return Ok(
              x.app->ecosystems().Paths(*x.caller, x.id(), std::string(x.target->Param("from"))));
        });
  t.Write(
      "POST", "/api/v1/risk-pools",
      "Open a risk pool account (bureau): compensation_pool, reserve_pool, rnd_failure_fund "
      "or rnd_insurance",
      Schema(
          {{"name", Prop("string")}, {"scheme", Prop("string")}, {"ecosystem_id", Prop("integer")}},
          {"name", "scheme"}),
      [](Conn& c, const C& x) { return x.app->ecosystems().CreatePool(c, *x.caller, *x.body); });
  t.Get("/api/v1/risk-pools", "The risk pools and their balances", true, [](const C& x) {
     return Ok(x.app->ecosystems().ListPools(*x.caller, x.page));
   }).Returns(schemas::Page(schemas::RiskPool()));
  t.Get("/api/v1/risk-pools/{id}", "A risk pool with every funding and draw", false,
        [](const C& x) { return Ok(x.app->ecosystems().GetPool(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/risk-pools/{id}/fundings",
          "Fund a pool (bureau), split by its scheme's shares to the fen, logged",
          Schema({{"amount_fen", Prop("integer")},
                  {"party", Prop("string", "the funder, for pools without fixed shares")},
                  {"note", Prop("string")}},
                 {"amount_fen"}),
          [](Conn& c, const C& x) {
            return x.app->ecosystems().FundPool(c, *x.caller, x.id(), *x.body);
          });
  t.Write(
      "POST", "/api/v1/risk-pools/{id}/draws",
      "Draw a loss on a pool (bureau): its share by the scheme, never beyond the balance, logged",
      Schema(
          {{"loss_fen", Prop("integer")}, {"loan_id", Prop("integer")}, {"note", Prop("string")}},
          {"loss_fen"}),
      [](Conn& c, const C& x) {
        return x.app->ecosystems().DrawPool(c, *x.caller, x.id(), *x.body);
      });
}

}  // namespace corridor::api::routes
