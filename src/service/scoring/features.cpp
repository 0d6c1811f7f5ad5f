#include "service/scoring/features.hpp"

#include <array>
#include <unordered_map>

#include "core/clock.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service::scoring {

using store::Connection;
using store::Query;

namespace {

constexpr double kFenPerYuan = 100.0;
constexpr double kMicrosPerYear = 365.25 * 86'400 * 1e6;

enum Column : size_t {
  kFirmAge,
  kTaxPaid,
  kHeadcount,
  kUtilitiesPaid,
  kRevenue,
  kCreditRecord,
  kLoansBefore,
  kOutstanding,
  kOverdue,
  kLateInstallments,
  kMaxDaysLate,
  kOrdersReceived,
  kUtilization,
  kHealthIndex,
  kHerd,
  kGrassland,
  kCropland,
  kInsured,
  kCooperative,
  kColumns
};

}  // namespace

const std::vector<FeatureSpec>& FeatureSpecs() {
  static const std::vector<FeatureSpec> kSpecs = {
      {"firm_age_years", "enterprises.registered_at", "企业在平台登记年限",
       "years on the platform"},
      {"tax_paid_12m_yuan", "credit_profiles", "近12个月纳税额", "tax paid in the last 12 months"},
      {"social_insurance_headcount", "credit_profiles", "社保缴纳人数",
       "employees with social insurance"},
      {"utilities_paid_12m_yuan", "credit_profiles", "近12个月水电费缴纳额",
       "utilities paid in the last 12 months"},
      {"annual_revenue_yuan", "credit_profiles", "年营业收入", "annual revenue"},
      {"credit_record", "credit_profiles", "征信记录（0 良好，1 轻微逾期，2 违约）",
       "credit record (0 clean, 1 minor late, 2 defaulted)"},
      {"loans_before", "loans", "平台历史贷款笔数", "loans taken on the platform"},
      {"outstanding_principal_yuan", "loans, installments", "平台贷款未还本金",
       "principal outstanding on the platform"},
      {"overdue_principal_yuan", "loans, installments", "逾期未还本金", "principal overdue"},
      {"late_installments_12m", "loans, installments", "近12个月逾期期数",
       "installments paid late in the last 12 months"},
      {"max_days_late_12m", "loans, installments", "近12个月最长逾期天数",
       "most days late in the last 12 months"},
      {"orders_received_90d_yuan", "ecosystem_trades", "近90天收到订单金额",
       "orders received in the last 90 days"},
      {"capacity_utilization", "supply_readings", "最近产能利用率", "latest capacity utilization"},
      {"health_index", "health_index", "最近一周生态健康指数", "latest weekly health index"},
      {"herd_sheep_units", "agri_profiles", "牲畜存栏（羊单位）",
       "livestock held, in standard sheep units"},
      {"grassland_contract_mu", "agri_profiles", "草原承包面积（亩）",
       "contracted grassland, in mu"},
      {"cropland_contract_mu", "agri_profiles", "耕地承包面积（亩）", "contracted cropland, in mu"},
      {"agri_insurance_cover_yuan", "agri_profiles", "政策性农业保险保额",
       "sum insured under policy agricultural insurance"},
      {"cooperative_member", "agri_profiles", "合作社成员（1 是，0 否）",
       "cooperative member (1 yes, 0 no)"},
  };
  return kSpecs;
}

Result<std::vector<std::optional<std::vector<std::optional<double>>>>> FeaturesAsOf(
    Connection& c, std::span<const int64_t> enterprise_ids, Date as_of) {
  const int64_t end_us = ManualClock::MicrosAt(as_of.AddDays(1)) - 1;
  const std::string day = as_of.ToString();
  const std::string year_ago = as_of.AddDays(-365).ToString();
  // The enterprises asked for, by id; each query below reads them all at once.
  const std::string ids =
      Json(std::vector<int64_t>(enterprise_ids.begin(), enterprise_ids.end())).dump();
  std::unordered_map<int64_t, size_t> slot;
  slot.reserve(enterprise_ids.size());
  for (size_t k = 0; k < enterprise_ids.size(); ++k) slot.emplace(enterprise_ids[k], k);
  std::vector<std::optional<std::vector<std::optional<double>>>> out(enterprise_ids.size());
  auto row_of = [&](int64_t id) -> std::vector<std::optional<double>>* {
    const auto it = slot.find(id);
    if (it == slot.end() || !out[it->second]) return nullptr;
    return &*out[it->second];
  };
  std::unordered_map<int64_t, int64_t> by_tenant;  // tenant → enterprise

  auto e = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT e.id, e.tenant_id, e.registered_at FROM json_each(?) "
                                    "j JOIN enterprises e ON e.id = j.value WHERE "
                                    "e.registered_at <= ?",
                                    ids, end_us));
  while (CORRIDOR_TRY(e.Next())) {
    auto& f = out[slot.at(e.Int(0))];
    f.emplace(kColumns);
    (*f)[kFirmAge] = static_cast<double>(end_us - e.Int(2)) / kMicrosPerYear;
    by_tenant.emplace(e.Int(1), e.Int(0));
  }

  // The credit profile, unless it was written after the day.
  auto p = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT p.enterprise_id, tax_paid_12m_fen, "
                                    "social_insurance_headcount, utilities_paid_12m_fen, "
                                    "annual_revenue_fen, credit_record FROM json_each(?) j JOIN "
                                    "credit_profiles p ON p.enterprise_id = j.value WHERE "
                                    "p.updated_at <= ?",
                                    ids, end_us));
  while (CORRIDOR_TRY(p.Next())) {
    auto* f = row_of(p.Int(0));
    if (f == nullptr) continue;
    (*f)[kTaxPaid] = static_cast<double>(p.Int(1)) / kFenPerYuan;
    (*f)[kHeadcount] = static_cast<double>(p.Int(2));
    (*f)[kUtilitiesPaid] = static_cast<double>(p.Int(3)) / kFenPerYuan;
    (*f)[kRevenue] = static_cast<double>(p.Int(4)) / kFenPerYuan;
    const std::string record = p.Text(5);
    (*f)[kCreditRecord] = record == "clean" ? 0.0 : record == "minor_late" ? 1.0 : 2.0;
  }

  // What the shared data says of a farm or a herd, unless written after the day; missing for an
  // enterprise it says nothing of (most firms are neither farms nor herds).
  auto a = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT a.enterprise_id, herd_sheep_units, "
                                    "grassland_contract_mu, cropland_contract_mu, "
                                    "insured_amount_fen, cooperative_member FROM json_each(?) j "
                                    "JOIN agri_profiles a ON a.enterprise_id = j.value WHERE "
                                    "a.updated_at <= ?",
                                    ids, end_us));
  while (CORRIDOR_TRY(a.Next())) {
    auto* f = row_of(a.Int(0));
    if (f == nullptr) continue;
    (*f)[kHerd] = static_cast<double>(a.Int(1));
    (*f)[kGrassland] = static_cast<double>(a.Int(2));
    (*f)[kCropland] = static_cast<double>(a.Int(3));
    (*f)[kInsured] = static_cast<double>(a.Int(4)) / kFenPerYuan;
    (*f)[kCooperative] = static_cast<double>(a.Int(5));
  }

  // The loans started by the day, and their installments as they stood at its end: paid when
  // paid_on ≤ the day; late when paid after the due date, or still unpaid past it.
  auto l = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT l.enterprise_id, count(DISTINCT l.id), coalesce(sum(CASE WHEN i.paid_on IS NULL OR "
      "i.paid_on > ?1 THEN i.principal_fen ELSE 0 END), 0), coalesce(sum(CASE WHEN (i.paid_on IS "
      "NULL OR i.paid_on > ?1) AND i.due_date < ?1 THEN i.principal_fen ELSE 0 END), 0), "
      "sum(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 THEN 1 ELSE 0 END), "
      "sum(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 AND ((i.paid_on IS NOT NULL AND "
      "i.paid_on <= ?1 AND i.paid_on > i.due_date) OR ((i.paid_on IS NULL OR i.paid_on > ?1) AND "
      "i.due_date < ?1)) THEN 1 ELSE 0 END), max(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 "
      "THEN CAST(max(julianday(CASE WHEN i.paid_on IS NOT NULL AND i.paid_on <= ?1 THEN "
      "i.paid_on ELSE ?1 END) - julianday(i.due_date), 0) AS INTEGER) END) FROM json_each(?3) j "
      "JOIN loans l ON l.enterprise_id = j.value LEFT JOIN installments i ON i.loan_id = l.id "
      "WHERE l.start_date <= ?1 GROUP BY l.enterprise_id",
      day, year_ago, ids));
  while (CORRIDOR_TRY(l.Next())) {
    auto* f = row_of(l.Int(0));
    if (f == nullptr) continue;
    (*f)[kLoansBefore] = static_cast<double>(l.Int(1));
    (*f)[kOutstanding] = static_cast<double>(l.Int(2)) / kFenPerYuan;
    (*f)[kOverdue] = static_cast<double>(l.Int(3)) / kFenPerYuan;
    const auto due = l.OptInt(4);
    if (due && *due > 0) {
      (*f)[kLateInstallments] = static_cast<double>(l.Int(5));
      (*f)[kMaxDaysLate] = static_cast<double>(l.Int(6));
    }
  }
  // An enterprise with no loan by the day has taken none; what it owes and how it repaid are
  // not on record (missing), not zero: a borrower who owes nothing is another case.
  for (auto& f : out) {
    if (f && !(*f)[kLoansBefore]) (*f)[kLoansBefore] = 0.0;
  }

  // Orders received as a supplier in any ecosystem over the 90 days to the day's end.
  for (auto& f : out) {
    if (f) (*f)[kOrdersReceived] = 0.0;
  }
  auto o = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT supplier_tenant_id, sum(amount_fen) FROM "
                                    "ecosystem_trades WHERE kind = 'order' AND recorded_at > ? "
                                    "AND recorded_at <= ? GROUP BY supplier_tenant_id",
                                    end_us - int64_t{90} * 86'400'000'000, end_us));
  while (CORRIDOR_TRY(o.Next())) {
    const auto it = by_tenant.find(o.Int(0));
    if (it == by_tenant.end()) continue;
    (*row_of(it->second))[kOrdersReceived] = static_cast<double>(o.Int(1)) / kFenPerYuan;
  }

  // The latest production reading of the 90 days to the day. Readings and the health index are
  // kept for a few firms (a chain's members), so they are read whole for the window and matched
  // here, not looked up per enterprise.
  auto r = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT enterprise_id, used_units, capacity_units FROM "
                                    "(SELECT enterprise_id, used_units, capacity_units, "
                                    "row_number() OVER (PARTITION BY enterprise_id ORDER BY "
                                    "reading_date DESC) AS k FROM supply_readings WHERE "
                                    "reading_date <= ? AND reading_date > ?) WHERE k = 1",
                                    day, as_of.AddDays(-90).ToString()));
  while (CORRIDOR_TRY(r.Next())) {
    auto* f = row_of(r.Int(0));
    if (f == nullptr) continue;
    (*f)[kUtilization] = static_cast<double>(r.Int(1)) / static_cast<double>(r.Int(2));
  }

  // The health index of the latest week complete by the day (its Sunday on or before it).
  auto h = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT enterprise_id, index_ppm FROM (SELECT enterprise_id, "
                                    "index_ppm, row_number() OVER (PARTITION BY enterprise_id "
                                    "ORDER BY week DESC, ecosystem_id) AS k FROM health_index "
                                    "WHERE enterprise_id <> 0 AND week <= ?) WHERE k = 1",
                                    as_of.AddDays(-6).ToString()));
  while (CORRIDOR_TRY(h.Next())) {
    auto* f = row_of(h.Int(0));
    if (f == nullptr) continue;
    (*f)[kHealthIndex] = static_cast<double>(h.Int(1)) / 1e6;
  }
  return out;
}

Result<std::vector<std::optional<double>>> FeaturesAsOf(Connection& c, int64_t enterprise_id,
                                                        Date as_of) {
  const std::array<int64_t, 1> one = {enterprise_id};
  auto rows = CORRIDOR_TRY(FeaturesAsOf(c, one, as_of));
  if (!rows[0]) return Fail(Error::NotFound("enterprise"));
  return std::move(*rows[0]);
}

Result<std::optional<int>> DefaultOutcome(Connection& c, int64_t enterprise_id, Date as_of,
                                          int horizon_days, Date today) {
  if (horizon_days < 1) return Fail(Error::Invalid("/horizon_days", "must be at least 1"));
  const Date end = as_of.AddDays(horizon_days);
  if (end > today) return std::optional<int>();
  const std::string day = as_of.ToString();
  // An installment is 90 days past due on due + 90 if not paid by then.
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT coalesce(sum(CASE WHEN i.paid_on IS NULL OR i.paid_on > ?1 THEN 1 ELSE 0 END), 0), "
      "coalesce(sum(CASE WHEN date(i.due_date, '+90 days') <= ?1 AND (i.paid_on IS NULL OR "
      "i.paid_on > date(i.due_date, '+90 days')) THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN "
      "date(i.due_date, '+90 days') > ?1 AND date(i.due_date, '+90 days') <= ?2 AND (i.paid_on "
      "IS NULL OR i.paid_on > date(i.due_date, '+90 days')) THEN 1 ELSE 0 END), 0) FROM loans l "
      "JOIN installments i ON i.loan_id = l.id WHERE l.enterprise_id = ?3 AND l.start_date <= ?1",
      day, end.ToString(), enterprise_id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<int>();
  const int64_t open = q.Int(0), defaulted = q.Int(1), defaults = q.Int(2);
  if (open == 0 || defaulted > 0) return std::optional<int>();
  return std::optional<int>(defaults > 0 ? 1 : 0);
}

Result<TrainingSet> BuildTrainingSet(Connection& c, Date as_of, int horizon_days, Date today,
                                     std::optional<int64_t> bank_tenant_id) {
  TrainingSet set;
  set.as_of = as_of;
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT DISTINCT enterprise_id FROM loans WHERE start_date <= "
                                    "? AND (? IS NULL OR bank_tenant_id = ?) ORDER BY "
                                    "enterprise_id",
                                    as_of.ToString(), bank_tenant_id, bank_tenant_id));
  std::vector<int64_t> borrowers;
  while (CORRIDOR_TRY(q.Next())) borrowers.push_back(q.Int(0));
  for (int64_t id : borrowers) {
    const auto outcome = CORRIDOR_TRY(DefaultOutcome(c, id, as_of, horizon_days, today));
    if (!outcome) {
      ++set.unobservable;
      continue;
    }
    set.labels.push_back(*outcome);
    set.enterprise_ids.push_back(id);
  }
  auto rows = CORRIDOR_TRY(FeaturesAsOf(c, set.enterprise_ids, as_of));
  set.rows.reserve(rows.size());
  // A borrower registered after the day (its loan recorded before it was) has no features then:
  // it is left out like an unobservable one.
  TrainingSet kept;
  kept.as_of = as_of;
  kept.unobservable = set.unobservable;
  for (size_t k = 0; k < rows.size(); ++k) {
    if (!rows[k]) {
      ++kept.unobservable;
      continue;
    }
    kept.enterprise_ids.push_back(set.enterprise_ids[k]);
    kept.labels.push_back(set.labels[k]);
    kept.rows.push_back(std::move(*rows[k]));
  }
  return kept;
}

}  // namespace corridor::service::scoring
