#pragma once
// Marketplace: the use cases of the credit-matching platform (信易贷) — enterprises, the product
// and project catalogues, financing needs and matching, offers, loan booking with schedules,
// guarantees and interest subsidies, repayments, whitelists, LPR and platform statistics.
//
// Each write use case runs inside one store transaction handed to it by Mutate(), which also
// records the Idempotency-Key of the request in that same transaction: a retried POST replays
// the stored response and creates nothing twice. Reads open their own read transaction.
//
// Guarantees ("three-in-one"): the bank asks a guarantee agency to cover a share of an accepted
// offer; the agency approves or declines; only an approved request can back a booking, and it is
// used once.
//
// Tenant isolation: a record of another tenant answers NotFound, exactly like a missing one.
// Banks see only their own offers, loans and guarantees; an enterprise sees its own data and the
// offers made to it; guarantors see the loans they guarantee; the bureau, risk analysts and
// auditors see everything read-only except where a rule names the bureau.
//
// Results are JSON documents in the shape of the HTTP API (see api/openapi.cpp). Thread-safe:
// all state is in the store.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "service/auth.hpp"
#include "service/input.hpp"
#include "store/db.hpp"

namespace corridor::service {

struct Response {
  Response() = default;
  Response(int status_code, Json json, bool was_replayed = false)
      : status(status_code), body(std::move(json)), replayed(was_replayed) {}

  int status = 200;
  Json body;
  bool replayed = false;           // served from the idempotency record
  std::string text;                // pre-rendered body; used instead of `body` when not empty
  std::string content_type;        // of `text`; JSON when empty
  bool catalogue_changed = false;  // invalidates the cached product catalogue after commit
};

struct Page {
  std::optional<int64_t> after_id;  // from the opaque cursor
  int64_t limit = 50;
  bool newest_first = false;  // ?order=newest: descending ids, the cursor bounds from above
};

// Cursor encoding shared by every list endpoint.
std::string EncodeCursor(int64_t id);
Result<int64_t> DecodeCursor(std::string_view cursor);

class Marketplace {
 public:
  Marketplace(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  store::Store& store() { return store_; }
  const Clock& clock() const { return clock_; }

  using WriteOp = std::function<Result<Response>(store::Connection&)>;
  // Runs `op` in one write transaction. With an idempotency key, a repeat of the same request
  // (same caller, key and fingerprint) replays the first response; the same key with another
  // fingerprint fails with kIdempotencyMismatch.
  Result<Response> Mutate(const Caller* caller, const std::optional<std::string>& idempotency_key,
                          std::string_view request_fingerprint, const WriteOp& op);

  // --- writes (inside Mutate) ---
  Result<Response> RegisterEnterprise(store::Connection& c, const Json& body);
  Result<Response> VerifyEnterprise(store::Connection& c, const Caller& caller, int64_t id);
  Result<Response> PutCreditProfile(store::Connection& c, const Caller& caller, int64_t id,
                                    const Json& body);
  Result<Response> CreateTenant(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateUser(store::Connection& c, const Caller& caller, int64_t tenant_id,
                              const Json& body);
  Result<Response> CreateProduct(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateProject(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateNeed(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateOffer(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> DecideOffer(store::Connection& c, const Caller& caller, int64_t id, bool accept);
  Result<Response> RequestGuarantee(store::Connection& c, const Caller& caller, int64_t offer_id,
                                    const Json& body);
  Result<Response> DecideGuaranteeRequest(store::Connection& c, const Caller& caller, int64_t id,
                                          bool approve);
  Result<Response> BookLoan(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> Repay(store::Connection& c, const Caller& caller, int64_t loan_id,
                         const Json& body);
  Result<Response> PutLpr(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> PutSetting(store::Connection& c, const Caller& caller, std::string_view key,
                              const Json& body);
  Result<Response> CreateSubsidyProgram(store::Connection& c, const Caller& caller,
                                        const Json& body);
  Result<Response> PaySubsidy(store::Connection& c, const Caller& caller, int64_t program_id,
                              const Json& body);
  Result<Response> CreateWhitelist(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> AddWhitelistMember(store::Connection& c, const Caller& caller,
                                      int64_t whitelist_id, const Json& body);

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
  // JSON text: the hot read paths render directly, without a document tree.
  Result<std::string> GetLoan(const Caller& caller, int64_t id);
  Result<Json> ListLoans(const Caller& caller, const Page& page);
  Result<Json> ListGuarantees(const Caller& caller, const Page& page);
  Result<Json> ListGuaranteeRequests(const Caller& caller, const Page& page);
  Result<Json> ListLpr(const Page& page);
  Result<Json> ListSubsidyPrograms(const Caller& caller, const Page& page);
  Result<Json> ListSubsidyPayments(const Caller& caller, int64_t program_id, const Page& page);
  Result<Json> ListWhitelistMembers(const Caller& caller, int64_t whitelist_id, const Page& page);

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

// Role check: PermissionDenied naming the roles that may.
Status RequireRole(const Caller& caller, std::initializer_list<Role> roles);

}  // namespace corridor::service
