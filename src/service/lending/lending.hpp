#pragma once
// Lending: what happens after an offer is accepted — booking the loan with its schedule,
// guarantee and ledger in one transaction; repayments; guarantee requests ("three-in-one": the
// bank asks a guarantee agency to cover a share of an accepted offer, the agency approves or
// declines, and only an approved request backs a booking, once); interest-subsidy programmes;
// and the terms lending runs on (the LPR table, the city's settings, ecosystem whitelists).
//
// Banks see only their own loans and guarantees; an enterprise its own; guarantors the loans
// they guarantee; the bureau's users everything. A record of another tenant answers NotFound,
// exactly like a missing one. Writes run inside Transactions::Mutate; thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "service/kernel/kernel.hpp"

namespace corridor::service {

class Lending {
 public:
  Lending(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Mutate) ---
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
};

}  // namespace corridor::service
