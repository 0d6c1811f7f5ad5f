#pragma once
// Helpers shared by the monitor context's files (not part of its interface).
#include <optional>
#include <string>
#include <vector>

#include "risk/monitor/rule.hpp"
#include "risk/monitor/series_block.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service::monitor_internal {

struct Project {
  int64_t id = 0;
  std::string code, name, type, region;
  int64_t capacity_kw = 0;
  int64_t enterprise_id = 0;
  int64_t enterprise_tenant_id = 0;
  std::string enterprise_name;
  std::optional<int64_t> bank_tenant_id;
  std::optional<int64_t> loan_id;
};

Result<Project> LoadProject(store::Connection& c, int64_t id);
// Its bank, its enterprise and the oversight roles see a project.
bool SeesProject(const Caller& caller, const Project& p);
// The project as served: its fields, risk state and open alerts, latest readings.
Result<Json> ProjectJson(store::Connection& c, int64_t id, int64_t now_us);
// The SQL condition "the caller sees project p" (alias p), with its three parameters.
inline constexpr std::string_view kSeesProjectSql =
    "(? OR p.bank_tenant_id = ? OR p.enterprise_id = ?)";

// What an alert is about: a monitored project, a firm of an ecosystem (its health index) or an
// ecosystem as a whole. `parties` are the tenants that see it and read its log entries besides
// the oversight roles: a project's enterprise and bank; a firm and the banks that lend to it (loans
// or supply lines); nobody else for an ecosystem.
struct Subject {
  std::string kind;      // project | enterprise | ecosystem | model
  int64_t model_id = 0;  // a bank's scoring model whose population shifted
  std::string model_name;
  std::optional<Project> project;
  int64_t ecosystem_id = 0;
  std::string ecosystem_name;
  int64_t enterprise_id = 0;  // the project's owner or the firm; 0 for an ecosystem
  int64_t enterprise_tenant_id = 0;
  std::string enterprise_name, region;
  std::vector<int64_t> parties;
};
Result<Subject> ProjectSubject(store::Connection& c, int64_t project_id);
Result<Subject> HealthSubject(store::Connection& c, int64_t ecosystem_id, int64_t enterprise_id);
// A bank's scoring model: seen by the bank and the oversight roles.
Result<Subject> ModelSubject(store::Connection& c, int64_t model_id);
bool SeesSubject(const Caller& caller, const Subject& s);
// The SQL condition "the caller sees alert a" (alias a, joined to its project as p, which may be
// absent), with its seven parameters: oversight, bank tenant, enterprise id, enterprise id, bank
// tenant, bank tenant, bank tenant.
inline constexpr std::string_view kSeesAlertSql =
    "(? OR (a.subject = 'project' AND (p.bank_tenant_id = ? OR p.enterprise_id = ?)) OR "
    "(a.subject = 'enterprise' AND (a.enterprise_id = ? OR EXISTS (SELECT 1 FROM loans l WHERE "
    "l.enterprise_id = a.enterprise_id AND l.bank_tenant_id = ?) OR EXISTS (SELECT 1 FROM "
    "supply_lines sl WHERE sl.supplier_enterprise_id = a.enterprise_id AND sl.bank_tenant_id = "
    "?))) OR (a.subject = 'model' AND a.owner_tenant_id = ?))";

// One series' stored readings of a UTC day (empty when none, or when only aggregates are left).
Result<std::vector<risk::monitor::Point>> LoadBlock(store::Connection& c, int64_t project,
                                                    int indicator, int64_t day);
// Writes the day's block and its aggregates (count, min, max, sum, last).
Status SaveBlock(store::Connection& c, int64_t project, int indicator, int64_t day,
                 const std::vector<risk::monitor::Point>& points);

// The series' detector for a rule at `version`: its stored state, or a fresh one when there is
// none or the rule changed since (then, if an alert of the rule is open, it starts firing, so that
// it resolves by the quiet period like any other).
Result<risk::monitor::RuleDetector> LoadDetector(store::Connection& c, int64_t project,
                                                 int64_t rule, int64_t version,
                                                 const risk::monitor::RuleParams& params);
Status SaveDetector(store::Connection& c, int64_t project, int64_t rule, int64_t version,
                    const risk::monitor::RuleState& state);

// The tenants that read a project's log entries besides the oversight roles.
std::vector<int64_t> PartiesOf(const Project& p);

std::string Fingerprint(int64_t project, std::string_view indicator, int64_t rule);
// The bureau's tenant (the owner of alerts with no bank).
Result<int64_t> BureauTenant(store::Connection& c);

// How every alert opens and closes, whatever its subject: an entry of the transparency log for
// its parties, the row, the history's first or last event and the webhook deliveries.
struct NewAlert {
  std::string fingerprint, subject, indicator, severity;
  std::optional<int64_t> project_id, rule_id, ecosystem_id, enterprise_id, model_id;
  int64_t owner_tenant_id = 0;
  int64_t fired_t = 0;  // seconds
  double value = 0;
  Json log;          // the "monitor_alert.fire" entry's body
  std::string note;  // the "fired" event's note
};
// Opens the alert unless one is open for its fingerprint already; its id when opened.
Result<std::optional<int64_t>> OpenAlert(store::Connection& c, const NewAlert& a,
                                         const std::vector<int64_t>& parties, int64_t now_us);
// Resolves the open alert of `fingerprint` by its rule at `t_s`: the log entry's body is `log`
// with the alert's id, fingerprint and "by": "rule"; `note` is the "resolved" event's.
Result<std::optional<int64_t>> CloseAlertByRule(store::Connection& c,
                                                const std::string& fingerprint, int64_t t_s,
                                                Json log, const std::string& note,
                                                const std::vector<int64_t>& parties,
                                                int64_t now_us);

// A project's rule: opens the alert unless one is open for the fingerprint already; its id when
// opened.
Result<std::optional<int64_t>> FireAlert(store::Connection& c, const Project& p, int64_t rule,
                                         const std::string& indicator, const std::string& severity,
                                         int64_t t_s, double value, int64_t now_us);
// Resolves the open alert of the fingerprint (its rule cleared for the quiet period).
Result<std::optional<int64_t>> ResolveByRule(store::Connection& c, const Project& p, int64_t rule,
                                             const std::string& indicator, int64_t t_s,
                                             int64_t now_us);

// Queues the alert's event for every active webhook of its owner and of the bureau, with the
// alert as the body; while the alert is silenced the deliveries are recorded as suppressed.
Status EnqueueDeliveries(store::Connection& c, int64_t alert_id, std::string_view event,
                         const std::string& note, int64_t now_us);

// HMAC-SHA256 (RFC 2104) of `message` under `key`, lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace corridor::service::monitor_internal
