#include "service/supply/supply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/int128.hpp"
#include "domain/trade_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/log.hpp"
#include "service/registry/registry.hpp"
#include "service/supply/internal.hpp"
#include "store/db.hpp"

namespace corridor::service {

namespace supply_internal {

Json Appended(const LogEntryRef& ref) {
  return Json{{"log_index", ref.index}, {"leaf_hash_hex", registry::ToHex(ref.leaf_hash)}};
}

Result<std::string> UsccOf(store::Connection& c, int64_t enterprise_id) {
  auto q = CORRIDOR_TRY(
      store::Query::Make(c, "SELECT uscc FROM enterprises WHERE id = ?", enterprise_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("enterprise is missing"));
  return q.Text(0);
}

}  // namespace supply_internal

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
using supply_internal::Appended;
using supply_internal::RuleRefusal;
using supply_internal::UsccOf;

namespace {

constexpr int64_t kMaxFen = int64_t{1'000'000'000'000'000};  // 10^13 yuan
constexpr int64_t kBps = 10'000;
constexpr int64_t kDefaultInventoryToleranceBps = 500;

struct Pool {
  int64_t id = 0, ecosystem_id = 0, core_enterprise_id = 0, core_tenant_id = 0, entry_index = 0,
          created_at = 0;
  std::string name;
};

Result<std::optional<Pool>> LoadPool(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT p.id, p.ecosystem_id, p.core_enterprise_id, "
                                    "e.tenant_id, p.entry_index, p.created_at, p.name FROM "
                                    "supply_pools p JOIN enterprises e ON e.id = "
                                    "p.core_enterprise_id WHERE p.id = ?",
                                    id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Pool>();
  return std::optional<Pool>(Pool{.id = q.Int(0),
                                  .ecosystem_id = q.Int(1),
                                  .core_enterprise_id = q.Int(2),
                                  .core_tenant_id = q.Int(3),
                                  .entry_index = q.Int(4),
                                  .created_at = q.Int(5),
                                  .name = q.Text(6)});
}

struct Line {
  int64_t id = 0, pool_id = 0, bank_tenant_id = 0, supplier_enterprise_id = 0,
          supplier_tenant_id = 0, limit_fen = 0, advance_rate_bps = 0, max_buyer_share_bps = 0,
          fulfilment_rate_bps = 0, inventory_tolerance_bps = 0, drawn_fen = 0, margin_held_fen = 0,
          entry_index = 0, created_at = 0;
  std::string status, peak_months, supplier_uscc, supplier_name;
  std::optional<std::string> frozen_reason;
  std::optional<int64_t> frozen_entry_index;
};

constexpr std::string_view kLineColumns =
    "l.id, l.pool_id, l.bank_tenant_id, l.supplier_enterprise_id, e.tenant_id, l.limit_fen, "
    "l.advance_rate_bps, l.max_buyer_share_bps, l.fulfilment_rate_bps, "
    "l.inventory_tolerance_bps, l.drawn_fen, l.margin_held_fen, l.entry_index, l.created_at, "
    "l.status, l.peak_months, e.uscc, e.name, l.frozen_reason, l.frozen_entry_index";

Line LineFrom(const Query& q) {
  Line l;
  l.id = q.Int(0);
  l.pool_id = q.Int(1);
  l.bank_tenant_id = q.Int(2);
  l.supplier_enterprise_id = q.Int(3);
  l.supplier_tenant_id = q.Int(4);
  l.limit_fen = q.Int(5);
  l.advance_rate_bps = q.Int(6);
  l.max_buyer_share_bps = q.Int(7);
  l.fulfilment_rate_bps = q.Int(8);
  l.inventory_tolerance_bps = q.Int(9);
  l.drawn_fen = q.Int(10);
  l.margin_held_fen = q.Int(11);
  l.entry_index = q.Int(12);
  l.created_at = q.Int(13);
  l.status = q.Text(14);
  l.peak_months = q.Text(15);
  l.supplier_uscc = q.Text(16);
  l.supplier_name = q.Text(17);
  if (!q.IsNull(18)) l.frozen_reason = q.Text(18);
  l.frozen_entry_index = q.OptInt(19);
  return l;
}

// The lines matching `where` (over supply_lines l), in id order.
template <typename... Args>
Result<std::vector<Line>> LoadLines(Connection& c, std::string_view where, const Args&... args) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM supply_lines l JOIN enterprises e ON e.id = "
                              "l.supplier_enterprise_id WHERE {} ORDER BY l.id",
                              kLineColumns, where),
                  args...));
  std::vector<Line> out;
  while (CORRIDOR_TRY(q.Next())) out.push_back(LineFrom(q));
  return out;
}

Result<std::optional<Line>> LoadLine(Connection& c, int64_t id) {
  auto lines = CORRIDOR_TRY(LoadLines(c, "l.id = ?", id));
  if (lines.empty()) return std::optional<Line>();
  return std::optional<Line>(std::move(lines.front()));
}

std::vector<int> PeakMonths(std::string_view text) {
  std::vector<int> out;
  int v = 0;
  bool any = false;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      v = v * 10 + (ch - '0');
      any = true;
    } else if (any) {
      out.push_back(v);
      v = 0;
      any = false;
    }
  }
  if (any) out.push_back(v);
  return out;
}

// "peak_months": distinct months 1–12, stored as "1,2,12".
std::string PeakMonthsField(Input& in, const Json& body) {
  auto it = body.find("peak_months");
  if (it == body.end() || it->is_null()) return "";
  if (!it->is_array() || it->size() > 12) {
    in.Problem("peak_months", "must be a list of at most 12 months (1 to 12)");
    return "";
  }
  std::vector<int> months;
  for (const Json& m : *it) {
    if (!m.is_number_integer() || m.get<int64_t>() < 1 || m.get<int64_t>() > 12) {
      in.Problem("peak_months", "each month must be an integer from 1 to 12");
      return "";
    }
    months.push_back(m.get<int>());
  }
  std::sort(months.begin(), months.end());
  if (std::adjacent_find(months.begin(), months.end()) != months.end()) {
    in.Problem("peak_months", "repeats a month");
    return "";
  }
  return fmt::format("{}", fmt::join(months, ","));
}

Json PeakMonthsJson(std::string_view text) {
  Json out = Json::array();
  for (int m : PeakMonths(text)) out.push_back(m);
  return out;
}

Result<bool> IsMember(Connection& c, int64_t ecosystem_id, int64_t tenant_id) {
  return CORRIDOR_TRY(QueryInt(c,
                               "SELECT 1 FROM ecosystem_members WHERE ecosystem_id = ? AND "
                               "tenant_id = ?",
                               ecosystem_id, tenant_id))
      .has_value();
}

bool SeesLine(const Caller& caller, const Line& line, const Pool& pool) {
  if (internal::IsOversight(caller)) return true;
  if (caller.in_bank()) return caller.tenant_id == line.bank_tenant_id;
  if (caller.role != Role::kEnterpriseUser) return false;
  return caller.enterprise_id == line.supplier_enterprise_id ||
         caller.enterprise_id == pool.core_enterprise_id;
}

Result<bool> SeesPool(Connection& c, const Caller& caller, const Pool& pool) {
  if (internal::IsOversight(caller) || caller.in_bank()) return true;
  if (caller.role != Role::kEnterpriseUser) return false;
  if (caller.enterprise_id == pool.core_enterprise_id) return true;
  return IsMember(c, pool.ecosystem_id, caller.tenant_id);
}

// The latest production reading of an enterprise on or before `as_of`.
struct Reading {
  int64_t id = 0, capacity_units = 0, used_units = 0, entry_index = 0;
  std::optional<int64_t> inventory_units;
  std::string date, source;
};

Json ReadingJson(const Reading& r) {
  return Json{
      {"id", r.id},
      {"date", r.date},
      {"capacity_units", r.capacity_units},
      {"used_units", r.used_units},
      {"utilization_bps",
       r.capacity_units > 0
           ? Json(static_cast<int64_t>(static_cast<Int128>(r.used_units) * kBps / r.capacity_units))
           : Json(0)},
      {"inventory_units", r.inventory_units ? Json(*r.inventory_units) : Json(nullptr)},
      {"source", r.source},
      {"log_index", r.entry_index}};
}

constexpr std::string_view kReadingColumns =
    "id, capacity_units, used_units, entry_index, inventory_units, reading_date, source";

Reading ReadingFrom(const Query& q) {
  return Reading{.id = q.Int(0),
                 .capacity_units = q.Int(1),
                 .used_units = q.Int(2),
                 .entry_index = q.Int(3),
                 .inventory_units = q.OptInt(4),
                 .date = q.Text(5),
                 .source = q.Text(6)};
}

Result<std::optional<Reading>> LatestReading(Connection& c, int64_t enterprise_id, Date as_of) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT {} FROM supply_readings WHERE enterprise_id = ? AND reading_date <= ? "
                  "ORDER BY reading_date DESC LIMIT 1",
                  kReadingColumns),
      enterprise_id, as_of.ToString()));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Reading>();
  return std::optional<Reading>(ReadingFrom(q));
}

}  // namespace

namespace supply_internal {

Error RuleRefusal(std::string_view rule, std::string_view field, std::string message) {
  return Error{ErrorCode::kConflict,
               fmt::format("rule {}: {}", rule, message),
               {{std::string(field), std::string(rule)}}};
}

Status CheckUtilization(Connection& c, int64_t enterprise_id, Date as_of, std::string_view field) {
  const auto r = CORRIDOR_TRY(LatestReading(c, enterprise_id, as_of));
  if (r && domain::UtilizationTooLow(r->used_units, r->capacity_units)) {
    return Fail(RuleRefusal(
        "capacity_utilization", field,
        fmt::format("capacity utilization {}/{} on {} (reading {}) is below 60%: new financing is "
                    "refused until it recovers",
                    r->used_units, r->capacity_units, r->date, r->id)));
  }
  // The early-warning monitor's equipment-utilization alert on one of the enterprise's projects
  // restricts it the same way while the alert is open (service/monitor).
  auto alert = CORRIDOR_TRY(Query::Make(c,
                                        "SELECT a.id, p.code FROM monitor_alerts a JOIN "
                                        "monitor_projects p ON p.id = a.project_id WHERE "
                                        "p.enterprise_id = ? AND a.indicator = "
                                        "'equipment_utilization' AND a.status <> 'resolved' ORDER "
                                        "BY a.id LIMIT 1",
                                        enterprise_id));
  if (CORRIDOR_TRY(alert.Next())) {
    return Fail(RuleRefusal(
        "capacity_utilization", field,
        fmt::format("equipment utilization of project {} is below 60% (monitor alert {}): new "
                    "financing is refused until the alert is resolved",
                    alert.Text(1), alert.Int(0))));
  }
  return {};
}

}  // namespace supply_internal

namespace {

// A pooled order as the line sees it.
struct LineOrder {
  int64_t pool_order_id = 0, asset_id = 0, amount_fen = 0, entry_index = 0;
  std::optional<int64_t> units;
  std::string document_number, buyer_uscc, due_date, asset_status, pool_status;
  domain::OrderStatus status = domain::OrderStatus::kConfirmed;
};

Result<std::vector<LineOrder>> LineOrders(Connection& c, int64_t line_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT o.id, a.id, a.amount_fen, o.entry_index, o.units, "
                                    "a.document_number, a.debtor_uscc, a.due_date, a.status, "
                                    "o.status FROM supply_pool_orders o JOIN registry_assets a "
                                    "ON a.id = o.asset_id WHERE o.line_id = ? ORDER BY o.id",
                                    line_id));
  std::vector<LineOrder> out;
  while (CORRIDOR_TRY(q.Next())) {
    LineOrder o{.pool_order_id = q.Int(0),
                .asset_id = q.Int(1),
                .amount_fen = q.Int(2),
                .entry_index = q.Int(3),
                .units = q.OptInt(4),
                .document_number = q.Text(5),
                .buyer_uscc = q.Text(6),
                .due_date = q.Text(7),
                .asset_status = q.Text(8),
                .pool_status = q.Text(9)};
    if (o.pool_status == "cancelled") {
      o.status = domain::OrderStatus::kCancelled;
    } else if (o.asset_status != "registered") {
      o.status = domain::OrderStatus::kFulfilled;  // delivered, or settled since
    }
    out.push_back(std::move(o));
  }
  return out;
}

// The supplier's record on the platform: its registered orders delivered, and those past due
// and not delivered, by amount.
struct Fulfilment {
  int64_t delivered_fen = 0, overdue_fen = 0;
  std::optional<int64_t> history_bps;
};

Result<Fulfilment> FulfilmentOf(Connection& c, std::string_view supplier_uscc, Date as_of) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  "SELECT coalesce(sum(CASE WHEN status <> 'registered' THEN amount_fen END), 0), "
                  "coalesce(sum(CASE WHEN status = 'registered' AND due_date < ? THEN amount_fen "
                  "END), 0) FROM registry_assets WHERE type = 'order' AND creditor_uscc = ?",
                  as_of.ToString(), supplier_uscc));
  CORRIDOR_TRY(q.Next());
  Fulfilment f{.delivered_fen = q.Int(0), .overdue_fen = q.Int(1), .history_bps = std::nullopt};
  const int64_t base = f.delivered_fen + f.overdue_fen;
  if (base > 0) {
    f.history_bps = static_cast<int64_t>(static_cast<Int128>(f.delivered_fen) * kBps / base);
  }
  return f;
}

// Sales by buyer of the supplier's registered orders: the largest buyer and the total.
struct Concentration {
  std::string largest_buyer_uscc;
  int64_t largest_fen = 0, total_fen = 0;
};

Result<Concentration> ConcentrationOf(Connection& c, std::string_view supplier_uscc) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT debtor_uscc, sum(amount_fen) FROM registry_assets "
                                    "WHERE type = 'order' AND creditor_uscc = ? GROUP BY "
                                    "debtor_uscc ORDER BY 2 DESC, 1",
                                    supplier_uscc));
  Concentration out;
  while (CORRIDOR_TRY(q.Next())) {
    if (out.largest_buyer_uscc.empty()) {
      out.largest_buyer_uscc = q.Text(0);
      out.largest_fen = q.Int(1);
    }
    out.total_fen += q.Int(1);
  }
  return out;
}

// The units of goods that the pooled orders not yet delivered need in stock.
int64_t RequiredUnits(const std::vector<LineOrder>& orders) {
  int64_t units = 0;
  for (const auto& o : orders) {
    if (o.status == domain::OrderStatus::kConfirmed && o.units) units += *o.units;
  }
  return units;
}

struct LineState {
  std::vector<LineOrder> orders;
  domain::OrderPoolLine pool;
  Fulfilment fulfilment;
  int64_t applied_fulfilment_bps = 0;
  int64_t available_fen = 0;
  std::optional<Reading> reading;
  Concentration concentration;
};

Result<LineState> ComputeLine(Connection& c, const Line& line, Date as_of) {
  LineState s;
  s.orders = CORRIDOR_TRY(LineOrders(c, line.id));
  s.fulfilment = CORRIDOR_TRY(FulfilmentOf(c, line.supplier_uscc, as_of));
  s.applied_fulfilment_bps = line.fulfilment_rate_bps;
  if (s.fulfilment.history_bps) {
    s.applied_fulfilment_bps = std::min(s.applied_fulfilment_bps, *s.fulfilment.history_bps);
  }
  std::vector<domain::PoolOrder> orders;
  orders.reserve(s.orders.size());
  for (const auto& o : s.orders) {
    auto due = Date::Parse(o.due_date);
    if (!due) return Fail(Error::Internal("a pooled order has no due date"));
    orders.push_back(domain::PoolOrder{.id = std::to_string(o.asset_id),
                                       .buyer = o.buyer_uscc,
                                       .amount_fen = o.amount_fen,
                                       .status = o.status,
                                       .due_date = *due});
  }
  s.pool = CORRIDOR_TRY(domain::ComputeOrderPoolLine(
      orders, domain::OrderPoolTerms{.advance_rate_bps = line.advance_rate_bps,
                                     .max_buyer_share_bps = line.max_buyer_share_bps,
                                     .fulfilment_rate_bps = s.applied_fulfilment_bps,
                                     .as_of = as_of}));
  s.available_fen =
      std::max<int64_t>(0, std::min(line.limit_fen, s.pool.line_fen) - line.drawn_fen);
  s.reading = CORRIDOR_TRY(LatestReading(c, line.supplier_enterprise_id, as_of));
  s.concentration = CORRIDOR_TRY(ConcentrationOf(c, line.supplier_uscc));
  return s;
}

Json RestrictionsJson(const Line& line, const LineState& s) {
  Json out = Json::array();
  if (line.frozen_reason) {
    out.push_back(Json{
        {"rule", "inventory_freeze"},
        {"detail", *line.frozen_reason},
        {"log_index", line.frozen_entry_index ? Json(*line.frozen_entry_index) : Json(nullptr)}});
  }
  if (s.reading && domain::UtilizationTooLow(s.reading->used_units, s.reading->capacity_units)) {
    out.push_back(Json{
        {"rule", "capacity_utilization"},
        {"detail", fmt::format("capacity utilization {}/{} on {} is below 60%: new financing is "
                               "refused until it recovers",
                               s.reading->used_units, s.reading->capacity_units, s.reading->date)},
        {"log_index", s.reading->entry_index}});
  }
  return out;
}

Json FlagsJson(const LineState& s) {
  Json out = Json::array();
  const auto& k = s.concentration;
  if (k.total_fen > 0 && domain::CustomerConcentrationTooHigh(k.largest_fen, k.total_fen)) {
    out.push_back(
        Json{{"rule", "customer_concentration"},
             {"buyer_uscc", k.largest_buyer_uscc},
             {"share_bps",
              static_cast<int64_t>(static_cast<Int128>(k.largest_fen) * kBps / k.total_fen)},
             {"detail", "more than 60% of the supplier's registered orders are from one buyer"}});
  }
  return out;
}

Result<Json> LineJson(Connection& c, const Line& line, Date as_of) {
  const LineState s = CORRIDOR_TRY(ComputeLine(c, line, as_of));
  Json orders = Json::array();
  for (const auto& o : s.orders) {
    orders.push_back(Json{{"pool_order_id", o.pool_order_id},
                          {"asset_id", o.asset_id},
                          {"document_number", o.document_number},
                          {"buyer_uscc", o.buyer_uscc},
                          {"amount_fen", o.amount_fen},
                          {"due_date", o.due_date},
                          {"units", o.units ? Json(*o.units) : Json(nullptr)},
                          {"status", domain::ToString(o.status)},
                          {"log_index", o.entry_index}});
  }
  Json excluded = Json::array();
  for (const auto& e : s.pool.excluded) {
    excluded.push_back(Json{{"order", e.order},
                            {"asset_id", std::stoll(e.order)},
                            {"reason", e.reason},
                            {"excluded_fen", e.excluded_fen}});
  }
  auto margin = domain::DynamicMarginOn(line.drawn_fen, as_of, PeakMonths(line.peak_months));
  Json margin_json{{"peak_months", PeakMonthsJson(line.peak_months)},
                   {"held_fen", line.margin_held_fen}};
  if (margin) {
    margin_json["season"] = margin->season;
    margin_json["ratio_bps"] = margin->ratio_bps;
    margin_json["required_fen"] = margin->margin_fen;
  }
  return Json{
      {"id", line.id},
      {"pool_id", line.pool_id},
      {"bank_tenant_id", line.bank_tenant_id},
      {"supplier_enterprise_id", line.supplier_enterprise_id},
      {"supplier_uscc", line.supplier_uscc},
      {"supplier_name", line.supplier_name},
      {"status", line.status},
      {"as_of", as_of.ToString()},
      {"limit_fen", line.limit_fen},
      {"advance_rate_bps", line.advance_rate_bps},
      {"max_buyer_share_bps", line.max_buyer_share_bps},
      {"fulfilment_rate_bps", line.fulfilment_rate_bps},
      {"inventory_tolerance_bps", line.inventory_tolerance_bps},
      {"fulfilment", Json{{"bank_bps", line.fulfilment_rate_bps},
                          {"history_bps", s.fulfilment.history_bps ? Json(*s.fulfilment.history_bps)
                                                                   : Json(nullptr)},
                          {"applied_bps", s.applied_fulfilment_bps},
                          {"delivered_fen", s.fulfilment.delivered_fen},
                          {"overdue_fen", s.fulfilment.overdue_fen}}},
      {"pooled_fen", s.pool.pooled_fen},
      {"eligible_fen", s.pool.eligible_fen},
      {"line_fen", s.pool.line_fen},
      {"drawn_fen", line.drawn_fen},
      {"available_fen", s.available_fen},
      {"shortfall_fen",
       std::max<int64_t>(0, line.drawn_fen - std::min(line.limit_fen, s.pool.line_fen))},
      {"orders", std::move(orders)},
      {"excluded", std::move(excluded)},
      {"restrictions", RestrictionsJson(line, s)},
      {"flags", FlagsJson(s)},
      {"frozen", line.frozen_reason
                     ? Json{{"reason", *line.frozen_reason},
                            {"log_index", line.frozen_entry_index ? Json(*line.frozen_entry_index)
                                                                  : Json(nullptr)}}
                     : Json(nullptr)},
      {"latest_reading", s.reading ? ReadingJson(*s.reading) : Json(nullptr)},
      {"margin", std::move(margin_json)},
      {"log_index", line.entry_index},
      {"created_at_us", line.created_at}};
}

Json PoolJson(const Pool& p) {
  return Json{{"id", p.id},
              {"ecosystem_id", p.ecosystem_id},
              {"core_enterprise_id", p.core_enterprise_id},
              {"name", p.name},
              {"log_index", p.entry_index},
              {"created_at_us", p.created_at}};
}

std::vector<int64_t> LineParties(const Line& line, const Pool& pool) {
  std::vector<int64_t> out = {line.bank_tenant_id, line.supplier_tenant_id};
  if (pool.core_tenant_id != line.supplier_tenant_id) out.push_back(pool.core_tenant_id);
  return out;
}

// A draw (funds to the supplier) or a repayment (back to the bank) of `amount_fen` on the line:
// its log entry, its row, the drawn amount and the ledger line, in the caller's transaction;
// `line.drawn_fen` is updated.
Result<LogEntryRef> MoveDrawn(Connection& c, const Caller& caller, Line& line, const Pool& pool,
                              bool draw, int64_t amount_fen, int64_t now) {
  const int64_t drawn = line.drawn_fen + (draw ? amount_fen : -amount_fen);
  const LogEntryRef ref = CORRIDOR_TRY(
      AppendLogEntry(c, draw ? "supply_line.draw" : "supply_line.repay", &caller,
                     Json{{"line_id", line.id}, {"amount_fen", amount_fen}, {"drawn_fen", drawn}},
                     LineParties(line, pool), now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO supply_draws (line_id, kind, amount_fen, recorded_by, "
                       "created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?)",
                       line.id, draw ? "draw" : "repayment", amount_fen, caller.user_id, now,
                       ref.index));
  CORRIDOR_TRY(Execute(c, "UPDATE supply_lines SET drawn_fen = ? WHERE id = ?", drawn, line.id));
  const std::string bank = fmt::format("loans_receivable:bank:{}", line.bank_tenant_id);
  const std::string supplier = fmt::format("deposits:enterprise:{}", line.supplier_enterprise_id);
  CORRIDOR_TRY_STATUS(
      internal::AddLedger(c, std::nullopt, draw ? "supply_line_draw" : "supply_line_repayment",
                          draw ? bank : supplier, draw ? supplier : bank, amount_fen, now));
  line.drawn_fen = drawn;
  return ref;
}

Result<std::pair<Line, Pool>> LineAndPool(Connection& c, const Caller& caller, int64_t line_id) {
  auto line = CORRIDOR_TRY(LoadLine(c, line_id));
  if (!line) return Fail(Error::NotFound("line"));
  auto pool = CORRIDOR_TRY(LoadPool(c, line->pool_id));
  if (!pool || !SeesLine(caller, *line, *pool)) return Fail(Error::NotFound("line"));
  return std::make_pair(std::move(*line), std::move(*pool));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Pools and lines

Result<Response> Supply::CreatePool(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t ecosystem_id = in.Int("ecosystem_id", 1, INT64_MAX);
  const std::string name = in.Str("name", 100);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto core = CORRIDOR_TRY(
      QueryInt(c, "SELECT core_enterprise_id FROM ecosystems WHERE id = ?", ecosystem_id));
  if (!core) return Fail(Error::Invalid("/ecosystem_id", "no such ecosystem"));
  if (*core != caller.enterprise_id) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "only the ecosystem's core enterprise opens its order pool",
                      {{"/ecosystem_id", "the caller is not its core enterprise"}}});
  }
  const int64_t now = clock_.NowMicros();
  Pool p{.id = 0,
         .ecosystem_id = ecosystem_id,
         .core_enterprise_id = *core,
         .core_tenant_id = caller.tenant_id,
         .entry_index = 0,
         .created_at = now,
         .name = name};
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(
      c, "supply_pool.open", &caller,
      Json{{"ecosystem_id", ecosystem_id}, {"core_enterprise_id", *core}, {"name", name}},
      {caller.tenant_id}, now));
  p.entry_index = ref.index;
  p.id = CORRIDOR_TRY(InsertReturningId(c,
                                        "INSERT INTO supply_pools (ecosystem_id, "
                                        "core_enterprise_id, name, created_by, created_at, "
                                        "entry_index) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                        ecosystem_id, *core, name, caller.user_id, now, ref.index));
  Json out = PoolJson(p);
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::GrantLine(Connection& c, const Caller& caller, int64_t pool_id,
                                   const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t supplier = in.Int("supplier_enterprise_id", 1, INT64_MAX);
  const int64_t limit = in.Int("limit_fen", 1, kMaxFen);
  const int64_t advance = in.Int("advance_rate_bps", 1, kBps);
  const int64_t buyer_cap = in.Int("max_buyer_share_bps", 1, kBps);
  const int64_t fulfilment = in.Int("fulfilment_rate_bps", 0, kBps);
  const int64_t tolerance =
      in.OptInt("inventory_tolerance_bps", 0, kBps).value_or(kDefaultInventoryToleranceBps);
  const std::string peak = PeakMonthsField(in, body);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto pool = CORRIDOR_TRY(LoadPool(c, pool_id));
  if (!pool) return Fail(Error::NotFound("pool"));
  auto supplier_tenant =
      CORRIDOR_TRY(QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", supplier));
  if (!supplier_tenant || !CORRIDOR_TRY(IsMember(c, pool->ecosystem_id, *supplier_tenant))) {
    return Fail(
        Error::Invalid("/supplier_enterprise_id", "is not a member of the pool's ecosystem"));
  }
  if (supplier == pool->core_enterprise_id) {
    return Fail(Error::Invalid("/supplier_enterprise_id", "is the pool's core enterprise"));
  }
  if (auto existing = CORRIDOR_TRY(QueryInt(c,
                                            "SELECT id FROM supply_lines WHERE pool_id = ? AND "
                                            "supplier_enterprise_id = ? AND status = 'active'",
                                            pool_id, supplier))) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("the supplier already has line {} in this pool: an order backs "
                                  "one line only",
                                  *existing),
                      {{"/supplier_enterprise_id", fmt::format("has line {}", *existing)}}});
  }
  const int64_t now = clock_.NowMicros();
  std::vector<int64_t> parties = {caller.tenant_id, *supplier_tenant};
  if (pool->core_tenant_id != *supplier_tenant) parties.push_back(pool->core_tenant_id);
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "supply_line.grant", &caller,
                                                      Json{{"pool_id", pool_id},
                                                           {"bank_tenant_id", caller.tenant_id},
                                                           {"supplier_enterprise_id", supplier},
                                                           {"limit_fen", limit},
                                                           {"advance_rate_bps", advance},
                                                           {"max_buyer_share_bps", buyer_cap},
                                                           {"fulfilment_rate_bps", fulfilment},
                                                           {"peak_months", PeakMonthsJson(peak)}},
                                                      parties, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_lines (pool_id, bank_tenant_id, supplier_enterprise_id, limit_fen, "
      "advance_rate_bps, max_buyer_share_bps, fulfilment_rate_bps, inventory_tolerance_bps, "
      "peak_months, status, created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "'active', ?, ?) RETURNING id",
      pool_id, caller.tenant_id, supplier, limit, advance, buyer_cap, fulfilment, tolerance, peak,
      now, ref.index));
  auto line = CORRIDOR_TRY(LoadLine(c, id));
  Json out = CORRIDOR_TRY(LineJson(c, *line, clock_.Today()));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::PoolOrder(Connection& c, const Caller& caller, int64_t pool_id,
                                   const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t asset_id = in.Int("asset_id", 1, INT64_MAX);
  const auto units = in.OptInt("units", 0, int64_t{1'000'000'000'000});
  CORRIDOR_TRY_STATUS(in.Finish());
  auto pool = CORRIDOR_TRY(LoadPool(c, pool_id));
  if (!pool || !CORRIDOR_TRY(SeesPool(c, caller, *pool))) return Fail(Error::NotFound("pool"));
  auto order = CORRIDOR_TRY(FindRegisteredAsset(c, asset_id));
  const std::string own = CORRIDOR_TRY(UsccOf(c, caller.enterprise_id));
  if (!order || order->type != "order" ||
      (order->debtor_uscc != own && order->creditor_uscc != own)) {
    return Fail(Error::Invalid("/asset_id", "must be an order registered in the registry"));
  }
  if (order->debtor_uscc != own) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "only the order's buyer puts it into the pool (that is its confirmation)",
                      {{"/asset_id", "the caller is not the order's buyer"}}});
  }
  if (caller.enterprise_id != pool->core_enterprise_id &&
      !CORRIDOR_TRY(IsMember(c, pool->ecosystem_id, caller.tenant_id))) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "the buyer is not a member of the pool's ecosystem",
                      {{"/asset_id", "the buyer is not a member"}}});
  }
  if (order->status != "registered") {
    return Fail(Error::Conflict("the order is already delivered: it can no longer back a line"));
  }
  const Date today = clock_.Today();
  if (!order->due_date) {
    return Fail(Error::Invalid("/asset_id", "the order has no due date; register it with one"));
  }
  if (*order->due_date < today) {
    return Fail(Error::Invalid(
        "/asset_id", fmt::format("the order fell due on {}", order->due_date->ToString())));
  }
  auto supplier =
      CORRIDOR_TRY(QueryInt(c, "SELECT id FROM enterprises WHERE uscc = ?", order->creditor_uscc));
  std::optional<int64_t> line_id;
  if (supplier) {
    line_id = CORRIDOR_TRY(QueryInt(c,
                                    "SELECT id FROM supply_lines WHERE pool_id = ? AND "
                                    "supplier_enterprise_id = ? AND status = 'active'",
                                    pool_id, *supplier));
  }
  if (!line_id) {
    return Fail(Error::Invalid("/asset_id", "the order's supplier has no line in this pool"));
  }
  auto line = CORRIDOR_TRY(LoadLine(c, *line_id));
  const int64_t now = clock_.NowMicros();
  const PledgeRef pledge = CORRIDOR_TRY(
      PledgeRegisteredAsset(c, caller, asset_id, line->bank_tenant_id, order->amount_fen, "pool",
                            Json{{"pool_id", pool_id},
                                 {"line_id", *line_id},
                                 {"units", units ? Json(*units) : Json(nullptr)}},
                            now));
  // The registry's one active pledge already refuses an order pooled twice; the pool's own
  // unique index says the same of its rows.
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_pool_orders (line_id, asset_id, pledge_id, units, status, pooled_by, "
      "pooled_at, entry_index) VALUES (?, ?, ?, ?, 'pooled', ?, ?, ?) RETURNING id",
      *line_id, asset_id, pledge.pledge_id, units, caller.user_id, now, pledge.entry.index));
  return Response{Json{{"pool_order_id", id},
                       {"asset_id", asset_id},
                       {"line_id", *line_id},
                       {"pledge_id", pledge.pledge_id},
                       {"line", CORRIDOR_TRY(LineJson(c, *line, today))},
                       {"log_entry", Appended(pledge.entry)}}};
}

Result<Response> Supply::CancelOrder(Connection& c, const Caller& caller, int64_t pool_order_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT o.line_id, o.asset_id, o.pledge_id, o.status, "
                                    "a.debtor_uscc FROM supply_pool_orders o JOIN "
                                    "registry_assets a ON a.id = o.asset_id WHERE o.id = ?",
                                    pool_order_id));
  const std::string own = CORRIDOR_TRY(UsccOf(c, caller.enterprise_id));
  if (!CORRIDOR_TRY(q.Next()) || q.Text(4) != own) return Fail(Error::NotFound("pooled order"));
  const int64_t line_id = q.Int(0), asset_id = q.Int(1), pledge_id = q.Int(2);
  if (q.Text(3) != "pooled") return Fail(Error::Conflict("the order is already cancelled"));
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(
      ReleaseRegisteredPledge(c, caller, pledge_id, "cancel",
                              Json{{"line_id", line_id}, {"pool_order_id", pool_order_id}}, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE supply_pool_orders SET status = 'cancelled', closed_entry_index = "
                       "? WHERE id = ?",
                       ref.index, pool_order_id));
  auto line = CORRIDOR_TRY(LoadLine(c, line_id));
  return Response{Json{{"pool_order_id", pool_order_id},
                       {"asset_id", asset_id},
                       {"status", "cancelled"},
                       {"line", CORRIDOR_TRY(LineJson(c, *line, clock_.Today()))},
                       {"log_entry", Appended(ref)}}};
}

// ---------------------------------------------------------------------------------------------
// Draws and repayments

Result<Response> Supply::Draw(Connection& c, const Caller& caller, int64_t line_id,
                              const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxFen);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto [line, pool] = CORRIDOR_TRY(LineAndPool(c, caller, line_id));
  if (caller.enterprise_id != line.supplier_enterprise_id) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the line's supplier draws on it", {}});
  }
  if (line.status != "active") return Fail(Error::Conflict("the line is " + line.status));
  if (line.frozen_reason) {
    return Fail(RuleRefusal("inventory_freeze", "/amount_fen",
                            fmt::format("the line's undisbursed funds are frozen (log index {}): "
                                        "{}",
                                        line.frozen_entry_index.value_or(0), *line.frozen_reason)));
  }
  const Date today = clock_.Today();
  const LineState s = CORRIDOR_TRY(ComputeLine(c, line, today));
  CORRIDOR_TRY_STATUS(
      supply_internal::CheckUtilization(c, line.supplier_enterprise_id, today, "/amount_fen"));
  if (auto call = CORRIDOR_TRY(QueryInt(c,
                                        "SELECT id FROM supply_margin_calls WHERE line_id = ? AND "
                                        "status = 'open' AND call_fen > 0",
                                        line_id))) {
    return Fail(RuleRefusal("dynamic_margin", "/amount_fen",
                            fmt::format("margin call {} is open: the margin must be topped up "
                                        "before a new draw",
                                        *call)));
  }
  if (amount > s.available_fen) {
    return Fail(RuleRefusal(
        "order_pool_line", "/amount_fen",
        fmt::format("exceeds the available {} fen (line {} fen from {} fen of eligible orders, "
                    "ceiling {} fen, drawn {} fen)",
                    s.available_fen, s.pool.line_fen, s.pool.eligible_fen, line.limit_fen,
                    line.drawn_fen)));
  }
  const LogEntryRef ref =
      CORRIDOR_TRY(MoveDrawn(c, caller, line, pool, true, amount, clock_.NowMicros()));
  return Response{
      Json{{"line", CORRIDOR_TRY(LineJson(c, line, today))}, {"log_entry", Appended(ref)}}};
}

Result<Response> Supply::Repay(Connection& c, const Caller& caller, int64_t line_id,
                               const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxFen);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto [line, pool] = CORRIDOR_TRY(LineAndPool(c, caller, line_id));
  if (caller.enterprise_id != line.supplier_enterprise_id) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the line's supplier repays it", {}});
  }
  if (amount > line.drawn_fen) {
    return Fail(
        Error::Invalid("/amount_fen", fmt::format("exceeds the drawn {} fen", line.drawn_fen)));
  }
  const LogEntryRef ref =
      CORRIDOR_TRY(MoveDrawn(c, caller, line, pool, false, amount, clock_.NowMicros()));
  return Response{Json{{"line", CORRIDOR_TRY(LineJson(c, line, clock_.Today()))},
                       {"log_entry", Appended(ref)}}};
}

// ---------------------------------------------------------------------------------------------
// Readings, freezes

Result<Response> Supply::RecordReading(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  constexpr int64_t kMaxUnits = int64_t{1'000'000'000'000};
  Input in(body);
  const Date date = in.DateField("date");
  const int64_t capacity = in.Int("capacity_units", 1, kMaxUnits);
  const int64_t used = in.Int("used_units", 0, kMaxUnits);
  const auto inventory = in.OptInt("inventory_units", 0, kMaxUnits);
  const std::string source = in.OptStr("source", 40).value_or("iot");
  if (used > capacity) in.Problem("used_units", "exceeds capacity_units");
  CORRIDOR_TRY_STATUS(in.Finish());
  const Date today = clock_.Today();
  if (date > today) return Fail(Error::Invalid("/date", "is in the future"));
  if (auto existing = CORRIDOR_TRY(QueryInt(c,
                                            "SELECT entry_index FROM supply_readings WHERE "
                                            "enterprise_id = ? AND reading_date = ?",
                                            caller.enterprise_id, date.ToString()))) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("a reading for {} is already recorded (log index {})",
                                  date.ToString(), *existing),
                      {{"/date", "already recorded"}}});
  }
  const int64_t now = clock_.NowMicros();
  // The lines this enterprise draws on, whose banks are told of what the reading shows.
  std::vector<Line> lines = CORRIDOR_TRY(
      LoadLines(c, "l.supplier_enterprise_id = ? AND l.status = 'active'", caller.enterprise_id));
  std::vector<int64_t> parties = {caller.tenant_id};
  for (const Line& l : lines) {
    if (std::find(parties.begin(), parties.end(), l.bank_tenant_id) == parties.end()) {
      parties.push_back(l.bank_tenant_id);
    }
  }
  const LogEntryRef ref = CORRIDOR_TRY(
      AppendLogEntry(c, "supply_reading.record", &caller,
                     Json{{"enterprise_id", caller.enterprise_id},
                          {"date", date.ToString()},
                          {"capacity_units", capacity},
                          {"used_units", used},
                          {"inventory_units", inventory ? Json(*inventory) : Json(nullptr)},
                          {"source", source}},
                     parties, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_readings (enterprise_id, reading_date, capacity_units, used_units, "
      "inventory_units, source, recorded_by, created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?) RETURNING id",
      caller.enterprise_id, date.ToString(), capacity, used, inventory, source, caller.user_id, now,
      ref.index));
  const Reading reading{.id = id,
                        .capacity_units = capacity,
                        .used_units = used,
                        .entry_index = ref.index,
                        .inventory_units = inventory,
                        .date = date.ToString(),
                        .source = source};
  // Stock that contradicts the financed orders freezes each line it contradicts.
  Json freezes = Json::array();
  if (inventory) {
    for (Line& l : lines) {
      if (l.frozen_reason) continue;
      const auto orders = CORRIDOR_TRY(LineOrders(c, l.id));
      const int64_t required = RequiredUnits(orders);
      if (!domain::InventoryContradictsOrders(*inventory, required, l.inventory_tolerance_bps)) {
        continue;
      }
      auto pool = CORRIDOR_TRY(LoadPool(c, l.pool_id));
      const std::string reason = fmt::format(
          "stock of {} units on {} contradicts the {} units the pooled, undelivered orders need "
          "(tolerance {} bp)",
          *inventory, date.ToString(), required, l.inventory_tolerance_bps);
      const LogEntryRef freeze = CORRIDOR_TRY(
          AppendLogEntry(c, "supply_line.freeze", &caller,
                         Json{{"line_id", l.id}, {"reading_id", id}, {"reason", reason}},
                         LineParties(l, *pool), now));
      CORRIDOR_TRY(Execute(c,
                           "UPDATE supply_lines SET frozen_reason = ?, frozen_entry_index = ? "
                           "WHERE id = ?",
                           reason, freeze.index, l.id));
      freezes.push_back(Json{{"line_id", l.id},
                             {"bank_tenant_id", l.bank_tenant_id},
                             {"reason", reason},
                             {"log_entry", Appended(freeze)}});
    }
  }
  Json out = ReadingJson(reading);
  out["enterprise_id"] = caller.enterprise_id;
  out["below_minimum_utilization"] = domain::UtilizationTooLow(used, capacity);
  out["freezes"] = std::move(freezes);
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::ReleaseFreeze(Connection& c, const Caller& caller, int64_t line_id,
                                       const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const std::string note = in.Str("note", 200);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto [line, pool] = CORRIDOR_TRY(LineAndPool(c, caller, line_id));
  if (!line.frozen_reason) return Fail(Error::Conflict("the line is not frozen"));
  const Date today = clock_.Today();
  const auto orders = CORRIDOR_TRY(LineOrders(c, line_id));
  const auto reading = CORRIDOR_TRY(LatestReading(c, line.supplier_enterprise_id, today));
  if (reading && reading->inventory_units &&
      domain::InventoryContradictsOrders(*reading->inventory_units, RequiredUnits(orders),
                                         line.inventory_tolerance_bps)) {
    return Fail(RuleRefusal(
        "inventory_freeze", "/note",
        fmt::format("the latest reading ({}, {} units in stock) still contradicts the {} units "
                    "the pooled orders need",
                    reading->date, *reading->inventory_units, RequiredUnits(orders))));
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(
      c, "supply_line.unfreeze", &caller,
      Json{{"line_id", line_id},
           {"note", note},
           {"freeze_log_index",
            line.frozen_entry_index ? Json(*line.frozen_entry_index) : Json(nullptr)}},
      LineParties(line, pool), now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE supply_lines SET frozen_reason = NULL, frozen_entry_index = NULL "
                       "WHERE id = ?",
                       line_id));
  line.frozen_reason.reset();
  line.frozen_entry_index.reset();
  return Response{
      Json{{"line", CORRIDOR_TRY(LineJson(c, line, today))}, {"log_entry", Appended(ref)}}};
}

// ---------------------------------------------------------------------------------------------
// Margin

namespace {

constexpr std::string_view kCallColumns =
    "id, line_id, call_date, season, ratio_bps, exposure_fen, required_fen, held_fen, call_fen, "
    "status, entry_index, created_at";

Json CallJson(const Query& q) {
  return Json{{"id", q.Int(0)},           {"line_id", q.Int(1)},    {"date", q.Text(2)},
              {"season", q.Text(3)},      {"ratio_bps", q.Int(4)},  {"exposure_fen", q.Int(5)},
              {"required_fen", q.Int(6)}, {"held_fen", q.Int(7)},   {"call_fen", q.Int(8)},
              {"status", q.Text(9)},      {"log_index", q.Int(10)}, {"created_at_us", q.Int(11)}};
}

}  // namespace

Result<Response> Supply::RunMargins(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const Date date = in.DateField("date");
  CORRIDOR_TRY_STATUS(in.Finish());
  const std::vector<Line> lines =
      CORRIDOR_TRY(LoadLines(c, "l.bank_tenant_id = ? AND l.status = 'active'", caller.tenant_id));
  const int64_t now = clock_.NowMicros();
  Json calls = Json::array();
  for (const Line& l : lines) {
    if (CORRIDOR_TRY(QueryInt(c,
                              "SELECT 1 FROM supply_margin_calls WHERE line_id = ? AND call_date "
                              "= ?",
                              l.id, date.ToString()))) {
      continue;  // this date's run is done for the line
    }
    const auto margin =
        CORRIDOR_TRY(domain::DynamicMarginOn(l.drawn_fen, date, PeakMonths(l.peak_months)));
    const int64_t call = margin.margin_fen - l.margin_held_fen;
    if (call == 0) continue;
    auto pool = CORRIDOR_TRY(LoadPool(c, l.pool_id));
    const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "supply_margin.call", &caller,
                                                        Json{{"line_id", l.id},
                                                             {"date", date.ToString()},
                                                             {"season", margin.season},
                                                             {"ratio_bps", margin.ratio_bps},
                                                             {"exposure_fen", l.drawn_fen},
                                                             {"required_fen", margin.margin_fen},
                                                             {"held_fen", l.margin_held_fen},
                                                             {"call_fen", call}},
                                                        LineParties(l, *pool), now));
    CORRIDOR_TRY(Execute(c,
                         "UPDATE supply_margin_calls SET status = 'superseded' WHERE line_id = ? "
                         "AND status = 'open'",
                         l.id));
    const int64_t id = CORRIDOR_TRY(InsertReturningId(
        c,
        "INSERT INTO supply_margin_calls (line_id, call_date, season, ratio_bps, exposure_fen, "
        "required_fen, held_fen, call_fen, status, entry_index, created_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        l.id, date.ToString(), margin.season, margin.ratio_bps, l.drawn_fen, margin.margin_fen,
        l.margin_held_fen, call, ref.index, now));
    auto q = CORRIDOR_TRY(Query::Make(
        c, fmt::format("SELECT {} FROM supply_margin_calls WHERE id = ?", kCallColumns), id));
    CORRIDOR_TRY(q.Next());
    calls.push_back(CallJson(q));
  }
  return Response{Json{{"date", date.ToString()},
                       {"lines", static_cast<int64_t>(lines.size())},
                       {"calls", std::move(calls)}}};
}

Result<Response> Supply::MeetMarginCall(Connection& c, const Caller& caller, int64_t call_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser, Role::kBankOfficer}));
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM supply_margin_calls WHERE id = ?", kCallColumns), call_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("margin call"));
  const int64_t line_id = q.Int(1), required = q.Int(6), call = q.Int(8);
  const std::string status = q.Text(9);
  auto [line, pool] = CORRIDOR_TRY(LineAndPool(c, caller, line_id));
  // The supplier adds margin; the bank returns what is above the requirement.
  const bool adds = call > 0;
  if (adds ? caller.enterprise_id != line.supplier_enterprise_id
           : caller.tenant_id != line.bank_tenant_id) {
    return Fail(Error{
        ErrorCode::kPermissionDenied,
        adds ? "the supplier meets a call to add margin" : "the bank meets a call to return margin",
        {}});
  }
  if (status != "open") return Fail(Error::Conflict("the margin call is " + status));
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(
      c, "supply_margin.meet", &caller,
      Json{{"call_id", call_id}, {"line_id", line_id}, {"call_fen", call}, {"held_fen", required}},
      LineParties(line, pool), now));
  CORRIDOR_TRY(Execute(c, "UPDATE supply_margin_calls SET status = 'met' WHERE id = ?", call_id));
  CORRIDOR_TRY(
      Execute(c, "UPDATE supply_lines SET margin_held_fen = ? WHERE id = ?", required, line_id));
  const std::string deposit = fmt::format("deposits:enterprise:{}", line.supplier_enterprise_id);
  const std::string margin = fmt::format("margin:supply_line:{}", line_id);
  if (adds) {
    CORRIDOR_TRY_STATUS(
        internal::AddLedger(c, std::nullopt, "supply_margin_in", deposit, margin, call, now));
  } else {
    CORRIDOR_TRY_STATUS(
        internal::AddLedger(c, std::nullopt, "supply_margin_out", margin, deposit, -call, now));
  }
  line.margin_held_fen = required;
  return Response{Json{{"call_id", call_id},
                       {"status", "met"},
                       {"line", CORRIDOR_TRY(LineJson(c, line, clock_.Today()))},
                       {"log_entry", Appended(ref)}}};
}

// ---------------------------------------------------------------------------------------------
// Reads

Result<Json> Supply::ListPools(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "p.id");
    const bool all = internal::IsOversight(caller) || caller.in_bank();
    const int64_t enterprise = caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0;
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT p.id FROM supply_pools p WHERE {} AND (? OR p.core_enterprise_id = ? "
                    "OR EXISTS (SELECT 1 FROM ecosystem_members m WHERE m.ecosystem_id = "
                    "p.ecosystem_id AND m.tenant_id = ?)) ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, all, enterprise, enterprise != 0 ? caller.tenant_id : 0, page.limit));
    std::vector<int64_t> ids;
    while (CORRIDOR_TRY(q.Next())) ids.push_back(q.Int(0));
    Json items = Json::array();
    for (int64_t id : ids) {
      auto pool = CORRIDOR_TRY(LoadPool(c, id));
      Json j = PoolJson(*pool);
      // Over the lines the caller sees: all of them for the core and oversight.
      const bool all_lines =
          internal::IsOversight(caller) || enterprise == pool->core_enterprise_id;
      auto n = CORRIDOR_TRY(Query::Make(c,
                                        "SELECT count(*), coalesce(sum(a.amount_fen), 0) FROM "
                                        "supply_pool_orders o JOIN supply_lines l ON l.id = "
                                        "o.line_id JOIN registry_assets a ON a.id = o.asset_id "
                                        "WHERE l.pool_id = ? AND o.status = 'pooled' AND "
                                        "a.status = 'registered' AND (? OR l.bank_tenant_id = ? "
                                        "OR l.supplier_enterprise_id = ?)",
                                        id, all_lines, caller.in_bank() ? caller.tenant_id : 0,
                                        enterprise));
      CORRIDOR_TRY(n.Next());
      j["open_orders"] = n.Int(0);
      j["open_orders_fen"] = n.Int(1);
      items.push_back(std::move(j));
    }
    return internal::PageOf(std::move(items), ids.empty() ? 0 : ids.back(), page);
  });
}

Result<Json> Supply::GetPool(const Caller& caller, int64_t pool_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto pool = CORRIDOR_TRY(LoadPool(c, pool_id));
    if (!pool || !CORRIDOR_TRY(SeesPool(c, caller, *pool))) return Fail(Error::NotFound("pool"));
    std::vector<Line> lines;
    for (Line& l : CORRIDOR_TRY(LoadLines(c, "l.pool_id = ?", pool_id))) {
      if (SeesLine(caller, l, *pool)) lines.push_back(std::move(l));
    }
    const Date today = clock_.Today();
    Json out = PoolJson(*pool);
    Json line_items = Json::array();
    int64_t pooled = 0, eligible = 0, line_total = 0, drawn = 0;
    int64_t frozen = 0, restricted = 0, flagged = 0;
    for (const Line& l : lines) {
      Json j = CORRIDOR_TRY(LineJson(c, l, today));
      pooled += j["pooled_fen"].get<int64_t>();
      eligible += j["eligible_fen"].get<int64_t>();
      line_total += j["line_fen"].get<int64_t>();
      drawn += l.drawn_fen;
      frozen += j["frozen"].is_null() ? 0 : 1;
      restricted += j["restrictions"].empty() ? 0 : 1;
      flagged += j["flags"].empty() ? 0 : 1;
      line_items.push_back(std::move(j));
    }
    out["as_of"] = today.ToString();
    // What the bureau watches across an ecosystem: how many lines are frozen, restricted (a rule
    // refuses new draws) or flagged for one buyer's share.
    out["totals"] = Json{{"lines", static_cast<int64_t>(lines.size())},
                         {"pooled_fen", pooled},
                         {"eligible_fen", eligible},
                         {"line_fen", line_total},
                         {"drawn_fen", drawn},
                         {"frozen_lines", frozen},
                         {"restricted_lines", restricted},
                         {"flagged_lines", flagged}};
    out["lines"] = std::move(line_items);
    return out;
  });
}

Result<Json> Supply::ListLines(const Caller& caller, const Page& page, std::optional<bool> frozen) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "l.id");
    const bool all = internal::IsOversight(caller);
    const int64_t bank = caller.in_bank() ? caller.tenant_id : 0;
    const int64_t enterprise = caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0;
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format(
            "SELECT {} FROM supply_lines l JOIN enterprises e ON e.id = "
            "l.supplier_enterprise_id JOIN supply_pools p ON p.id = l.pool_id WHERE {} "
            "AND (? OR l.bank_tenant_id = ? OR l.supplier_enterprise_id = ? OR "
            "p.core_enterprise_id = ?) AND (? IS NULL OR (l.frozen_reason IS NOT NULL) = ?) "
            "ORDER BY {} LIMIT ?",
            kLineColumns, k.where, k.order),
        k.bound, all, bank, enterprise, enterprise, frozen, frozen, page.limit));
    std::vector<Line> lines;
    while (CORRIDOR_TRY(q.Next())) lines.push_back(LineFrom(q));
    const Date today = clock_.Today();
    Json items = Json::array();
    for (const Line& l : lines) items.push_back(CORRIDOR_TRY(LineJson(c, l, today)));
    return internal::PageOf(std::move(items), lines.empty() ? 0 : lines.back().id, page);
  });
}

Result<Json> Supply::GetLine(const Caller& caller, int64_t line_id) {
  return store_.Read([&](Connection& c) { return GetLine(c, caller, line_id); });
}

Result<Json> Supply::GetLine(Connection& c, const Caller& caller, int64_t line_id) {
  auto [line, pool] = CORRIDOR_TRY(LineAndPool(c, caller, line_id));
  return LineJson(c, line, clock_.Today());
}

Result<Json> Supply::ListMarginCalls(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "m.id");
    const bool all = internal::IsOversight(caller);
    const int64_t bank = caller.in_bank() ? caller.tenant_id : 0;
    const int64_t enterprise = caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0;
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT m.id, m.line_id, m.call_date, m.season, m.ratio_bps, "
                    "m.exposure_fen, m.required_fen, m.held_fen, m.call_fen, m.status, "
                    "m.entry_index, m.created_at FROM supply_margin_calls m JOIN supply_lines l "
                    "ON l.id = m.line_id WHERE {} AND (? OR l.bank_tenant_id = ? OR "
                    "l.supplier_enterprise_id = ?) ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, all, bank, enterprise, page.limit));
    return internal::CollectPage(q, page, CallJson);
  });
}

Result<Json> Supply::ListReadings(const Caller& caller, int64_t enterprise_id, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    // The enterprise itself, the banks that finance it on a line, the oversight roles.
    bool visible = internal::IsOversight(caller) ||
                   (caller.role == Role::kEnterpriseUser && caller.enterprise_id == enterprise_id);
    if (!visible && caller.in_bank()) {
      visible = CORRIDOR_TRY(QueryInt(c,
                                      "SELECT 1 FROM supply_lines WHERE supplier_enterprise_id = "
                                      "? AND bank_tenant_id = ?",
                                      enterprise_id, caller.tenant_id))
                    .has_value();
    }
    if (!visible) return Fail(Error::NotFound("enterprise"));
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM supply_readings WHERE enterprise_id = ? AND {} ORDER BY {} "
                    "LIMIT ?",
                    kReadingColumns, k.where, k.order),
        enterprise_id, k.bound, page.limit));
    return internal::CollectPage(q, page,
                                 [](const Query& row) { return ReadingJson(ReadingFrom(row)); });
  });
}

}  // namespace corridor::service
