// The Chifeng demo: exactly the published scale (seed 003: 125,000 registered, 107,000
// verified, 5,185 deals, 4,228,000,000 yuan), internally consistent, and a pure function of
// (seed, as_of).
#include "demo/demo.hpp"

#include <gtest/gtest.h>

#include "demo/tables.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/marketplace/marketplace.hpp"
#include "store/testing.hpp"

namespace corridor::service {
namespace {

Result<int64_t> Scalar(store::Connection& c, const std::string& sql) {
  auto q = CORRIDOR_TRY(store::Query::Make(c, sql));
  CORRIDOR_TRY(q.Next());
  return q.Int(0);
}

// A digest of the generated content (everything but random tokens and wall-clock stamps).
std::string Digest(store::Store& s) {
  auto r = s.Read([](store::Connection& c) -> Result<std::string> {
    std::string all;
    for (const char* sql :
         {"SELECT group_concat(uscc || name || region || industry || status || green_label || "
          "registered_at, ',') FROM (SELECT * FROM enterprises ORDER BY id)",
          "SELECT group_concat(principal_fen || '/' || annual_rate_bps || '/' || term_months || "
          "method || start_date || enterprise_id || bank_tenant_id, ',') FROM (SELECT * FROM loans "
          "ORDER BY id)",
          "SELECT group_concat(loan_id || due_date || payment_fen || paid_fen, ',') FROM (SELECT * "
          "FROM installments ORDER BY loan_id, seq)",
          "SELECT group_concat(cover_bps || '/' || covered_fen, ',') FROM (SELECT * FROM "
          "guarantees ORDER BY id)"}) {
      auto q = CORRIDOR_TRY(store::Query::Make(c, sql));
      CORRIDOR_TRY(q.Next());
      all += HashToken(q.Text(0));
    }
    return all;
  });
  return r ? *r : r.error().message;
}

// The demo's tables (data/demo/*.tsv) parse into Chifeng's twelve county-level divisions, nine
// industries, seven banks and three guarantee agencies, and the published LPR fixings (the
// National Interbank Funding Center: 1-year 3.00% and over-5-year 3.50% from 2025-05-20).
TEST(Demo, TablesAreChifengsAndTheLprAsPublished) {
  const auto t = demo_stages::LoadDemoTables();
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->regions.size(), 12u);
  EXPECT_EQ(t->regions[0].key, "Hongshan");
  EXPECT_EQ(t->regions[0].zh, "红山");
  EXPECT_EQ(t->industries.size(), 9u);
  EXPECT_EQ(t->banks.size(), 7u);
  EXPECT_EQ(t->guarantors.size(), 3u);
  EXPECT_EQ(t->name_words.size(), 24u);
  ASSERT_EQ(t->lpr.size(), 12u);
  EXPECT_EQ(t->lpr[5].date, "2025-05-20");
  EXPECT_EQ(t->lpr[5].tenor, domain::LprTenor::kOneYear);
  EXPECT_EQ(t->lpr[5].bps, 300);
  EXPECT_EQ(t->lpr[11].tenor, domain::LprTenor::kFiveYear);
  EXPECT_EQ(t->lpr[11].bps, 350);
  ASSERT_EQ(t->products.size(), 6u);
  EXPECT_EQ(t->products[0].industries, "[]");
  EXPECT_EQ(t->products[1].industries, R"(["farming_herding","food_processing"])");
  EXPECT_TRUE(t->products[2].green_only);
}

TEST(Demo, MatchesChifengsPublishedScaleExactly) {
  store::testing::TempDir dir;
  auto store = store::testing::OpenStore("sqlite", dir);
  ManualClock clock(ManualClock::MicrosAt(*Date::Parse("2025-11-20")));
  auto demo = GenerateDemo(*store, clock, 3, *Date::Parse("2025-11-20"));
  ASSERT_TRUE(demo) << demo.error().message;
  ASSERT_EQ(demo->tokens.size(), 14u);
  EXPECT_EQ(demo->tokens[0].first, "bureau_admin");
  EXPECT_EQ(demo->tokens[6].first, "core_enterprise");
  EXPECT_EQ(demo->tokens[7].first, "supplier");
  EXPECT_EQ(demo->tokens[8].first, "project_owner");
  EXPECT_EQ(demo->tokens[9].first, "bank_risk");
  EXPECT_EQ(demo->tokens[10].first, "insurance_officer");
  EXPECT_EQ(demo->tokens[11].first, "insurance_officer_xilingol");
  EXPECT_EQ(demo->tokens[12].first, "insurance_officer_hulunbuir");
  EXPECT_EQ(demo->tokens[13].first, "trust_officer");

  Marketplace marketplace(*store, clock);
  const auto stats = *marketplace.Stats();
  EXPECT_EQ(stats["registered"], 125'000);
  EXPECT_EQ(stats["verified"], 107'000);
  EXPECT_EQ(stats["deals"], 5'185);
  EXPECT_EQ(stats["amount_financed_fen"], 422'800'000'000);
  EXPECT_EQ(stats["amount_financed"],
            "\xC2\xA5"
            "4,228,000,000.00");

  // The statistics are what the records say, not numbers written beside them.
  auto counts = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM enterprises",
             "SELECT count(*) FROM enterprises WHERE status = 'verified'",
             "SELECT count(*) FROM loans",
             "SELECT sum(principal_fen) FROM loans",
             "SELECT count(DISTINCT uscc) FROM enterprises",
             "SELECT count(*) FROM loans l JOIN enterprises e ON e.id = l.enterprise_id "
             "WHERE e.status != 'verified'",
             "SELECT count(*) FROM loans l WHERE term_months != (SELECT count(*) FROM "
             "installments i WHERE i.loan_id = l.id)",
             "SELECT count(*) FROM loans l WHERE principal_fen != (SELECT sum(principal_fen) "
             "FROM installments i WHERE i.loan_id = l.id)",
             "SELECT count(*) FROM loans WHERE kind = 'entrepreneurship' AND borrower_rate_bps > "
             "lpr_bps - 150",
             "SELECT count(DISTINCT industry) FROM enterprises",
             "SELECT count(DISTINCT region) FROM enterprises",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(counts);
  const auto& v = *counts;
  EXPECT_EQ(v[0], 125'000);
  EXPECT_EQ(v[1], 107'000);
  EXPECT_EQ(v[2], 5'185);
  EXPECT_EQ(v[3], 422'800'000'000);
  EXPECT_EQ(v[4], 125'000);  // every USCC unique
  EXPECT_EQ(v[5], 0);        // only verified enterprises borrowed
  EXPECT_EQ(v[6], 0);        // every schedule complete
  EXPECT_EQ(v[7], 0);        // principal parts sum to the principal
  EXPECT_EQ(v[8], 0);        // entrepreneurship rate cap
  EXPECT_EQ(v[9], 9);
  EXPECT_EQ(v[10], 12);

  // The registry and its log: every booking is a policy entry, the receivables were registered
  // and about 40% pledged through the registry's use cases, and the log has no gap.
  auto registry = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM registry_entries WHERE kind = 'policy.loan_booked'",
             // The registry stage's invoices (FP15...); the supply stage registers its own.
             "SELECT count(*) FROM registry_assets WHERE type = 'receivable' AND "
             "document_number LIKE 'FP15%'",
             "SELECT count(*) FROM registry_claims c JOIN registry_assets a ON a.id = c.asset_id "
             "WHERE c.kind = 'pledge' AND c.status = 'active' AND a.document_number LIKE 'FP15%'",
             "SELECT count(*) FROM registry_entries WHERE kind = 'receivable.pledge'",
             "SELECT count(*) - max(idx) - 1 FROM registry_entries",
             "SELECT count(*) FROM registry_entries a JOIN registry_entries b ON b.idx = a.idx + 1 "
             "WHERE b.created_at < a.created_at",
             "SELECT count(*) FROM evaluation_indicators",
             "SELECT count(*) FROM registry_entries WHERE kind = 'evaluation.indicator_recorded'",
             "SELECT count(DISTINCT year) FROM evaluation_indicators",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(registry);
  EXPECT_EQ((*registry)[0], 5'185);
  EXPECT_EQ((*registry)[1], 1'500);
  EXPECT_NEAR(static_cast<double>((*registry)[2]), 600, 75);
  EXPECT_EQ((*registry)[3], (*registry)[2]);
  EXPECT_EQ((*registry)[4], 0);  // indices 0..n-1
  EXPECT_EQ((*registry)[5], 0);  // in time order
  // Cooperation indicators: 7 cities x 6 indicators x 3 years, each recording logged.
  EXPECT_EQ((*registry)[6], 126);
  EXPECT_EQ((*registry)[7], 126);
  EXPECT_EQ((*registry)[8], 3);
  // The supply-chain ecosystem: sixty enterprises, their lenders and guarantors as members, trade
  // in tiers, the four pools; the compensation pool paid the government's 3/10 of an 850,000
  // yuan loss; every change logged; the core within its 30% cap.
  auto eco = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM ecosystems",
             "SELECT count(*) FROM ecosystem_members m JOIN enterprises e ON e.tenant_id = "
             "m.tenant_id",
             "SELECT count(*) FROM ecosystem_members m JOIN tenants t ON t.id = m.tenant_id "
             "WHERE t.kind = 'bank'",
             "SELECT count(*) FROM ecosystem_trades WHERE kind = 'order'",
             "SELECT count(*) FROM risk_pools",
             "SELECT balance_fen FROM risk_pools WHERE scheme = 'compensation_pool'",
             "SELECT count(*) FROM registry_entries WHERE kind LIKE 'ecosystem.%' OR kind LIKE "
             "'risk_pool.%'",
             "SELECT (SELECT count(*) FROM ecosystem_members) + (SELECT count(*) FROM "
             "ecosystem_trades) "
             "+ 1 + (SELECT count(*) FROM risk_pools) + (SELECT count(*) FROM "
             "risk_pool_movements)",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(eco) << eco.error().message;
  EXPECT_EQ((*eco)[0], 1);
  EXPECT_EQ((*eco)[1], 60);
  EXPECT_GE((*eco)[2], 5);
  EXPECT_GE((*eco)[3], 59);
  EXPECT_EQ((*eco)[4], 4);
  EXPECT_EQ((*eco)[5], 2'000'000'000 - 25'500'000);
  // Every member (the core's joining is the ecosystem's creation), trade, pool and movement is
  // an entry.
  EXPECT_EQ((*eco)[6], (*eco)[7] - 1);
  const ManualClock as_of(ManualClock::MicrosAt(*Date::Parse("2025-11-20")));
  const Caller analyst{.user_id = 1, .tenant_id = 1, .role = Role::kRiskAnalyst};
  auto graph = Ecosystems(*store, as_of).Graph(analyst, 1, std::nullopt);
  ASSERT_TRUE(graph) << graph.error().message;
  EXPECT_LE((*graph)["ecosystem"]["core_share"].get<double>(), 0.3);
  EXPECT_TRUE((*graph)["notes"].empty()) << (*graph)["notes"].dump();  // every lender is a member

  // Green finance: every new-energy and nonferrous loan labelled and logged, unmetered claims in
  // the review queue, reserves held for the granted ones, two years of carbon accounts per
  // labelled firm, one sustainability-linked loan.
  auto green = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM loans l JOIN enterprises e ON e.id = l.enterprise_id WHERE "
             "e.industry IN ('new_energy', 'nonferrous_metals')",
             "SELECT count(*) FROM green_labels",
             "SELECT count(*) FROM registry_entries WHERE kind = 'green.label_decided'",
             "SELECT count(*) FROM green_labels WHERE status = 'under_review'",
             "SELECT count(*) FROM green_labels WHERE status = 'granted' AND label = 'transition'",
             "SELECT count(*) FROM green_reserves WHERE kind = 'risk_reserve'",
             "SELECT count(*) FROM green_labels WHERE status = 'granted' AND label <> "
             "'not_green'",
             "SELECT count(*) - 2 * count(DISTINCT enterprise_id) FROM carbon_records",
             "SELECT count(*) FROM sll_terms",
             "SELECT count(*) FROM carbon_records WHERE equity_plus_debt_fen IS NULL",
             "SELECT count(*) FROM carbon_records WHERE equity_plus_debt_fen IS NOT NULL",
             "SELECT count(*) FROM carbon_records WHERE credits_generated_kg > 0",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(green) << green.error().message;
  EXPECT_EQ((*green)[1], (*green)[0]);
  EXPECT_EQ((*green)[2], (*green)[0]);
  EXPECT_GT((*green)[3], 0);
  EXPECT_GT((*green)[4], 0);
  EXPECT_EQ((*green)[5], (*green)[6]);
  EXPECT_EQ((*green)[7], 0);
  EXPECT_EQ((*green)[8], 1);
  // Financed emissions: most firms give equity + debt (their loans covered), some do not.
  EXPECT_GT((*green)[9], 0);
  EXPECT_GT((*green)[10], (*green)[9]);
  EXPECT_GT((*green)[11], 0);

  // Supply-chain finance around the ecosystem: one pool, a line per supplier of the chain, three
  // orders per chain order pooled (one cancelled), a draw on every line with something available,
  // one supplier below 60% utilization and one line frozen by its stock, last month's margin
  // calls met and today's open, the confirmed receivables half factored, the FX table and four
  // settlements, a capacity loan restricted by its re-appraisal and a patent loan with a warrant.
  auto supply = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM supply_pools",
             "SELECT count(*) FROM supply_lines",
             "SELECT count(DISTINCT supplier_tenant_id) FROM ecosystem_trades WHERE kind = "
             "'order'",
             "SELECT count(*) FROM supply_pool_orders",
             "SELECT 3 * count(*) FROM ecosystem_trades WHERE kind = 'order'",
             "SELECT count(*) FROM supply_pool_orders WHERE status = 'cancelled'",
             "SELECT count(*) FROM supply_lines WHERE drawn_fen > 0",
             "SELECT count(*) FROM supply_lines WHERE frozen_reason IS NOT NULL",
             "SELECT count(*) FROM supply_readings WHERE used_units * 10 < capacity_units * 6",
             "SELECT count(*) FROM supply_margin_calls WHERE status = 'met'",
             "SELECT count(*) FROM supply_margin_calls WHERE status = 'open' AND call_fen > 0",
             "SELECT count(*) FROM supply_confirmations",
             "SELECT count(*) FROM ecosystem_trades WHERE kind = 'receivable'",
             "SELECT count(*) FROM supply_factorings",
             "SELECT count(*) FROM fx_rates",
             "SELECT count(*) FROM cross_border_settlements WHERE rate IS NOT NULL",
             "SELECT count(*) FROM supply_secured_loans WHERE status = 'restricted'",
             "SELECT count(*) FROM supply_secured_loans WHERE warrant IS NOT NULL",
             "SELECT count(*) FROM supply_lines l WHERE (SELECT count(*) FROM "
             "supply_pool_orders o WHERE o.line_id = l.id AND o.status = 'pooled') = 0",
             "SELECT count(*) FROM supply_rnd_tranches WHERE disbursed_entry_index IS NOT NULL",
             "SELECT count(*) FROM supply_rnd_tranches WHERE confirmed_entry_index IS NOT NULL",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(supply) << supply.error().message;
  const auto& sv = *supply;
  EXPECT_EQ(sv[0], 1);
  EXPECT_EQ(sv[1], sv[2]);
  EXPECT_EQ(sv[3], sv[4]);
  EXPECT_EQ(sv[5], 1);
  EXPECT_GE(sv[6], sv[1] - 2);
  EXPECT_EQ(sv[7], 1);
  EXPECT_EQ(sv[8], 1);
  EXPECT_EQ(sv[9], sv[6]);
  EXPECT_EQ(sv[10], sv[6]);
  EXPECT_EQ(sv[11], sv[12]);
  EXPECT_EQ(sv[13], (sv[12] + 1) / 2);
  EXPECT_EQ(sv[14], 6);
  EXPECT_EQ(sv[15], 4);
  EXPECT_EQ(sv[16], 1);
  EXPECT_EQ(sv[17], 1);
  EXPECT_EQ(sv[18], 0);
  EXPECT_EQ(sv[19], 1);
  EXPECT_EQ(sv[20], 2);

  // Credit scoring: the local bank's scorecard, trained on its borrowers two years back with an
  // out-of-time check a year back, approved by its risk analyst (not the officer who trained it),
  // and three monthly runs, the last scoring every verified enterprise; it ranks its borrowers
  // well out of time, and the loan book has defaults to learn from.
  auto scoring = store->Read([&](store::Connection& c) -> Result<std::vector<std::string>> {
    auto q = CORRIDOR_TRY(store::Query::Make(
        c,
        "SELECT m.status, m.snapshot_date, m.oot_date, json_extract(m.report, "
        "'$.out_of_time.auc') > 0.7, json_extract(m.report, '$.training.bads') >= 20, "
        "(SELECT count(*) FROM scoring_runs r WHERE r.model_id = m.id), (SELECT max(r.scored) FROM "
        "scoring_runs r WHERE r.model_id = m.id) = (SELECT count(*) FROM enterprises WHERE "
        "status = 'verified'), m.decided_by <> m.trained_by FROM scoring_models m"));
    std::vector<std::string> row;
    if (!CORRIDOR_TRY(q.Next())) return row;
    for (int k = 0; k < 8; ++k) row.push_back(q.Text(k));
    return row;
  });
  ASSERT_TRUE(scoring) << scoring.error().message;
  EXPECT_EQ(*scoring, (std::vector<std::string>{"approved", "2023-11-20", "2024-11-20", "1", "1",
                                                "3", "1", "1"}));

  // Pension finance: six months settled, each month's positions summing to zero and its
  // reimbursements written back to its claims; the trust's assets are its movements' sum; the fund
  // never below its floor; every eco policy in a county with last year's observation assessed.
  auto pension = store->Read([](store::Connection& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> v;
    for (const char* sql : {
             "SELECT count(*) FROM pension_settlements",
             "SELECT count(*) FROM (SELECT settlement_id FROM pension_settlement_positions GROUP "
             "BY settlement_id HAVING sum(position_fen) != 0)",
             "SELECT count(*) FROM pension_settlements s WHERE s.reimbursed_fen != (SELECT "
             "sum(reimbursed_fen) FROM care_claims c WHERE c.settlement_id = s.id)",
             "SELECT count(*) FROM care_claims WHERE settlement_id IS NULL",
             "SELECT count(*) FROM pension_trusts t WHERE t.assets_fen != (SELECT "
             "sum(amount_fen) FROM trust_movements m WHERE m.trust_id = t.id)",
             "SELECT count(*) FROM trust_members",
             "SELECT count(*) FROM pension_fund_events e JOIN pension_fund_rules r ON r.id = "
             "e.rules_id WHERE e.balance_fen < r.floor_fen",
             "SELECT count(*) FROM pension_fund_events",
             "SELECT count(*) FROM eco_policies p WHERE NOT EXISTS (SELECT 1 FROM "
             "eco_assessments a WHERE a.policy_id = p.id)",
             "SELECT count(*) FROM eco_assessments WHERE payout_fen > 0",
         }) {
      v.push_back(CORRIDOR_TRY(Scalar(c, sql)));
    }
    return v;
  });
  ASSERT_TRUE(pension);
  EXPECT_EQ(*pension,
            (std::vector<int64_t>{6, 0, 0, (*pension)[3], 0, 2'592, 0, 7, 0, (*pension)[9]}));
  EXPECT_GT((*pension)[3], 0);  // this month's claims wait for their settlement
  EXPECT_GT((*pension)[9], 0);  // 阿巴嘎旗's drought year paid out

  // A second demo into the same database is refused; nothing is half-written.
  EXPECT_FALSE(GenerateDemo(*store, clock, 3, *Date::Parse("2025-11-20")));
}

TEST(Demo, IsAPureFunctionOfSeedAndDate) {
  const DemoScale small{.registered = 3'000,
                        .verified = 2'500,
                        .deals = 300,
                        .amount_financed_fen = 30'000'000'000,
                        .open_needs = 50};
  std::vector<std::string> digests;
  for (uint64_t seed : {7, 7, 8}) {
    store::testing::TempDir dir;
    auto store = store::testing::OpenStore("sqlite", dir);
    ManualClock clock(ManualClock::MicrosAt(*Date::Parse("2025-11-20")) + seed);
    ASSERT_TRUE(GenerateDemo(*store, clock, seed, *Date::Parse("2025-11-20"), small));
    digests.push_back(Digest(*store));
  }
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_NE(digests[0], digests[2]);
}

}  // namespace
}  // namespace corridor::service
