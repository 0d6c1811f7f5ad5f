// Early-warning routes: monitored projects, telemetry uploads, rules with their ARLs, alerts and
// their lifecycle, curtailment by region and month.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

namespace {

Result<Date> DateParam(const Target& t, const char* name) {
  if (!t.HasParam(name)) return Fail(Error::Invalid(std::string("/") + name, "is required"));
  auto d = Date::Parse(t.Param(name));
  if (!d) return Fail(Error::Invalid(std::string("/") + name, "must be a date YYYY-MM-DD"));
  return *d;
}

}  // namespace

void AddMonitor(Table& t) {
  t.Write(
       "POST", "/api/v1/monitor/projects",
       "Monitor a wind or solar project (its lending bank, or the bureau for a bank)",
       Schema({{"code", Prop("string", "what telemetry rows name the project by")},
               {"name", Prop("string")},
               {"type", Prop("string", "wind | solar")},
               {"capacity_kw", Prop("integer", "installed capacity")},
               {"region", Prop("string", "county-level division")},
               {"enterprise_id", Prop("integer", "the owner (borrower)")},
               {"loan_id", Prop("integer", "the loan that finances it (optional)")},
               {"bank_tenant_id", Prop("integer", "the bureau names the bank (optional)")}},
              {"code", "name", "type", "capacity_kw", "region", "enterprise_id"}),
       [](Conn& c, const C& x) { return x.app->monitor().RegisterProject(c, *x.caller, *x.body); })
      .Returns(schemas::MonitorProject());
  t.Get("/api/v1/monitor/projects",
        "Projects the caller sees with their risk state; risk_state=critical|warning|info|normal",
        true,
        [](const C& x) {
          return Ok(
              x.app->monitor().ListProjects(*x.caller, x.page, TextParam(*x.target, "risk_state")));
        })
      .Returns(schemas::Page(schemas::MonitorProject()));
  t.Get("/api/v1/monitor/projects/{id}",
        "A project with the latest reading of each indicator and its open alerts", false,
        [](const C& x) { return Ok(x.app->monitor().GetProject(*x.caller, x.id())); })
      .Returns(schemas::MonitorProject());
  t.Get("/api/v1/monitor/projects/{id}/series",
        "One indicator's readings (indicator, from, to: UTC days; raw up to 92 days) and daily "
        "aggregates",
        false, [](const C& x) -> Result<Response> {
          const auto indicator = TextParam(*x.target, "indicator");
          if (!indicator) return Fail(Error::Invalid("/indicator", "is required"));
          const Date from = CORRIDOR_TRY(DateParam(*x.target, "from"));
          const Date to = CORRIDOR_TRY(DateParam(*x.target, "to"));
          return Ok(x.app->monitor().Series(*x.caller, x.id(), *indicator, from, to));
        });
  t.Write(
       "POST", "/api/v1/monitor/telemetry",
       "Upload readings as JSON rows or as CSV text (the project's enterprise, or the bureau): "
       "bad rows are refused with their row and reason, good rows kept and charted",
       Schema(
           {{"readings", Prop("array", "rows {project, indicator, time, value, unit?}")},
            {"csv", Prop("string", "CSV text with a header: project,indicator,time,value[,unit]")}},
           {}),
       [](Conn& c, const C& x) { return x.app->monitor().Ingest(c, *x.caller, *x.body); }, 200)
      .Returns(schemas::TelemetryUpload())
      .BulkUpload();
  t.Get("/api/v1/monitor/rules", "The monitoring rules (the bureau's published policy)", true,
        [](const C& x) { return Ok(x.app->monitor().ListRules(*x.caller, x.page)); });
  t.Write("POST", "/api/v1/monitor/rules", "Add a monitoring rule (bureau); logged",
          Schema({{"indicator", Prop("string")},
                  {"project_type", Prop("string", "wind | solar | any")},
                  {"kind", Prop("string", "threshold | cusum | ewma | rate")},
                  {"params", Prop("object", "the kind's parameters")},
                  {"severity", Prop("string", "info | warning | critical")},
                  {"description", Prop("string")},
                  {"active", Prop("boolean")}},
                 {"indicator", "kind", "params", "severity", "description"}),
          [](Conn& c, const C& x) { return x.app->monitor().CreateRule(c, *x.caller, *x.body); });
  t.Write(
      "POST", "/api/v1/monitor/rules/{id}",
      "Change a rule (bureau): params, severity, description, active; both sides logged in "
      "the policy ledger, its detectors restart",
      Schema({{"params", Prop("object")},
              {"severity", Prop("string")},
              {"description", Prop("string")},
              {"active", Prop("boolean")}},
             {}),
      [](Conn& c, const C& x) {
        return x.app->monitor().UpdateRule(c, *x.caller, x.id(), *x.body);
      },
      200);
  t.Get("/api/v1/monitor/rules/{id}/arl",
        "A CUSUM or EWMA rule's average run length in control and for shifts of 0.5 to 3 sigma",
        false, [](const C& x) { return Ok(x.app->monitor().RuleArl(*x.caller, x.id())); });
  t.Get("/api/v1/monitor/alerts",
        "Alerts the caller sees; status=open|firing|acknowledged|resolved", true,
        [](const C& x) {
          return Ok(x.app->monitor().ListAlerts(*x.caller, x.page, TextParam(*x.target, "status")));
        })
      .Returns(schemas::Page(schemas::MonitorAlert()));
  t.Get("/api/v1/monitor/alerts/{id}",
        "An alert with its history, the borrower's exposures and who else is hit", false,
        [](const C& x) { return Ok(x.app->monitor().GetAlert(*x.caller, x.id())); });
  t.Write(
      "POST", "/api/v1/monitor/alerts/{id}/acknowledge",
      "Acknowledge a firing alert (its bank or the bureau)", Schema({{"note", Prop("string")}}, {}),
      [](Conn& c, const C& x) {
        return x.app->monitor().Acknowledge(c, *x.caller, x.id(), *x.body);
      },
      200);
  t.Write(
      "POST", "/api/v1/monitor/alerts/{id}/comments", "Comment on an alert (anyone who sees it)",
      Schema({{"note", Prop("string")}}, {"note"}),
      [](Conn& c, const C& x) { return x.app->monitor().Comment(c, *x.caller, x.id(), *x.body); });
  t.Write(
      "POST", "/api/v1/monitor/alerts/{id}/silence",
      "Silence an alert until a time at most 30 days away, with a reason (its bank or the "
      "bureau)",
      Schema({{"until", Prop("string", "RFC 3339")}, {"reason", Prop("string")}},
             {"until", "reason"}),
      [](Conn& c, const C& x) { return x.app->monitor().Silence(c, *x.caller, x.id(), *x.body); },
      200);
  t.Write(
      "POST", "/api/v1/monitor/alerts/{id}/resolve",
      "Resolve an alert with a note (its bank or the bureau); its rule fires again if the "
      "breach goes on",
      Schema({{"note", Prop("string")}}, {"note"}),
      [](Conn& c, const C& x) { return x.app->monitor().Resolve(c, *x.caller, x.id(), *x.body); },
      200);
  t.Write("POST", "/api/v1/monitor/webhooks",
          "Subscribe the caller's organisation to its alerts' events at an http(s) URL (a bank's "
          "officer or the bureau's administrator); the signing secret is shown once",
          Schema({{"url", Prop("string")}}, {"url"}), [](Conn& c, const C& x) {
            return x.app->monitor().CreateWebhook(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/monitor/webhooks", "The caller's organisation's webhooks (without secrets)", true,
        [](const C& x) { return Ok(x.app->monitor().ListWebhooks(*x.caller, x.page)); });
  t.Get("/api/v1/monitor/webhooks/{id}/deliveries",
        "A webhook's deliveries: event, status (pending, delivered, failed, suppressed while "
        "silenced), attempts, the last error",
        true,
        [](const C& x) { return Ok(x.app->monitor().ListDeliveries(*x.caller, x.id(), x.page)); });
  t.Write(
       "POST", "/api/v1/monitor/health/reports",
       "Weekly reports of an ecosystem's member firms (the firm, or the bureau for any member): "
       "bad rows refused with their row and reason, good rows kept; the health index and its "
       "alerts follow",
       Schema({{"ecosystem_id", Prop("integer")},
               {"reports", Prop("array",
                                "rows {enterprise_id, week (a Monday), orders_fen?, "
                                "receivables_due_fen? + receivables_collected_fen?, "
                                "capacity_units? + used_units?, inventory_units? + "
                                "inventory_need_units?}")}},
              {"ecosystem_id", "reports"}),
       [](Conn& c, const C& x) { return x.app->monitor().IngestHealth(c, *x.caller, *x.body); },
       200)
      .Returns(schemas::HealthUpload())
      .BulkUpload();
  t.Get("/api/v1/monitor/health/ecosystems/{id}",
        "The ecosystem's weekly health index with its firms worst first (oversight), or one "
        "member firm's (enterprise_id: also the firm and its lenders); weeks (default 52, at most "
        "260)",
        false,
        [](const C& x) -> Result<Response> {
          const double firm = CORRIDOR_TRY(NumberParam(*x.target, "enterprise_id", 1, 9e15, 0));
          const double weeks = CORRIDOR_TRY(NumberParam(*x.target, "weeks", 1, 260, 52));
          return Ok(x.app->monitor().Health(
              *x.caller, x.id(),
              firm == 0 ? std::nullopt : std::optional<int64_t>(static_cast<int64_t>(firm)),
              static_cast<int>(weeks)));
        })
      .Returns(schemas::EcosystemHealth());
  t.Get("/api/v1/monitor/curtailment",
        "Curtailment rate by region and month over the projects the caller sees (year)", false,
        [](const C& x) -> Result<Response> {
          const double year = CORRIDOR_TRY(NumberParam(*x.target, "year", 2000, 2100, 0));
          if (year == 0) return Fail(Error::Invalid("/year", "is required"));
          return Ok(x.app->monitor().Curtailment(*x.caller, static_cast<int>(year)));
        });
}

}  // namespace corridor::api::routes
