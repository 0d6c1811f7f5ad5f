// The supply-chain finance calc models: order-pool-line, capacity-loan-limit, dynamic-margin,
// late-payment-interest, factoring-priority and fx-convert. Rules and rounding:
// domain/trade_finance.hpp, domain/payment_terms.hpp, domain/currency.hpp; docs/supply-chain.md.
#include <fmt/format.h>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "domain/currency.hpp"
#include "domain/payment_terms.hpp"
#include "domain/trade_finance.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;

constexpr int64_t kMaxFen = 1'000'000'000'000'000;

// An identifier given as a string or an integer.
std::string IdField(Input& in, const Json& body, std::string_view name) {
  const auto it = body.find(std::string(name));
  if (it != body.end() && it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return in.Str(name, 200);
}

Result<Json> OrderPoolLineModel(const Json& body) {
  Input in(body);
  std::vector<domain::PoolOrder> orders;
  EachObject(in, body, "orders", 1'000'000, [&](Input& o, const Json& j) {
    domain::PoolOrder order;
    order.id = IdField(o, j, "id");
    order.buyer = IdField(o, j, "buyer");
    order.amount_fen = o.Int("amount_fen", 1, kMaxFen);
    const std::string status = o.Str("status", 20);
    if (auto s = domain::ParseOrderStatus(status)) {
      order.status = *s;
    } else if (!status.empty()) {
      o.Problem("status", "must be one of pending, confirmed, fulfilled, expired, cancelled");
    }
    order.due_date = o.DateField("due_date");
    orders.push_back(std::move(order));
  });
  domain::OrderPoolTerms terms;
  terms.advance_rate_bps = in.Int("advance_rate_bps", 0, 10'000);
  terms.max_buyer_share_bps = in.Int("max_buyer_share_bps", 1, 10'000);
  terms.fulfilment_rate_bps = in.Int("fulfilment_rate_bps", 0, 10'000);
  terms.as_of = in.DateField("as_of");
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto line = CORRIDOR_TRY(domain::ComputeOrderPoolLine(orders, terms));
  Json excluded = Json::array();
  for (const auto& e : line.excluded) {
    excluded.push_back(
        {{"order", e.order}, {"reason", e.reason}, {"excluded_fen", e.excluded_fen}});
  }
  return Json{{"line_fen", line.line_fen},
              {"eligible_fen", line.eligible_fen},
              {"pooled_fen", line.pooled_fen},
              {"excluded", std::move(excluded)}};
}

Result<Json> CapacityLoanLimitModel(const Json& body) {
  Input in(body);
  const int64_t appraised = in.Int("equipment_appraised_fen", 0, kMaxFen);
  const int64_t pledged = in.Int("pledged_orders_fen", 0, kMaxFen);
  const int64_t cap = in.OptInt("ltv_cap_bps", 0, 10'000).value_or(domain::kCapacityLoanLtvCapBps);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto limit = CORRIDOR_TRY(domain::CapacityLoanLimitOf(appraised, pledged, cap));
  return Json{{"max_loan_fen", limit.max_loan_fen},
              {"binding_constraint", limit.binding_constraint},
              {"ltv_cap_bps", cap}};
}

Result<Json> DynamicMarginModel(const Json& body) {
  Input in(body);
  const int64_t exposure = in.Int("exposure_fen", 0, kMaxFen);
  const Date date = in.DateField("date");
  std::vector<int> peak_months;
  if (!in.Has("peak_months") || !body.at("peak_months").is_array() ||
      body.at("peak_months").size() > 12) {
    in.Problem("peak_months", "must be an array of at most 12 months (1-12)");
  } else {
    const Json& months = body.at("peak_months");
    for (size_t k = 0; k < months.size(); ++k) {
      if (!months[k].is_number_integer() || months[k].get<int64_t>() < 1 ||
          months[k].get<int64_t>() > 12) {
        in.Problem(fmt::format("peak_months/{}", k), "must be a month 1 to 12");
        continue;
      }
      peak_months.push_back(months[k].get<int>());
    }
  }
  const int64_t peak = in.OptInt("peak_bps", 0, 10'000).value_or(domain::kPeakSeasonMarginBps);
  const int64_t off =
      in.OptInt("off_peak_bps", 0, 10'000).value_or(domain::kOffPeakSeasonMarginBps);
  const auto held = in.OptInt("margin_held_fen", 0, kMaxFen);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto m = CORRIDOR_TRY(domain::DynamicMarginOn(exposure, date, peak_months, peak, off));
  Json out{{"margin_fen", m.margin_fen}, {"ratio_bps", m.ratio_bps}, {"season", m.season}};
  if (held) out["margin_call_fen"] = m.margin_fen - *held;
  return out;
}

Result<Json> LatePaymentInterestModel(const Json& body) {
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 0, kMaxFen);
  const Date due = in.DateField("due_date");
  const Date paid = in.DateField("paid_date");
  domain::LateInterestTerms terms;
  terms.daily_bps = in.OptInt("daily_bps", 0, 10'000).value_or(domain::kStatutoryLateDailyBps);
  terms.agreed_annual_bps = in.OptInt("agreed_annual_bps", 0, 100'000);
  terms.lpr_1y_bps_at_signing = in.OptInt("lpr_1y_bps_at_signing", 0, 10'000);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r = CORRIDOR_TRY(domain::LatePaymentInterest(amount, due, paid, terms));
  Json out{{"interest_fen", r.interest_fen},
           {"days_late", r.days_late},
           {"basis", r.basis},
           {"rate_bps", r.rate_bps}};
  out["day_count"] = r.basis == "agreed_annual" ? "actual/360" : "actual days";
  out["lpr_checked"] =
      terms.agreed_annual_bps.has_value() && terms.lpr_1y_bps_at_signing.has_value();
  return out;
}

Result<Json> FxConvertModel(const Json& body) {
  Input in(body);
  const auto amount = in.Int("amount_minor", -10'000'000'000'000'000, 10'000'000'000'000'000);
  const std::string from = in.Str("currency", 3);
  const std::string to = in.Str("to", 3);
  const Date date = in.DateField("date");
  std::vector<domain::FxRate> rates;
  EachObject(in, body, "rates", 100'000, [&](Input& r, const Json& j) {
    domain::FxRate rate;
    rate.date = r.DateField("date");
    rate.from = r.Str("from", 3);
    rate.to = r.Str("to", 3);
    rate.source = r.OptStr("source", 200).value_or("");
    const auto it = j.find("rate");
    if (it == j.end() || !it->is_string()) {
      r.Problem("rate", "must be a decimal string such as \"7.1186\" (exact; not a JSON number)");
    } else if (auto parsed = domain::ParseDecimalRate(it->get<std::string>(), "rate")) {
      rate.rate = *parsed;
    } else {
      r.Problem("rate", parsed.error().fields.at(0).message);
    }
    rates.push_back(std::move(rate));
  });
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto c = CORRIDOR_TRY(domain::Convert(amount, from, to, date, rates));
  Json out{{"amount_minor", c.amount_minor},
           {"currency", c.currency},
           {"minor_unit_digits", c.to_digits},
           {"rounding",
            fmt::format("half away from zero to the minor unit ({} decimals)", c.to_digits)}};
  if (c.used != nullptr) {
    out["rate"] = c.used->rate.ToString();
    out["rate_pair"] = c.used->from + "/" + c.used->to;
    out["rate_date"] = c.used->date.ToString();
    out["rate_source"] = c.used->source;
    out["inverted"] = c.inverted;
  } else {
    out["rate"] = "1";
    out["inverted"] = false;
  }
  return out;
}

Result<Json> FactoringPriorityModel(const Json& body) {
  Input in(body);
  const int64_t receivable = in.Int("receivable_fen", 0, kMaxFen);
  std::vector<domain::FactorClaim> claims;
  EachObject(in, body, "claims", 100'000, [&](Input& c, const Json& j) {
    domain::FactorClaim claim;
    claim.factor = IdField(c, j, "factor");
    claim.amount_fen = c.Int("amount_fen", 1, kMaxFen);
    claim.registered_at = c.OptInt("registered_at_us", 0, INT64_MAX);
    claim.notice_reached = c.OptInt("notice_reached_at_us", 0, INT64_MAX);
    claims.push_back(std::move(claim));
  });
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto allocations = CORRIDOR_TRY(domain::RankFactorClaims(receivable, claims));
  Json out = Json::array();
  int64_t allocated = 0;
  for (const auto& a : allocations) {
    allocated += a.allocated_fen;
    out.push_back({{"factor", a.factor},
                   {"allocated_fen", a.allocated_fen},
                   {"rank", a.rank},
                   {"basis", a.basis}});
  }
  return Json{{"allocations", std::move(out)}, {"unallocated_fen", receivable - allocated}};
}

}  // namespace

void AddSupplyChainModels(std::vector<CalcModel>& models) {
  models.push_back({"order-pool-line",
                    "Order-pool revolving line: eligible orders, buyer cap, advance and fulfilment",
                    OrderPoolLineModel});
  models.push_back({"capacity-loan-limit",
                    "Capacity-sharing loan limit: 70% of the equipment, within the pledged orders",
                    CapacityLoanLimitModel});
  models.push_back({"dynamic-margin", "Seasonal margin: 10% in peak season, 30% off-season",
                    DynamicMarginModel});
  models.push_back({"late-payment-interest",
                    "Late-payment interest to an SME (Decree 728/802 art. 17)",
                    LatePaymentInterestModel});
  models.push_back({"factoring-priority",
                    "Competing factors on one receivable ranked by Civil Code art. 768",
                    FactoringPriorityModel});
  models.push_back({"fx-convert", "Currency conversion in exact minor units by a dated rate table",
                    FxConvertModel});
}

}  // namespace corridor::calc
