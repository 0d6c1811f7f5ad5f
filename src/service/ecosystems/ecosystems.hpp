#pragma once
// Supply-chain ecosystems and their risk (seed 002 §4.4, PRODUCT.md §E).
//
// An ecosystem has a core enterprise and members: enterprises, banks and guarantee agencies, each
// with the capital (equity, fen) its losses are measured against. Its graph is built from the
// platform's own records: orders and receivables recorded among members, and the outstanding
// loans and guarantees of any bank or guarantor to member enterprises (a lender that is not a
// member appears without capital: its exposure is shown, its stress is not measured).
//
// Claims, for the risk measures: a bank on its borrower (outstanding principal), a guarantor on
// the guaranteed borrower (its share of that principal), a supplier on its buyer (open
// receivables). Orders (buyer → supplier) carry no claim; they carry supply-chain stress.
//
// Rules:
//  - the core enterprise's share of the ecosystem's outstanding financing may not exceed
//    core_cap_bps (default 3,000 = 30%); BookLoan refuses a loan that would lift it above
//    (CheckCoreCap), naming the ecosystem, the share it would reach and the headroom left;
//  - risk pools are accounts: funded and drawn by the bureau, split by the platform's sharing
//    schemes to the fen (risk/contagion RiskSharing), never overdrawn, every movement logged in
//    the policy ledger.
//
// Reads are for the oversight roles (bureau, risk analysts, auditors): the graph holds every
// member's loans.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

// A supply-chain shock for the graph: `drop` (0 to 1) of the node's orders, passed upstream
// with `pass_through` for at most `max_tiers` tiers.
struct SupplyShock {
  std::string node;
  double drop = 0;
  double pass_through = 1;
  int max_tiers = 3;
};

class Ecosystems {
 public:
  Ecosystems(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Transactions::Mutate), bureau only unless said ---
  Result<Response> Create(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> AddMember(store::Connection& c, const Caller& caller, int64_t ecosystem_id,
                             const Json& body);
  // Bureau, or an enterprise user of the buyer or the supplier.
  Result<Response> RecordTrade(store::Connection& c, const Caller& caller, int64_t ecosystem_id,
                               const Json& body);
  Result<Response> CreatePool(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> FundPool(store::Connection& c, const Caller& caller, int64_t pool_id,
                            const Json& body);
  Result<Response> DrawPool(store::Connection& c, const Caller& caller, int64_t pool_id,
                            const Json& body);

  // --- reads ---
  Result<Json> List(const Caller& caller, const Page& page);
  // Nodes with their risk measures and edges; with a shock, each node's order drop and tier.
  Result<Json> Graph(const Caller& caller, int64_t ecosystem_id,
                     const std::optional<SupplyShock>& shock);
  // The strongest risk path from `from`'s default to each lender, with the amounts along it.
  Result<Json> Paths(const Caller& caller, int64_t ecosystem_id, const std::string& from);
  Result<Json> ListPools(const Caller& caller, const Page& page);
  Result<Json> GetPool(const Caller& caller, int64_t pool_id);

 private:
  store::Store& store_;
  const Clock& clock_;
};

// Refuses (Invalid on /offer_id) a new loan of `principal_fen` to `enterprise_id` that would lift
// it, as the core of an ecosystem, above that ecosystem's cap. Runs inside BookLoan's
// transaction.
Status CheckCoreCap(store::Connection& c, int64_t enterprise_id, int64_t principal_fen);

}  // namespace corridor::service
