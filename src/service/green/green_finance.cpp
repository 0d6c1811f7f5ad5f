#include "service/green/green_finance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "domain/schedule.hpp"
#include "green/green.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "store/db.hpp"

namespace corridor::service {

using internal::IsOversight;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

// An optional finite number field of `body`, reported under `in`'s pointer.
std::optional<double> OptNumber(Input& in, const Json& body, std::string_view name, double lo,
                                double hi) {
  if (!in.Has(name)) return std::nullopt;
  const Json& v = body.at(std::string(name));
  if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi)) {
    in.Problem(name, fmt::format("must be a number from {:g} to {:g}", lo, hi));
    return std::nullopt;
  }
  return v.get<double>();
}

// The 2025 Green Industry Guidance Catalogue's top-level categories, as the green-loan
// statistics name them.
std::string CategoryZh(std::string_view category) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"energy_saving", "节能降碳产业"},
      {"environmental_protection", "环境保护产业"},
      {"resource_recycling", "资源循环利用产业"},
      {"clean_energy", "清洁能源产业"},
      {"ecological_restoration", "生态保护修复和利用"},
      {"green_infrastructure", "基础设施绿色升级"},
      {"green_services", "绿色服务"}};
  const auto it = kNames.find(category);
  return std::string(it == kNames.end() ? category : it->second);
}

// The marketplace's label vocabulary (enterprises, projects).
std::string_view MarketplaceLabel(green::Label l) {
  switch (l) {
    case green::Label::kDark:
      return "deep_green";
    case green::Label::kMedium:
      return "medium_green";
    case green::Label::kLight:
      return "light_green";
    case green::Label::kTransition:
      return "transition";
    case green::Label::kNotGreen:
      break;
  }
  return "none";
}

Result<green::RuleTable> TableInForce(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT body FROM green_rule_tables ORDER BY published_at DESC, rowid DESC LIMIT 1"));
  if (!CORRIDOR_TRY(q.Next())) return green::DefaultRuleTable();
  return ParseRuleTable(Json::parse(q.Text(0)));
}

struct LoanRow {
  int64_t bank = 0, enterprise = 0, principal = 0, rate = 0, borrower_rate = 0, subsidy_rate = 0;
  std::string industry, method, start_date;
};

Result<LoanRow> LoadLoan(Connection& c, int64_t loan_id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT l.bank_tenant_id, l.enterprise_id, l.principal_fen, l.annual_rate_bps, "
      "l.borrower_rate_bps, l.subsidy_rate_bps, e.industry, l.method, l.start_date FROM loans l "
      "JOIN enterprises e ON e.id = l.enterprise_id WHERE l.id = ?",
      loan_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("loan"));
  return LoanRow{q.Int(0), q.Int(1),  q.Int(2),  q.Int(3), q.Int(4),
                 q.Int(5), q.Text(6), q.Text(7), q.Text(8)};
}

// The reserves a granted label holds: the 1% risk reserve and, for wind and solar with a
// capacity, the decommissioning deposit at the bureau's rate in force.
Result<Json> HoldReserves(Connection& c, const Caller& caller, int64_t label_id, int64_t loan_id,
                          const Json& decision, int64_t now) {
  const LoanRow loan = CORRIDOR_TRY(LoadLoan(c, loan_id));
  const std::string activity = decision.value("activity", "");
  const double capacity = decision.value("capacity_mw", 0.0);
  const bool renewable =
      activity == "wind" || activity == "solar_pv" || activity == "solar_thermal";
  const int64_t per_mw = CORRIDOR_TRY(QueryInt(c,
                                               "SELECT value FROM settings WHERE key = "
                                               "'green_decommissioning_deposit_fen_per_mw'"))
                             .value_or(0);
  const auto r = CORRIDOR_TRY(green::GreenReserve(
      loan.principal, renewable ? std::llround(capacity * 1'000'000) : 0, per_mw));
  Json held = Json::array();
  for (auto [kind, amount] :
       {std::pair<std::string_view, int64_t>{"risk_reserve", r.risk_reserve_fen},
        {"decommissioning_deposit", r.decommissioning_deposit_fen}}) {
    if (amount <= 0) continue;
    if (CORRIDOR_TRY(QueryInt(c, "SELECT id FROM green_reserves WHERE loan_id = ? AND kind = ?",
                              loan_id, kind))) {
      continue;  // held by an earlier grant
    }
    Json record{
        {"loan_id", loan_id}, {"kind", kind}, {"amount_fen", amount}, {"label_id", label_id}};
    if (kind == "decommissioning_deposit") {
      record["capacity_mw"] = capacity;
      record["deposit_fen_per_mw"] = per_mw;
    }
    const auto entry =
        CORRIDOR_TRY(AppendLogEntry(c, "green.reserve_held", &caller, record, {}, now));
    const int64_t id = CORRIDOR_TRY(InsertReturningId(
        c,
        "INSERT INTO green_reserves (loan_id, label_id, kind, amount_fen, status, created_at, "
        "entry_index) VALUES (?, ?, ?, ?, 'held', ?, ?) RETURNING id",
        loan_id, label_id, kind, amount, now, entry.index));
    CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, fmt::format("green_{}", kind),
                                            fmt::format("deposits:enterprise:{}", loan.enterprise),
                                            fmt::format("green_{}:loan:{}", kind, loan_id), amount,
                                            now));
    record["id"] = id;
    record["status"] = "held";
    held.push_back(std::move(record));
  }
  return held;
}

// Sets a granted label's effect: the project's label, or the loan's reserves.
Result<Json> Grant(Connection& c, const Caller& caller, int64_t label_id, int64_t now) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT loan_id, project_id, label, decision FROM green_labels WHERE id = ?", label_id));
  CORRIDOR_TRY(q.Next());
  const auto label = CORRIDOR_TRY(green::ParseLabel(q.View(2)));
  if (!q.IsNull(1)) {
    CORRIDOR_TRY(Execute(c, "UPDATE projects SET green_label = ? WHERE id = ?",
                         MarketplaceLabel(label), q.Int(1)));
    return Json::array();
  }
  if (label == green::Label::kNotGreen) return Json::array();
  return HoldReserves(c, caller, label_id, q.Int(0), Json::parse(q.Text(3)), now);
}

Json LabelRowJson(const Query& q) {
  Json row{{"id", q.Int(0)},
           {"category", q.Text(3)},
           {"label", q.Text(4)},
           {"subsidy_bps", q.Int(5)},
           {"rule_table_version", q.Text(6)},
           {"decision", Json::parse(q.Text(7))},
           {"status", q.Text(8)},
           {"log_index", q.Int(9)}};
  if (!q.IsNull(1)) row["loan_id"] = q.Int(1);
  if (!q.IsNull(2)) row["project_id"] = q.Int(2);
  if (!q.IsNull(10)) row["review_note"] = q.Text(10);
  return row;
}

constexpr std::string_view kLabelColumns =
    "SELECT g.id, g.loan_id, g.project_id, g.category, g.label, g.subsidy_bps, "
    "g.rule_table_version, g.decision, g.status, g.entry_index, g.review_note FROM green_labels g "
    "LEFT JOIN loans l ON l.id = g.loan_id LEFT JOIN enterprises e ON e.id = l.enterprise_id";

// Which loans' rows a caller sees, as a condition on l (bank: its own; enterprise: its own).
std::string LoanScope(const Caller& caller) {
  if (IsOversight(caller)) return "1";
  if (caller.in_bank()) {
    return fmt::format("l.bank_tenant_id = {}", caller.tenant_id);
  }
  if (caller.in_enterprise()) {
    return fmt::format("l.enterprise_id = {}", caller.enterprise_id);
  }
  return "0";
}

}  // namespace

// --- rule tables and labels, as JSON ---

Result<green::Project> ParseGreenProject(const Json& body) {
  Input in(body);
  green::Project p;
  if (const Json* project = in.Object("project")) {
    Input pi(*project, "/project");
    p.category = pi.Str("category", 60);
    p.industry = pi.OptStr("industry", 60).value_or("");
    p.activity = pi.OptStr("activity", 60).value_or("");
    p.intensity_gco2e_per_kwh = OptNumber(pi, *project, "intensity_gco2e_per_kwh", 0, 1e6);
    p.emission_reduction_pct = OptNumber(pi, *project, "emission_reduction_pct", 0, 100);
    if (pi.Has("evidence")) p.evidence = pi.StrList("evidence");
    p.claimed_label = pi.OptStr("claimed_label", 20);
    p.proceeds_purpose = pi.OptStr("proceeds_purpose", 60);
    in.Include(pi);
  } else if (!in.Has("project")) {
    in.Problem("project", "is required");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  return p;
}

Json LabelDecisionJson(const green::LabelDecision& d) {
  Json rules = Json::array(), flags = Json::array();
  for (const auto& r : d.rules_fired) rules.push_back({{"rule", r.rule}, {"detail", r.detail}});
  for (const auto& f : d.greenwashing_flags) {
    flags.push_back({{"flag", f.flag}, {"detail", f.detail}});
  }
  return Json{{"label", std::string(green::LabelName(d.label))},
              {"label_zh", std::string(green::LabelNameZh(d.label))},
              {"rule_table_version", d.rule_table_version},
              {"subsidy_bps", d.subsidy_bps},
              {"rules_fired", std::move(rules)},
              {"greenwashing_flags", std::move(flags)}};
}

Json RuleTableJson(const green::RuleTable& t) {
  Json categories = Json::array();
  for (const auto& c : t.categories) {
    categories.push_back({{"name", c.name},
                          {"name_zh", CategoryZh(c.name)},
                          {"purposes", c.purposes},
                          {"excluded_industries", c.excluded_industries}});
  }
  return Json{{"version", t.version},
              {"categories", std::move(categories)},
              {"power_dark_below", t.power_dark_below},
              {"power_medium_below", t.power_medium_below},
              {"reduction_dark", t.reduction_dark},
              {"reduction_medium", t.reduction_medium},
              {"reduction_light", t.reduction_light},
              {"transition_activities", t.transition_activities},
              {"transition_min_reduction", t.transition_min_reduction},
              {"subsidy_bps", t.subsidy_bps},
              {"sources", t.sources}};
}

Result<green::RuleTable> ParseRuleTable(const Json& body) {
  green::RuleTable t = green::DefaultRuleTable();
  Input in(body);
  t.version = in.Str("version", 60);
  for (auto [name, field] : {std::pair{"power_dark_below", &t.power_dark_below},
                             {"power_medium_below", &t.power_medium_below},
                             {"reduction_dark", &t.reduction_dark},
                             {"reduction_medium", &t.reduction_medium},
                             {"reduction_light", &t.reduction_light},
                             {"transition_min_reduction", &t.transition_min_reduction}}) {
    if (auto v = OptNumber(in, body, name, 0, 1e6)) *field = *v;
  }
  if (in.Has("transition_activities"))
    t.transition_activities = in.StrList("transition_activities");
  if (in.Has("sources")) t.sources = in.StrList("sources");
  if (in.Has("subsidy_bps")) {
    const Json& s = body.at("subsidy_bps");
    if (!s.is_array() || s.size() != 5 ||
        !std::all_of(s.begin(), s.end(), [](const Json& v) { return v.is_number_integer(); })) {
      in.Problem("subsidy_bps", "needs five integers: not_green, transition, light, medium, dark");
    } else {
      t.subsidy_bps = s.get<std::vector<int64_t>>();
    }
  }
  if (in.Has("categories")) {
    const Json& cats = body.at("categories");
    t.categories.clear();
    if (!cats.is_array()) {
      in.Problem("categories", "must be an array of {name, purposes, excluded_industries}");
    } else {
      for (size_t i = 0; i < cats.size(); ++i) {
        if (!cats[i].is_object()) {
          in.Problem(fmt::format("categories/{}", i), "must be an object");
          continue;
        }
        Input ci(cats[i], fmt::format("/categories/{}", i));
        green::CategoryRule rule;
        rule.name = ci.Str("name", 60);
        if (ci.Has("purposes")) rule.purposes = ci.StrList("purposes");
        if (ci.Has("excluded_industries")) {
          rule.excluded_industries = ci.StrList("excluded_industries");
        }
        in.Include(ci);
        t.categories.push_back(std::move(rule));
      }
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  CORRIDOR_TRY_STATUS(green::ValidateRuleTable(t));
  return t;
}

// --- writes ---

Result<Response> GreenFinance::PublishRuleTable(Connection& c, const Caller& caller,
                                                const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  const green::RuleTable table = CORRIDOR_TRY(ParseRuleTable(body));
  if (table.version == green::kDefaultRuleTableVersion ||
      CORRIDOR_TRY(
          QueryInt(c, "SELECT 1 FROM green_rule_tables WHERE version = ?", table.version))) {
    return Fail(Error::Conflict(fmt::format(
        "rule table {} exists; versions are never changed, publish a new one", table.version)));
  }
  const Json json = RuleTableJson(table);
  const int64_t now = clock_.NowMicros();
  const auto entry =
      CORRIDOR_TRY(AppendLogEntry(c, "green.rule_table_published", &caller, json, {}, now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO green_rule_tables (version, body, published_by, "
                       "published_at, entry_index) VALUES (?, ?, ?, ?, ?)",
                       table.version, json.dump(), caller.user_id, now, entry.index));
  Json out = json;
  out["in_force"] = true;
  out["log_index"] = entry.index;
  return Response{std::move(out)};
}

Result<Response> GreenFinance::DecideLabel(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin, Role::kBankOfficer}));
  Input in(body);
  const auto loan_id = in.OptInt("loan_id", 1, INT64_MAX);
  const auto project_id = in.OptInt("project_id", 1, INT64_MAX);
  const auto capacity = OptNumber(in, body, "capacity_mw", 0, 1e6);
  if (loan_id.has_value() == project_id.has_value()) {
    in.Problem("loan_id", "give a loan_id or a project_id");
  }
  if (project_id && caller.role != Role::kBureauAdmin) {
    in.Problem("project_id", "catalogue projects are labelled by the bureau");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  green::Project project = CORRIDOR_TRY(ParseGreenProject(body));
  // The firm's industry is the one it registered with, whatever the request says.
  if (loan_id) {
    const LoanRow loan = CORRIDOR_TRY(LoadLoan(c, *loan_id));
    if (caller.role == Role::kBankOfficer && loan.bank != caller.tenant_id) {
      return Fail(Error::NotFound("loan"));
    }
    project.industry = loan.industry;
  } else {
    auto q =
        CORRIDOR_TRY(Query::Make(c, "SELECT industry FROM projects WHERE id = ?", *project_id));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("project"));
    project.industry = q.Text(0);
  }
  const green::RuleTable table = CORRIDOR_TRY(TableInForce(c));
  const auto d = CORRIDOR_TRY(green::DecideLabel(project, table));
  Json decision = LabelDecisionJson(d);
  decision["category"] = project.category;
  decision["industry"] = project.industry;
  decision["activity"] = project.activity;
  decision["evidence"] = project.evidence;
  if (project.proceeds_purpose) decision["proceeds_purpose"] = *project.proceeds_purpose;
  if (project.claimed_label) decision["claimed_label"] = *project.claimed_label;
  if (capacity) decision["capacity_mw"] = *capacity;
  const std::string status = d.greenwashing_flags.empty() ? "granted" : "under_review";
  const int64_t now = clock_.NowMicros();
  Json record = decision;
  record["status"] = status;
  if (loan_id) record["loan_id"] = *loan_id;
  if (project_id) record["project_id"] = *project_id;
  const auto entry =
      CORRIDOR_TRY(AppendLogEntry(c, "green.label_decided", &caller, record, {}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO green_labels (loan_id, project_id, category, label, subsidy_bps, "
      "rule_table_version, decision, status, requested_by, created_at, entry_index) VALUES (?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      loan_id, project_id, project.category, green::LabelName(d.label), d.subsidy_bps,
      d.rule_table_version, decision.dump(), status, caller.user_id, now, entry.index));
  record["id"] = id;
  record["log_index"] = entry.index;
  record["reserves"] =
      status == "granted" ? CORRIDOR_TRY(Grant(c, caller, id, now)) : Json::array();
  return Response{std::move(record)};
}

Result<Response> GreenFinance::ReviewLabel(Connection& c, const Caller& caller, int64_t label_id,
                                           const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string decision = in.Str("decision", 10);
  const std::string note = in.Str("note", 1000);
  if (decision != "grant" && decision != "reject")
    in.Problem("decision", "must be grant or reject");
  CORRIDOR_TRY_STATUS(in.Finish());
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT status FROM green_labels WHERE id = ?", label_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("label decision"));
  if (q.View(0) != "under_review") {
    return Fail(Error::Conflict(fmt::format("this decision is {}, not under review", q.Text(0))));
  }
  const std::string status = decision == "grant" ? "granted" : "rejected";
  const int64_t now = clock_.NowMicros();
  const auto entry = CORRIDOR_TRY(AppendLogEntry(
      c, "green.label_reviewed", &caller,
      Json{{"label_id", label_id}, {"decision", decision}, {"note", note}}, {}, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE green_labels SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                       "review_note = ?, review_entry_index = ? WHERE id = ?",
                       status, caller.user_id, now, note, entry.index, label_id));
  Json out{{"id", label_id}, {"status", status}, {"review_note", note}, {"log_index", entry.index}};
  out["reserves"] =
      status == "granted" ? CORRIDOR_TRY(Grant(c, caller, label_id, now)) : Json::array();
  return Response{std::move(out)};
}

Result<Response> GreenFinance::ReleaseReserve(Connection& c, const Caller& caller,
                                              int64_t reserve_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string note = in.Str("note", 1000);
  const bool verified = in.Bool("decommissioning_verified", false);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT loan_id, kind, amount_fen, status FROM green_reserves WHERE id = ?", reserve_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("reserve"));
  const int64_t loan_id = q.Int(0), amount = q.Int(2);
  const std::string kind = q.Text(1);
  if (q.View(3) != "held") return Fail(Error::Conflict("this reserve has been released"));
  if (kind == "decommissioning_deposit" && !verified) {
    return Fail(Error::Invalid("/decommissioning_verified",
                               "a decommissioning deposit is released on verified "
                               "decommissioning only"));
  }
  if (kind == "risk_reserve" &&
      CORRIDOR_TRY(
          QueryInt(c,
                   fmt::format("SELECT 1 FROM installments i WHERE i.loan_id = ? AND {} LIMIT 1",
                               internal::kUnpaidInstallmentSql),
                   loan_id))) {
    return Fail(Error::Conflict("the risk reserve is held until the loan is repaid"));
  }
  const LoanRow loan = CORRIDOR_TRY(LoadLoan(c, loan_id));
  const int64_t now = clock_.NowMicros();
  const auto entry = CORRIDOR_TRY(AppendLogEntry(c, "green.reserve_released", &caller,
                                                 Json{{"reserve_id", reserve_id},
                                                      {"loan_id", loan_id},
                                                      {"kind", kind},
                                                      {"amount_fen", amount},
                                                      {"note", note}},
                                                 {}, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE green_reserves SET status = 'released', released_at = ?, "
                       "release_note = ?, release_entry_index = ? WHERE id = ?",
                       now, note, entry.index, reserve_id));
  CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, fmt::format("green_{}_release", kind),
                                          fmt::format("green_{}:loan:{}", kind, loan_id),
                                          fmt::format("deposits:enterprise:{}", loan.enterprise),
                                          amount, now));
  return Response{Json{{"id", reserve_id},
                       {"loan_id", loan_id},
                       {"kind", kind},
                       {"amount_fen", amount},
                       {"status", "released"},
                       {"log_index", entry.index}}};
}

// --- reads ---

Result<Json> GreenFinance::RuleTables() {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT version, published_at, entry_index FROM "
                                      "green_rule_tables ORDER BY published_at, rowid"));
    Json versions =
        Json::array({{{"version", green::kDefaultRuleTableVersion}, {"built_in", true}}});
    while (CORRIDOR_TRY(q.Next())) {
      versions.push_back(
          {{"version", q.Text(0)}, {"published_at_us", q.Int(1)}, {"log_index", q.Int(2)}});
    }
    return Json{{"in_force", RuleTableJson(CORRIDOR_TRY(TableInForce(c)))},
                {"versions", std::move(versions)}};
  });
}

Result<Json> GreenFinance::ListLabels(const Caller& caller, std::optional<std::string> status,
                                      const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const std::string sql = fmt::format(
        "{} WHERE g.id > ? AND {} AND (? IS NULL OR g.status = ?) ORDER BY g.id "
        "LIMIT ?",
        kLabelColumns, LoanScope(caller));
    auto q =
        CORRIDOR_TRY(Query::Make(c, sql, page.after_id.value_or(0), status, status, page.limit));
    return internal::CollectPage(q, page, LabelRowJson);
  });
}

Result<Json> GreenFinance::ListReserves(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT r.id, r.loan_id, r.kind, r.amount_fen, r.status, r.entry_index, "
                    "r.release_entry_index FROM green_reserves r JOIN loans l ON l.id = "
                    "r.loan_id WHERE r.id > ? AND {} ORDER BY r.id LIMIT ?",
                    LoanScope(caller)),
        page.after_id.value_or(0), page.limit));
    Json out = CORRIDOR_TRY(internal::CollectPage(q, page, [](const Query& row) {
      Json item{{"id", row.Int(0)},         {"loan_id", row.Int(1)}, {"kind", row.Text(2)},
                {"amount_fen", row.Int(3)}, {"status", row.Text(4)}, {"log_index", row.Int(5)}};
      if (!row.IsNull(6)) item["release_log_index"] = row.Int(6);
      return item;
    }));
    const auto held = CORRIDOR_TRY(internal::QueryInt(
        c,
        fmt::format("SELECT coalesce(sum(r.amount_fen), 0) FROM green_reserves r JOIN loans l ON "
                    "l.id = r.loan_id WHERE r.status = 'held' AND {}",
                    LoanScope(caller))));
    out["held_fen"] = held.value_or(0);
    return out;
  });
}

Result<Json> GreenFinance::Statistics(const Caller& caller) {
  CORRIDOR_TRY_STATUS(RequireRole(
      caller, {Role::kBureauAdmin, Role::kRiskAnalyst, Role::kAuditor, Role::kBankOfficer}));
  return store_.Read([&](Connection& c) -> Result<Json> {
    // Each loan counts once, by its newest granted label.
    auto q = CORRIDOR_TRY(Query::Make(
        c, fmt::format("SELECT g.category, g.label, count(*), sum(l.principal_fen), sum({}) "
                       "FROM green_labels g JOIN loans l ON l.id = g.loan_id WHERE g.status = "
                       "'granted' AND g.label <> 'not_green' AND g.id = (SELECT max(g2.id) FROM "
                       "green_labels g2 WHERE g2.loan_id = g.loan_id AND g2.status = 'granted') "
                       "AND {} GROUP BY g.category, g.label ORDER BY g.category, g.label",
                       internal::kOutstandingPrincipalSql, LoanScope(caller))));
    std::map<std::string, Json> green;
    Json transition{{"loans", 0}, {"principal_fen", 0}, {"balance_fen", 0}};
    Json total{{"loans", 0}, {"principal_fen", 0}, {"balance_fen", 0}};
    auto add = [](Json& to, int64_t n, int64_t principal, int64_t balance) {
      to["loans"] = to["loans"].get<int64_t>() + n;
      to["principal_fen"] = to["principal_fen"].get<int64_t>() + principal;
      to["balance_fen"] = to["balance_fen"].get<int64_t>() + balance;
    };
    while (CORRIDOR_TRY(q.Next())) {
      const std::string category = q.Text(0), label = q.Text(1);
      const int64_t n = q.Int(2), principal = q.Int(3), balance = q.Int(4);
      if (label == "transition") {
        add(transition, n, principal, balance);
        continue;
      }
      Json& row = green[category];
      if (row.is_null()) {
        row = Json{{"category", category}, {"category_zh", CategoryZh(category)},
                   {"loans", 0},           {"principal_fen", 0},
                   {"balance_fen", 0},     {"by_label", Json::object()}};
      }
      add(row, n, principal, balance);
      row["by_label"][label] = {
          {"loans", n}, {"principal_fen", principal}, {"balance_fen", balance}};
      add(total, n, principal, balance);
    }
    Json categories = Json::array();
    for (auto& [name, row] : green) categories.push_back(std::move(row));
    return Json{{"scope", IsOversight(caller) ? "platform" : "bank"},
                {"basis",
                 "granted labels of loans; balance = outstanding principal; categories "
                 "of the Green Industry Guidance Catalogue (2025) as used by the PBoC "
                 "green-loan statistics; transition finance reported apart"},
                {"green_loans", std::move(total)},
                {"categories", std::move(categories)},
                {"transition", std::move(transition)}};
  });
}

}  // namespace corridor::service
