#pragma once
// Pension finance on the platform (PRODUCT.md §H; seed 000 §二(二), §三(二); docs/pension.md), over
// the pure engines of src/pension/.
//
// Who does what:
//  - The regions' social-insurance agencies (tenants of kind insurer, insurance officers) set their
//    reimbursement policy for their members' care in the other region, record the claims of care
//    they advanced for members insured elsewhere, and run eco-index pension insurance: policies
//    and their yearly assessment from a county's observations.
//  - A pension trust's manager (trustee, trust officers) keeps migratory-bird trusts: members,
//    every movement of the assets, projections.
//  - The bureau settles each period between the insurers, keeps the grassland pension
//    risk-compensation fund (rules, contributions, disasters, top-ups) and reads everything.
//
// Tenancy: an insurer reads the claims it advanced or insures, the settlements it is party to (its
// own obligations and position only) and its own eco policies; a trustee its own trusts; the
// bureau's users everything. Banks, guarantee agencies and enterprises are refused (403). The
// reimbursement policies in force, the fund's state and the eco observations are public to every
// pension party (the insurers fund and settle under them).
//
// The policy ledger: each settlement, trust movement, fund event and eco assessment is an entry of
// the transparency log in the same transaction as the record ("pension.settled",
// "pension.trust_movement", "pension.fund_event", "pension.eco_assessed"), its parties the
// organisations concerned. Money moves are also lines of the double-entry ledger.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "pension/trust.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

// A trust projection as the API and the trust-projection calc model answer it.
Json TrustProjectionJson(const pension::TrustProjection& p, bool stochastic);

class PensionFinance {
 public:
  PensionFinance(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- cross-region settlement ---
  Result<Response> SetPolicy(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> RecordClaim(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> Settle(store::Connection& c, const Caller& caller, const Json& body);
  Result<Json> Policies(const Caller& caller);
  // ?period=YYYY-MM filters; an insurer sees the claims it advanced or insures.
  Result<Json> ListClaims(const Caller& caller, std::optional<std::string> period,
                          const Page& page);
  Result<Json> ListSettlements(const Caller& caller, const Page& page);
  Result<Json> GetSettlement(const Caller& caller, int64_t id);

  // --- migratory-bird trusts ---
  Result<Response> CreateTrust(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> AddMembers(store::Connection& c, const Caller& caller, int64_t trust_id,
                              const Json& body);
  Result<Response> RecordMovement(store::Connection& c, const Caller& caller, int64_t trust_id,
                                  const Json& body);
  Result<Json> ListTrusts(const Caller& caller, const Page& page);
  Result<Json> GetTrust(const Caller& caller, int64_t trust_id);
  Result<Json> ListMembers(const Caller& caller, int64_t trust_id, const Page& page);
  Result<Json> ListMovements(const Caller& caller, int64_t trust_id, const Page& page);
  struct ProjectionRequest {
    int years = 50;
    std::optional<int64_t> interest_bps;  // the trust's own rate when absent
    int scenarios = 0;                    // 0: deterministic only
    int64_t mean_return_bps = 400, volatility_bps = 1'000;
    uint64_t seed = 1;
  };
  // The active members as of this year (their age from their birth year), the trust's assets.
  Result<Json> Project(const Caller& caller, int64_t trust_id, const ProjectionRequest& request);

  // --- the grassland pension risk-compensation fund ---
  Result<Response> SetFundRules(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> RecordFundEvent(store::Connection& c, const Caller& caller, const Json& body);
  Result<Json> Fund(const Caller& caller);
  Result<Json> ListFundEvents(const Caller& caller, const Page& page);

  // --- eco-index pension insurance ---
  Result<Response> RecordObservation(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> CreateEcoPolicy(store::Connection& c, const Caller& caller, const Json& body);
  // Assesses every policy of the insurer in the county for the year, from that year's observation.
  Result<Response> Assess(store::Connection& c, const Caller& caller, const Json& body);
  Result<Json> ListObservations(const Caller& caller, const Page& page);
  Result<Json> ListEcoPolicies(const Caller& caller, const Page& page);
  Result<Json> ListAssessments(const Caller& caller, std::optional<int64_t> policy_id,
                               const Page& page);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace corridor::service
