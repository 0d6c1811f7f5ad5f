#pragma once
// Marketplace: the credit-matching platform (信易贷) up to the accepted offer — onboarding banks,
// guarantee agencies and their users; enterprises with real-name verification and the shared-data
// credit profile; the product and project catalogues; financing needs, matching with reasons,
// offers and their acceptance; and the platform's statistics. Lending takes over from the
// accepted offer (service/lending/).
//
// Tenant isolation: a record of another tenant answers NotFound, exactly like a missing one; an
// enterprise sees its own data and the offers made to it; banks their own offers; the bureau,
// risk analysts and auditors see everything read-only except where a rule names the bureau.
//
// Results are JSON documents in the shape of the HTTP API. Writes run inside
// Transactions::Mutate; thread-safe: all state is in the store but the catalogue's page cache.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "service/kernel/kernel.hpp"

namespace corridor::service {

class Marketplace {
 public:
  Marketplace(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Mutate) ---
  Result<Response> RegisterEnterprise(store::Connection& c, const Json& body);
  Result<Response> VerifyEnterprise(store::Connection& c, const Caller& caller, int64_t id);
  Result<Response> PutCreditProfile(store::Connection& c, const Caller& caller, int64_t id,
                                    const Json& body);
  Result<Response> PutAgriProfile(store::Connection& c, const Caller& caller, int64_t id,
                                  const Json& body);
  Result<Response> CreateTenant(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateUser(store::Connection& c, const Caller& caller, int64_t tenant_id,
                              const Json& body);
  Result<Response> CreateProduct(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateProject(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateNeed(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateOffer(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> DecideOffer(store::Connection& c, const Caller& caller, int64_t id, bool accept);

  // --- reads ---
  Result<Json> Stats();
  // Who the caller is: user, role, organisation (and its enterprise), for a client's menu.
  Result<Json> Session(const Caller& caller);
  // Loans by bank, industry, division and start month, and enterprises by division: the
  // whole platform for the bureau, its own book for a bank; refused to anyone else.
  Result<Json> StatsBreakdown(const Caller& caller);
  Result<Json> GetEnterprise(const Caller& caller, int64_t id);
  Result<Json> ListEnterprises(const Caller& caller, const Page& page,
                               std::optional<std::string> status);
  Result<std::string> ListProducts(const Page& page);
  Result<Json> GetProduct(int64_t id);
  Result<Json> ListProjects(const Page& page);
  Result<Json> GetNeed(const Caller& caller, int64_t id);
  Result<Json> ListNeeds(const Caller& caller, const Page& page);
  Result<Json> MatchNeed(const Caller& caller, int64_t id);
  Result<Json> GetOffer(const Caller& caller, int64_t id);
  Result<Json> ListOffers(const Caller& caller, const Page& page);

 private:
  store::Store& store_;
  const Clock& clock_;
  // Rendered catalogue pages by (after_id, limit), valid while their generation is current.
  // The generation is bumped after a product write commits, so a page read before the bump is
  // never served after it.
  std::atomic<uint64_t> catalogue_generation_{0};
  std::mutex catalogue_mu_;
  std::map<std::pair<int64_t, int64_t>, std::pair<uint64_t, std::shared_ptr<const std::string>>>
      catalogue_cache_;  // guarded by catalogue_mu_
};

}  // namespace corridor::service
