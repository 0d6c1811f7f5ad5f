// Green finance routes: rule tables, labels and their review, reserves, statistics, carbon
// accounts, financed emissions and sustainability-linked loans.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddGreen(Table& t) {
  t.Get("/api/v1/green/rule-tables", "The label rule table in force and every published version",
        false, [](const C& x) { return Ok(x.app->green().RuleTables()); });
  t.Write(
      "POST", "/api/v1/green/rule-tables",
      "Publish a new version of the label rule table (bureau); it is in force at once, logged",
      Schema(
          {{"version", Prop("string")},
           {"categories", Prop("array", "[{name, purposes, excluded_industries}]")},
           {"power_dark_below", Prop("number", "gCO2e/kWh")},
           {"power_medium_below", Prop("number", "gCO2e/kWh")},
           {"reduction_dark", Prop("number", "percent")},
           {"reduction_medium", Prop("number", "percent")},
           {"reduction_light", Prop("number", "percent")},
           {"transition_activities", Prop("array")},
           {"transition_min_reduction", Prop("number", "percent")},
           {"subsidy_bps", Prop("array", "by label: not_green, transition, light, medium, dark")},
           {"sources", Prop("array")}},
          {"version"}),
      [](Conn& c, const C& x) { return x.app->green().PublishRuleTable(c, *x.caller, *x.body); });
  t.Write("POST", "/api/v1/green/labels",
          "Label a loan (its bank or the bureau) or a catalogue project (bureau) from evidence; "
          "flagged decisions wait for the bureau's review",
          Schema({{"loan_id", Prop("integer")},
                  {"project_id", Prop("integer")},
                  {"capacity_mw", Prop("number", "wind and solar: installed capacity")},
                  {"project", Prop("object",
                                   "category, activity, intensity_gco2e_per_kwh, "
                                   "emission_reduction_pct, evidence, claimed_label, "
                                   "proceeds_purpose")}},
                 {"project"}),
          [](Conn& c, const C& x) { return x.app->green().DecideLabel(c, *x.caller, *x.body); });
  t.Get("/api/v1/green/labels",
        "Label decisions the caller may see; ?status=under_review is the bureau's review queue",
        true,
        [](const C& x) {
          std::optional<std::string> status;
          if (x.target->HasParam("status")) status = std::string(x.target->Param("status"));
          return Ok(x.app->green().ListLabels(*x.caller, status, x.page));
        })
      .Returns(schemas::Page(schemas::LabelDecision()));
  t.Write(
      "POST", "/api/v1/green/labels/{id}/review",
      "Grant or reject a flagged label decision (bureau), with a note, logged",
      Schema({{"decision", Prop("string", "grant | reject")}, {"note", Prop("string")}},
             {"decision", "note"}),
      [](Conn& c, const C& x) { return x.app->green().ReviewLabel(c, *x.caller, x.id(), *x.body); },
      200);
  t.Get("/api/v1/green/reserves",
        "Green risk reserves and decommissioning deposits held for the caller's loans", true,
        [](const C& x) { return Ok(x.app->green().ListReserves(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::Reserve()));
  t.Write(
      "POST", "/api/v1/green/reserves/{id}/release",
      "Release a reserve (bureau): a deposit on verified decommissioning, a risk reserve once "
      "the loan is repaid",
      Schema({{"note", Prop("string")}, {"decommissioning_verified", Prop("boolean")}}, {"note"}),
      [](Conn& c, const C& x) {
        return x.app->green().ReleaseReserve(c, *x.caller, x.id(), *x.body);
      },
      200);
  t.Get("/api/v1/green/statistics",
        "Green loans by the Catalogue's categories (PBoC green-loan statistics): number, "
        "principal, balance, by label",
        false, [](const C& x) { return Ok(x.app->green().Statistics(*x.caller)); });
  t.Get("/api/v1/green/financed-emissions",
        "Financed emissions of the bank's book (the platform's for the bureau) in ?period=YYYY or "
        "YYYY-Qn, by the PCAF Standard: attributed scopes 1-3, removals and credits apart, "
        "weighted data quality, coverage and the loans not covered with the reason",
        false, [](const C& x) {
          const std::string period =
              x.target->HasParam("period") ? std::string(x.target->Param("period")) : "";
          return Ok(x.app->green().FinancedEmissions(*x.caller, period));
        });
  t.Write("POST", "/api/v1/enterprises/{id}/carbon-records",
          "Record a period of the enterprise's carbon account (the enterprise or the bureau); a "
          "correction replaces it, logged",
          Schema({{"period", Prop("string", "YYYY or YYYY-Qn")},
                  {"scope1_kg", Prop("integer")},
                  {"scope2_kg", Prop("integer")},
                  {"scope3_kg", Prop("integer")},
                  {"reductions_kg", Prop("integer")},
                  {"output", Prop("integer")},
                  {"output_unit", Prop("string")},
                  {"data_quality", Prop("integer", "1 (best) to 5")},
                  {"metered", Prop("boolean")},
                  {"removals_kg", Prop("integer")},
                  {"credits_retired_kg", Prop("integer")},
                  {"credits_generated_kg", Prop("integer")},
                  {"equity_plus_debt_fen", Prop("integer", "the firm's total equity + debt")},
                  {"evic_fen", Prop("integer", "enterprise value including cash (listed firms)")}},
                 {"period", "scope1_kg", "scope2_kg", "scope3_kg", "output", "output_unit",
                  "data_quality"}),
          [](Conn& c, const C& x) {
            return x.app->green().RecordCarbon(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/enterprises/{id}/carbon-account",
        "The enterprise's carbon account: emissions by scope, intensity over time, data quality "
        "and the pricing adjustment",
        false, [](const C& x) { return Ok(x.app->green().CarbonAccount(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/loans/{id}/sustainability-link",
          "Make the bank's loan sustainability-linked: KPIs, margin steps, ratchet, floor and cap",
          Schema({{"base_margin_bps", Prop("integer")},
                  {"kpis", Prop("array", "[{name, target, direction, step_bps}]")},
                  {"ratchet", Prop("string", "symmetric | downward_only")},
                  {"floor_bps", Prop("integer")},
                  {"cap_bps", Prop("integer")}},
                 {"base_margin_bps", "kpis"}),
          [](Conn& c, const C& x) {
            return x.app->green().LinkSustainability(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/loans/{id}/sustainability-link",
        "A sustainability-linked loan's terms and KPI observations", false,
        [](const C& x) { return Ok(x.app->green().Sustainability(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/loans/{id}/kpi-observations",
          "Record a period's KPI results (the bank): the margin moves and re-prices the schedule "
          "from the next period, logged",
          Schema({{"period", Prop("string")}, {"actuals", Prop("object", "{KPI name: value}")}},
                 {"period", "actuals"}),
          [](Conn& c, const C& x) {
            return x.app->green().ObserveKpis(c, *x.caller, x.id(), *x.body);
          });
}

}  // namespace corridor::api::routes
