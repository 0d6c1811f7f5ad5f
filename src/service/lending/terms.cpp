// The terms lending runs on: ecosystem whitelists, the LPR table, the city's settings.
#include <fmt/format.h>

#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/lending.hpp"
#include "service/lending/rows.hpp"
#include "service/marketplace/rows.hpp"

namespace corridor::service {

using internal::IsOversight;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

// ---------------------------------------------------------------------------------------------
// Whitelists, LPR, settings

Result<Response> Lending::CreateWhitelist(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kBankOfficer}));
  Input in(body);
  const std::string name = in.Str("name");
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c, "INSERT INTO whitelists (owner_tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
      caller.tenant_id, name, clock_.NowMicros()));
  return Response{Json{{"id", id}, {"owner_tenant_id", caller.tenant_id}, {"name", name}}};
}

Result<Response> Lending::AddWhitelistMember(Connection& c, const Caller& caller,
                                             int64_t whitelist_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kBankOfficer}));
  auto owner = CORRIDOR_TRY(
      QueryInt(c, "SELECT owner_tenant_id FROM whitelists WHERE id = ?", whitelist_id));
  if (!owner || *owner != caller.tenant_id) return Fail(Error::NotFound("whitelist"));
  Input in(body);
  const int64_t enterprise_id = in.Int("enterprise_id", 1, INT64_MAX);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT id FROM enterprises WHERE id = ?", enterprise_id))) {
    return Fail(Error::Invalid("/enterprise_id", "no such enterprise"));
  }
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO whitelist_members (whitelist_id, enterprise_id, added_at) "
                       "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       whitelist_id, enterprise_id, clock_.NowMicros()));
  return Response{Json{{"whitelist_id", whitelist_id}, {"enterprise_id", enterprise_id}}};
}

Result<Json> Lending::ListWhitelistMembers(const Caller& caller, int64_t whitelist_id,
                                           const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto owner = CORRIDOR_TRY(
        QueryInt(c, "SELECT owner_tenant_id FROM whitelists WHERE id = ?", whitelist_id));
    if (!owner || (*owner != caller.tenant_id && !IsOversight(caller))) {
      return Fail(Error::NotFound("whitelist"));
    }
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM whitelist_members m JOIN enterprises e ON e.id = "
                    "m.enterprise_id WHERE m.whitelist_id = ? AND e.id > ? ORDER BY e.id LIMIT ?",
                    kEnterpriseColumns),
        whitelist_id, page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, EnterpriseRow);
  });
}

Result<Response> Lending::PutLpr(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const Date date = in.DateField("effective_date");
  const std::string tenor = in.Str("tenor", 4);
  const int64_t rate = in.Int("rate_bps", 1, 5000);
  if (!tenor.empty() && tenor != "1y" && tenor != "5y") in.Problem("tenor", "must be 1y or 5y");
  CORRIDOR_TRY_STATUS(in.Finish());
  CORRIDOR_TRY_STATUS(lending::PutLpr(c, date, tenor, rate));
  CORRIDOR_TRY(AppendLogEntry(c, "policy.rule_changed", &caller,
                              Json{{"rule", "lpr"},
                                   {"effective_date", date.ToString()},
                                   {"tenor", tenor},
                                   {"rate_bps", rate}},
                              {}, clock_.NowMicros()));
  return Response{Json{{"effective_date", date.ToString()}, {"tenor", tenor}, {"rate_bps", rate}}};
}

Result<Json> Lending::ListLpr(const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    // A fixing's key for the cursor, in the table's order: YYYYMMDD·10 + the tenor in years.
    constexpr std::string_view kKey =
        "(CAST(replace(effective_date, '-', '') AS INTEGER) * 10 + "
        "CASE tenor WHEN '1y' THEN 1 ELSE 5 END)";
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {0}, effective_date, tenor, rate_bps FROM lpr_rates WHERE {0} > ? "
                    "ORDER BY effective_date, tenor LIMIT ?",
                    kKey),
        page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      return Json{
          {"effective_date", row.Text(1)}, {"tenor", row.Text(2)}, {"rate_bps", row.Int(3)}};
    });
  });
}

Result<Response> Lending::PutSetting(Connection& c, const Caller& caller, std::string_view key,
                                     const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  // The settings and their ranges: the entrepreneurship spread (bp below LPR) and the wind and
  // solar decommissioning deposit (fen per MW of installed capacity).
  int64_t max = 0;
  if (key == "entrepreneurship_spread_bps") {
    max = 1'000;
  } else if (key == "green_decommissioning_deposit_fen_per_mw") {
    max = 100'000'000'000;
  } else {
    return Fail(Error::NotFound("setting"));
  }
  Input in(body);
  const int64_t value = in.Int("value", 0, max);
  CORRIDOR_TRY_STATUS(in.Finish());
  CORRIDOR_TRY(Execute(c, "UPDATE settings SET value = ? WHERE key = ?", value, key));
  CORRIDOR_TRY(AppendLogEntry(c, "policy.rule_changed", &caller,
                              Json{{"rule", "setting"}, {"key", key}, {"value", value}}, {},
                              clock_.NowMicros()));
  return Response{Json{{"key", key}, {"value", value}}};
}

}  // namespace corridor::service
