// Guarantee requests ("three-in-one"): the bank asks a guarantee agency to cover a share of an
// accepted offer, the agency approves or declines; an approved request backs one booking.
#include <fmt/format.h>

#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/lending.hpp"
#include "service/lending/rows.hpp"

namespace corridor::service {

using internal::PageOf;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::Query;

// ---------------------------------------------------------------------------------------------
// Guarantee requests: the bank asks, the guarantee agency decides.

namespace {

constexpr std::string_view kRequestColumns =
    "r.id, r.offer_id, r.bank_tenant_id, r.guarantor_tenant_id, r.cover_bps, r.fee_bps, r.status, "
    "r.created_at, r.decided_at, o.amount_fen, o.annual_rate_bps, o.term_months, o.kind, "
    "n.enterprise_id, e.name";

constexpr std::string_view kRequestJoins =
    "guarantee_requests r JOIN offers o ON o.id = r.offer_id JOIN needs n ON n.id = o.need_id "
    "JOIN enterprises e ON e.id = n.enterprise_id";

Json RequestRow(const Query& q) {
  return Json{{"id", q.Int(0)},
              {"offer_id", q.Int(1)},
              {"bank_tenant_id", q.Int(2)},
              {"guarantor_tenant_id", q.Int(3)},
              {"cover_bps", q.Int(4)},
              {"fee_bps", q.Int(5)},
              {"status", q.Text(6)},
              {"created_at_us", q.Int(7)},
              {"decided_at_us", q.IsNull(8) ? Json(nullptr) : Json(q.Int(8))},
              {"offer",
               {{"amount_fen", q.Int(9)},
                {"annual_rate_bps", q.Int(10)},
                {"term_months", q.Int(11)},
                {"kind", q.Text(12)},
                {"enterprise_id", q.Int(13)},
                {"enterprise_name", q.Text(14)}}}};
}

Result<std::optional<Json>> LoadRequest(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM {} WHERE r.id = ?", kRequestColumns, kRequestJoins), id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Json>();
  return std::optional<Json>(RequestRow(q));
}

}  // namespace

Result<Response> Lending::RequestGuarantee(Connection& c, const Caller& caller, int64_t offer_id,
                                           const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t guarantor = in.Int("guarantor_tenant_id", 1, INT64_MAX);
  const int64_t cover_bps = in.Int("cover_bps", 1, 10'000);
  const int64_t fee_bps = in.OptInt("fee_bps", 0, 1'000).value_or(0);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto o = CORRIDOR_TRY(
      Query::Make(c, "SELECT bank_tenant_id, status FROM offers WHERE id = ?", offer_id));
  if (!CORRIDOR_TRY(o.Next()) || o.Int(0) != caller.tenant_id) {
    return Fail(Error::NotFound("offer"));
  }
  if (o.Text(1) != "accepted") {
    return Fail(
        Error::Conflict("a guarantee can be requested for an accepted offer only; this "
                        "one is " +
                        o.Text(1)));
  }
  if (!CORRIDOR_TRY(
          QueryInt(c, "SELECT 1 FROM tenants WHERE id = ? AND kind = 'guarantor'", guarantor))) {
    return Fail(Error::Invalid("/guarantor_tenant_id", "not a guarantee agency"));
  }
  const int64_t id =
      CORRIDOR_TRY(lending::InsertGuaranteeRequest(c, {.offer_id = offer_id,
                                                       .bank_tenant_id = caller.tenant_id,
                                                       .guarantor_tenant_id = guarantor,
                                                       .cover_bps = cover_bps,
                                                       .fee_bps = fee_bps,
                                                       .created_at = clock_.NowMicros()}));
  return Response{*CORRIDOR_TRY(LoadRequest(c, id))};
}

Result<Response> Lending::DecideGuaranteeRequest(Connection& c, const Caller& caller, int64_t id,
                                                 bool approve) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kGuaranteeOfficer}));
  auto request = CORRIDOR_TRY(LoadRequest(c, id));
  if (!request || (*request)["guarantor_tenant_id"].get<int64_t>() != caller.tenant_id) {
    return Fail(Error::NotFound("guarantee request"));
  }
  if ((*request)["status"] != "requested") {
    return Fail(
        Error::Conflict("the request has already been " + (*request)["status"].get<std::string>()));
  }
  CORRIDOR_TRY(Execute(c, "UPDATE guarantee_requests SET status = ?, decided_at = ? WHERE id = ?",
                       approve ? "approved" : "declined", clock_.NowMicros(), id));
  return Response{*CORRIDOR_TRY(LoadRequest(c, id))};
}

Result<Json> Lending::ListGuaranteeRequests(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  if (caller.in_enterprise()) return PageOf(Json::array(), 0, page);
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool guarantor = caller.in_guarantor();
    const bool bank = caller.in_bank();
    const auto k = internal::KeysetOf(page, "r.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM {} WHERE {} AND (? = 0 OR r.guarantor_tenant_id = ?) "
                    "AND (? = 0 OR r.bank_tenant_id = ?) ORDER BY {} LIMIT ?",
                    kRequestColumns, kRequestJoins, k.where, k.order),
        k.bound, guarantor, caller.tenant_id, bank, caller.tenant_id, page.limit));
    return internal::CollectPage(q, page, RequestRow);
  });
}

// ---------------------------------------------------------------------------------------------
// Interest subsidies (贴息)

}  // namespace corridor::service
