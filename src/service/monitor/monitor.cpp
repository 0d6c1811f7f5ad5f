#include "service/monitor/monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "risk/monitor/arl.hpp"
#include "risk/monitor/health.hpp"
#include "risk/monitor/rule.hpp"
#include "risk/monitor/series_block.hpp"
#include "risk/monitor/telemetry.hpp"
#include "service/kernel/log.hpp"
#include "service/monitor/internal.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
namespace mon = risk::monitor;
using namespace monitor_internal;  // NOLINT(google-build-using-namespace): this context's helpers

namespace {

constexpr size_t kMaxRowsPerUpload = 200'000;
constexpr size_t kMaxCsvBytes = 16u << 20;
constexpr int64_t kRawRetentionDays = 366;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kMaxCapacityKw = 100'000'000;  // 100 GW

int64_t DayOf(int64_t t_s) { return t_s >= 0 ? t_s / kSecondsPerDay : (t_s - 86'399) / 86'400; }

// The rows of an upload as the validator reads them, JSON or CSV, with their row numbers.
Status ReadUpload(const Json& body, mon::ReadingValidator& validator, mon::ValidatedBatch& batch) {
  const bool has_rows = body.contains("readings");
  const bool has_csv = body.contains("csv");
  if (has_rows == has_csv) {
    return Fail(Error::Invalid("/readings", "give either readings (JSON rows) or csv (text)"));
  }
  if (has_csv) {
    const Json& csv = body.at("csv");
    if (!csv.is_string() || csv.get_ref<const std::string&>().size() > kMaxCsvBytes) {
      return Fail(Error::Invalid("/csv", "must be the CSV text, at most 16 MiB"));
    }
    return mon::ReadTelemetryCsv(
        csv.get_ref<const std::string&>(), kMaxRowsPerUpload,
        [&](size_t line, const mon::RawReading& row) { validator.Add(row, line, batch); });
  }
  const Json& rows = body.at("readings");
  if (!rows.is_array() || rows.size() > kMaxRowsPerUpload) {
    return Fail(Error::Invalid("/readings", "must be an array of at most 200000 rows"));
  }
  validator.Reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& r = rows[i];
    if (!r.is_object()) {
      batch.refused.push_back({i, "", "must be an object"});
      continue;
    }
    // Text fields as given; a value may be a JSON number (its shortest decimal) or a string.
    const auto text = [&](const char* name) -> std::string {
      const auto it = r.find(name);
      if (it == r.end()) return {};
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number()) return it->dump();
      return "\x01";  // present but not text: refused by the field's check
    };
    std::string value;
    if (const auto it = r.find("value"); it != r.end() && it->is_number_float()) {
      value = mon::DecimalOfDouble(it->get<double>()).ToString();
    } else {
      value = text("value");
    }
    const std::string project = text("project"), indicator = text("indicator"), time = text("time"),
                      unit = text("unit");
    validator.Add({project, indicator, time, value, unit}, i, batch);
  }
  return {};
}

// The projects the caller may upload for: an enterprise's own, or all for the bureau.
Result<mon::ReadingValidator::Projects> WritableProjects(Connection& c, const Caller& caller) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT id, code, type, capacity_kw FROM monitor_projects WHERE ? OR enterprise_id = ?",
      internal::IsOversight(caller), caller.in_enterprise() ? caller.enterprise_id : 0));
  mon::ReadingValidator::Projects projects;
  while (CORRIDOR_TRY(q.Next())) {
    projects.emplace(q.Text(1), mon::ProjectInfo{static_cast<uint32_t>(q.Int(0)),
                                                 *mon::ParseProjectType(q.Text(2)), q.Int(3)});
  }
  return projects;
}

struct StoredRule {
  int64_t id = 0;
  std::string indicator;
  std::string project_type;
  mon::RuleParams params;
  std::string severity;
  int64_t version = 0;
};

Result<std::vector<StoredRule>> ActiveRules(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, indicator, project_type, kind, params, severity, "
                                    "version FROM monitor_rules WHERE active = 1 ORDER BY id"));
  std::vector<StoredRule> rules;
  while (CORRIDOR_TRY(q.Next())) {
    auto params = mon::ParseRuleParams(*mon::ParseRuleKind(q.Text(3)), q.Text(4));
    if (!params) return Fail(Error::Internal("a stored rule does not parse"));
    rules.push_back({q.Int(0), q.Text(1), q.Text(2), *params, q.Text(5), q.Int(6)});
  }
  return rules;
}

}  // namespace

Result<Response> Monitor::RegisterProject(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kBureauAdmin}));
  Input in(body);
  const std::string code = in.Str("code", 40);
  const std::string name = in.Str("name", 200);
  const std::string type = in.Str("type", 10);
  const int64_t capacity_kw = in.Int("capacity_kw", 1, kMaxCapacityKw);
  const std::string region = in.Str("region", 100);
  const int64_t enterprise_id = in.Int("enterprise_id", 1, std::numeric_limits<int64_t>::max());
  const auto loan_id = in.OptInt("loan_id", 1, std::numeric_limits<int64_t>::max());
  auto bank = in.OptInt("bank_tenant_id", 1, std::numeric_limits<int64_t>::max());
  if (!type.empty() && !mon::ParseProjectType(type)) in.Problem("type", "must be wind or solar");
  if (!code.empty() && code.find_first_of(",\"\r\n") != std::string::npos) {
    in.Problem("code", "must not contain commas, quotes or line breaks (CSV rows name it)");
  }
  if (caller.in_bank() && bank && *bank != caller.tenant_id) {
    in.Problem("bank_tenant_id", "a bank registers the projects it finances itself");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (caller.in_bank()) bank = caller.tenant_id;
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM enterprises WHERE id = ?", enterprise_id))) {
    return Fail(Error::Invalid("/enterprise_id", "is not an enterprise on the platform"));
  }
  if (bank &&
      !CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM tenants WHERE id = ? AND kind = 'bank'", *bank))) {
    return Fail(Error::Invalid("/bank_tenant_id", "is not a bank on the platform"));
  }
  if (loan_id && !CORRIDOR_TRY(QueryInt(c,
                                        "SELECT 1 FROM loans WHERE id = ? AND enterprise_id = ? "
                                        "AND (? IS NULL OR bank_tenant_id = ?)",
                                        *loan_id, enterprise_id, bank, bank))) {
    return Fail(Error::Invalid("/loan_id", "is not a loan of this bank to this enterprise"));
  }
  if (CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM monitor_projects WHERE code = ?", code))) {
    return Fail(Error{ErrorCode::kConflict,
                      "a project with this code is monitored already",
                      {{"/code", "is taken"}}});
  }
  const int64_t now = clock_.NowMicros();
  const int64_t enterprise_tenant =
      *CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", enterprise_id));
  std::vector<int64_t> parties = {enterprise_tenant};
  if (bank) parties.push_back(*bank);
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "monitor_project.register", &caller,
                                                      Json{{"code", code},
                                                           {"name", name},
                                                           {"type", type},
                                                           {"capacity_kw", capacity_kw},
                                                           {"region", region},
                                                           {"enterprise_id", enterprise_id}},
                                                      parties, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO monitor_projects (code, name, type, capacity_kw, region, enterprise_id, "
      "bank_tenant_id, loan_id, created_by, created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?) RETURNING id",
      code, name, type, capacity_kw, region, enterprise_id, bank, loan_id, caller.user_id, now,
      ref.index));
  return Response(CORRIDOR_TRY(ProjectJson(c, id, clock_.NowMicros())));
}

Result<Response> Monitor::Ingest(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser, Role::kBureauAdmin}));
  if (!body.is_object()) return Fail(Error::Invalid("", "must be a JSON object"));
  const int64_t now_us = clock_.NowMicros();
  const int64_t now_s = now_us / 1'000'000;
  const auto projects = CORRIDOR_TRY(WritableProjects(c, caller));
  mon::ReadingValidator validator(projects, now_s);
  mon::ValidatedBatch batch;
  CORRIDOR_TRY_STATUS(ReadUpload(body, validator, batch));
  const size_t uploaded = batch.readings.size();  // the derived rates come after these
  const size_t derived = mon::DeriveCurtailmentRates(batch);

  // Into the stored blocks, one (series, day) at a time; stored duplicates and readings older
  // than the raw year are refused here.
  const int64_t oldest_day = DayOf(now_s) - kRawRetentionDays + 1;
  std::vector<size_t> order(batch.readings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto key = [&](size_t i) {
    const auto& r = batch.readings[i];
    return std::tuple(r.project, r.indicator, r.t_s);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<bool> kept(batch.readings.size(), true);
  for (size_t begin = 0; begin < order.size();) {
    const auto& first = batch.readings[order[begin]];
    const int64_t day = DayOf(first.t_s);
    size_t end = begin;
    while (end < order.size() && batch.readings[order[end]].project == first.project &&
           batch.readings[order[end]].indicator == first.indicator &&
           DayOf(batch.readings[order[end]].t_s) == day) {
      ++end;
    }
    if (day < oldest_day) {
      for (size_t k = begin; k < end; ++k) {
        kept[order[k]] = false;
        batch.refused.push_back(
            {batch.rows[order[k]], "time", "is more than a year old (the raw year is kept)"});
      }
      begin = end;
      continue;
    }
    std::vector<mon::Point> stored =
        CORRIDOR_TRY(LoadBlock(c, static_cast<int64_t>(first.project), first.indicator, day));
    std::vector<mon::Point> merged;
    merged.reserve(stored.size() + (end - begin));
    size_t s = 0;
    for (size_t k = begin; k < end; ++k) {
      const auto& r = batch.readings[order[k]];
      while (s < stored.size() && stored[s].t_s < r.t_s) merged.push_back(stored[s++]);
      if (s < stored.size() && stored[s].t_s == r.t_s) {
        kept[order[k]] = false;
        batch.refused.push_back({batch.rows[order[k]], "",
                                 stored[s].value == r.value
                                     ? "duplicate of a stored reading"
                                     : "conflicts with the stored reading of that time"});
        continue;
      }
      merged.push_back({r.t_s, r.value});
    }
    while (s < stored.size()) merged.push_back(stored[s++]);
    if (merged.size() != stored.size()) {
      CORRIDOR_TRY_STATUS(
          SaveBlock(c, static_cast<int64_t>(first.project), first.indicator, day, merged));
    }
    begin = end;
  }

  // Beyond the raw year a day keeps its aggregates only: the blocks of the batch's projects that
  // fell out of the year are dropped (each project's, once a batch).
  std::vector<uint32_t> touched;
  for (const auto& r : batch.readings) touched.push_back(r.project);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (uint32_t project : touched) {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE telemetry_days SET block = NULL WHERE project_id = ? AND day < ? "
                         "AND block IS NOT NULL",
                         static_cast<int64_t>(project), oldest_day));
  }

  // The detectors, series by series in time order.
  const auto rules = CORRIDOR_TRY(ActiveRules(c));
  Json fired = Json::array(), resolved = Json::array();
  size_t accepted = 0;
  // The series come sorted by project: each project is read once, not once per indicator.
  std::optional<Project> project_row;
  for (size_t begin = 0; begin < order.size();) {
    const auto& first = batch.readings[order[begin]];
    size_t end = begin;
    while (end < order.size() && batch.readings[order[end]].project == first.project &&
           batch.readings[order[end]].indicator == first.indicator) {
      ++end;
    }
    const auto code = mon::Indicators()[first.indicator].code;
    if (!project_row || project_row->id != static_cast<int64_t>(first.project)) {
      project_row = CORRIDOR_TRY(LoadProject(c, first.project));
    }
    const Project& project = *project_row;
    for (const StoredRule& rule : rules) {
      if (rule.indicator != code ||
          (rule.project_type != "any" && rule.project_type != project.type)) {
        continue;
      }
      mon::RuleDetector detector =
          CORRIDOR_TRY(LoadDetector(c, project.id, rule.id, rule.version, rule.params));
      for (size_t k = begin; k < end; ++k) {
        if (!kept[order[k]]) continue;
        const auto& r = batch.readings[order[k]];
        const double x = mon::ValueOf(r.indicator, r.value);
        const auto step = detector.Next(r.t_s, x);
        if (step.event == mon::Debouncer::Event::kFired) {
          if (auto id = CORRIDOR_TRY(FireAlert(c, project, rule.id, std::string(code),
                                               rule.severity, r.t_s, x, now_us))) {
            fired.push_back(*id);
          }
        } else if (step.event == mon::Debouncer::Event::kResolved) {
          if (auto id = CORRIDOR_TRY(
                  ResolveByRule(c, project, rule.id, std::string(code), r.t_s, now_us))) {
            resolved.push_back(*id);
          }
        }
      }
      CORRIDOR_TRY_STATUS(SaveDetector(c, project.id, rule.id, rule.version, detector.state()));
    }
    begin = end;
  }
  for (size_t i = 0; i < uploaded; ++i) accepted += kept[i] ? 1 : 0;
  std::sort(batch.refused.begin(), batch.refused.end(),
            [](const auto& a, const auto& b) { return a.row < b.row; });
  Json refused = Json::array();
  for (const auto& p : batch.refused) {
    refused.push_back({{"row", p.row}, {"field", p.field}, {"reason", p.reason}});
  }
  return Response(Json{{"accepted", accepted},
                       {"derived", derived},
                       {"refused", std::move(refused)},
                       {"alerts_fired", std::move(fired)},
                       {"alerts_resolved", std::move(resolved)}});
}

// ---- rules ----

namespace {

Result<Json> RuleJson(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, indicator, project_type, kind, params, severity, "
                                    "description, active, version, updated_at, entry_index FROM "
                                    "monitor_rules WHERE id = ?",
                                    id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("rule"));
  return Json{{"id", q.Int(0)},
              {"indicator", q.Text(1)},
              {"project_type", q.Text(2)},
              {"kind", q.Text(3)},
              {"params", Json::parse(q.Text(4))},
              {"severity", q.Text(5)},
              {"description", q.Text(6)},
              {"active", q.Int(7) == 1},
              {"version", q.Int(8)},
              {"updated_at_us", q.Int(9)},
              {"log_index", q.OptInt(10) ? Json(*q.OptInt(10)) : Json(nullptr)}};
}

// Reads a rule's fields from a body; `current` fills what an update leaves out.
struct RuleInput {
  std::string indicator, project_type, kind, severity, description;
  mon::RuleParams params;
  bool active = true;
};

Result<RuleInput> ReadRule(const Json& body, const std::optional<RuleInput>& current) {
  Input in(body);
  RuleInput r = current.value_or(RuleInput{});
  const auto opt = [&](const char* name, size_t max) -> std::optional<std::string> {
    return current ? in.OptStr(name, max) : std::optional<std::string>(in.Str(name, max));
  };
  if (!current) {
    r.indicator = in.Str("indicator", 60);
    r.project_type = in.OptStr("project_type", 10).value_or("any");
    r.kind = in.Str("kind", 20);
    if (!r.indicator.empty() && !mon::IndicatorIndex(r.indicator)) {
      in.Problem("indicator", "is not one of the 20 indicators");
    }
    if (r.project_type != "wind" && r.project_type != "solar" && r.project_type != "any") {
      in.Problem("project_type", "must be wind, solar or any");
    }
    if (!r.kind.empty() && !mon::ParseRuleKind(r.kind)) {
      in.Problem("kind", "must be threshold, cusum, ewma or rate");
    }
  }
  if (auto s = opt("severity", 10)) {
    r.severity = *s;
    if (!mon::ParseSeverity(r.severity))
      in.Problem("severity", "must be info, warning or critical");
  }
  if (auto d = opt("description", 500)) r.description = *d;
  r.active = in.Bool("active", r.active);
  const bool has_params = body.contains("params");
  if (!current && !has_params) in.Problem("params", "is required");
  if (has_params && !body.at("params").is_object()) in.Problem("params", "must be an object");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (has_params) {
    r.params =
        CORRIDOR_TRY(mon::ParseRuleParams(*mon::ParseRuleKind(r.kind), body.at("params").dump()));
  }
  return r;
}

}  // namespace

Result<Response> Monitor::CreateRule(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  const RuleInput r = CORRIDOR_TRY(ReadRule(body, std::nullopt));
  const int64_t now = clock_.NowMicros();
  const std::string params = mon::RuleParamsJson(r.params);
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "monitor_rule.create", &caller,
                                                      Json{{"indicator", r.indicator},
                                                           {"project_type", r.project_type},
                                                           {"kind", r.kind},
                                                           {"params", Json::parse(params)},
                                                           {"severity", r.severity},
                                                           {"active", r.active}},
                                                      {}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO monitor_rules (indicator, project_type, kind, params, severity, description, "
      "active, version, updated_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING "
      "id",
      r.indicator, r.project_type, r.kind, params, r.severity, r.description, r.active, now,
      ref.index));
  return Response(CORRIDOR_TRY(RuleJson(c, id)));
}

Result<Response> Monitor::UpdateRule(Connection& c, const Caller& caller, int64_t rule_id,
                                     const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  const Json before = CORRIDOR_TRY(RuleJson(c, rule_id));
  RuleInput current;
  current.indicator = before["indicator"];
  current.project_type = before["project_type"];
  current.kind = before["kind"];
  current.severity = before["severity"];
  current.description = before["description"];
  current.active = before["active"];
  current.params = CORRIDOR_TRY(
      mon::ParseRuleParams(*mon::ParseRuleKind(current.kind), before["params"].dump()));
  const RuleInput r = CORRIDOR_TRY(ReadRule(body, current));
  const int64_t now = clock_.NowMicros();
  const std::string params = mon::RuleParamsJson(r.params);
  const int64_t version = before["version"].get<int64_t>() + 1;
  // The policy ledger holds both sides of the change.
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(
      c, "monitor_rule.update", &caller,
      Json{{"rule_id", rule_id},
           {"version", version},
           {"before",
            {{"params", before["params"]},
             {"severity", before["severity"]},
             {"active", before["active"]}}},
           {"after",
            {{"params", Json::parse(params)}, {"severity", r.severity}, {"active", r.active}}}},
      {}, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE monitor_rules SET params = ?, severity = ?, description = ?, "
                       "active = ?, version = ?, updated_at = ?, entry_index = ? WHERE id = ?",
                       params, r.severity, r.description, r.active, version, now, ref.index,
                       rule_id));
  return Response(CORRIDOR_TRY(RuleJson(c, rule_id)));
}

Result<Json> Monitor::ListRules(const Caller& caller, const Page& page) {
  (void)caller;  // the rules are the bureau's published policy: every user reads them
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT id FROM monitor_rules WHERE {} ORDER BY {} LIMIT ?", k.where, k.order),
        k.bound, page.limit));
    std::vector<int64_t> ids;
    while (CORRIDOR_TRY(q.Next())) ids.push_back(q.Int(0));
    Json items = Json::array();
    for (int64_t id : ids) items.push_back(CORRIDOR_TRY(RuleJson(c, id)));
    return internal::PageOf(std::move(items), ids.empty() ? 0 : ids.back(), page);
  });
}

Result<Json> Monitor::RuleArl(const Caller& caller, int64_t rule_id) {
  (void)caller;
  const Json rule = CORRIDOR_TRY(store_.Read([&](Connection& c) { return RuleJson(c, rule_id); }));
  const auto kind = *mon::ParseRuleKind(rule["kind"].get<std::string>());
  if (kind != mon::RuleKind::kCusum && kind != mon::RuleKind::kEwma) {
    return Fail(Error::Invalid("/id", "ARLs are computed for CUSUM and EWMA rules"));
  }
  const auto p = CORRIDOR_TRY(mon::ParseRuleParams(kind, rule["params"].dump()));
  const bool two_sided = p.direction == mon::Direction::kBoth;
  // A one-sided rule's shift is towards its side.
  const double sign = p.direction == mon::Direction::kBelow ? -1 : 1;
  Json rows = Json::array();
  for (double shift : {0.0, 0.5, 1.0, 2.0, 3.0}) {
    const double arl =
        kind == mon::RuleKind::kCusum
            ? CORRIDOR_TRY(mon::CusumArl(
                  {.k = p.k, .h = p.h, .shift = sign * shift, .two_sided = two_sided}))
            : CORRIDOR_TRY(mon::EwmaArl(
                  {.lambda = p.lambda, .l = p.l, .shift = shift, .two_sided = two_sided}));
    rows.push_back({{"shift_sigma", shift}, {"arl", arl}});
  }
  const std::string method =
      kind == mon::RuleKind::kEwma && !two_sided
          ? "Brook-Evans Markov chain, Richardson-extrapolated; the one-sided EWMA reflected at "
            "its target, whose run is never longer than the rule's: a lower bound of its ARL"
          : std::string("Brook-Evans Markov chain, Richardson-extrapolated; ") +
                (two_sided ? "two-sided" : "one-sided");
  return Json{{"rule_id", rule_id},
              {"kind", rule["kind"]},
              {"two_sided", two_sided},
              {"arl", std::move(rows)},
              {"method", method}};
}

}  // namespace corridor::service
