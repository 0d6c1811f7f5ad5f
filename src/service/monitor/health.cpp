// The ecosystem health index on the platform (docs/early-warning.md, "The ecosystem health
// index"): member firms' weekly reports, the index of each firm and of the ecosystem, and the
// alerts of seed 002 §5.3.1 (a fall of at least 15% in each of two consecutive weeks).
#include "risk/monitor/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <set>

#include "core/int128.hpp"
#include "domain/schedule.hpp"
#include "risk/monitor/telemetry.hpp"
#include "service/monitor/internal.hpp"
#include "service/monitor/monitor.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::Query;
namespace mon = risk::monitor;
namespace health = risk::monitor::health;
using namespace monitor_internal;  // NOLINT(google-build-using-namespace): this context's helpers

namespace {

constexpr size_t kMaxReportsPerUpload = 100'000;
constexpr int32_t kMaxReportAgeWeeks = 104;  // two years back
constexpr int32_t kBaselineWeeks = 4;
constexpr int kMaxViewWeeks = 260;
constexpr int64_t kMaxUnits = int64_t{1'000'000'000'000};
constexpr int64_t kPpm = 1'000'000;
constexpr size_t kComponents = std::size(health::kComponentNames);

bool IsMonday(Date d) { return (d.days_since_epoch() + 3) % 7 == 0; }  // 1970-01-05 was one
Date MondayOf(Date d) { return d.AddDays(-static_cast<int32_t>((d.days_since_epoch() + 3) % 7)); }
// The week's last second (its Sunday, 23:59:59 UTC): when its index is known.
int64_t WeekEndSeconds(Date monday) {
  return (int64_t{monday.days_since_epoch()} + 7) * 86'400 - 1;
}

// A firm's figures of a week, as reported; nullopt where it reported nothing.
struct Figures {
  std::optional<int64_t> orders, due, collected, capacity, used, inventory, need;
  bool operator==(const Figures&) const = default;
};

constexpr std::string_view kFigureColumns =
    "orders_fen, receivables_due_fen, receivables_collected_fen, capacity_units, used_units, "
    "inventory_units, inventory_need_units";

Figures FiguresFrom(const Query& q, int first) {
  return Figures{.orders = q.OptInt(first),
                 .due = q.OptInt(first + 1),
                 .collected = q.OptInt(first + 2),
                 .capacity = q.OptInt(first + 3),
                 .used = q.OptInt(first + 4),
                 .inventory = q.OptInt(first + 5),
                 .need = q.OptInt(first + 6)};
}

Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(); }

std::string Fingerprint(int64_t ecosystem, int64_t enterprise) {
  return enterprise == 0
             ? fmt::format("ecosystem:{}/health_index", ecosystem)
             : fmt::format("ecosystem:{}/enterprise:{}/health_index", ecosystem, enterprise);
}

// The firm's outstanding principal on the platform's loans at the end of `sunday`, and the part of
// it overdue then (due before that day and not paid by it): as of that day, no look-ahead.
Result<std::pair<int64_t, int64_t>> LoanPosition(Connection& c, int64_t enterprise,
                                                 const std::string& sunday) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT coalesce(sum(i.principal_fen), 0), "
                                    "coalesce(sum(CASE WHEN i.due_date < ? THEN i.principal_fen "
                                    "ELSE 0 END), 0) FROM installments i JOIN loans l ON l.id = "
                                    "i.loan_id WHERE l.enterprise_id = ? AND l.start_date <= ? "
                                    "AND (i.paid_on IS NULL OR i.paid_on > ?)",
                                    sunday, enterprise, sunday, sunday));
  if (!CORRIDOR_TRY(q.Next())) return std::pair<int64_t, int64_t>(0, 0);
  return std::pair(q.Int(0), q.Int(1));
}

// Computes and stores the firm's index of every reported week from `from` on (a week's order
// score reads the weeks before it). Weeks with nothing to score keep no index.
Status ComputeFirm(Connection& c, int64_t ecosystem, int64_t enterprise, Date from,
                   int64_t now_us) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    fmt::format("SELECT week, {} FROM health_reports WHERE "
                                                "ecosystem_id = ? AND enterprise_id = ? AND week "
                                                ">= ? ORDER BY week",
                                                kFigureColumns),
                                    ecosystem, enterprise,
                                    from.AddDays(-7 * kBaselineWeeks).ToString()));
  std::map<int32_t, Figures> weeks;
  while (CORRIDOR_TRY(q.Next())) {
    weeks.emplace(Date::Parse(q.Text(0))->days_since_epoch(), FiguresFrom(q, 1));
  }
  for (const auto& [day, f] : weeks) {
    const Date monday = Date::FromDays(day);
    if (monday < from) continue;
    std::array<std::optional<int64_t>, kComponents> score;
    Json figures = Json::object();
    if (f.orders) {
      int64_t sum = 0, n = 0;
      for (int32_t k = 1; k <= kBaselineWeeks; ++k) {
        const auto it = weeks.find(day - 7 * k);
        if (it != weeks.end() && it->second.orders) {
          sum += *it->second.orders;
          ++n;
        }
      }
      score[health::kOrder] = health::OrderScore(*f.orders, sum, n);
      figures["orders_fen"] = *f.orders;
      figures["order_baseline_fen"] = n == 0 ? Json() : Json(sum / n);
    }
    if (f.due) {
      score[health::kPayment] = health::PaymentScore(*f.collected, *f.due);
      figures["receivables_due_fen"] = *f.due;
      figures["receivables_collected_fen"] = *f.collected;
    }
    if (f.capacity) {
      score[health::kCapacity] = health::CapacityScore(*f.used, *f.capacity);
      figures["capacity_units"] = *f.capacity;
      figures["used_units"] = *f.used;
    }
    if (f.inventory) {
      score[health::kInventory] = health::InventoryScore(*f.inventory, *f.need);
      figures["inventory_units"] = *f.inventory;
      figures["inventory_need_units"] = *f.need;
    }
    const std::string sunday = monday.AddDays(6).ToString();
    const auto [outstanding, overdue] = CORRIDOR_TRY(LoanPosition(c, enterprise, sunday));
    score[health::kFinancing] = health::FinancingScore(overdue, outstanding);
    figures["loans_outstanding_fen"] = outstanding;
    figures["loans_overdue_fen"] = overdue;

    std::vector<mon::HealthComponent> parts;
    Json components = Json::object();
    for (size_t k = 0; k < kComponents; ++k) {
      const auto name = health::kComponentNames[k];
      if (!score[k]) {
        components[std::string(name)] = nullptr;
        continue;
      }
      parts.push_back({name, *score[k], health::kDefaultWeights[k]});
      components[std::string(name)] = {{"score_ppm", *score[k]},
                                       {"weight", health::kDefaultWeights[k]}};
    }
    if (parts.empty()) {
      CORRIDOR_TRY(Execute(c,
                           "DELETE FROM health_index WHERE ecosystem_id = ? AND enterprise_id = "
                           "? AND week = ?",
                           ecosystem, enterprise, monday.ToString()));
      continue;
    }
    const int64_t index = CORRIDOR_TRY(mon::HealthIndexPpm(parts));
    components["figures"] = std::move(figures);
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO health_index (ecosystem_id, enterprise_id, week, index_ppm, "
                         "components, computed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                         "(ecosystem_id, enterprise_id, week) DO UPDATE SET index_ppm = "
                         "excluded.index_ppm, components = excluded.components, computed_at = "
                         "excluded.computed_at",
                         ecosystem, enterprise, monday.ToString(), index, components.dump(),
                         now_us));
  }
  return {};
}

// The ecosystem's index of each week from `from` on: its firms' indices of the week weighted by
// their capital in the ecosystem (Σ capitalᵢ · indexᵢ / Σ capitalᵢ, rounded half up), and each
// component the same way over the firms that have it.
Status ComputeEcosystem(Connection& c, int64_t ecosystem, Date from, int64_t now_us) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT h.week, h.index_ppm, h.components, m.capital_fen "
                                    "FROM health_index h JOIN enterprises e ON e.id = "
                                    "h.enterprise_id JOIN ecosystem_members m ON m.ecosystem_id = "
                                    "h.ecosystem_id AND m.tenant_id = e.tenant_id WHERE "
                                    "h.ecosystem_id = ? AND h.enterprise_id <> 0 AND h.week >= ? "
                                    "ORDER BY h.week, h.enterprise_id",
                                    ecosystem, from.ToString()));
  struct Sums {
    Int128 index = 0, capital = 0;
    std::array<Int128, kComponents> part{}, part_capital{};
    int64_t firms = 0;
  };
  std::map<std::string, Sums> weeks;
  while (CORRIDOR_TRY(q.Next())) {
    Sums& s = weeks[q.Text(0)];
    const int64_t capital = q.Int(3);
    s.index += Int128{capital} * q.Int(1);
    s.capital += capital;
    ++s.firms;
    const Json parts = Json::parse(q.Text(2));
    for (size_t k = 0; k < kComponents; ++k) {
      const Json& p = parts.at(std::string(health::kComponentNames[k]));
      if (p.is_null()) continue;
      s.part[k] += Int128{capital} * p.at("score_ppm").get<int64_t>();
      s.part_capital[k] += capital;
    }
  }
  CORRIDOR_TRY(Execute(c,
                       "DELETE FROM health_index WHERE ecosystem_id = ? AND enterprise_id = 0 AND "
                       "week >= ?",
                       ecosystem, from.ToString()));
  const auto mean = [](Int128 weighted, Int128 weight) {
    return static_cast<int64_t>((2 * weighted + weight) / (2 * weight));
  };
  for (const auto& [week, s] : weeks) {
    Json components = Json::object();
    for (size_t k = 0; k < kComponents; ++k) {
      const std::string name(health::kComponentNames[k]);
      components[name] = s.part_capital[k] == 0
                             ? Json()
                             : Json{{"score_ppm", mean(s.part[k], s.part_capital[k])},
                                    {"weight", health::kDefaultWeights[k]}};
    }
    components["firms"] = s.firms;
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO health_index (ecosystem_id, enterprise_id, week, index_ppm, "
                         "components, computed_at) VALUES (?, 0, ?, ?, ?, ?)",
                         ecosystem, week, mean(s.index, s.capital), components.dump(), now_us));
  }
  return {};
}

// A subject's stored weekly index, as consecutive weeks from its first (missing weeks empty).
struct WeeklyIndex {
  Date first;
  std::vector<std::optional<int64_t>> ppm;
  Date Week(size_t t) const { return first.AddDays(static_cast<int32_t>(7 * t)); }
};

Result<WeeklyIndex> LoadSeries(Connection& c, int64_t ecosystem, int64_t enterprise) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT week, index_ppm FROM health_index WHERE ecosystem_id "
                                    "= ? AND enterprise_id = ? ORDER BY week",
                                    ecosystem, enterprise));
  WeeklyIndex s;
  while (CORRIDOR_TRY(q.Next())) {
    const Date week = *Date::Parse(q.Text(0));
    if (s.ppm.empty()) s.first = week;
    const auto t = static_cast<size_t>((week.days_since_epoch() - s.first.days_since_epoch()) / 7);
    s.ppm.resize(t + 1);
    s.ppm[t] = q.Int(1);
  }
  return s;
}

std::string Ratio(int64_t ppm) { return mon::Decimal{ppm, -6}.ToString(); }

// Whether week t's index fell by at least the rule's percentage from week t − 1's.
bool Fell(const WeeklyIndex& s, size_t t, const mon::HealthRule& rule) {
  return t > 0 && t < s.ppm.size() && s.ppm[t - 1] && s.ppm[t] &&
         mon::FellAtLeast({*s.ppm[t - 1], -6}, {*s.ppm[t], -6}, rule.drop_pct);
}

// Fires and resolves the subject's health alert over the weeks from `from` on: it fires at each
// week the rule fires unless one is open or one already fired for that week or a later one (a
// recomputation does not fire twice), and resolves by itself after two weeks in a row, both after
// the week it fired, without a counting fall.
Status EvaluateAlerts(Connection& c, const Subject& subject, Date from, int64_t now_us, Json& fired,
                      Json& resolved) {
  const mon::HealthRule rule;
  const WeeklyIndex s = CORRIDOR_TRY(LoadSeries(c, subject.ecosystem_id, subject.enterprise_id));
  if (s.ppm.empty()) return {};
  std::vector<std::optional<mon::Decimal>> index;
  for (const auto& v : s.ppm) {
    index.push_back(v ? std::optional<mon::Decimal>(mon::Decimal{*v, -6}) : std::nullopt);
  }
  const auto fires = CORRIDOR_TRY(mon::HealthAlertWeeks(index, rule));
  const std::set<size_t> firing(fires.begin(), fires.end());
  const std::string fingerprint = Fingerprint(subject.ecosystem_id, subject.enterprise_id);
  const int64_t owner = CORRIDOR_TRY(BureauTenant(c));
  const std::string severity = subject.kind == "ecosystem" ? "critical" : "warning";
  for (size_t t = 0; t < s.ppm.size(); ++t) {
    const Date week = s.Week(t);
    if (week < from) continue;
    const int64_t end_s = WeekEndSeconds(week);
    auto open = CORRIDOR_TRY(Query::Make(c,
                                         "SELECT id, fired_t FROM monitor_alerts WHERE "
                                         "fingerprint = ? AND status <> 'resolved'",
                                         fingerprint));
    const bool is_open = CORRIDOR_TRY(open.Next());
    if (firing.contains(t)) {
      if (is_open) continue;
      if (CORRIDOR_TRY(QueryInt(c,
                                "SELECT 1 FROM monitor_alerts WHERE fingerprint = ? AND fired_t "
                                ">= ?",
                                fingerprint, end_s))) {
        continue;
      }
      const double value = static_cast<double>(*s.ppm[t]) / static_cast<double>(kPpm);
      std::string path;
      for (size_t k = t - static_cast<size_t>(rule.consecutive); k <= t; ++k) {
        path += (path.empty() ? "" : " → ") + Ratio(*s.ppm[k]);
      }
      const std::string note = fmt::format(
          "the health index fell at least {}% in each of {} weeks to the week of {}: {}",
          rule.drop_pct.ToString(), rule.consecutive, week.ToString(), path);
      NewAlert a;
      a.fingerprint = fingerprint;
      a.subject = subject.kind;
      a.indicator = "health_index";
      a.severity = severity;
      a.ecosystem_id = subject.ecosystem_id;
      if (subject.enterprise_id != 0) a.enterprise_id = subject.enterprise_id;
      a.owner_tenant_id = owner;
      a.fired_t = end_s;
      a.value = value;
      a.note = note;
      a.log = Json{{"fingerprint", fingerprint},
                   {"subject", subject.kind},
                   {"ecosystem_id", subject.ecosystem_id},
                   {"indicator", "health_index"},
                   {"severity", severity},
                   {"week", week.ToString()},
                   {"index", Ratio(*s.ppm[t])},
                   {"note", note}};
      if (subject.enterprise_id != 0) a.log["enterprise_id"] = subject.enterprise_id;
      const auto opened = CORRIDOR_TRY(OpenAlert(c, a, subject.parties, now_us));
      if (!opened) continue;
      const int64_t id = *opened;
      fired.push_back(id);
      continue;
    }
    if (!is_open) continue;
    const Date fired_week = MondayOf(Date::FromDays(static_cast<int32_t>(open.Int(1) / 86'400)));
    if (t < 1 || s.Week(t - 1) <= fired_week || Fell(s, t, rule) || Fell(s, t - 1, rule)) {
      continue;
    }
    const auto closed = CORRIDOR_TRY(
        CloseAlertByRule(c, fingerprint, end_s, Json{{"week", week.ToString()}},
                         fmt::format("no fall of {}% in the two weeks to the week of {}",
                                     rule.drop_pct.ToString(), week.ToString()),
                         subject.parties, now_us));
    if (!closed) continue;
    const int64_t id = *closed;
    resolved.push_back(id);
  }
  return {};
}

// One report row, read and checked; its problems as refusals.
struct Row {
  int64_t enterprise_id = 0;
  Date week;
  Figures figures;
};

struct Refusal {
  size_t row;
  std::string field, reason;
};

std::optional<Row> ReadRow(const Json& r, size_t i, Date today, std::vector<Refusal>& refused) {
  if (!r.is_object()) {
    refused.push_back({i, "", "must be an object"});
    return std::nullopt;
  }
  Input in(r);
  Row row;
  row.enterprise_id = in.Int("enterprise_id", 1, INT64_MAX);
  row.week = in.DateField("week");
  Figures& f = row.figures;
  f.orders = in.OptInt("orders_fen", 0, domain::kMaxPrincipalFen);
  f.due = in.OptInt("receivables_due_fen", 0, domain::kMaxPrincipalFen);
  f.collected = in.OptInt("receivables_collected_fen", 0, domain::kMaxPrincipalFen);
  f.capacity = in.OptInt("capacity_units", 1, kMaxUnits);
  f.used = in.OptInt("used_units", 0, kMaxUnits);
  f.inventory = in.OptInt("inventory_units", 0, kMaxUnits);
  f.need = in.OptInt("inventory_need_units", 0, kMaxUnits);
  const auto pair = [&](const auto& a, const auto& b, std::string_view name,
                        std::string_view with) {
    if (a.has_value() != b.has_value()) {
      in.Problem(a ? with : name, fmt::format("goes with {}", a ? name : with));
    }
  };
  pair(f.due, f.collected, "receivables_due_fen", "receivables_collected_fen");
  pair(f.capacity, f.used, "capacity_units", "used_units");
  pair(f.inventory, f.need, "inventory_units", "inventory_need_units");
  if (f.capacity && f.used && *f.used > *f.capacity)
    in.Problem("used_units", "exceeds capacity_units");
  if (f == Figures{}) in.Problem("", "a report needs at least one figure");
  if (auto status = in.Finish(); !status) {
    for (const FieldError& e : status.error().fields) {
      refused.push_back({i, e.field.empty() ? "" : e.field.substr(1), e.message});
    }
    return std::nullopt;
  }
  if (!IsMonday(row.week)) {
    refused.push_back({i, "week", "must be a Monday (the first day of the week)"});
    return std::nullopt;
  }
  if (row.week > today) {
    refused.push_back({i, "week", "is in the future"});
    return std::nullopt;
  }
  if (row.week < MondayOf(today).AddDays(-7 * kMaxReportAgeWeeks)) {
    refused.push_back({i, "week", "is more than two years ago"});
    return std::nullopt;
  }
  return row;
}

Json RefusedJson(const std::vector<Refusal>& refused) {
  Json out = Json::array();
  for (const Refusal& r : refused) {
    out.push_back({{"row", r.row}, {"field", r.field}, {"reason", r.reason}});
  }
  return out;
}

}  // namespace

Result<Response> Monitor::IngestHealth(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser, Role::kBureauAdmin}));
  Input in(body);
  const int64_t ecosystem = in.Int("ecosystem_id", 1, INT64_MAX);
  const Json* reports = in.Has("reports") ? &body.at("reports") : nullptr;
  if (reports == nullptr) in.Problem("reports", "is required");
  if (reports != nullptr && (!reports->is_array() || reports->size() > kMaxReportsPerUpload)) {
    in.Problem("reports", "must be an array of at most 100000 reports");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (!CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM ecosystems WHERE id = ?", ecosystem))) {
    return Fail(Error::NotFound("ecosystem"));
  }
  const int64_t now_us = clock_.NowMicros();
  const Date today = clock_.Today();
  std::vector<Refusal> refused;
  std::map<std::pair<int64_t, int32_t>, size_t> seen;  // (firm, week) → its row
  std::map<int64_t, bool> member;                      // firm → in the ecosystem
  std::map<int64_t, Date> earliest;                    // firm → its first week written
  size_t accepted = 0;
  for (size_t i = 0; i < reports->size(); ++i) {
    const auto row = ReadRow((*reports)[i], i, today, refused);
    if (!row) continue;
    if (caller.role == Role::kEnterpriseUser && row->enterprise_id != caller.enterprise_id) {
      refused.push_back({i, "enterprise_id", "is not the caller's enterprise"});
      continue;
    }
    auto known = member.find(row->enterprise_id);
    if (known == member.end()) {
      const bool in_ecosystem = CORRIDOR_TRY(QueryInt(c,
                                                      "SELECT 1 FROM ecosystem_members m JOIN "
                                                      "enterprises e ON e.tenant_id = m.tenant_id "
                                                      "WHERE m.ecosystem_id = ? AND e.id = ?",
                                                      ecosystem, row->enterprise_id))
                                    .has_value();
      known = member.emplace(row->enterprise_id, in_ecosystem).first;
    }
    if (!known->second) {
      refused.push_back({i, "enterprise_id", "is not a member of this ecosystem"});
      continue;
    }
    const auto key = std::pair(row->enterprise_id, row->week.days_since_epoch());
    if (const auto it = seen.find(key); it != seen.end()) {
      refused.push_back(
          {i, "week", fmt::format("repeats row {} (one report a firm and week)", it->second)});
      continue;
    }
    seen.emplace(key, i);
    auto stored = CORRIDOR_TRY(Query::Make(c,
                                           fmt::format("SELECT {} FROM health_reports WHERE "
                                                       "ecosystem_id = ? AND enterprise_id = ? "
                                                       "AND week = ?",
                                                       kFigureColumns),
                                           ecosystem, row->enterprise_id, row->week.ToString()));
    if (CORRIDOR_TRY(stored.Next())) {
      refused.push_back({i, "week",
                         FiguresFrom(stored, 0) == row->figures
                             ? "duplicate of the stored report of that week"
                             : "conflicts with the stored report of that week"});
      continue;
    }
    const Figures& f = row->figures;
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO health_reports (ecosystem_id, enterprise_id, week, "
                         "orders_fen, receivables_due_fen, receivables_collected_fen, "
                         "capacity_units, used_units, inventory_units, inventory_need_units, "
                         "recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         ecosystem, row->enterprise_id, row->week.ToString(), f.orders, f.due,
                         f.collected, f.capacity, f.used, f.inventory, f.need, caller.user_id,
                         now_us));
    ++accepted;
    auto [first, added] = earliest.emplace(row->enterprise_id, row->week);
    if (!added && row->week < first->second) first->second = row->week;
  }

  // The index from each firm's earliest new week on (a week's order baseline is the weeks
  // before), then the ecosystem's, then the alerts.
  Json fired = Json::array(), resolved = Json::array();
  std::optional<Date> from;
  for (const auto& [firm, week] : earliest) {
    CORRIDOR_TRY_STATUS(ComputeFirm(c, ecosystem, firm, week, now_us));
    if (!from || week < *from) from = week;
  }
  if (from) {
    CORRIDOR_TRY_STATUS(ComputeEcosystem(c, ecosystem, *from, now_us));
    for (const auto& [firm, week] : earliest) {
      const Subject s = CORRIDOR_TRY(HealthSubject(c, ecosystem, firm));
      CORRIDOR_TRY_STATUS(EvaluateAlerts(c, s, week, now_us, fired, resolved));
    }
    const Subject whole = CORRIDOR_TRY(HealthSubject(c, ecosystem, 0));
    CORRIDOR_TRY_STATUS(EvaluateAlerts(c, whole, *from, now_us, fired, resolved));
  }
  return Response(Json{{"accepted", accepted},
                       {"refused", RefusedJson(refused)},
                       {"alerts_fired", std::move(fired)},
                       {"alerts_resolved", std::move(resolved)}});
}

Result<Json> Monitor::Health(const Caller& caller, int64_t ecosystem_id,
                             std::optional<int64_t> enterprise_id, int weeks) {
  if (weeks < 1 || weeks > kMaxViewWeeks) {
    return Fail(Error::Invalid("/weeks", "must be 1 to 260"));
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    const int64_t firm = enterprise_id.value_or(0);
    const Subject subject = CORRIDOR_TRY(HealthSubject(c, ecosystem_id, firm));
    if (!SeesSubject(caller, subject)) {
      if (firm != 0) return Fail(Error::NotFound("enterprise"));
      return Fail(Error{ErrorCode::kPermissionDenied,
                        "an ecosystem's health index is for the oversight roles",
                        {}});
    }
    if (firm != 0 && !CORRIDOR_TRY(QueryInt(c,
                                            "SELECT 1 FROM ecosystem_members m JOIN enterprises e "
                                            "ON e.tenant_id = m.tenant_id WHERE m.ecosystem_id = ? "
                                            "AND e.id = ?",
                                            ecosystem_id, firm))) {
      return Fail(Error::Invalid("/enterprise_id", "is not a member of this ecosystem"));
    }
    const mon::HealthRule rule;
    const WeeklyIndex s = CORRIDOR_TRY(LoadSeries(c, ecosystem_id, firm));
    std::map<std::string, Json> components;
    {
      auto q = CORRIDOR_TRY(Query::Make(c,
                                        "SELECT week, components FROM health_index WHERE "
                                        "ecosystem_id = ? AND enterprise_id = ? ORDER BY week "
                                        "DESC LIMIT ?",
                                        ecosystem_id, firm, weeks));
      while (CORRIDOR_TRY(q.Next())) components.emplace(q.Text(0), Json::parse(q.Text(1)));
    }
    Json series = Json::array();
    const size_t begin = s.ppm.size() > static_cast<size_t>(weeks) ? s.ppm.size() - weeks : 0;
    for (size_t t = begin; t < s.ppm.size(); ++t) {
      if (!s.ppm[t]) continue;
      const std::string week = s.Week(t).ToString();
      const bool has_prev = t > 0 && s.ppm[t - 1].has_value() && *s.ppm[t - 1] > 0;
      const auto it = components.find(week);
      series.push_back(
          {{"week", week},
           {"index", static_cast<double>(*s.ppm[t]) / static_cast<double>(kPpm)},
           {"index_ppm", *s.ppm[t]},
           {"change_pct", has_prev ? Json(100.0 * static_cast<double>(*s.ppm[t] - *s.ppm[t - 1]) /
                                          static_cast<double>(*s.ppm[t - 1]))
                                   : Json()},
           {"fell", Fell(s, t, rule)},
           {"components", it == components.end() ? Json() : it->second}});
    }
    Json alerts = Json::array();
    auto a = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT id, severity, status, fired_t, fired_value_bits, "
                                      "resolved_t FROM monitor_alerts WHERE fingerprint = ? "
                                      "ORDER BY id DESC LIMIT 20",
                                      Fingerprint(ecosystem_id, firm)));
    while (CORRIDOR_TRY(a.Next())) {
      alerts.push_back(
          {{"id", a.Int(0)},
           {"severity", a.Text(1)},
           {"status", a.Text(2)},
           {"week", MondayOf(Date::FromDays(static_cast<int32_t>(a.Int(3) / 86'400))).ToString()},
           {"fired_value", std::bit_cast<double>(a.Int(4))},
           {"resolved_at", a.OptInt(5) ? Json(mon::FormatRfc3339Utc(*a.OptInt(5))) : Json()}});
    }
    Json weights = Json::object();
    for (size_t k = 0; k < kComponents; ++k) {
      weights[std::string(health::kComponentNames[k])] = health::kDefaultWeights[k];
    }
    Json out{{"ecosystem_id", ecosystem_id},
             {"ecosystem_name", subject.ecosystem_name},
             {"subject", subject.kind},
             {"enterprise_id", firm == 0 ? Json() : Json(firm)},
             {"enterprise_name", firm == 0 ? Json() : Json(subject.enterprise_name)},
             {"rule",
              {{"drop_pct", rule.drop_pct.ToString()},
               {"consecutive", rule.consecutive},
               {"weights", std::move(weights)},
               {"full_utilization_bps", health::kFullUtilizationBps},
               {"baseline_weeks", kBaselineWeeks}}},
             {"weeks", std::move(series)},
             {"alerts", std::move(alerts)}};
    if (firm != 0) return out;
    // The firms, worst first, each with its latest week and that week's change.
    // The latest week of each firm by one grouped scan, then the week before it and the open
    // alert by key (the alert by the partial unique index on open fingerprints).
    auto f = CORRIDOR_TRY(Query::Make(
        c,
        "WITH latest AS (SELECT enterprise_id, max(week) AS week FROM health_index WHERE "
        "ecosystem_id = ? AND enterprise_id <> 0 GROUP BY enterprise_id) SELECT h.enterprise_id, "
        "e.name, h.week, h.index_ppm, p.index_ppm, (SELECT a.id FROM monitor_alerts a WHERE "
        "a.fingerprint = 'ecosystem:' || h.ecosystem_id || '/enterprise:' || h.enterprise_id || "
        "'/health_index' AND a.status <> 'resolved') FROM latest l JOIN health_index h ON "
        "h.ecosystem_id = ? AND h.enterprise_id = l.enterprise_id AND h.week = l.week JOIN "
        "enterprises e ON e.id = h.enterprise_id LEFT JOIN health_index p ON p.ecosystem_id = "
        "h.ecosystem_id AND p.enterprise_id = h.enterprise_id AND p.week = date(h.week, '-7 "
        "days') ORDER BY h.index_ppm, h.enterprise_id",
        ecosystem_id, ecosystem_id));
    Json firms = Json::array();
    while (CORRIDOR_TRY(f.Next())) {
      const int64_t ppm = f.Int(3);
      const auto prev = f.OptInt(4);
      firms.push_back(
          {{"enterprise_id", f.Int(0)},
           {"name", f.Text(1)},
           {"week", f.Text(2)},
           {"index", static_cast<double>(ppm) / static_cast<double>(kPpm)},
           {"index_ppm", ppm},
           {"change_pct", prev && *prev > 0 ? Json(100.0 * static_cast<double>(ppm - *prev) /
                                                   static_cast<double>(*prev))
                                            : Json()},
           {"open_alert_id", OptJson(f.OptInt(5))}});
    }
    out["firms"] = std::move(firms);
    return out;
  });
}

}  // namespace corridor::service
