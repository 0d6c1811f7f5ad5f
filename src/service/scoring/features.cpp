#include "service/scoring/features.hpp"

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
  };
  return kSpecs;
}

Result<std::vector<std::optional<double>>> FeaturesAsOf(Connection& c, int64_t enterprise_id,
                                                        Date as_of) {
  const int64_t end_us = ManualClock::MicrosAt(as_of.AddDays(1)) - 1;
  const std::string day = as_of.ToString();
  const std::string year_ago = as_of.AddDays(-365).ToString();
  std::vector<std::optional<double>> f(kColumns);
  auto e = CORRIDOR_TRY(Query::Make(
      c, "SELECT tenant_id, registered_at FROM enterprises WHERE id = ?", enterprise_id));
  if (!CORRIDOR_TRY(e.Next()) || e.Int(1) > end_us) return Fail(Error::NotFound("enterprise"));
  const int64_t tenant = e.Int(0);
  f[kFirmAge] = static_cast<double>(end_us - e.Int(1)) / kMicrosPerYear;

  // The credit profile, unless it was written after the day.
  auto p = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT tax_paid_12m_fen, social_insurance_headcount, "
                                    "utilities_paid_12m_fen, annual_revenue_fen, credit_record "
                                    "FROM credit_profiles WHERE enterprise_id = ? AND updated_at "
                                    "<= ?",
                                    enterprise_id, end_us));
  if (CORRIDOR_TRY(p.Next())) {
    f[kTaxPaid] = static_cast<double>(p.Int(0)) / kFenPerYuan;
    f[kHeadcount] = static_cast<double>(p.Int(1));
    f[kUtilitiesPaid] = static_cast<double>(p.Int(2)) / kFenPerYuan;
    f[kRevenue] = static_cast<double>(p.Int(3)) / kFenPerYuan;
    const std::string record = p.Text(4);
    f[kCreditRecord] = record == "clean" ? 0.0 : record == "minor_late" ? 1.0 : 2.0;
  }

  // The loans started by the day, and their installments as they stood at its end: paid when
  // paid_on ≤ the day; late when paid after the due date, or still unpaid past it.
  auto l = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT count(DISTINCT l.id), coalesce(sum(CASE WHEN i.paid_on IS NULL OR i.paid_on > ?1 "
      "THEN i.principal_fen ELSE 0 END), 0), coalesce(sum(CASE WHEN (i.paid_on IS NULL OR "
      "i.paid_on > ?1) AND i.due_date < ?1 THEN i.principal_fen ELSE 0 END), 0), "
      "sum(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 THEN 1 ELSE 0 END), "
      "sum(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 AND ((i.paid_on IS NOT NULL AND "
      "i.paid_on <= ?1 AND i.paid_on > i.due_date) OR ((i.paid_on IS NULL OR i.paid_on > ?1) AND "
      "i.due_date < ?1)) THEN 1 ELSE 0 END), max(CASE WHEN i.due_date > ?2 AND i.due_date <= ?1 "
      "THEN CAST(max(julianday(CASE WHEN i.paid_on IS NOT NULL AND i.paid_on <= ?1 THEN "
      "i.paid_on ELSE ?1 END) - julianday(i.due_date), 0) AS INTEGER) END) FROM loans l LEFT "
      "JOIN installments i ON "
      "i.loan_id = l.id WHERE l.enterprise_id = ?3 AND l.start_date <= ?1",
      day, year_ago, enterprise_id));
  if (CORRIDOR_TRY(l.Next())) {
    f[kLoansBefore] = static_cast<double>(l.Int(0));
    f[kOutstanding] = static_cast<double>(l.Int(1)) / kFenPerYuan;
    f[kOverdue] = static_cast<double>(l.Int(2)) / kFenPerYuan;
    const auto due = l.OptInt(3);
    if (due && *due > 0) {
      f[kLateInstallments] = static_cast<double>(l.Int(4));
      f[kMaxDaysLate] = static_cast<double>(l.Int(5));
    }
  }

  // Orders received as a supplier in any ecosystem over the 90 days to the day's end.
  auto o = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT coalesce(sum(amount_fen), 0) FROM ecosystem_trades "
                                    "WHERE kind = 'order' AND supplier_tenant_id = ? AND "
                                    "recorded_at > ? AND recorded_at <= ?",
                                    tenant, end_us - int64_t{90} * 86'400'000'000, end_us));
  if (CORRIDOR_TRY(o.Next())) f[kOrdersReceived] = static_cast<double>(o.Int(0)) / kFenPerYuan;

  // The latest production reading of the 90 days to the day.
  auto r = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT used_units, capacity_units FROM supply_readings "
                                    "WHERE enterprise_id = ? AND reading_date <= ? AND "
                                    "reading_date > ? ORDER BY reading_date DESC LIMIT 1",
                                    enterprise_id, day, as_of.AddDays(-90).ToString()));
  if (CORRIDOR_TRY(r.Next())) {
    f[kUtilization] = static_cast<double>(r.Int(0)) / static_cast<double>(r.Int(1));
  }

  // The health index of the latest week complete by the day (its Sunday on or before it).
  auto h = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT index_ppm FROM health_index WHERE enterprise_id = ? "
                                    "AND week <= ? ORDER BY week DESC, ecosystem_id LIMIT 1",
                                    enterprise_id, as_of.AddDays(-6).ToString()));
  if (CORRIDOR_TRY(h.Next())) f[kHealthIndex] = static_cast<double>(h.Int(0)) / 1e6;
  return f;
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

Result<TrainingSet> BuildTrainingSet(Connection& c, Date as_of, int horizon_days, Date today) {
  TrainingSet set;
  set.as_of = as_of;
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT DISTINCT enterprise_id FROM loans WHERE start_date <= "
                                    "? ORDER BY enterprise_id",
                                    as_of.ToString()));
  std::vector<int64_t> borrowers;
  while (CORRIDOR_TRY(q.Next())) borrowers.push_back(q.Int(0));
  for (int64_t id : borrowers) {
    const auto outcome = CORRIDOR_TRY(DefaultOutcome(c, id, as_of, horizon_days, today));
    if (!outcome) {
      ++set.unobservable;
      continue;
    }
    set.rows.push_back(CORRIDOR_TRY(FeaturesAsOf(c, id, as_of)));
    set.labels.push_back(*outcome);
    set.enterprise_ids.push_back(id);
  }
  return set;
}

}  // namespace corridor::service::scoring
