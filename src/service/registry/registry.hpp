#pragma once
// Registry: orders, invoices, logistics documents, receivables and equipment registered once,
// pledged and transferred in registration order, and settled on delivery; every act an entry of
// the transparency log, sequenced in the same transaction as the state it records.
//
// A document is identified by its normalized identity (type, document type, debtor and
// creditor USCC, document number, amount, due date); the same document under another amount
// or due date is the same document too. Registering it again fails with 409 naming the first
// registration's log index, and so does pledging an asset that already carries an active
// pledge. Priority between claims follows registration order (Civil Code art. 768), and the
// registry is a public notice: banks and oversight roles read every asset, enterprises those
// they are a party to.
//
// Writes run inside Transactions::Mutate (idempotency); reads open their own transaction.
// Thread-safe.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service {

// Document numbers compare after normalization: full-width ASCII folded to ASCII, letters upper-
// cased, spaces and the separators - _ / . removed ("ＩＮＶ-2026 001" == "inv2026001").
std::string NormalizeDocumentNumber(std::string_view number);

// For the contexts that finance registered assets (the supply-chain products): an asset's
// identity and state, read and pledged inside the caller's transaction, so that the registry's
// one active pledge per asset holds across every product, whatever the interleaving.
struct RegisteredAsset {
  int64_t id = 0;
  std::string type, debtor_uscc, creditor_uscc, document_number, status;
  int64_t amount_fen = 0, holder_tenant_id = 0, entry_index = 0;
  std::optional<Date> due_date;
};
Result<std::optional<RegisteredAsset>> FindRegisteredAsset(store::Connection& c, int64_t id);

struct PledgeRef {
  int64_t pledge_id = 0;
  LogEntryRef entry;
};
// Pledges asset `asset_id` to `pledgee_tenant_id` for `amount_fen` (at most the asset's amount),
// logged as "<type>.<action>" with `detail`'s members added to the entry. Conflict, naming the
// log index of the pledge that has priority, when one is active; Conflict for a settled asset or
// a logistics document.
Result<PledgeRef> PledgeRegisteredAsset(store::Connection& c, const Caller& actor, int64_t asset_id,
                                        int64_t pledgee_tenant_id, int64_t amount_fen,
                                        std::string_view action, const Json& detail,
                                        int64_t now_micros);
// Releases active pledge `pledge_id` (whoever holds it: the caller checks), logged as
// "<type>.<action>".
Result<LogEntryRef> ReleaseRegisteredPledge(store::Connection& c, const Caller& actor,
                                            int64_t pledge_id, std::string_view action,
                                            const Json& detail, int64_t now_micros);

class Registry {
 public:
  Registry(store::Store& store, const Clock& clock, TransparencyLog& log)
      : store_(store), clock_(clock), log_(log) {}

  // --- writes (inside Transactions::Mutate) ---
  Result<Response> RegisterAsset(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> Pledge(store::Connection& c, const Caller& caller, int64_t asset_id,
                          const Json& body);
  Result<Response> Transfer(store::Connection& c, const Caller& caller, int64_t asset_id,
                            const Json& body);
  Result<Response> ReleasePledge(store::Connection& c, const Caller& caller, int64_t claim_id);
  // The buyer confirms delivery of an order: every receivable financed against it is settled,
  // the lender paid first and the rest to the supplier, in this one transaction.
  Result<Response> ConfirmDelivery(store::Connection& c, const Caller& caller, int64_t order_id);

  // --- reads ---
  Result<Json> GetAsset(const Caller& caller, int64_t id);
  Result<Json> ListAssets(const Caller& caller, const Page& page);
  Result<Json> GetEntry(const Caller& caller, uint64_t index);

  TransparencyLog& log() { return log_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  TransparencyLog& log_;
};

}  // namespace corridor::service
