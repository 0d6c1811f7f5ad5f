#pragma once
// Early warning on the platform (seed 000 §三(三), seed 002 §5.3.1, §5.4.1; PRODUCT.md §F;
// docs/early-warning.md): the wind and solar projects financed on the platform, their telemetry,
// the monitoring rules and the alerts people act on.
//
// Projects: a bank registers a project it finances (its borrower, optionally the loan), or the
// bureau registers one for a bank. A project is seen by its bank, its enterprise and the
// oversight roles; nobody else learns it exists.
//
// Telemetry: the project's enterprise (its SCADA's token) or the bureau uploads readings, as JSON
// rows or as a CSV text. Every bad row is refused with its row and reason (a row for a project the
// caller may not write reads "is not a monitored project", like an unknown code), the good rows
// are kept, in one transaction: a reading already stored for the same time is a duplicate (same
// value) or a conflict (another value), and a reading more than a year old is refused (the raw
// year is what is kept; older days keep their aggregates only). Curtailment rates are derived
// exactly where a row gives the energies and not the rate.
//
// Rules and detectors: the bureau's rules (the defaults of risk/monitor/rule.hpp to start) chart
// every series of the indicator and project type they name; each series' detector state is kept
// between uploads, so a series is charted across batches as if it came in one, in time order (a
// reading at or before the last one charted is stored but not charted). A rule's change is an
// entry of the policy ledger (the transparency log) and restarts its detectors.
//
// Health: member firms of an ecosystem report weekly figures (orders, receivables due and
// collected, capacity used, stock against what the orders need); with the platform's own loans
// (what is overdue) they make each firm's weekly health index and the ecosystem's, and an alert
// fires when an index has fallen at least 15% in each of two consecutive weeks.
//
// Alerts: one alert per (project, indicator, rule) while it is open (a unique fingerprint), fired
// when the rule's debouncer fires and resolved when it resolves (after the rule's quiet period)
// or by its owner. The owner is the project's bank (the bureau where none); the bank's officers and
// analysts and the bureau's administrator acknowledge, silence until a time (with a reason) and
// resolve, they and the project's enterprise comment; every act is an entry of the alert's
// append-only history (and of the transparency log, comments aside). An alert reads with the
// borrower's exposures (its loans on the platform) and, through the ecosystems it belongs to, who
// else is hit. An open equipment-utilization alert restricts new supply-chain financing of the
// enterprise (seed 002 §5.4), as a production reading below 60% does.
//
// Thread-safe: all state is in the store.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

// The network seam of the webhooks: posts a body to a URL with headers and answers the HTTP
// status, or an error when no answer came (refused, timed out, a URL it cannot reach). The App
// gives the HTTP client (app/webhook_sender.hpp); tests give a fake.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  using Headers = std::vector<std::pair<std::string, std::string>>;
  virtual Result<int> Post(const std::string& url, const Headers& headers,
                           const std::string& body) const = 0;
};

class Monitor {
 public:
  // `ecosystems` answers who else an alert's borrower would hit (its risk paths).
  Monitor(store::Store& store, const Clock& clock, Ecosystems& ecosystems)
      : store_(store), clock_(clock), ecosystems_(ecosystems) {}

  // --- writes (inside Transactions::Mutate) ---
  Result<Response> RegisterProject(store::Connection& c, const Caller& caller, const Json& body);
  // {"readings": [{"project", "indicator", "time", "value", "unit"?}]} or {"csv": "..."} →
  // {"accepted", "refused": [{"row", "field", "reason"}], "derived", "alerts_fired",
  // "alerts_resolved"}.
  Result<Response> Ingest(store::Connection& c, const Caller& caller, const Json& body);
  // The bureau changes a rule (params, severity, active, description).
  Result<Response> UpdateRule(store::Connection& c, const Caller& caller, int64_t rule_id,
                              const Json& body);
  Result<Response> CreateRule(store::Connection& c, const Caller& caller, const Json& body);
  Result<Response> Acknowledge(store::Connection& c, const Caller& caller, int64_t alert_id,
                               const Json& body);
  Result<Response> Comment(store::Connection& c, const Caller& caller, int64_t alert_id,
                           const Json& body);
  Result<Response> Silence(store::Connection& c, const Caller& caller, int64_t alert_id,
                           const Json& body);
  Result<Response> Resolve(store::Connection& c, const Caller& caller, int64_t alert_id,
                           const Json& body);

  // Weekly reports of an ecosystem's member firms (the firm itself, or the bureau for any
  // member): {"ecosystem_id", "reports": [{"enterprise_id", "week" (a Monday), "orders_fen",
  // "receivables_due_fen" + "receivables_collected_fen", "capacity_units" + "used_units",
  // "inventory_units" + "inventory_need_units"}]}, each figure optional (pairs together). Bad
  // rows are refused with their row and reason, good ones kept; a report already stored for the
  // firm and week is a duplicate or a conflict. The index of each firm and of the ecosystem is
  // computed again from the first new week on, and the health alerts fire or resolve →
  // {"accepted", "refused", "alerts_fired", "alerts_resolved"}.
  Result<Response> IngestHealth(store::Connection& c, const Caller& caller, const Json& body);

  // A bank's officer or the bureau's administrator subscribes its organisation to its alerts'
  // events at an http(s) URL; the answer holds the signing secret, shown once.
  Result<Response> CreateWebhook(store::Connection& c, const Caller& caller, const Json& body);

  // Sends the deliveries that are due (at most `max`), each outside any transaction, and records
  // each outcome: a 2xx answer delivers it; anything else is retried after 30 s, 2 min, 10 min,
  // 1 h and 6 h, and fails after the sixth try. Each POST carries the alert as JSON with
  // Corridor-Delivery (its id: delivery is at least once, receivers drop repeats), Corridor-Event
  // and Corridor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>. Called
  // by the App's worker every second.
  struct DeliveryRun {
    int delivered = 0, retried = 0, failed = 0;
  };
  Result<DeliveryRun> DeliverDue(const WebhookSender& sender, size_t max = 100);

  // --- reads ---
  // The caller's organisation's webhooks (never their secrets), and one's deliveries.
  Result<Json> ListWebhooks(const Caller& caller, const Page& page);
  Result<Json> ListDeliveries(const Caller& caller, int64_t webhook_id, const Page& page);
  // Projects the caller sees, each with its risk state (the worst open alert's severity, or
  // "normal") and its open alerts; risk_state filters.
  Result<Json> ListProjects(const Caller& caller, const Page& page,
                            const std::optional<std::string>& risk_state);
  // A project with the latest reading of each indicator and its open alerts.
  Result<Json> GetProject(const Caller& caller, int64_t project_id);
  // One indicator's readings from `from` to `to` (UTC days, inclusive; at most 92 days of raw
  // readings), and the daily aggregates of days whose raw block was dropped.
  Result<Json> Series(const Caller& caller, int64_t project_id, std::string_view indicator,
                      Date from, Date to);
  Result<Json> ListRules(const Caller& caller, const Page& page);
  // The rule's ARL in control and for shifts of 0.5, 1, 2 and 3 σ (CUSUM and EWMA rules).
  Result<Json> RuleArl(const Caller& caller, int64_t rule_id);
  // status: open (firing or acknowledged), firing, acknowledged, resolved; none: all.
  Result<Json> ListAlerts(const Caller& caller, const Page& page,
                          const std::optional<std::string>& status);
  // An alert with its history, the borrower's exposures and who else is hit.
  Result<Json> GetAlert(const Caller& caller, int64_t alert_id);
  // The weekly health index of an ecosystem (oversight roles), with its firms worst first, or of
  // one member firm (also the firm itself and its lenders): the last `weeks` weeks with their
  // components, the week's change and whether its fall counts, and the subject's alerts.
  Result<Json> Health(const Caller& caller, int64_t ecosystem_id,
                      std::optional<int64_t> enterprise_id, int weeks);
  // Curtailment rate by region and month over the projects the caller sees:
  // Σ curtailed / (Σ generated + Σ curtailed) of the daily aggregates, months of `year`.
  Result<Json> Curtailment(const Caller& caller, int year);

 private:
  store::Store& store_;
  const Clock& clock_;
  Ecosystems& ecosystems_;
};

// A bank's scoring model in the early-warning alerts (docs/credit-scoring.md): a run whose
// population has shifted (PSI above 0.25) opens a warning on the model, owned by its bank, unless
// one is open; a later run that has not shifted resolves it. Inside the run's transaction.
struct ModelStability {
  int64_t model_id = 0;
  int64_t bank_tenant_id = 0;
  Date as_of;
  std::optional<double> psi;
  std::string stability;  // stable | watch | shifted | none
};
// The id of the alert opened or resolved, if any.
Result<std::optional<int64_t>> RecordModelStability(store::Connection& c, const ModelStability& m,
                                                    int64_t now_us);

}  // namespace corridor::service
