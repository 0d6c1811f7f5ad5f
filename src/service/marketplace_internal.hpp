#pragma once
// Helpers shared by the marketplace's translation units. Not part of the service's interface.
#include <fmt/format.h>

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "service/marketplace.hpp"

namespace corridor::service::internal {

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

// {"items": [...], "next_cursor": "..."|null}: next_cursor is set when the page is full.
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

// The bureau's users (administrators, its risk analysts, auditors) read across tenants; a bank's
// risk analyst reads its own bank's book only (Caller::platform()).
inline bool IsOversight(const Caller& caller) { return caller.platform(); }

// The loan as JSON text; with a viewer, a loan the viewer may not see is NotFound.
Result<std::string> LoanText(store::Connection& c, int64_t loan_id, Date today,
                             const Caller* viewer);
bool Sees(const Caller& caller, int64_t bank_tenant_id, int64_t enterprise_id,
          std::optional<int64_t> guarantor_tenant_id);
Result<Json> LoanJson(store::Connection& c, int64_t loan_id, Date today);
Result<bool> CanSeeLoan(store::Connection& c, const Caller& caller, int64_t loan_id);
Status BumpStats(store::Connection& c, int64_t registered, int64_t verified, int64_t deals,
                 int64_t amount_fen);
Status AddLedger(store::Connection& c, std::optional<int64_t> loan_id, std::string_view kind,
                 std::string_view debit, std::string_view credit, int64_t amount_fen,
                 int64_t now_micros);

}  // namespace corridor::service::internal
