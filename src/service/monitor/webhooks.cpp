// Alert webhooks: subscriptions, the outbox's deliveries with their retries, and their signature.
#include <fmt/format.h>
#include <sodium.h>

#include <array>

#include "core/check.hpp"
#include "service/monitor/internal.hpp"
#include "service/monitor/monitor.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
using namespace monitor_internal;  // NOLINT(google-build-using-namespace): this context's helpers

namespace {

// The waits before the 2nd to 6th tries; the 6th failure is final.
constexpr std::array<int64_t, 5> kRetryAfterS = {30, 120, 600, 3'600, 21'600};
constexpr size_t kMaxUrl = 500;

Json WebhookJson(const Query& q) {
  return Json{
      {"id", q.Int(0)}, {"url", q.Text(1)}, {"active", q.Int(2) == 1}, {"created_at_us", q.Int(3)}};
}

}  // namespace

Result<Response> Monitor::CreateWebhook(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kBureauAdmin}));
  Input in(body);
  const std::string url = in.Str("url", kMaxUrl);
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
    in.Problem("url", "must be an http:// or https:// URL");
  }
  if (url.find_first_of(" \t\r\n") != std::string::npos) {
    in.Problem("url", "must not contain spaces or line breaks");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  CORRIDOR_CHECK(sodium_init() >= 0);
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::string hex(2 * raw.size(), '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, raw.data(), raw.size());
  const std::string secret = "whsec_" + hex;
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO monitor_webhooks (tenant_id, url, secret, active, created_by, created_at) "
      "VALUES (?, ?, ?, 1, ?, ?) RETURNING id",
      caller.tenant_id, url, secret, caller.user_id, now));
  return Response(Json{{"id", id},
                       {"url", url},
                       {"active", true},
                       {"created_at_us", now},
                       {"secret", secret},
                       {"signature",
                        "Corridor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "
                        "\"<t>.<body>\")>"}});
}

Result<Json> Monitor::ListWebhooks(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT id, url, active, created_at FROM monitor_webhooks WHERE {} AND "
                    "tenant_id = ? ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, caller.tenant_id, page.limit));
    return internal::CollectPage(q, page, WebhookJson);
  });
}

Result<Json> Monitor::ListDeliveries(const Caller& caller, int64_t webhook_id, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM monitor_webhooks WHERE id = ? AND tenant_id = ?",
                               webhook_id, caller.tenant_id))) {
      return Fail(Error::NotFound("webhook"));
    }
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT id, alert_id, event, status, attempts, next_attempt_at, last_error, "
                    "delivered_at, created_at FROM monitor_deliveries WHERE {} AND webhook_id = ? "
                    "ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, webhook_id, page.limit));
    return internal::CollectPage(q, page, [](const Query& r) {
      return Json{{"id", r.Int(0)},
                  {"alert_id", r.Int(1)},
                  {"event", r.Text(2)},
                  {"status", r.Text(3)},
                  {"attempts", r.Int(4)},
                  {"next_attempt_at_us", r.Int(5)},
                  {"last_error", r.IsNull(6) ? Json() : Json(r.Text(6))},
                  {"delivered_at_us", r.OptInt(7) ? Json(*r.OptInt(7)) : Json()},
                  {"created_at_us", r.Int(8)}};
    });
  });
}

Result<Monitor::DeliveryRun> Monitor::DeliverDue(const WebhookSender& sender, size_t max) {
  struct Due {
    int64_t id, attempts;
    std::string url, secret, event, body;
  };
  const int64_t now = clock_.NowMicros();
  const auto due = CORRIDOR_TRY(store_.Read([&](Connection& c) -> Result<std::vector<Due>> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT d.id, d.attempts, w.url, w.secret, d.event, d.body "
                                      "FROM monitor_deliveries d JOIN monitor_webhooks w ON w.id "
                                      "= d.webhook_id WHERE d.status = 'pending' AND "
                                      "d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id "
                                      "LIMIT ?",
                                      now, static_cast<int64_t>(max)));
    std::vector<Due> rows;
    while (CORRIDOR_TRY(q.Next())) {
      rows.push_back({q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)});
    }
    return rows;
  }));
  DeliveryRun run;
  for (const Due& d : due) {
    const int64_t t = now / 1'000'000;
    const std::string signature =
        fmt::format("t={},v1={}", t, HmacSha256Hex(d.secret, fmt::format("{}.{}", t, d.body)));
    const auto answer = sender.Post(d.url,
                                    {{"Content-Type", "application/json"},
                                     {"Corridor-Delivery", std::to_string(d.id)},
                                     {"Corridor-Event", d.event},
                                     {"Corridor-Signature", signature}},
                                    d.body);
    const bool ok = answer && *answer >= 200 && *answer < 300;
    const std::string error =
        ok ? std::string() : (answer ? fmt::format("HTTP {}", *answer) : answer.error().message);
    const int64_t attempts = d.attempts + 1;
    const bool final_failure = !ok && attempts > static_cast<int64_t>(kRetryAfterS.size());
    const int64_t next = ok || final_failure
                             ? now
                             : now + kRetryAfterS[static_cast<size_t>(attempts - 1)] * 1'000'000;
    auto saved = store_.Write([&](Connection& c) -> Status {
      CORRIDOR_TRY(Execute(c,
                           "UPDATE monitor_deliveries SET status = ?, attempts = ?, "
                           "next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE id = ?",
                           ok ? "delivered" : (final_failure ? "failed" : "pending"), attempts,
                           next, ok ? std::optional<std::string>() : std::optional(error),
                           ok ? std::optional(now) : std::optional<int64_t>(), d.id));
      return {};
    });
    if (!saved) return Fail(std::move(saved.error()));
    (ok ? run.delivered : final_failure ? run.failed : run.retried) += 1;
  }
  return run;
}

}  // namespace corridor::service
