#include "service/kernel/kernel.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;

namespace internal {

Json PageOf(Json items, int64_t last_id, const Page& page) {
  const bool full = static_cast<int64_t>(items.size()) == page.limit;
  Json next = nullptr;
  if (full)
    next = page.encode_cursor != nullptr ? Json(page.encode_cursor(last_id)) : Json(last_id);
  return Json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

Status BumpStats(Connection& c, int64_t registered, int64_t verified, int64_t deals,
                 int64_t amount_fen) {
  CORRIDOR_TRY(Execute(c,
                       "UPDATE platform_stats SET registered = registered + ?, verified = verified "
                       "+ ?, deals = deals + ?, amount_financed_fen = amount_financed_fen + ? "
                       "WHERE id = 1",
                       registered, verified, deals, amount_fen));
  return {};
}

Status AddLedger(Connection& c, std::optional<int64_t> loan_id, std::string_view kind,
                 std::string_view debit, std::string_view credit, int64_t amount_fen,
                 int64_t now_micros) {
  if (amount_fen <= 0) return {};
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO ledger_entries (loan_id, kind, debit_account, credit_account, "
                       "amount_fen, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       loan_id, kind, debit, credit, amount_fen, now_micros));
  return {};
}

bool Sees(const Caller& caller, int64_t bank_tenant_id, int64_t enterprise_id,
          std::optional<int64_t> guarantor_tenant_id) {
  switch (caller.tenant_kind) {
    case TenantKind::kBank:
      return bank_tenant_id == caller.tenant_id;
    case TenantKind::kEnterprise:
      return enterprise_id == caller.enterprise_id;
    case TenantKind::kGuarantor:
      return guarantor_tenant_id == caller.tenant_id;
    case TenantKind::kInsurer:
    case TenantKind::kTrustee:
      return false;
    case TenantKind::kBureau:
      return true;
  }
  return false;
}

Result<bool> CanSeeLoan(Connection& c, const Caller& caller, int64_t loan_id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT l.bank_tenant_id, l.enterprise_id, g.guarantor_tenant_id FROM loans l "
                  "LEFT JOIN guarantees g ON g.loan_id = l.id WHERE l.id = ?",
                  loan_id));
  if (!CORRIDOR_TRY(q.Next())) return false;
  return Sees(caller, q.Int(0), q.Int(1), q.OptInt(2));
}

}  // namespace internal

Status RequireLendingParty(const Caller& caller) {
  switch (caller.tenant_kind) {
    case TenantKind::kBureau:
    case TenantKind::kBank:
    case TenantKind::kGuarantor:
    case TenantKind::kEnterprise:
      return {};
    case TenantKind::kInsurer:
    case TenantKind::kTrustee:
      break;
  }
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "the marketplace and the loan book are for the bureau, banks, guarantee "
                    "agencies and enterprises",
                    {}});
}

Status RequireRole(const Caller& caller, std::initializer_list<Role> roles) {
  for (Role r : roles) {
    if (caller.role == r) return {};
  }
  std::string names;
  for (Role r : roles) {
    if (!names.empty()) names += ", ";
    names += ToString(r);
  }
  return Fail(Error{ErrorCode::kPermissionDenied, "this action is for: " + names, {}});
}

// ---------------------------------------------------------------------------------------------
// Idempotent write transactions

Result<Response> Transactions::Mutate(const Caller* caller,
                                      const std::optional<std::string>& idempotency_key,
                                      std::string_view request_fingerprint, const WriteOp& op) {
  const std::string scope = caller != nullptr ? fmt::format("u{}", caller->user_id) : "public";
  auto result = store_.Write([&](Connection& c) -> Result<Response> {
    if (idempotency_key) {
      auto q = CORRIDOR_TRY(Query::Make(
          c, "SELECT request_hash, status, body FROM idempotency_keys WHERE scope = ? AND key = ?",
          scope, *idempotency_key));
      if (CORRIDOR_TRY(q.Next())) {
        if (q.Text(0) != request_fingerprint) {
          return Fail(Error{ErrorCode::kIdempotencyMismatch,
                            "this Idempotency-Key was used for a different request",
                            {{"/Idempotency-Key", "already used for a different request"}}});
        }
        return Response{static_cast<int>(q.Int(1)), Json::parse(q.Text(2)), true};
      }
    }
    Response response = CORRIDOR_TRY(op(c));
    if (idempotency_key) {
      CORRIDOR_TRY(Execute(c,
                           "INSERT INTO idempotency_keys (scope, key, request_hash, status, body, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           scope, *idempotency_key, request_fingerprint, response.status,
                           response.body.dump(), clock_.NowMicros()));
    }
    return response;
  });
  if (result && result->after_commit) result->after_commit();
  return result;
}

}  // namespace corridor::service
