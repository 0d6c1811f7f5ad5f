// The alerts' lifecycle (acknowledge, comment, silence, resolve) and the monitor's reads.
#include <fmt/format.h>

#include <bit>

#include "risk/monitor/telemetry.hpp"
#include "service/kernel/log.hpp"
#include "service/monitor/internal.hpp"
#include "service/monitor/monitor.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;
namespace mon = risk::monitor;
using namespace monitor_internal;  // NOLINT(google-build-using-namespace): this context's helpers

namespace {

constexpr int64_t kMaxSilenceUs = int64_t{30} * 86'400 * 1'000'000;

struct Alert {
  int64_t id = 0;
  std::string subject;
  std::optional<int64_t> project_id, rule_id, ecosystem_id, enterprise_id, model_id;
  std::string indicator, severity, status, fingerprint;
  int64_t owner_tenant_id = 0;
  int64_t fired_t = 0;
  double fired_value = 0;
  std::optional<int64_t> resolved_t, acknowledged_by, acknowledged_at, silenced_until;
  int64_t entry_index = 0;
};

constexpr std::string_view kAlertColumns =
    "a.id, a.project_id, a.rule_id, a.indicator, a.severity, a.status, a.fingerprint, "
    "a.owner_tenant_id, a.fired_t, a.fired_value_bits, a.resolved_t, a.acknowledged_by, "
    "a.acknowledged_at, a.silenced_until, a.entry_index, a.subject, a.ecosystem_id, "
    "a.enterprise_id, a.model_id";

Alert AlertFrom(const Query& q) {
  return Alert{.id = q.Int(0),
               .subject = q.Text(15),
               .project_id = q.OptInt(1),
               .rule_id = q.OptInt(2),
               .ecosystem_id = q.OptInt(16),
               .enterprise_id = q.OptInt(17),
               .model_id = q.OptInt(18),
               .indicator = q.Text(3),
               .severity = q.Text(4),
               .status = q.Text(5),
               .fingerprint = q.Text(6),
               .owner_tenant_id = q.Int(7),
               .fired_t = q.Int(8),
               .fired_value = std::bit_cast<double>(q.Int(9)),
               .resolved_t = q.OptInt(10),
               .acknowledged_by = q.OptInt(11),
               .acknowledged_at = q.OptInt(12),
               .silenced_until = q.OptInt(13),
               .entry_index = q.Int(14)};
}

Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(); }

Json AlertJson(const Alert& a, const Subject& s, int64_t now_us) {
  const bool silenced = a.silenced_until && *a.silenced_until > now_us;
  return Json{{"id", a.id},
              {"fingerprint", a.fingerprint},
              {"subject", a.subject},
              {"project_id", OptJson(a.project_id)},
              {"project_code", s.project ? Json(s.project->code) : Json()},
              {"project_name", s.project ? Json(s.project->name) : Json()},
              {"ecosystem_id", OptJson(a.ecosystem_id)},
              {"ecosystem_name", a.ecosystem_id ? Json(s.ecosystem_name) : Json()},
              {"region", s.region.empty() ? Json() : Json(s.region)},
              {"enterprise_id", s.enterprise_id == 0 ? Json() : Json(s.enterprise_id)},
              {"enterprise_name", s.enterprise_id == 0 ? Json() : Json(s.enterprise_name)},
              {"model_id", OptJson(a.model_id)},
              {"model_name", a.model_id ? Json(s.model_name) : Json()},
              {"rule_id", OptJson(a.rule_id)},
              {"indicator", a.indicator},
              {"severity", a.severity},
              {"status", a.status},
              {"owner_tenant_id", a.owner_tenant_id},
              {"fired_at", mon::FormatRfc3339Utc(a.fired_t)},
              {"fired_value", a.fired_value},
              {"resolved_at", a.resolved_t ? Json(mon::FormatRfc3339Utc(*a.resolved_t)) : Json()},
              {"acknowledged_by", a.acknowledged_by ? Json(*a.acknowledged_by) : Json()},
              {"silenced", silenced},
              {"silenced_until_us", silenced ? Json(*a.silenced_until) : Json()},
              {"log_index", a.entry_index}};
}

Result<Subject> SubjectOf(Connection& c, const Alert& a) {
  if (a.project_id) return ProjectSubject(c, *a.project_id);
  if (a.model_id) return ModelSubject(c, *a.model_id);
  return HealthSubject(c, a.ecosystem_id.value_or(0), a.enterprise_id.value_or(0));
}

Result<std::pair<Alert, Subject>> LoadAlert(Connection& c, const Caller& caller, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM monitor_alerts a WHERE a.id = ?", kAlertColumns), id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("alert"));
  Alert a = AlertFrom(q);
  Subject s = CORRIDOR_TRY(SubjectOf(c, a));
  if (!SeesSubject(caller, s)) return Fail(Error::NotFound("alert"));
  return std::pair(std::move(a), std::move(s));
}

// The alert's owner acts on it: its bank's officers and analysts, or the bureau's
// administrators (the bureau's analysts and auditors read, they do not act).
Status RequireOwner(const Caller& caller, const Alert& a) {
  const bool bureau = internal::IsOversight(caller) && caller.role == Role::kBureauAdmin;
  const bool bank = caller.in_bank() && caller.tenant_id == a.owner_tenant_id &&
                    (caller.role == Role::kBankOfficer || caller.role == Role::kRiskAnalyst);
  if (bureau || bank) return {};
  return Fail(Error{ErrorCode::kPermissionDenied,
                    "only the alert's owner (its bank) or the bureau's administrator acts on an "
                    "alert",
                    {}});
}

Status AddEvent(Connection& c, int64_t alert_id, std::string_view kind, const Caller& caller,
                const std::string& note, int64_t now_us) {
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO monitor_alert_events (alert_id, kind, user_id, note, "
                       "created_at) VALUES (?, ?, ?, ?, ?)",
                       alert_id, kind, caller.user_id, note, now_us));
  return EnqueueDeliveries(c, alert_id, kind, note, now_us);
}

Result<Json> AlertWithHistory(Connection& c, const Alert& a, const Subject& p, int64_t now_us) {
  Json out = AlertJson(a, p, now_us);
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT v.id, v.kind, v.user_id, u.name, t.name, v.note, "
                                    "v.created_at FROM monitor_alert_events v LEFT JOIN users u "
                                    "ON u.id = v.user_id LEFT JOIN tenants t ON t.id = u.tenant_id "
                                    "WHERE v.alert_id = ? ORDER BY v.id",
                                    a.id));
  Json history = Json::array();
  while (CORRIDOR_TRY(q.Next())) {
    history.push_back({{"id", q.Int(0)},
                       {"kind", q.Text(1)},
                       {"user_id", q.OptInt(2) ? Json(*q.OptInt(2)) : Json()},
                       {"user_name", q.OptInt(2) ? Json(q.Text(3)) : Json("platform")},
                       {"organisation", q.OptInt(2) ? Json(q.Text(4)) : Json()},
                       {"note", q.Text(5)},
                       {"at_us", q.Int(6)}});
  }
  out["history"] = std::move(history);
  return out;
}

}  // namespace

Result<Response> Monitor::Acknowledge(Connection& c, const Caller& caller, int64_t alert_id,
                                      const Json& body) {
  auto [a, p] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  CORRIDOR_TRY_STATUS(RequireOwner(caller, a));
  static const Json kNoBody = Json::object();
  Input in(body.is_null() ? kNoBody : body);
  const std::string note = in.OptStr("note", 2'000).value_or("");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (a.status != "firing") {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("the alert is {} already", a.status),
                      {{"/status", a.status}}});
  }
  const int64_t now = clock_.NowMicros();
  CORRIDOR_TRY(AppendLogEntry(c, "monitor_alert.acknowledge", &caller,
                              Json{{"alert_id", a.id}, {"note", note}}, p.parties, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE monitor_alerts SET status = 'acknowledged', acknowledged_by = ?, "
                       "acknowledged_at = ? WHERE id = ?",
                       caller.user_id, now, a.id));
  CORRIDOR_TRY_STATUS(AddEvent(c, a.id, "acknowledged", caller, note, now));
  auto [after, project] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  return Response(CORRIDOR_TRY(AlertWithHistory(c, after, project, now)));
}

Result<Response> Monitor::Comment(Connection& c, const Caller& caller, int64_t alert_id,
                                  const Json& body) {
  auto [a, p] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  // Its owner and the enterprise it is about (which explains what happened) comment.
  if (!(caller.in_enterprise() && p.enterprise_id != 0 &&
        caller.enterprise_id == p.enterprise_id)) {
    CORRIDOR_TRY_STATUS(RequireOwner(caller, a));
  }
  Input in(body);
  const std::string note = in.Str("note", 2'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  const int64_t now = clock_.NowMicros();
  CORRIDOR_TRY_STATUS(AddEvent(c, a.id, "comment", caller, note, now));
  return Response(CORRIDOR_TRY(AlertWithHistory(c, a, p, now)));
}

Result<Response> Monitor::Silence(Connection& c, const Caller& caller, int64_t alert_id,
                                  const Json& body) {
  auto [a, p] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  CORRIDOR_TRY_STATUS(RequireOwner(caller, a));
  Input in(body);
  const std::string until_text = in.Str("until", 40);
  const std::string reason = in.Str("reason", 2'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto until_s = mon::ParseRfc3339(until_text);
  const int64_t now = clock_.NowMicros();
  if (!until_s) return Fail(Error::Invalid("/until", "must be an RFC 3339 time with a zone"));
  const int64_t until_us = *until_s * 1'000'000;
  if (until_us <= now || until_us - now > kMaxSilenceUs) {
    return Fail(Error::Invalid("/until", "must be in the future and at most 30 days away"));
  }
  if (a.status == "resolved") {
    return Fail(Error{ErrorCode::kConflict, "the alert is resolved", {{"/status", a.status}}});
  }
  CORRIDOR_TRY(AppendLogEntry(c, "monitor_alert.silence", &caller,
                              Json{{"alert_id", a.id}, {"until", until_text}, {"reason", reason}},
                              p.parties, now));
  // The silence itself is still announced to the webhooks; what follows it is held.
  CORRIDOR_TRY_STATUS(AddEvent(c, a.id, "silenced", caller,
                               fmt::format("until {}: {}", mon::FormatRfc3339Utc(*until_s), reason),
                               now));
  CORRIDOR_TRY(
      Execute(c, "UPDATE monitor_alerts SET silenced_until = ? WHERE id = ?", until_us, a.id));
  auto [after, project] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  return Response(CORRIDOR_TRY(AlertWithHistory(c, after, project, now)));
}

Result<Response> Monitor::Resolve(Connection& c, const Caller& caller, int64_t alert_id,
                                  const Json& body) {
  auto [a, p] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  CORRIDOR_TRY_STATUS(RequireOwner(caller, a));
  Input in(body);
  const std::string note = in.Str("note", 2'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (a.status == "resolved") {
    return Fail(
        Error{ErrorCode::kConflict, "the alert is resolved already", {{"/status", a.status}}});
  }
  const int64_t now = clock_.NowMicros();
  CORRIDOR_TRY(AppendLogEntry(c, "monitor_alert.resolve", &caller,
                              Json{{"alert_id", a.id}, {"note", note}, {"by", "owner"}}, p.parties,
                              now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE monitor_alerts SET status = 'resolved', resolved_t = ? WHERE id = ?",
                       now / 1'000'000, a.id));
  // The detector starts over: if the series is still in breach, the rule fires a new alert (a
  // health alert fires again if the index falls on: docs/early-warning.md).
  if (a.project_id) {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE detector_states SET firing = 0, since_t = NULL WHERE project_id = "
                         "? AND rule_id = ?",
                         *a.project_id, *a.rule_id));
  }
  CORRIDOR_TRY_STATUS(AddEvent(c, a.id, "resolved", caller, note, now));
  auto [after, project] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
  return Response(CORRIDOR_TRY(AlertWithHistory(c, after, project, now)));
}

Result<Json> Monitor::ListAlerts(const Caller& caller, const Page& page,
                                 const std::optional<std::string>& status) {
  if (status && *status != "open" && *status != "firing" && *status != "acknowledged" &&
      *status != "resolved") {
    return Fail(Error::Invalid("/status", "must be open, firing, acknowledged or resolved"));
  }
  const std::string want = status.value_or("all");
  const int64_t bank = caller.in_bank() ? caller.tenant_id : 0;
  const int64_t enterprise = caller.in_enterprise() ? caller.enterprise_id : 0;
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "a.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM monitor_alerts a LEFT JOIN monitor_projects p ON p.id = "
                    "a.project_id WHERE {} AND {} AND (? = 'all' OR (? = 'open' AND a.status <> "
                    "'resolved') OR a.status = ?) ORDER BY {} LIMIT ?",
                    kAlertColumns, k.where, kSeesAlertSql, k.order),
        k.bound, internal::IsOversight(caller), bank, enterprise, enterprise, bank, bank, bank,
        want, want, want, page.limit));
    std::vector<Alert> alerts;
    while (CORRIDOR_TRY(q.Next())) alerts.push_back(AlertFrom(q));
    const int64_t now = clock_.NowMicros();
    Json items = Json::array();
    for (const Alert& a : alerts) {
      items.push_back(AlertJson(a, CORRIDOR_TRY(SubjectOf(c, a)), now));
    }
    return internal::PageOf(std::move(items), alerts.empty() ? 0 : alerts.back().id, page);
  });
}

Result<Json> Monitor::GetAlert(const Caller& caller, int64_t alert_id) {
  auto [out, ecosystems] = CORRIDOR_TRY(store_.Read(
      [&](Connection& c) -> Result<std::pair<Json, std::vector<std::pair<int64_t, std::string>>>> {
        auto [a, p] = CORRIDOR_TRY(LoadAlert(c, caller, alert_id));
        Json out = CORRIDOR_TRY(AlertWithHistory(c, a, p, clock_.NowMicros()));
        if (p.kind == "ecosystem") {
          out["exposures"] = Json::array();
          out["outstanding_fen"] = 0;
          return std::pair(std::move(out), std::vector<std::pair<int64_t, std::string>>{
                                               {p.ecosystem_id, p.ecosystem_name}});
        }
        // The borrower's exposures the caller may see: its loans, with what is outstanding.
        auto loans = CORRIDOR_TRY(Query::Make(
            c,
            fmt::format("SELECT l.id, t.name, l.principal_fen, {} FROM loans l JOIN tenants t ON "
                        "t.id = l.bank_tenant_id WHERE l.enterprise_id = ? AND (? OR "
                        "l.bank_tenant_id = ? OR ?) ORDER BY l.id",
                        internal::kOutstandingPrincipalSql),
            p.enterprise_id, internal::IsOversight(caller), caller.in_bank() ? caller.tenant_id : 0,
            caller.in_enterprise() && caller.enterprise_id == p.enterprise_id));
        Json exposures = Json::array();
        int64_t outstanding = 0;
        while (CORRIDOR_TRY(loans.Next())) {
          exposures.push_back({{"loan_id", loans.Int(0)},
                               {"bank", loans.Text(1)},
                               {"principal_fen", loans.Int(2)},
                               {"outstanding_fen", loans.Int(3)}});
          outstanding += loans.Int(3);
        }
        out["exposures"] = std::move(exposures);
        out["outstanding_fen"] = outstanding;
        auto ecos = CORRIDOR_TRY(Query::Make(c,
                                             "SELECT e.id, e.name FROM ecosystem_members m JOIN "
                                             "ecosystems e ON e.id = m.ecosystem_id WHERE "
                                             "m.tenant_id = ? ORDER BY e.id",
                                             p.enterprise_tenant_id));
        std::vector<std::pair<int64_t, std::string>> list;
        while (CORRIDOR_TRY(ecos.Next())) list.emplace_back(ecos.Int(0), ecos.Text(1));
        out["node"] = fmt::format("enterprise-{}", p.enterprise_id);
        return std::pair(std::move(out), std::move(list));
      }));
  // Who else is hit: through each ecosystem's risk graph, the lenders the borrower's default
  // reaches and how strongly (the graph holds every member's book: oversight only).
  Json hit = Json::array();
  for (const auto& [id, name] : ecosystems) {
    Json entry{{"ecosystem_id", id}, {"name", name}};
    if (internal::IsOversight(caller) && out.contains("node")) {
      auto paths = ecosystems_.Paths(caller, id, out["node"].get<std::string>());
      if (paths) entry["paths"] = *paths;
    }
    hit.push_back(std::move(entry));
  }
  out["ecosystems"] = std::move(hit);
  return out;
}

// ---- projects and views ----

Result<Json> Monitor::ListProjects(const Caller& caller, const Page& page,
                                   const std::optional<std::string>& risk_state) {
  if (risk_state && *risk_state != "critical" && *risk_state != "warning" &&
      *risk_state != "info" && *risk_state != "normal") {
    return Fail(Error::Invalid("/risk_state", "must be critical, warning, info or normal"));
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "p.id");
    // The worst open alert's severity, as a rank: 3 critical, 2 warning, 1 info, 0 none.
    const std::string rank =
        "coalesce((SELECT max(CASE a.severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 "
        "END) FROM monitor_alerts a WHERE a.project_id = p.id AND a.status <> 'resolved'), 0)";
    const int want = !risk_state                 ? -1
                     : *risk_state == "critical" ? 3
                     : *risk_state == "warning"  ? 2
                     : *risk_state == "info"     ? 1
                                                 : 0;
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT p.id FROM monitor_projects p WHERE {} AND {} AND (? < 0 OR {} = ?) "
                    "ORDER BY {} LIMIT ?",
                    k.where, kSeesProjectSql, rank, k.order),
        k.bound, internal::IsOversight(caller), caller.in_bank() ? caller.tenant_id : 0,
        caller.in_enterprise() ? caller.enterprise_id : 0, want, want, page.limit));
    std::vector<int64_t> ids;
    while (CORRIDOR_TRY(q.Next())) ids.push_back(q.Int(0));
    Json items = Json::array();
    const int64_t now = clock_.NowMicros();
    for (int64_t id : ids) items.push_back(CORRIDOR_TRY(ProjectJson(c, id, now)));
    return internal::PageOf(std::move(items), ids.empty() ? 0 : ids.back(), page);
  });
}

Result<Json> Monitor::GetProject(const Caller& caller, int64_t project_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const Project p = CORRIDOR_TRY(LoadProject(c, project_id));
    if (!SeesProject(caller, p)) return Fail(Error::NotFound("project"));
    return ProjectJson(c, project_id, clock_.NowMicros());
  });
}

Result<Json> Monitor::Series(const Caller& caller, int64_t project_id, std::string_view indicator,
                             Date from, Date to) {
  const auto index = mon::IndicatorIndex(indicator);
  if (!index) return Fail(Error::Invalid("/indicator", "is not one of the 20 indicators"));
  if (to < from) return Fail(Error::Invalid("/to", "must not be before from"));
  if (to.days_since_epoch() - from.days_since_epoch() > 400) {
    return Fail(Error::Invalid("/to", "at most 400 days from from"));
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    const Project p = CORRIDOR_TRY(LoadProject(c, project_id));
    if (!SeesProject(caller, p)) return Fail(Error::NotFound("project"));
    const bool raw = to.days_since_epoch() - from.days_since_epoch() <= 92;
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT day, readings, min_value, max_value, sum_value, "
                                      "block FROM telemetry_days WHERE project_id = ? AND "
                                      "indicator = ? AND day BETWEEN ? AND ? ORDER BY day",
                                      project_id, static_cast<int64_t>(*index),
                                      static_cast<int64_t>(from.days_since_epoch()),
                                      static_cast<int64_t>(to.days_since_epoch())));
    Json points = Json::array(), days = Json::array();
    while (CORRIDOR_TRY(q.Next())) {
      const int64_t n = q.Int(1);
      days.push_back({{"day", Date::FromDays(static_cast<int32_t>(q.Int(0))).ToString()},
                      {"readings", n},
                      {"min", mon::ValueOf(*index, q.Int(2))},
                      {"max", mon::ValueOf(*index, q.Int(3))},
                      {"mean", mon::ValueOf(*index, q.Int(4)) / static_cast<double>(n)}});
      if (raw && !q.IsNull(5)) {  // the raw block, unless only aggregates are left
        auto block = mon::DecodeBlock(q.Text(5));
        if (!block) return Fail(Error::Internal("a stored telemetry block does not decode"));
        for (const auto& pt : *block) {
          points.push_back(
              {{"time", mon::FormatRfc3339Utc(pt.t_s)}, {"value", mon::ValueOf(*index, pt.value)}});
        }
      }
    }
    return Json{{"project_id", project_id},
                {"indicator", indicator},
                {"unit", mon::Indicators()[*index].unit},
                {"from", from.ToString()},
                {"to", to.ToString()},
                {"points", std::move(points)},
                {"days", std::move(days)},
                {"raw", raw}};
  });
}

Result<Json> Monitor::Curtailment(const Caller& caller, int year) {
  if (year < 2000 || year > 2100) return Fail(Error::Invalid("/year", "must be 2000 to 2100"));
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto first = *Date::FromYmd(year, 1, 1);
    const auto last = *Date::FromYmd(year, 12, 31);
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT p.region, t.day, t.indicator, sum(t.sum_value) FROM telemetry_days t "
                    "JOIN monitor_projects p ON p.id = t.project_id WHERE t.indicator IN (?, ?) "
                    "AND t.day BETWEEN ? AND ? AND {} GROUP BY p.region, t.day, t.indicator",
                    kSeesProjectSql),
        static_cast<int64_t>(mon::kGeneration), static_cast<int64_t>(mon::kCurtailed),
        static_cast<int64_t>(first.days_since_epoch()),
        static_cast<int64_t>(last.days_since_epoch()), internal::IsOversight(caller),
        caller.in_bank() ? caller.tenant_id : 0,
        caller.in_enterprise() ? caller.enterprise_id : 0));
    // (region, month) → generated and curtailed, in kWh (the stored unit of both).
    std::map<std::pair<std::string, int>, std::pair<int64_t, int64_t>> cells;
    while (CORRIDOR_TRY(q.Next())) {
      const int month = Date::FromDays(static_cast<int32_t>(q.Int(1))).month();
      auto& cell = cells[{q.Text(0), month}];
      (q.Int(2) == mon::kGeneration ? cell.first : cell.second) += q.Int(3);
    }
    Json rows = Json::array();
    for (const auto& [key, cell] : cells) {
      const int64_t total = cell.first + cell.second;
      rows.push_back({{"region", key.first},
                      {"month", fmt::format("{}-{:02}", year, key.second)},
                      {"generated_mwh", static_cast<double>(cell.first) / 1000.0},
                      {"curtailed_mwh", static_cast<double>(cell.second) / 1000.0},
                      {"curtailment_rate", total == 0 ? Json()
                                                      : Json(static_cast<double>(cell.second) /
                                                             static_cast<double>(total))}});
    }
    return Json{{"year", year}, {"rows", std::move(rows)}};
  });
}

}  // namespace corridor::service
