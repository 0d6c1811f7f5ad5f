#include "api/routes/schemas.hpp"

namespace corridor::api::routes::schemas {
namespace {

Json Nullable(std::string_view type, std::string_view description = "") {
  Json p{{"type", Json::array({type, "null"})}};
  if (!description.empty()) p["description"] = description;
  return p;
}

}  // namespace

Json Page(Json item) {
  return Schema(
      {{"items", Json{{"type", "array"}, {"items", std::move(item)}}},
       {"next_cursor", Nullable("string", "the cursor of the next page; null at the end")}},
      {"items", "next_cursor"});
}

Json Stats() {
  return Schema({{"registered", Prop("integer")},
                 {"verified", Prop("integer")},
                 {"deals", Prop("integer")},
                 {"amount_financed_fen", Prop("integer")},
                 {"amount_financed", Prop("string", "yuan, e.g. ¥4,228,000,000.00")}},
                {"registered", "verified", "deals", "amount_financed_fen", "amount_financed"});
}

Json Session() {
  return Schema({{"user", Prop("object", "id, name, role")},
                 {"tenant", Prop("object", "id, kind, name")},
                 {"enterprise", Nullable("object", "the enterprise of an enterprise user")}},
                {"user", "tenant", "enterprise"});
}

Json Enterprise() {
  return Schema(
      {{"id", Prop("integer")},
       {"uscc", Prop("string", "18-character code, GB 32100-2015")},
       {"name", Prop("string")},
       {"region", Prop("string")},
       {"industry", Prop("string")},
       {"status", Prop("string", "registered | verified")},
       {"green_label", Prop("string")},
       {"registered_at_us", Prop("integer")},
       {"verified_at_us", Nullable("integer")},
       {"credit_profile", Nullable("object", "one enterprise: the shared-data profile")},
       {"agri_profile",
        Nullable("object", "one enterprise: herd, contracted land, insurance, cooperative")}},
      {"id", "uscc", "name", "region", "industry", "status", "green_label", "registered_at_us",
       "verified_at_us"});
}

namespace {

// The terms a bank publishes: what it sends to publish a product and what the catalogue shows.
Json ProductTerms() {
  return Schema({{"name", Prop("string")},
                 {"min_amount_fen", Prop("integer")},
                 {"max_amount_fen", Prop("integer")},
                 {"min_term_months", Prop("integer")},
                 {"max_term_months", Prop("integer")},
                 {"regions", Prop("array")},
                 {"industries", Prop("array")},
                 {"collateral_free", Prop("boolean")},
                 {"green_only", Prop("boolean")},
                 {"rate_bps", Prop("integer")},
                 {"green_discount_bps", Prop("integer")}},
                {"name", "min_amount_fen", "max_amount_fen", "min_term_months", "max_term_months",
                 "rate_bps"});
}

}  // namespace

Json ProductRequest() {
  Json s = ProductTerms();
  s["properties"]["whitelist_id"] = Prop("integer");
  return s;
}

Json Product() {
  Json s = ProductTerms();
  Json& props = s["properties"];
  props["id"] = Prop("integer");
  props["bank_tenant_id"] = Prop("integer");
  props["bank_name"] = Prop("string");
  props["whitelist_id"] = Nullable("integer");
  Json required = Json::array({"id", "bank_tenant_id"});
  for (auto& name : s["required"]) required.push_back(std::move(name));
  s["required"] = std::move(required);
  return s;
}

Json Project() {
  return Schema({{"id", Prop("integer")},
                 {"name", Prop("string")},
                 {"region", Prop("string")},
                 {"industry", Prop("string")},
                 {"amount_fen", Prop("integer")},
                 {"green_label", Prop("string")},
                 {"description", Prop("string")}},
                {"id", "name", "region", "industry", "amount_fen"});
}

Json Need() {
  return Schema({{"id", Prop("integer")},
                 {"enterprise_id", Prop("integer")},
                 {"amount_fen", Prop("integer")},
                 {"term_months", Prop("integer")},
                 {"purpose", Prop("string")},
                 {"collateral_free_required", Prop("boolean")},
                 {"max_rate_bps", Nullable("integer")},
                 {"status", Prop("string", "open | funded | ...")},
                 {"created_at_us", Prop("integer")},
                 {"enterprise", Prop("object", "the enterprise as listed")},
                 {"credit_score", Nullable("object",
                                           "for a bank: its latest score of the enterprise by an "
                                           "approved model {score, pd, reasons, as_of, model_id, "
                                           "model_name, version, cutoff, above_cutoff}")}},
                {"id", "enterprise_id", "amount_fen", "term_months", "purpose", "status"});
}

Json Offer() {
  return Schema({{"id", Prop("integer")},
                 {"need_id", Prop("integer")},
                 {"bank_tenant_id", Prop("integer")},
                 {"product_id", Nullable("integer")},
                 {"enterprise_id", Prop("integer")},
                 {"amount_fen", Prop("integer")},
                 {"annual_rate_bps", Prop("integer")},
                 {"term_months", Prop("integer")},
                 {"method", Prop("string", "equal_installment | equal_principal | bullet")},
                 {"kind", Prop("string", "standard | entrepreneurship")},
                 {"status", Prop("string", "offered | accepted | declined | booked")},
                 {"created_at_us", Prop("integer")},
                 {"decided_at_us", Nullable("integer")}},
                {"id", "need_id", "bank_tenant_id", "amount_fen", "annual_rate_bps", "term_months",
                 "method", "kind", "status"});
}

Json LoanItem() {
  return Schema({{"id", Prop("integer")},
                 {"bank_tenant_id", Prop("integer")},
                 {"enterprise_id", Prop("integer")},
                 {"principal_fen", Prop("integer")},
                 {"annual_rate_bps", Prop("integer")},
                 {"term_months", Prop("integer")},
                 {"method", Prop("string")},
                 {"kind", Prop("string")},
                 {"start_date", Prop("string", "YYYY-MM-DD")}},
                {"id", "bank_tenant_id", "enterprise_id", "principal_fen", "annual_rate_bps",
                 "term_months", "method", "kind", "start_date"});
}

Json Loan() {
  return Schema({{"id", Prop("integer")},
                 {"offer_id", Prop("integer")},
                 {"bank_tenant_id", Prop("integer")},
                 {"enterprise_id", Prop("integer")},
                 {"principal_fen", Prop("integer")},
                 {"annual_rate_bps", Prop("integer")},
                 {"borrower_rate_bps", Prop("integer")},
                 {"subsidy_rate_bps", Prop("integer")},
                 {"lpr_bps", Nullable("integer")},
                 {"term_months", Prop("integer")},
                 {"method", Prop("string")},
                 {"kind", Prop("string")},
                 {"start_date", Prop("string", "YYYY-MM-DD")},
                 {"booked_at_us", Prop("integer")},
                 {"status", Prop("string", "current | overdue | repaid")},
                 {"outstanding_fen", Prop("integer")},
                 {"overdue_fen", Prop("integer")},
                 {"days_overdue", Prop("integer")},
                 {"guarantee", Nullable("object")},
                 {"schedule", Prop("object", "installments with due dates, parts and payments")}},
                {"id", "offer_id", "bank_tenant_id", "enterprise_id", "principal_fen",
                 "annual_rate_bps", "borrower_rate_bps", "subsidy_rate_bps", "term_months",
                 "method", "kind", "start_date", "status", "outstanding_fen", "schedule"});
}

Json Guarantee() {
  return Schema({{"id", Prop("integer")},
                 {"loan_id", Prop("integer")},
                 {"guarantor_tenant_id", Prop("integer")},
                 {"guarantor_name", Prop("string")},
                 {"cover_bps", Prop("integer")},
                 {"covered_fen", Prop("integer")},
                 {"fee_bps", Prop("integer")},
                 {"created_at_us", Prop("integer")}},
                {"id", "loan_id", "guarantor_tenant_id", "cover_bps", "covered_fen", "fee_bps"});
}

Json GuaranteeRequest() {
  return Schema({{"id", Prop("integer")},
                 {"offer_id", Prop("integer")},
                 {"bank_tenant_id", Prop("integer")},
                 {"guarantor_tenant_id", Prop("integer")},
                 {"cover_bps", Prop("integer")},
                 {"fee_bps", Prop("integer")},
                 {"status", Prop("string", "requested | approved | declined | used")},
                 {"created_at_us", Prop("integer")},
                 {"decided_at_us", Nullable("integer")},
                 {"offer", Prop("object", "the offer's amount, rate, term, kind and enterprise")}},
                {"id", "offer_id", "bank_tenant_id", "guarantor_tenant_id", "cover_bps", "fee_bps",
                 "status"});
}

Json LprFixing() {
  return Schema({{"effective_date", Prop("string", "YYYY-MM-DD")},
                 {"tenor", Prop("string", "1y | 5y")},
                 {"rate_bps", Prop("integer")}},
                {"effective_date", "tenor", "rate_bps"});
}

Json SubsidyProgram() {
  return Schema({{"id", Prop("integer")},
                 {"name", Prop("string")},
                 {"subsidy_bps", Prop("integer")},
                 {"budget_fen", Prop("integer")},
                 {"spent_fen", Prop("integer")},
                 {"remaining_fen", Prop("integer")},
                 {"by_green_label", Prop("boolean")}},
                {"id", "name", "subsidy_bps", "budget_fen", "spent_fen", "remaining_fen"});
}

Json Asset() {
  return Schema({{"id", Prop("integer")},
                 {"type", Prop("string", "order | invoice | logistics | receivable | equipment")},
                 {"document_number", Prop("string")},
                 {"document_type", Prop("string")},
                 {"debtor_uscc", Nullable("string")},
                 {"creditor_uscc", Prop("string")},
                 {"amount_fen", Nullable("integer")},
                 {"due_date", Nullable("string")},
                 {"order_id", Nullable("integer")},
                 {"description", Nullable("string")},
                 {"status", Prop("string")},
                 {"registrant_tenant_id", Prop("integer")},
                 {"holder_tenant_id", Prop("integer")},
                 {"log_index", Prop("integer", "the registration's entry in the transparency log")},
                 {"created_at_us", Prop("integer")},
                 {"claims", Prop("array", "pledges and transfers in priority order")}},
                {"id", "type", "document_number", "creditor_uscc", "status", "log_index"});
}

Json Ecosystem() {
  return Schema({{"id", Prop("integer")},
                 {"name", Prop("string")},
                 {"core_enterprise_id", Prop("integer")},
                 {"core_cap_bps", Prop("integer")},
                 {"members", Prop("integer")}},
                {"id", "name", "core_enterprise_id", "core_cap_bps"});
}

Json RiskPool() {
  return Schema({{"id", Prop("integer")},
                 {"name", Prop("string")},
                 {"scheme", Prop("string")},
                 {"ecosystem_id", Nullable("integer")},
                 {"funded_fen", Prop("integer")},
                 {"drawn_fen", Prop("integer")},
                 {"balance_fen", Prop("integer")}},
                {"id", "name", "scheme", "funded_fen", "drawn_fen", "balance_fen"});
}

Json LabelDecision() {
  return Schema({{"id", Prop("integer")},
                 {"loan_id", Nullable("integer")},
                 {"project_id", Nullable("integer")},
                 {"label", Prop("string", "not_green | transition | light | medium | dark")},
                 {"category", Prop("string")},
                 {"status", Prop("string", "granted | under_review | rejected")},
                 {"subsidy_bps", Prop("integer")},
                 {"rule_table_version", Prop("string")},
                 {"log_index", Prop("integer")},
                 {"decision", Prop("object", "the reasons and any greenwashing flags")}},
                {"id", "label", "status", "rule_table_version"});
}

Json Reserve() {
  return Schema({{"id", Prop("integer")},
                 {"loan_id", Prop("integer")},
                 {"kind", Prop("string", "risk_reserve | decommissioning_deposit")},
                 {"amount_fen", Prop("integer")},
                 {"status", Prop("string", "held | released")},
                 {"log_index", Prop("integer")}},
                {"id", "loan_id", "kind", "amount_fen", "status"});
}

Json Indicator() {
  return Schema({{"region", Prop("string")},
                 {"year", Prop("integer")},
                 {"indicator", Prop("string")},
                 {"value", Prop("number")},
                 {"unit", Prop("string")},
                 {"direction", Prop("string", "positive | negative")},
                 {"subsystem", Prop("string")},
                 {"log_index", Prop("integer")}},
                {"region", "year", "indicator", "value"});
}

Json Analysis() {
  return Schema({{"id", Prop("integer")},
                 {"portfolio_id", Prop("integer")},
                 {"status", Prop("string", "queued | running | done | failed")},
                 {"progress", Prop("number", "0 to 1")},
                 {"params", Prop("object")},
                 {"created_at_us", Prop("integer")},
                 {"finished_at_us", Prop("integer")},
                 {"result", Prop("object", "when done: portfolio, monte_carlo, concentration")},
                 {"error", Prop("string", "when failed")}},
                {"id", "portfolio_id", "status", "progress"});
}

Json SupplyPool() {
  return Schema({{"id", Prop("integer")},
                 {"ecosystem_id", Prop("integer")},
                 {"core_enterprise_id", Prop("integer")},
                 {"name", Prop("string")},
                 {"open_orders", Prop("integer", "in the list: pooled orders not yet delivered")},
                 {"open_orders_fen", Prop("integer")},
                 {"totals", Prop("object",
                                 "one pool: lines, pooled, eligible, line and drawn fen; frozen, "
                                 "restricted and flagged lines")},
                 {"lines", Prop("array", "one pool: the lines the caller may see")},
                 {"log_index", Prop("integer")},
                 {"created_at_us", Prop("integer")}},
                {"id", "ecosystem_id", "core_enterprise_id", "name", "log_index"});
}

Json SupplyLine() {
  return Schema(
      {{"id", Prop("integer")},
       {"pool_id", Prop("integer")},
       {"bank_tenant_id", Prop("integer")},
       {"supplier_enterprise_id", Prop("integer")},
       {"supplier_uscc", Prop("string")},
       {"supplier_name", Prop("string")},
       {"status", Prop("string", "active | closed")},
       {"as_of", Prop("string", "the date the line is computed for (today, UTC+8)")},
       {"limit_fen", Prop("integer", "the bank's approved ceiling")},
       {"advance_rate_bps", Prop("integer")},
       {"max_buyer_share_bps", Prop("integer")},
       {"fulfilment_rate_bps", Prop("integer", "the bank's")},
       {"inventory_tolerance_bps", Prop("integer")},
       {"fulfilment", Prop("object",
                           "bank_bps, history_bps (null without history), applied_bps "
                           "(the lower), delivered_fen, overdue_fen")},
       {"pooled_fen", Prop("integer")},
       {"eligible_fen", Prop("integer")},
       {"line_fen", Prop("integer", "⌊eligible × advance × fulfilment⌋")},
       {"drawn_fen", Prop("integer")},
       {"available_fen", Prop("integer", "min(limit, line) − drawn, at least 0")},
       {"shortfall_fen", Prop("integer", "drawn above min(limit, line): due to the bank")},
       {"orders", Prop("array", "pooled orders with their status today")},
       {"excluded", Prop("array", "order, asset_id, reason, excluded_fen")},
       {"restrictions", Prop("array", "rules refusing new financing now: rule, detail, log_index")},
       {"flags", Prop("array", "rules flagged: customer_concentration")},
       {"frozen", Nullable("object")},
       {"latest_reading", Nullable("object")},
       {"margin", Prop("object", "peak_months, held_fen, season, ratio_bps, required_fen")},
       {"log_index", Prop("integer")},
       {"created_at_us", Prop("integer")}},
      {"id", "pool_id", "bank_tenant_id", "supplier_enterprise_id", "status", "line_fen",
       "eligible_fen", "drawn_fen", "available_fen", "excluded", "restrictions"});
}

Json MarginCall() {
  return Schema({{"id", Prop("integer")},
                 {"line_id", Prop("integer")},
                 {"date", Prop("string")},
                 {"season", Prop("string", "peak | off_peak")},
                 {"ratio_bps", Prop("integer")},
                 {"exposure_fen", Prop("integer")},
                 {"required_fen", Prop("integer", "⌈exposure × ratio⌉")},
                 {"held_fen", Prop("integer")},
                 {"call_fen", Prop("integer", "to add (positive) or to return (negative)")},
                 {"status", Prop("string", "open | met | superseded")},
                 {"log_index", Prop("integer")},
                 {"created_at_us", Prop("integer")}},
                {"id", "line_id", "date", "season", "call_fen", "status"});
}

Json ProductionReading() {
  return Schema({{"id", Prop("integer")},
                 {"date", Prop("string")},
                 {"capacity_units", Prop("integer")},
                 {"used_units", Prop("integer")},
                 {"utilization_bps", Prop("integer", "⌊used / capacity⌋ in basis points")},
                 {"inventory_units", Nullable("integer")},
                 {"source", Prop("string")},
                 {"log_index", Prop("integer")}},
                {"id", "date", "capacity_units", "used_units", "utilization_bps"});
}

Json MonitorProject() {
  return Schema({{"id", Prop("integer")},
                 {"code", Prop("string")},
                 {"name", Prop("string")},
                 {"type", Prop("string", "wind | solar")},
                 {"region", Prop("string")},
                 {"capacity_kw", Prop("integer")},
                 {"enterprise_id", Prop("integer")},
                 {"enterprise_name", Prop("string")},
                 {"bank_tenant_id", Nullable("integer")},
                 {"loan_id", Nullable("integer")},
                 {"risk_state", Prop("string",
                                     "the worst open alert: critical | warning | info | "
                                     "normal")},
                 {"open_alerts", Prop("array")},
                 {"latest", Prop("object", "indicator → {time, value, unit}")}},
                {"id", "code", "name", "type", "region", "capacity_kw", "risk_state", "open_alerts",
                 "latest"});
}

Json MonitorAlert() {
  return Schema({{"id", Prop("integer")},
                 {"fingerprint", Prop("string", "project:{id}/{indicator}/rule:{id}")},
                 {"subject", Prop("string", "project | enterprise | ecosystem")},
                 {"project_id", Nullable("integer", "null unless the subject is a project")},
                 {"project_code", Nullable("string")},
                 {"ecosystem_id", Nullable("integer", "an enterprise's or ecosystem's alert")},
                 {"enterprise_id", Nullable("integer", "the project's owner or the firm")},
                 {"indicator", Prop("string", "one of the 20 indicators, or health_index")},
                 {"rule_id", Nullable("integer", "the monitoring rule of a project's alert")},
                 {"severity", Prop("string", "info | warning | critical")},
                 {"status", Prop("string", "firing | acknowledged | resolved")},
                 {"owner_tenant_id", Prop("integer")},
                 {"fired_at", Prop("string", "RFC 3339, UTC")},
                 {"fired_value", Prop("number")},
                 {"resolved_at", Nullable("string")},
                 {"silenced", Prop("boolean")}},
                {"id", "fingerprint", "subject", "project_id", "indicator", "rule_id", "severity",
                 "status", "fired_at", "silenced"});
}

Json HealthUpload() {
  return Schema({{"accepted", Prop("integer", "reports kept")},
                 {"refused", Prop("array", "{row, field, reason} of each report refused")},
                 {"alerts_fired", Prop("array", "ids of the health alerts the upload fired")},
                 {"alerts_resolved", Prop("array", "ids of the health alerts it resolved")}},
                {"accepted", "refused", "alerts_fired", "alerts_resolved"});
}

Json EcosystemHealth() {
  return Schema(
      {{"ecosystem_id", Prop("integer")},
       {"subject", Prop("string", "ecosystem | enterprise")},
       {"enterprise_id", Nullable("integer")},
       {"rule", Prop("object",
                     "drop_pct, consecutive, weights, full_utilization_bps, "
                     "baseline_weeks")},
       {"weeks", Prop("array",
                      "{week (Monday), index (0-1), index_ppm, change_pct, fell (the fall counts), "
                      "components {order, payment, capacity, inventory, financing: {score_ppm, "
                      "weight} or null, figures}}")},
       {"alerts", Prop("array", "the subject's health alerts, newest first")},
       {"firms", Prop("array",
                      "the ecosystem's firms worst first: {enterprise_id, name, week, "
                      "index, change_pct, open_alert_id}")}},
      {"ecosystem_id", "subject", "rule", "weeks", "alerts"});
}

Json TelemetryUpload() {
  return Schema({{"accepted", Prop("integer", "rows kept")},
                 {"derived", Prop("integer", "curtailment rates derived from the energies")},
                 {"refused", Prop("array", "{row, field, reason} of each row refused")},
                 {"alerts_fired", Prop("array", "ids of the alerts the upload fired")},
                 {"alerts_resolved", Prop("array", "ids of the alerts it resolved")}},
                {"accepted", "derived", "refused", "alerts_fired", "alerts_resolved"});
}

}  // namespace corridor::api::routes::schemas
