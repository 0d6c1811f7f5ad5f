#pragma once
// The service kernel: what every context of the platform shares and nothing else.
//
//  - Transactions::Mutate, the one write path: a use case runs inside one store transaction, and
//    the request's Idempotency-Key is recorded in that same transaction, so a retried POST replays
//    the stored answer and creates nothing twice.
//  - Response and Page, the shapes a use case returns and reads lists by.
//  - Role and tenant checks (RequireRole, IsOversight, Sees, CanSeeLoan).
//  - Rows more than one context writes or reads: the ledger, the platform statistics, the loan
//    book's outstanding-principal and unpaid-installment conditions.
//
// Contexts (marketplace, lending, ecosystems, green, registry, evaluation, analyses) include this
// header and each other's public headers only. Thread-safe: all state is in the store.
#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/input.hpp"
#include "store/db.hpp"

namespace corridor::service {

// What a use case answers: a JSON document or pre-rendered text, and what to do once the
// transaction committed. Use cases say nothing of HTTP: the API sets `status` from its route table
// (201 for a creation, 202 for accepted work), and a replay carries the status it recorded.
struct Response {
  Response() = default;
  explicit Response(Json json) : body(std::move(json)) {}
  Response(int status_code, Json json, bool was_replayed = false)
      : status(status_code), body(std::move(json)), replayed(was_replayed) {}

  int status = 200;
  Json body;
  bool replayed = false;     // served from the idempotency record
  std::string text;          // pre-rendered body; used instead of `body` when not empty
  std::string content_type;  // of `text`; JSON when empty
  // Runs after the write transaction committed (never on a rollback or a replay): a context's
  // cache of what the write changed is invalidated here.
  std::function<void()> after_commit;
};

// A page of a list as the caller asked for it. The cursor's text is the API's business
// (api/cursor.hpp): the API decodes it into `after_id` and lends its encoder, which writes the
// next page's cursor from the last id of a full page. Without an encoder that id is written as a
// number.
struct Page {
  using CursorEncoder = std::string (*)(int64_t last_id);
  std::optional<int64_t> after_id;  // from the opaque cursor
  int64_t limit = 50;
  bool newest_first = false;  // ?order=newest: descending ids, the cursor bounds from above
  CursorEncoder encode_cursor = nullptr;
};

class Transactions {
 public:
  Transactions(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  using WriteOp = std::function<Result<Response>(store::Connection&)>;
  // Runs `op` in one write transaction. With an idempotency key, a repeat of the same request
  // (same caller, key and fingerprint) replays the first response; the same key with another
  // fingerprint fails with kIdempotencyMismatch.
  Result<Response> Mutate(const Caller* caller, const std::optional<std::string>& idempotency_key,
                          std::string_view request_fingerprint, const WriteOp& op);

 private:
  store::Store& store_;
  const Clock& clock_;
};

// Role check: PermissionDenied naming the roles that may.
Status RequireRole(const Caller& caller, std::initializer_list<Role> roles);
// The marketplace and the loan book (enterprises, needs, offers, loans, guarantees, scores) are
// the lending parties': the bureau, banks, guarantee agencies and enterprises. Organisations that
// joined for other work (insurers, trust managers) are refused, whatever their role.
Status RequireLendingParty(const Caller& caller);

namespace internal {

// An installment `i` the borrower has not paid in full: its part is the payment less the
// interest a subsidy covers (entrepreneurship loans), as Repay() settles it.
inline constexpr std::string_view kUnpaidInstallmentSql =
    "i.paid_fen < i.payment_fen - i.subsidy_interest_fen";
// The outstanding principal of loan `l`: the principal of its installments not paid in full.
inline constexpr std::string_view kOutstandingPrincipalSql =
    "(SELECT coalesce(sum(i.principal_fen), 0) FROM installments i WHERE i.loan_id = l.id AND "
    "i.paid_fen < i.payment_fen - i.subsidy_interest_fen)";

// Scalar helpers for single-row queries.
template <typename... Args>
Result<std::optional<int64_t>> QueryInt(store::Connection& c, std::string_view sql,
                                        const Args&... args) {
  auto q = CORRIDOR_TRY(store::Query::Make(c, sql, args...));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<int64_t>();
  return q.OptInt(0);
}

// {"items": [...], "next_cursor": ...|null}: next_cursor is set when the page is full.
Json PageOf(Json items, int64_t last_id, const Page& page);

// Steps a list query whose first column is the id the cursor follows, mapping each row with
// `row_to_json`, and returns the page.
template <typename RowFn>
Result<Json> CollectPage(store::Query& q, const Page& page, RowFn row_to_json) {
  Json items = Json::array();
  int64_t last = 0;
  while (CORRIDOR_TRY(q.Next())) {
    items.push_back(row_to_json(q));
    last = q.Int(0);
  }
  return PageOf(std::move(items), last, page);
}

// A page's keyset condition on `column` ("e.id > ?" ascending, "e.id < ?" newest first), its
// ORDER BY, and the bound to bind to the condition's parameter.
struct Keyset {
  std::string where;
  std::string order;
  int64_t bound;
};
inline Keyset KeysetOf(const Page& page, std::string_view column) {
  if (page.newest_first) {
    return {fmt::format("{} < ?", column), fmt::format("{} DESC", column),
            page.after_id.value_or(std::numeric_limits<int64_t>::max())};
  }
  return {fmt::format("{} > ?", column), std::string(column), page.after_id.value_or(0)};
}

// A page of `select_from` ("SELECT columns FROM ...", the id the cursor follows first among the
// columns) of the rows that meet `where`, whose parameters are `args`: the keyset on `id_column`,
// the order the page asks for and its limit, each row mapped by `row_to_json`.
template <typename RowFn, typename... Args>
Result<Json> ReadPage(store::Connection& c, const Page& page, std::string_view select_from,
                      std::string_view id_column, std::string_view where, RowFn row_to_json,
                      const Args&... args) {
  const Keyset k = KeysetOf(page, id_column);
  auto q = CORRIDOR_TRY(store::Query::Make(
      c,
      fmt::format("{} WHERE {} AND ({}) ORDER BY {} LIMIT ?", select_from, k.where, where, k.order),
      k.bound, args..., page.limit));
  return CollectPage(q, page, row_to_json);
}

// The bureau's users (administrators, its risk analysts, auditors) read across tenants; a bank's
// risk analyst reads its own bank's book only (Caller::platform()).
inline bool IsOversight(const Caller& caller) { return caller.platform(); }

// Whether the caller's organisation is a party to a loan: its bank, its borrower or its
// guarantor; the bureau sees every loan.
bool Sees(const Caller& caller, int64_t bank_tenant_id, int64_t enterprise_id,
          std::optional<int64_t> guarantor_tenant_id);
Result<bool> CanSeeLoan(store::Connection& c, const Caller& caller, int64_t loan_id);

// The platform's published counters (registered, verified, deals, amount financed).
Status BumpStats(store::Connection& c, int64_t registered, int64_t verified, int64_t deals,
                 int64_t amount_fen);
// One double-entry ledger line; nothing is written for a zero amount.
Status AddLedger(store::Connection& c, std::optional<int64_t> loan_id, std::string_view kind,
                 std::string_view debit, std::string_view credit, int64_t amount_fen,
                 int64_t now_micros);

}  // namespace internal
}  // namespace corridor::service
