// The platform's statistics as the bureau publishes them, a caller's session, and the loan
// book by bank, industry, division and month (the bureau's view, a bank's own, a guarantee
// agency's exposure).
#include <fmt/format.h>

#include "core/int128.hpp"
#include "core/money.hpp"
#include "service/kernel/kernel.hpp"
#include "service/marketplace/marketplace.hpp"

namespace corridor::service {

using store::Connection;
using store::Query;

Result<Json> Marketplace::Stats() {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c, "SELECT registered, verified, deals, amount_financed_fen FROM platform_stats"));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("platform_stats row missing"));
    const Money amount = Money::FromFen(q.Int(3));
    return Json{{"registered", q.Int(0)},
                {"verified", q.Int(1)},
                {"deals", q.Int(2)},
                {"amount_financed_fen", amount.fen()},
                {"amount_financed", amount.FormatYuan()}};
  });
}

Result<Json> Marketplace::Session(const Caller& caller) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT u.name, t.name, e.name, e.status FROM users u JOIN tenants t ON t.id = u.tenant_id "
        "LEFT JOIN enterprises e ON e.tenant_id = t.id WHERE u.id = ?",
        caller.user_id));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("user"));
    Json out{
        {"user", {{"id", caller.user_id}, {"name", q.Text(0)}, {"role", ToString(caller.role)}}},
        {"tenant",
         {{"id", caller.tenant_id}, {"kind", ToString(caller.tenant_kind)}, {"name", q.Text(1)}}},
        {"enterprise", nullptr}};
    if (caller.in_enterprise()) {
      out["enterprise"] = {
          {"id", caller.enterprise_id}, {"name", q.Text(2)}, {"status", q.Text(3)}};
    }
    return out;
  });
}

namespace {

// A guarantee agency's book: what it guarantees, by bank and by the borrower's industry, with
// its exposure now (the covered share of the outstanding principal) and its share of a loss.
Result<Json> GuarantorBreakdown(Connection& c, int64_t guarantor) {
  struct Sum {
    int64_t loans = 0;
    int64_t covered_fen = 0;
    int64_t outstanding_fen = 0;
    int64_t exposure_fen = 0;
  };
  Sum all;
  std::map<int64_t, std::pair<std::string, Sum>> by_bank;
  std::map<std::string, Sum> by_industry;
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT l.bank_tenant_id, t.name, e.industry, g.covered_fen, g.cover_bps, {} "
                  "FROM guarantees g JOIN loans l ON l.id = g.loan_id "
                  "JOIN tenants t ON t.id = l.bank_tenant_id "
                  "JOIN enterprises e ON e.id = l.enterprise_id WHERE g.guarantor_tenant_id = ?",
                  internal::kOutstandingPrincipalSql),
      guarantor));
  while (CORRIDOR_TRY(q.Next())) {
    const int64_t outstanding = q.Int(5);
    // Rounded down to the fen: the agency owes no more than its share.
    const auto exposure =
        static_cast<int64_t>(static_cast<Int128>(outstanding) * q.Int(4) / 10'000);
    const auto add = [&](Sum& sum) {
      ++sum.loans;
      sum.covered_fen += q.Int(3);
      sum.outstanding_fen += outstanding;
      sum.exposure_fen += exposure;
    };
    add(all);
    auto& b = by_bank[q.Int(0)];
    if (b.first.empty()) b.first = q.Text(1);
    add(b.second);
    add(by_industry[q.Text(2)]);
  }
  const auto row = [](const Sum& sum) {
    return Json{
        {"loans", sum.loans},
        {"covered_fen", sum.covered_fen},
        {"outstanding_fen", sum.outstanding_fen},
        {"exposure_fen", sum.exposure_fen},
        {"loss_share", sum.outstanding_fen > 0 ? static_cast<double>(sum.exposure_fen) /
                                                     static_cast<double>(sum.outstanding_fen)
                                               : 0.0}};
  };
  Json banks = Json::array();
  for (const auto& [id, entry] : by_bank) {
    Json r = row(entry.second);
    r["bank_tenant_id"] = id;
    r["name"] = entry.first;
    banks.push_back(std::move(r));
  }
  Json industries = Json::array();
  for (const auto& [industry, sum] : by_industry) {
    Json r = row(sum);
    r["industry"] = industry;
    industries.push_back(std::move(r));
  }
  return Json{{"scope", "guarantor"},
              {"guaranteed", row(all)},
              {"by_bank", std::move(banks)},
              {"by_industry", std::move(industries)}};
}

}  // namespace

Result<Json> Marketplace::StatsBreakdown(const Caller& caller) {
  if (caller.in_guarantor()) {
    return store_.Read([&](Connection& c) { return GuarantorBreakdown(c, caller.tenant_id); });
  }
  if (!caller.platform() && !caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "loan statistics are read by the bureau's users, banks and guarantee "
                      "agencies",
                      {}});
  }
  const int64_t bank = caller.in_bank() ? caller.tenant_id : 0;
  return store_.Read([&](Connection& c) -> Result<Json> {
    // One pass over the loans, summed by each key (a few thousand rows: cheaper than a GROUP BY
    // per key).
    struct Sum {
      int64_t loans = 0;
      int64_t principal_fen = 0;
    };
    std::map<std::string, Sum> by_industry, by_region, by_kind, by_month;
    std::map<int64_t, std::pair<std::string, Sum>> by_bank;
    {
      auto q = CORRIDOR_TRY(Query::Make(
          c,
          "SELECT l.bank_tenant_id, t.name, e.industry, e.region, l.kind, "
          "substr(l.start_date, 1, 7), l.principal_fen FROM loans l "
          "JOIN tenants t ON t.id = l.bank_tenant_id JOIN enterprises e ON e.id = l.enterprise_id "
          "WHERE (? = 0 OR l.bank_tenant_id = ?)",
          bank, bank));
      while (CORRIDOR_TRY(q.Next())) {
        const int64_t fen = q.Int(6);
        const auto add = [fen](Sum& sum) {
          ++sum.loans;
          sum.principal_fen += fen;
        };
        auto& b = by_bank[q.Int(0)];
        if (b.first.empty()) b.first = q.Text(1);
        add(b.second);
        add(by_industry[q.Text(2)]);
        add(by_region[q.Text(3)]);
        add(by_kind[q.Text(4)]);
        add(by_month[q.Text(5)]);
      }
    }
    const auto rows = [](const std::map<std::string, Sum>& sums, const char* key) {
      Json out = Json::array();
      for (const auto& [k, sum] : sums) {
        out.push_back({{key, k}, {"loans", sum.loans}, {"principal_fen", sum.principal_fen}});
      }
      return out;
    };
    Json banks = Json::array();
    for (const auto& [id, entry] : by_bank) {
      banks.push_back({{"bank_tenant_id", id},
                       {"name", entry.first},
                       {"loans", entry.second.loans},
                       {"principal_fen", entry.second.principal_fen}});
    }
    std::stable_sort(banks.begin(), banks.end(), [](const Json& a, const Json& b) {
      return a["principal_fen"].get<int64_t>() > b["principal_fen"].get<int64_t>();
    });
    Json out{{"by_bank", std::move(banks)},
             {"by_industry", rows(by_industry, "industry")},
             {"by_region", rows(by_region, "region")},
             {"by_kind", rows(by_kind, "kind")},
             {"by_month", rows(by_month, "month")},
             {"scope", bank == 0 ? "platform" : "bank"}};
    if (bank == 0) {
      auto q = CORRIDOR_TRY(Query::Make(
          c,
          "SELECT region, count(*), sum(status = 'verified') FROM enterprises GROUP BY region "
          "ORDER BY region"));
      Json regions = Json::array();
      while (CORRIDOR_TRY(q.Next())) {
        regions.push_back(
            {{"region", q.Text(0)}, {"registered", q.Int(1)}, {"verified", q.Int(2)}});
      }
      out["enterprises_by_region"] = std::move(regions);
    }
    return out;
  });
}

}  // namespace corridor::service
