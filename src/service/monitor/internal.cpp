#include "service/monitor/internal.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <bit>

#include "core/check.hpp"
#include "risk/monitor/telemetry.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service::monitor_internal {

using internal::QueryInt;
using store::Blob;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
namespace mon = risk::monitor;

namespace {

constexpr std::string_view kProjectColumns =
    "p.id, p.code, p.name, p.type, p.region, p.capacity_kw, p.enterprise_id, e.tenant_id, "
    "e.name, p.bank_tenant_id, p.loan_id";

Project ProjectFrom(const Query& q) {
  return Project{.id = q.Int(0),
                 .code = q.Text(1),
                 .name = q.Text(2),
                 .type = q.Text(3),
                 .region = q.Text(4),
                 .capacity_kw = q.Int(5),
                 .enterprise_id = q.Int(6),
                 .enterprise_tenant_id = q.Int(7),
                 .enterprise_name = q.Text(8),
                 .bank_tenant_id = q.OptInt(9),
                 .loan_id = q.OptInt(10)};
}

}  // namespace

Result<Project> LoadProject(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM monitor_projects p JOIN enterprises e ON e.id = "
                              "p.enterprise_id WHERE p.id = ?",
                              kProjectColumns),
                  id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("project"));
  return ProjectFrom(q);
}

bool SeesProject(const Caller& caller, const Project& p) {
  return internal::IsOversight(caller) ||
         (caller.in_bank() && p.bank_tenant_id == caller.tenant_id) ||
         (caller.in_enterprise() && p.enterprise_id == caller.enterprise_id);
}

Result<Json> ProjectJson(Connection& c, int64_t id, int64_t now_us) {
  const Project p = CORRIDOR_TRY(LoadProject(c, id));
  // The latest reading of each indicator: the last day's row of each series.
  auto latest = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT t.indicator, t.last_t, t.last_value FROM telemetry_days t WHERE t.project_id = ? "
      "AND t.day = (SELECT max(day) FROM telemetry_days u WHERE u.project_id = t.project_id AND "
      "u.indicator = t.indicator) ORDER BY t.indicator",
      id));
  Json readings = Json::object();
  while (CORRIDOR_TRY(latest.Next())) {
    const auto indicator = static_cast<uint8_t>(latest.Int(0));
    readings[std::string(mon::Indicators()[indicator].code)] = {
        {"time", mon::FormatRfc3339Utc(latest.Int(1))},
        {"value", mon::ValueOf(indicator, latest.Int(2))},
        {"unit", mon::Indicators()[indicator].unit}};
  }
  auto alerts = CORRIDOR_TRY(Query::Make(c,
                                         "SELECT id, indicator, severity, status, silenced_until "
                                         "FROM monitor_alerts WHERE project_id = ? AND status <> "
                                         "'resolved' ORDER BY id",
                                         id));
  Json open = Json::array();
  std::string risk_state = "normal";
  const auto rank = [](const std::string& s) {
    return s == "critical" ? 3 : s == "warning" ? 2 : s == "info" ? 1 : 0;
  };
  while (CORRIDOR_TRY(alerts.Next())) {
    const std::string severity = alerts.Text(2);
    if (rank(severity) > rank(risk_state)) risk_state = severity;
    const auto until = alerts.OptInt(4);
    open.push_back({{"id", alerts.Int(0)},
                    {"indicator", alerts.Text(1)},
                    {"severity", severity},
                    {"status", alerts.Text(3)},
                    {"silenced", until.has_value() && *until > now_us}});
  }
  return Json{{"id", p.id},
              {"code", p.code},
              {"name", p.name},
              {"type", p.type},
              {"region", p.region},
              {"capacity_kw", p.capacity_kw},
              {"enterprise_id", p.enterprise_id},
              {"enterprise_name", p.enterprise_name},
              {"bank_tenant_id", p.bank_tenant_id ? Json(*p.bank_tenant_id) : Json(nullptr)},
              {"loan_id", p.loan_id ? Json(*p.loan_id) : Json(nullptr)},
              {"risk_state", risk_state},
              {"open_alerts", std::move(open)},
              {"latest", std::move(readings)}};
}

Result<std::vector<mon::Point>> LoadBlock(Connection& c, int64_t project, int indicator,
                                          int64_t day) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT block FROM telemetry_days WHERE project_id = ? AND "
                                    "indicator = ? AND day = ? AND block IS NOT NULL",
                                    project, indicator, day));
  if (!CORRIDOR_TRY(q.Next())) return std::vector<mon::Point>();
  auto points = mon::DecodeBlock(q.Text(0));
  if (!points) return Fail(Error::Internal("a stored telemetry block does not decode"));
  return *points;
}

Status SaveBlock(Connection& c, int64_t project, int indicator, int64_t day,
                 const std::vector<mon::Point>& points) {
  int64_t min = points.front().value, max = min, sum = 0;
  for (const auto& p : points) {
    min = std::min(min, p.value);
    max = std::max(max, p.value);
    sum += p.value;
  }
  const std::string block = mon::EncodeBlock(points);
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO telemetry_days (project_id, indicator, day, readings, min_value, max_value, "
      "sum_value, last_t, last_value, block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
      "(project_id, indicator, day) DO UPDATE SET readings = excluded.readings, min_value = "
      "excluded.min_value, max_value = excluded.max_value, sum_value = excluded.sum_value, last_t "
      "= excluded.last_t, last_value = excluded.last_value, block = excluded.block",
      project, indicator, day, static_cast<int64_t>(points.size()), min, max, sum,
      points.back().t_s, points.back().value, Blob{block}));
  return {};
}

std::string Fingerprint(int64_t project, std::string_view indicator, int64_t rule) {
  return fmt::format("project:{}/{}/rule:{}", project, indicator, rule);
}

Result<Subject> ProjectSubject(Connection& c, int64_t project_id) {
  Project p = CORRIDOR_TRY(LoadProject(c, project_id));
  Subject s;
  s.kind = "project";
  s.enterprise_id = p.enterprise_id;
  s.enterprise_tenant_id = p.enterprise_tenant_id;
  s.enterprise_name = p.enterprise_name;
  s.region = p.region;
  s.parties = PartiesOf(p);
  s.project = std::move(p);
  return s;
}

Result<Subject> HealthSubject(Connection& c, int64_t ecosystem_id, int64_t enterprise_id) {
  Subject s;
  s.kind = enterprise_id == 0 ? "ecosystem" : "enterprise";
  s.ecosystem_id = ecosystem_id;
  s.enterprise_id = enterprise_id;
  auto eco = CORRIDOR_TRY(Query::Make(c, "SELECT name FROM ecosystems WHERE id = ?", ecosystem_id));
  if (!CORRIDOR_TRY(eco.Next())) return Fail(Error::NotFound("ecosystem"));
  s.ecosystem_name = eco.Text(0);
  if (enterprise_id == 0) return s;
  auto e = CORRIDOR_TRY(
      Query::Make(c, "SELECT tenant_id, name, coalesce(region, '') FROM enterprises WHERE id = ?",
                  enterprise_id));
  if (!CORRIDOR_TRY(e.Next())) return Fail(Error::NotFound("enterprise"));
  s.enterprise_tenant_id = e.Int(0);
  s.enterprise_name = e.Text(1);
  s.region = e.Text(2);
  s.parties.push_back(s.enterprise_tenant_id);
  auto lenders = CORRIDOR_TRY(Query::Make(c,
                                          "SELECT bank_tenant_id FROM loans WHERE enterprise_id = "
                                          "? UNION SELECT bank_tenant_id FROM supply_lines WHERE "
                                          "supplier_enterprise_id = ? ORDER BY 1",
                                          enterprise_id, enterprise_id));
  while (CORRIDOR_TRY(lenders.Next())) s.parties.push_back(lenders.Int(0));
  return s;
}

Result<Subject> ModelSubject(Connection& c, int64_t model_id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT bank_tenant_id, name, version FROM scoring_models WHERE id = ?", model_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("model"));
  Subject s;
  s.kind = "model";
  s.model_id = model_id;
  s.model_name = fmt::format("{} v{}", q.Text(1), q.Int(2));
  s.parties.push_back(q.Int(0));
  return s;
}

bool SeesSubject(const Caller& caller, const Subject& s) {
  if (internal::IsOversight(caller)) return true;
  if (s.project) return SeesProject(caller, *s.project);
  const bool party =
      std::find(s.parties.begin(), s.parties.end(), caller.tenant_id) != s.parties.end();
  return (s.kind == "enterprise" && party) || (s.kind == "model" && party && caller.in_bank());
}

Result<mon::RuleDetector> LoadDetector(Connection& c, int64_t project, int64_t rule,
                                       int64_t version, const mon::RuleParams& params) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT rule_version, s1_bits, s2_bits, last_t, firing, "
                                    "since_t FROM detector_states WHERE project_id = ? AND "
                                    "rule_id = ?",
                                    project, rule));
  if (CORRIDOR_TRY(q.Next()) && q.Int(0) == version) {
    mon::RuleState s;
    s.s1 = std::bit_cast<double>(q.Int(1));
    s.s2 = std::bit_cast<double>(q.Int(2));
    s.last_t_s = q.OptInt(3);
    s.firing = q.Int(4) == 1;
    s.since_s = q.OptInt(5);
    return mon::RuleDetector(params, s);
  }
  mon::RuleDetector fresh(params);
  const auto indicator = CORRIDOR_TRY(
      QueryInt(c,
               "SELECT 1 FROM monitor_alerts a JOIN monitor_rules r ON r.id = a.rule_id WHERE "
               "a.project_id = ? AND a.rule_id = ? AND a.status <> 'resolved'",
               project, rule));
  if (indicator) {
    mon::RuleState s = fresh.state();
    s.firing = true;
    return mon::RuleDetector(params, s);
  }
  return fresh;
}

Status SaveDetector(Connection& c, int64_t project, int64_t rule, int64_t version,
                    const mon::RuleState& s) {
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO detector_states (project_id, rule_id, rule_version, s1_bits, s2_bits, last_t, "
      "firing, since_t) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, rule_id) DO "
      "UPDATE SET rule_version = excluded.rule_version, s1_bits = excluded.s1_bits, s2_bits = "
      "excluded.s2_bits, last_t = excluded.last_t, firing = excluded.firing, since_t = "
      "excluded.since_t",
      project, rule, version, std::bit_cast<int64_t>(s.s1), std::bit_cast<int64_t>(s.s2),
      s.last_t_s, s.firing, s.since_s));
  return {};
}

namespace {

Result<int64_t> OwnerOf(Connection& c, const Project& p) {
  if (p.bank_tenant_id) return *p.bank_tenant_id;
  return BureauTenant(c);
}

}  // namespace

Result<int64_t> BureauTenant(Connection& c) {
  const auto bureau =
      CORRIDOR_TRY(QueryInt(c, "SELECT id FROM tenants WHERE kind = 'bureau' ORDER BY id LIMIT 1"));
  if (!bureau) return Fail(Error::Internal("the platform has no bureau"));
  return *bureau;
}

std::vector<int64_t> PartiesOf(const Project& p) {
  std::vector<int64_t> parties = {p.enterprise_tenant_id};
  if (p.bank_tenant_id) parties.push_back(*p.bank_tenant_id);
  return parties;
}

Result<std::optional<int64_t>> OpenAlert(Connection& c, const NewAlert& a,
                                         const std::vector<int64_t>& parties, int64_t now_us) {
  if (CORRIDOR_TRY(QueryInt(c,
                            "SELECT id FROM monitor_alerts WHERE fingerprint = ? AND status <> "
                            "'resolved'",
                            a.fingerprint))) {
    return std::optional<int64_t>();
  }
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, "monitor_alert.fire", nullptr, a.log, parties, now_us));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO monitor_alerts (fingerprint, subject, project_id, rule_id, ecosystem_id, "
      "enterprise_id, model_id, indicator, severity, status, owner_tenant_id, fired_t, "
      "fired_value_bits, created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, "
      "?, ?, ?, ?) RETURNING id",
      a.fingerprint, a.subject, a.project_id, a.rule_id, a.ecosystem_id, a.enterprise_id,
      a.model_id, a.indicator, a.severity, a.owner_tenant_id, a.fired_t,
      std::bit_cast<int64_t>(a.value), now_us, ref.index));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO monitor_alert_events (alert_id, kind, note, created_at) "
                       "VALUES (?, 'fired', ?, ?)",
                       id, a.note, now_us));
  CORRIDOR_TRY_STATUS(EnqueueDeliveries(c, id, "fired", "", now_us));
  return std::optional<int64_t>(id);
}

Result<std::optional<int64_t>> CloseAlertByRule(Connection& c, const std::string& fingerprint,
                                                int64_t t_s, Json log, const std::string& note,
                                                const std::vector<int64_t>& parties,
                                                int64_t now_us) {
  const auto id = CORRIDOR_TRY(
      QueryInt(c, "SELECT id FROM monitor_alerts WHERE fingerprint = ? AND status <> 'resolved'",
               fingerprint));
  if (!id) return std::optional<int64_t>();
  log["alert_id"] = *id;
  log["fingerprint"] = fingerprint;
  log["by"] = "rule";
  CORRIDOR_TRY(AppendLogEntry(c, "monitor_alert.resolve", nullptr, log, parties, now_us));
  CORRIDOR_TRY(Execute(
      c, "UPDATE monitor_alerts SET status = 'resolved', resolved_t = ? WHERE id = ?", t_s, *id));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO monitor_alert_events (alert_id, kind, note, created_at) "
                       "VALUES (?, 'resolved', ?, ?)",
                       *id, note, now_us));
  CORRIDOR_TRY_STATUS(EnqueueDeliveries(c, *id, "resolved", "", now_us));
  return id;
}

Result<std::optional<int64_t>> FireAlert(Connection& c, const Project& p, int64_t rule,
                                         const std::string& indicator, const std::string& severity,
                                         int64_t t_s, double value, int64_t now_us) {
  NewAlert a;
  a.fingerprint = Fingerprint(p.id, indicator, rule);
  a.subject = "project";
  a.indicator = indicator;
  a.severity = severity;
  a.project_id = p.id;
  a.rule_id = rule;
  a.owner_tenant_id = CORRIDOR_TRY(OwnerOf(c, p));
  a.fired_t = t_s;
  a.value = value;
  a.log = Json{{"fingerprint", a.fingerprint},
               {"project_id", p.id},
               {"indicator", indicator},
               {"rule_id", rule},
               {"severity", severity},
               {"time", mon::FormatRfc3339Utc(t_s)},
               {"value", value}};
  a.note =
      fmt::format("{} = {} at {} (rule {})", indicator, value, mon::FormatRfc3339Utc(t_s), rule);
  return OpenAlert(c, a, PartiesOf(p), now_us);
}

Result<std::optional<int64_t>> ResolveByRule(Connection& c, const Project& p, int64_t rule,
                                             const std::string& indicator, int64_t t_s,
                                             int64_t now_us) {
  return CloseAlertByRule(
      c, Fingerprint(p.id, indicator, rule), t_s, Json{{"time", mon::FormatRfc3339Utc(t_s)}},
      fmt::format("clear since the rule's quiet period ended at {}", mon::FormatRfc3339Utc(t_s)),
      PartiesOf(p), now_us);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  CORRIDOR_CHECK(sodium_init() >= 0);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  std::string hex(2 * sizeof mac, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, mac, sizeof mac);
  return hex;
}

Status EnqueueDeliveries(Connection& c, int64_t alert_id, std::string_view event,
                         const std::string& note, int64_t now_us) {
  auto a = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT a.owner_tenant_id, a.fingerprint, a.project_id, "
                                    "p.code, a.indicator, a.severity, a.status, a.fired_t, "
                                    "a.silenced_until, a.subject, a.ecosystem_id, a.enterprise_id "
                                    "FROM monitor_alerts a LEFT JOIN monitor_projects p ON p.id = "
                                    "a.project_id WHERE a.id = ?",
                                    alert_id));
  if (!CORRIDOR_TRY(a.Next())) return Fail(Error::Internal("the alert is missing"));
  const int64_t owner = a.Int(0);
  // A firm's health alert goes to the banks that lend to it as well (its owner is the bureau).
  const int64_t lender_of = a.Text(9) == "enterprise" ? a.OptInt(11).value_or(0) : 0;
  const auto silenced_until = a.OptInt(8);
  const bool silenced = silenced_until && *silenced_until > now_us;
  const Json body{{"event", event},
                  {"note", note},
                  {"at_us", now_us},
                  {"alert",
                   {{"id", alert_id},
                    {"fingerprint", a.Text(1)},
                    {"subject", a.Text(9)},
                    {"project_id", a.OptInt(2) ? Json(a.Int(2)) : Json()},
                    {"project_code", a.OptInt(2) ? Json(a.Text(3)) : Json()},
                    {"ecosystem_id", a.OptInt(10) ? Json(a.Int(10)) : Json()},
                    {"enterprise_id", a.OptInt(11) ? Json(a.Int(11)) : Json()},
                    {"indicator", a.Text(4)},
                    {"severity", a.Text(5)},
                    {"status", a.Text(6)},
                    {"fired_at", mon::FormatRfc3339Utc(a.Int(7))}}}};
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO monitor_deliveries (webhook_id, alert_id, event, body, status, "
      "next_attempt_at, created_at) SELECT w.id, ?, ?, ?, ?, ?, ? FROM monitor_webhooks w JOIN "
      "tenants t ON t.id = w.tenant_id WHERE w.active = 1 AND (w.tenant_id = ? OR t.kind = "
      "'bureau' OR w.tenant_id IN (SELECT bank_tenant_id FROM loans WHERE enterprise_id = ? "
      "UNION SELECT bank_tenant_id FROM supply_lines WHERE supplier_enterprise_id = ?)) ORDER BY "
      "w.id",
      alert_id, event, body.dump(), silenced ? "suppressed" : "pending", now_us, now_us, owner,
      lender_of, lender_of));
  return {};
}

}  // namespace corridor::service::monitor_internal
