// Supply-chain finance through the API, on seed 002's ecosystem: a core battery maker C, its
// tier-1 suppliers S1 and S2 (S2 also buys from S1), tier-2 supplier S3, two banks. The order
// pool's line moves with every order event the same day; an order backs one line only, however
// the requests interleave; draws are refused by the rule that applies (the line, capacity
// utilization below 60%, an inventory freeze, an open margin call), each named; the dynamic
// margin follows the season.
//
// Line arithmetic (domain::ComputeOrderPoolLine, checked by hand): S1's orders from C of
// 3,000,000 (due 09-30) and 2,000,000 (due 07-31) and from S2 of 1,000,000 pool 6,000,000; C
// holds 5/6 of it, above the 60% buyer cap of 3,600,000, so 1,400,000 of C's latest-due order is
// excluded: eligible 4,600,000, line ⌊4,600,000 × 80% × 90%⌋ = 3,312,000.
#include <thread>

#include "api_fixture.hpp"

namespace corridor::testing {
namespace {

class SupplyTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(bank_id_, bank_) = Onboard("bank", "Bank A", "bank_officer");
    std::tie(bank2_id_, bank2_) = Onboard("bank", "Bank B", "bank_officer");
    for (int i = 0; i < 5; ++i) {
      auto [id, token] = Enterprise(i + 1, "manufacturing");
      ids_[i] = id;
      tokens_[i] = token;
    }
    auto eco = Call("POST", "/api/v1/ecosystems", bureau_,
                    {{"name", "Battery chain"},
                     {"core_enterprise_id", ids_[0]},
                     {"core_capital_fen", 10'000'000}});
    ASSERT_EQ(eco.status, 201) << eco.raw.body;
    eco_id_ = eco.body["id"].get<int64_t>();
    // C, S1, S2, S3 are members; enterprise 5 (X) is not.
    for (int i = 1; i < 4; ++i) {
      ASSERT_EQ(Call("POST", "/api/v1/ecosystems/" + std::to_string(eco_id_) + "/members", bureau_,
                     {{"enterprise_id", ids_[i]}, {"capital_fen", 1'000'000}})
                    .status,
                201);
    }
    pool_ = OpenPool(tokens_[0]);
  }

  int64_t OpenPool(const std::string& token, int expect = 201) {
    auto r = Call("POST", "/api/v1/supply/pools", token,
                  {{"ecosystem_id", eco_id_}, {"name", "C battery orders"}});
    EXPECT_EQ(r.status, expect) << r.raw.body;
    return r.status == 201 ? r.body["id"].get<int64_t>() : 0;
  }

  Reply Grant(const std::string& bank, int64_t pool, int supplier, Json extra = Json::object()) {
    Json body{{"supplier_enterprise_id", ids_[supplier]},
              {"limit_fen", 10'000'000},
              {"advance_rate_bps", 8000},
              {"max_buyer_share_bps", 6000},
              {"fulfilment_rate_bps", 9000}};
    for (const auto& [k, v] : extra.items()) body[k] = v;
    return Call("POST", "/api/v1/supply/pools/" + std::to_string(pool) + "/lines", bank, body);
  }

  // Supplier `s` registers an order from buyer `b`; returns its asset id.
  int64_t Order(int s, int b, const std::string& number, int64_t amount, const std::string& due) {
    auto r = Call("POST", "/api/v1/registry/assets", tokens_[s],
                  {{"type", "order"},
                   {"document_number", number},
                   {"debtor_uscc", TestUscc(b + 1)},
                   {"creditor_uscc", TestUscc(s + 1)},
                   {"amount_fen", amount},
                   {"due_date", due}});
    EXPECT_EQ(r.status, 201) << r.raw.body;
    return r.body["id"].get<int64_t>();
  }

  Reply PoolOrder(int buyer, int64_t pool, int64_t asset, std::optional<int64_t> units = {}) {
    Json body{{"asset_id", asset}};
    if (units) body["units"] = *units;
    return Call("POST", "/api/v1/supply/pools/" + std::to_string(pool) + "/orders", tokens_[buyer],
                body);
  }

  Json Line(int64_t id, const std::string& token) {
    auto r = Call("GET", "/api/v1/supply/lines/" + std::to_string(id), token);
    EXPECT_EQ(r.status, 200) << r.raw.body;
    return r.body;
  }

  Reply Draw(int64_t line, int64_t amount) {
    return Call("POST", "/api/v1/supply/lines/" + std::to_string(line) + "/draws", tokens_[1],
                {{"amount_fen", amount}});
  }

  Reply Reading(int who, const std::string& date, int64_t capacity, int64_t used,
                std::optional<int64_t> inventory = {}) {
    Json body{{"date", date}, {"capacity_units", capacity}, {"used_units", used}};
    if (inventory) body["inventory_units"] = *inventory;
    return Call("POST", "/api/v1/supply/readings", tokens_[who], body);
  }

  void SetDay(const std::string& date) { clock_.Set(ManualClock::MicrosAt(*Date::Parse(date))); }

  int64_t bank_id_ = 0, bank2_id_ = 0, eco_id_ = 0, pool_ = 0;
  std::string bank_, bank2_;
  int64_t ids_[5] = {};
  std::string tokens_[5];
};

TEST_F(SupplyTest, TheLineMovesTheSameDayAsOrdersEnterAreFulfilledCancelledOrFallDue) {
  auto granted = Grant(bank_, pool_, 1);
  ASSERT_EQ(granted.status, 201) << granted.raw.body;
  const int64_t line = granted.body["id"].get<int64_t>();
  EXPECT_EQ(granted.body["line_fen"], 0);

  const int64_t o1 = Order(1, 0, "PO-C-001", 3'000'000, "2025-09-30");
  const int64_t o2 = Order(1, 0, "PO-C-002", 2'000'000, "2025-07-31");
  const int64_t o3 = Order(1, 2, "PO-S2-001", 1'000'000, "2025-08-31");
  ASSERT_EQ(PoolOrder(0, pool_, o1).status, 201);
  ASSERT_EQ(PoolOrder(0, pool_, o2).status, 201);
  auto third = PoolOrder(2, pool_, o3);
  ASSERT_EQ(third.status, 201) << third.raw.body;
  EXPECT_EQ(third.body["line"]["line_fen"], 3'312'000);

  Json l = Line(line, tokens_[1]);
  EXPECT_EQ(l["pooled_fen"], 6'000'000);
  EXPECT_EQ(l["eligible_fen"], 4'600'000);
  EXPECT_EQ(l["line_fen"], 3'312'000);
  EXPECT_EQ(l["available_fen"], 3'312'000);
  ASSERT_EQ(l["excluded"].size(), 1u);
  EXPECT_EQ(l["excluded"][0]["asset_id"], o1);
  EXPECT_EQ(l["excluded"][0]["excluded_fen"], 1'400'000);
  EXPECT_NE(l["excluded"][0]["reason"].get<std::string>().find("above 60.00%"), std::string::npos);
  EXPECT_TRUE(l["fulfilment"]["history_bps"].is_null());
  // 5,000,000 of S1's 6,000,000 registered orders are C's: more than 60% on one buyer, flagged.
  ASSERT_EQ(l["flags"].size(), 1u);
  EXPECT_EQ(l["flags"][0]["rule"], "customer_concentration");
  EXPECT_EQ(l["flags"][0]["share_bps"], 8333);

  // C confirms delivery of the 2,000,000 order: fulfilled, it leaves the line; C now holds 3/4
  // of 4,000,000, 600,000 above the cap: ⌊3,400,000 × 72%⌋ = 2,448,000. S1's history is now
  // 2,000,000 delivered and nothing overdue (100%), so the bank's 90% still applies.
  ASSERT_EQ(Call("POST", "/api/v1/registry/assets/" + std::to_string(o2) + "/delivery", tokens_[0])
                .status,
            200);
  l = Line(line, bank_);
  EXPECT_EQ(l["line_fen"], 2'448'000);
  EXPECT_EQ(l["fulfilment"]["history_bps"], 10000);
  EXPECT_EQ(l["fulfilment"]["applied_bps"], 9000);

  // S2 cancels its order: the pledge is released, the line shrinks to C's capped 1,800,000.
  const int64_t pool_order3 = third.body["pool_order_id"].get<int64_t>();
  auto by_supplier = Call(
      "POST", "/api/v1/supply/pool-orders/" + std::to_string(pool_order3) + "/cancel", tokens_[1]);
  EXPECT_EQ(by_supplier.status, 404) << "only the buyer cancels";
  auto cancelled = Call(
      "POST", "/api/v1/supply/pool-orders/" + std::to_string(pool_order3) + "/cancel", tokens_[2]);
  ASSERT_EQ(cancelled.status, 200) << cancelled.raw.body;
  EXPECT_EQ(cancelled.body["line"]["line_fen"], 1'296'000);
  auto asset = Call("GET", "/api/v1/registry/assets/" + std::to_string(o3), bank_);
  EXPECT_EQ(asset.body["claims"][0]["status"], "released");
  EXPECT_EQ(Call("POST", "/api/v1/supply/pool-orders/" + std::to_string(pool_order3) + "/cancel",
                 tokens_[2])
                .status,
            409);

  // The day after the last order's due date the line is nothing; the undelivered orders now
  // count against S1's history (2,000,000 delivered of 6,000,000 delivered or past due).
  SetDay("2025-10-01");
  l = Line(line, tokens_[0]);
  EXPECT_EQ(l["line_fen"], 0);
  EXPECT_EQ(l["fulfilment"]["history_bps"], 3333);
  EXPECT_EQ(l["fulfilment"]["applied_bps"], 3333);
  // A past-due order is refused at the door.
  const int64_t late = Order(1, 0, "PO-C-LATE", 100'000, "2025-09-30");
  auto refused = PoolOrder(0, pool_, late);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body["errors"][0]["field"], "/asset_id");
}

TEST_F(SupplyTest, AnOrderBacksOneLineOnlyHoweverTheRequestsInterleave) {
  const int64_t pool2 = OpenPool(tokens_[0]);
  const int64_t line1 = Grant(bank_, pool_, 1).body["id"].get<int64_t>();
  ASSERT_EQ(Grant(bank2_, pool2, 1).status, 201);
  // A second line for the same supplier in one pool is refused.
  auto twice = Grant(bank2_, pool_, 1);
  EXPECT_EQ(twice.status, 409);
  EXPECT_NE(twice.body["detail"].get<std::string>().find(std::to_string(line1)), std::string::npos);

  for (int round = 0; round < 8; ++round) {
    const int64_t order = Order(1, 0, "PO-RACE-" + std::to_string(round), 500'000, "2025-12-31");
    std::vector<Reply> replies(3);
    {
      std::vector<std::thread> threads;
      threads.emplace_back([&] { replies[0] = PoolOrder(0, pool_, order); });
      threads.emplace_back([&] { replies[1] = PoolOrder(0, pool2, order); });
      threads.emplace_back([&] {
        replies[2] = Call("POST", "/api/v1/registry/assets/" + std::to_string(order) + "/pledges",
                          bank2_, {{"amount_fen", 500'000}});
      });
      for (auto& t : threads) t.join();
    }
    int won = 0;
    for (const auto& r : replies) {
      if (r.status == 201) {
        ++won;
      } else {
        EXPECT_EQ(r.status, 409) << r.raw.body;
        EXPECT_NE(r.body["detail"].get<std::string>().find("already pledged"), std::string::npos);
      }
    }
    EXPECT_EQ(won, 1) << "round " << round;
    auto asset = Call("GET", "/api/v1/registry/assets/" + std::to_string(order), bank_);
    int active = 0;
    for (const auto& claim : asset.body["claims"]) active += claim["status"] == "active";
    EXPECT_EQ(active, 1);
  }
}

TEST_F(SupplyTest, DrawsAreRefusedByTheRuleThatAppliesAndNamed) {
  const int64_t line = Grant(bank_, pool_, 1, {{"limit_fen", 2'000'000}}).body["id"].get<int64_t>();
  const int64_t o1 = Order(1, 0, "PO-1", 3'000'000, "2025-09-30");
  const int64_t o2 = Order(1, 2, "PO-2", 2'000'000, "2025-08-31");
  ASSERT_EQ(PoolOrder(0, pool_, o1, 300).status, 201);
  ASSERT_EQ(PoolOrder(2, pool_, o2, 200).status, 201);
  // Eligible 5,000,000 (C at 60% exactly is not above the cap): line ⌊5,000,000 × 72%⌋ =
  // 3,600,000, but the bank's ceiling is 2,000,000.
  Json l = Line(line, bank_);
  EXPECT_EQ(l["line_fen"], 3'600'000);
  EXPECT_EQ(l["available_fen"], 2'000'000);
  auto over = Draw(line, 2'000'001);
  EXPECT_EQ(over.status, 409);
  EXPECT_EQ(over.body["errors"][0]["field"], "/amount_fen");
  EXPECT_EQ(over.body["errors"][0]["message"], "order_pool_line");
  // Another bank's officer and a non-party enterprise see nothing of the line.
  EXPECT_EQ(Call("GET", "/api/v1/supply/lines/" + std::to_string(line), bank2_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/supply/lines/" + std::to_string(line), tokens_[4]).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/supply/lines", bank2_).body["items"].size(), 0u);
  EXPECT_EQ(Call("POST", "/api/v1/supply/lines/" + std::to_string(line) + "/draws", tokens_[2],
                 {{"amount_fen", 1}})
                .status,
            404)
      << "S2 is in the pool but not a party to S1's line";

  // Utilization 59.9% refuses new financing; 60% does not (seed 002 §5.4).
  ASSERT_EQ(Reading(1, "2025-06-01", 10'000, 5'990, 500).status, 201);
  auto low = Draw(line, 100'000);
  EXPECT_EQ(low.status, 409);
  EXPECT_EQ(low.body["errors"][0]["message"], "capacity_utilization");
  EXPECT_EQ(Line(line, bank_)["restrictions"][0]["rule"], "capacity_utilization");
  EXPECT_EQ(Reading(1, "2025-06-01", 10'000, 6'000).status, 409) << "one reading a day";
  SetDay("2025-06-02");
  ASSERT_EQ(Reading(1, "2025-06-02", 10'000, 6'000, 500).status, 201);
  auto ok = Draw(line, 1'000'000);
  ASSERT_EQ(ok.status, 201) << ok.raw.body;
  EXPECT_EQ(ok.body["line"]["drawn_fen"], 1'000'000);
  EXPECT_EQ(ok.body["line"]["available_fen"], 1'000'000);

  // Stock of 470 against the 500 units the orders need is within the 5% tolerance (475 is the
  // floor: 470 is below it and freezes the line; the bank is a party to the freeze entry).
  SetDay("2025-06-03");
  auto stock = Reading(1, "2025-06-03", 10'000, 7'000, 470);
  ASSERT_EQ(stock.status, 201);
  ASSERT_EQ(stock.body["freezes"].size(), 1u);
  EXPECT_EQ(stock.body["freezes"][0]["bank_tenant_id"], bank_id_);
  auto frozen = Draw(line, 1);
  EXPECT_EQ(frozen.status, 409);
  EXPECT_EQ(frozen.body["errors"][0]["message"], "inventory_freeze");
  // The bank's list filters on the freeze: S2's line (not frozen) stays out of frozen=true.
  const int64_t other = Grant(bank_, pool_, 2).body["id"].get<int64_t>();
  auto frozen_only = Call("GET", "/api/v1/supply/lines?frozen=true", bank_);
  ASSERT_EQ(frozen_only.status, 200) << frozen_only.raw.body;
  ASSERT_EQ(frozen_only.body["items"].size(), 1u);
  EXPECT_EQ(frozen_only.body["items"][0]["id"], line);
  auto unfrozen = Call("GET", "/api/v1/supply/lines?frozen=false", bank_);
  ASSERT_EQ(unfrozen.body["items"].size(), 1u);
  EXPECT_EQ(unfrozen.body["items"][0]["id"], other);
  EXPECT_EQ(Call("GET", "/api/v1/supply/lines", bank_).body["items"].size(), 2u);
  auto bad = Call("GET", "/api/v1/supply/lines?frozen=yes", bank_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "/frozen");
  // The bureau's view of the pool counts the frozen line among the restricted ones.
  Json totals =
      Call("GET", "/api/v1/supply/pools/" + std::to_string(pool_), bureau_).body["totals"];
  EXPECT_EQ(totals["lines"], 2);
  EXPECT_EQ(totals["frozen_lines"], 1);
  EXPECT_EQ(totals["restricted_lines"], 1);
  EXPECT_EQ(totals["flagged_lines"], 0) << "C's 60% exactly is not above the concentration mark";
  const std::string unfreeze = "/api/v1/supply/lines/" + std::to_string(line) + "/unfreeze";
  EXPECT_EQ(Call("POST", unfreeze, tokens_[1], {{"note", "mine"}}).status, 403);
  auto still = Call("POST", unfreeze, bank_, {{"note", "checked"}});
  EXPECT_EQ(still.status, 409) << still.raw.body;
  SetDay("2025-06-04");
  ASSERT_EQ(Reading(1, "2025-06-04", 10'000, 7'000, 475).body["freezes"].size(), 0u);
  auto released = Call("POST", unfreeze, bank_, {{"note", "stock counted on site"}});
  ASSERT_EQ(released.status, 200) << released.raw.body;
  EXPECT_TRUE(released.body["line"]["frozen"].is_null());
  EXPECT_EQ(Draw(line, 500'000).status, 201);
  auto repaid = Call("POST", "/api/v1/supply/lines/" + std::to_string(line) + "/repayments",
                     tokens_[1], {{"amount_fen", 1'500'000}});
  ASSERT_EQ(repaid.status, 201) << repaid.raw.body;
  EXPECT_EQ(repaid.body["line"]["drawn_fen"], 0);
}

TEST_F(SupplyTest, TheMarginFollowsTheSeasonAndAnOpenCallStopsDraws) {
  const int64_t line =
      Grant(bank_, pool_, 1, {{"peak_months", {9, 10, 11}}}).body["id"].get<int64_t>();
  ASSERT_EQ(PoolOrder(0, pool_, Order(1, 0, "PO-M1", 2'000'000, "2025-11-30")).status, 201);
  ASSERT_EQ(PoolOrder(2, pool_, Order(1, 2, "PO-M2", 2'000'000, "2025-11-30")).status, 201);
  ASSERT_EQ(Draw(line, 1'000'001).status, 201);

  // Off-peak in June: 30% of 1,000,001 is 300,000.3, rounded up to 300,001.
  auto run = Call("POST", "/api/v1/supply/margin-runs", bank_, {{"date", "2025-06-15"}});
  ASSERT_EQ(run.status, 201) << run.raw.body;
  ASSERT_EQ(run.body["calls"].size(), 1u);
  const Json call = run.body["calls"][0];
  EXPECT_EQ(call["season"], "off_peak");
  EXPECT_EQ(call["call_fen"], 300'001);
  EXPECT_EQ(Call("POST", "/api/v1/supply/margin-runs", bank_, {{"date", "2025-06-15"}})
                .body["calls"]
                .size(),
            0u)
      << "a run is once a day per line";
  auto blocked = Draw(line, 1);
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(blocked.body["errors"][0]["message"], "dynamic_margin");
  const std::string meet =
      "/api/v1/supply/margin-calls/" + std::to_string(call["id"].get<int64_t>()) + "/meet";
  EXPECT_EQ(Call("POST", meet, bank_).status, 403) << "the supplier adds margin";
  auto met = Call("POST", meet, tokens_[1]);
  ASSERT_EQ(met.status, 200) << met.raw.body;
  EXPECT_EQ(met.body["line"]["margin"]["held_fen"], 300'001);
  EXPECT_EQ(Call("POST", meet, tokens_[1]).status, 409);

  // The peak season lowers the requirement to ⌈10% × 1,000,001⌉ = 100,001: the bank returns
  // 200,000.
  auto peak = Call("POST", "/api/v1/supply/margin-runs", bank_, {{"date", "2025-09-01"}});
  ASSERT_EQ(peak.body["calls"].size(), 1u);
  EXPECT_EQ(peak.body["calls"][0]["season"], "peak");
  EXPECT_EQ(peak.body["calls"][0]["call_fen"], -200'000);
  EXPECT_EQ(Draw(line, 1).status, 201) << "a call to return margin does not stop draws";
  const std::string back = "/api/v1/supply/margin-calls/" +
                           std::to_string(peak.body["calls"][0]["id"].get<int64_t>()) + "/meet";
  EXPECT_EQ(Call("POST", back, tokens_[1]).status, 403);
  auto returned = Call("POST", back, bank_);
  ASSERT_EQ(returned.status, 200) << returned.raw.body;
  EXPECT_EQ(returned.body["line"]["margin"]["held_fen"], 100'001);
  auto calls = Call("GET", "/api/v1/supply/margin-calls", tokens_[1]);
  EXPECT_EQ(calls.body["items"].size(), 2u);
  EXPECT_EQ(Call("GET", "/api/v1/supply/margin-calls", bank2_).body["items"].size(), 0u);
}

TEST_F(SupplyTest, OnlyTheCoreOpensThePoolAndOnlyMembersTakePart) {
  OpenPool(tokens_[1], 403);
  OpenPool(bank_, 403);
  // X is not a member: no line for it, and an order it buys cannot enter the pool.
  auto outsider = Grant(bank_, pool_, 4);
  EXPECT_EQ(outsider.status, 422);
  EXPECT_EQ(outsider.body["errors"][0]["field"], "/supplier_enterprise_id");
  ASSERT_EQ(Grant(bank_, pool_, 1).status, 201);
  const int64_t from_x = Order(1, 4, "PO-X-1", 100'000, "2025-12-31");
  EXPECT_EQ(PoolOrder(4, pool_, from_x).status, 404) << "X does not see the pool";
  // The supplier cannot confirm its own order into the pool; the buyer does.
  const int64_t own = Order(1, 0, "PO-OWN-1", 100'000, "2025-12-31");
  EXPECT_EQ(PoolOrder(1, pool_, own).status, 403);
  // An order whose supplier has no line in the pool is refused naming the field.
  const int64_t s3 = Order(3, 0, "PO-S3-1", 100'000, "2025-12-31");
  auto no_line = PoolOrder(0, pool_, s3);
  EXPECT_EQ(no_line.status, 422);
  EXPECT_EQ(no_line.body["errors"][0]["field"], "/asset_id");
  // The pool shows each bank its own lines only.
  auto as_bank2 = Call("GET", "/api/v1/supply/pools/" + std::to_string(pool_), bank2_);
  ASSERT_EQ(as_bank2.status, 200);
  EXPECT_EQ(as_bank2.body["lines"].size(), 0u);
  auto as_core = Call("GET", "/api/v1/supply/pools/" + std::to_string(pool_), tokens_[0]);
  EXPECT_EQ(as_core.body["lines"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/supply/pools", tokens_[4]).body["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/supply/pools", tokens_[1]).body["items"].size(), 1u);
}

// Receivables: the buyer's confirmation gates factoring, exactly as confirmed; a second or
// post-cancellation confirmation is refused; a second factor meets the first's pledge.
TEST_F(SupplyTest, TheBuyersConfirmationGatesFactoringExactly) {
  auto reg = Call("POST", "/api/v1/registry/assets", tokens_[1],
                  {{"type", "receivable"},
                   {"document_type", "invoice"},
                   {"document_number", "INV-S1-001"},
                   {"debtor_uscc", TestUscc(1)},
                   {"creditor_uscc", TestUscc(2)},
                   {"amount_fen", 5'000'000},
                   {"due_date", "2025-09-30"}});
  ASSERT_EQ(reg.status, 201) << reg.raw.body;
  const std::string id = std::to_string(reg.body["id"].get<int64_t>());
  const Json factoring{{"receivable_id", reg.body["id"]},
                       {"receivable_fen", 4'800'000},
                       {"due_date", "2025-09-30"},
                       {"financed_fen", 4'000'000},
                       {"recourse", "without_recourse"}};
  auto unconfirmed = Call("POST", "/api/v1/supply/factorings", bank_, factoring);
  EXPECT_EQ(unconfirmed.status, 409) << unconfirmed.raw.body;
  EXPECT_EQ(unconfirmed.body["errors"][0]["message"], "buyer_confirmation");

  const std::string confirm = "/api/v1/supply/receivables/" + id + "/confirmation";
  EXPECT_EQ(
      Call("POST", confirm, tokens_[1], {{"amount_fen", 4'800'000}, {"due_date", "2025-09-30"}})
          .status,
      403)
      << "the seller cannot confirm its own receivable";
  EXPECT_EQ(
      Call("POST", confirm, tokens_[0], {{"amount_fen", 5'000'001}, {"due_date", "2025-09-30"}})
          .status,
      422);
  auto ok =
      Call("POST", confirm, tokens_[0], {{"amount_fen", 4'800'000}, {"due_date", "2025-09-30"}});
  ASSERT_EQ(ok.status, 201) << ok.raw.body;
  EXPECT_EQ(ok.body["state"], "confirmed");
  auto again =
      Call("POST", confirm, tokens_[0], {{"amount_fen", 4'800'000}, {"due_date", "2025-09-30"}});
  EXPECT_EQ(again.status, 409);

  // Another amount or another date than confirmed is refused, naming the field.
  Json wrong = factoring;
  wrong["receivable_fen"] = 5'000'000;
  auto amount = Call("POST", "/api/v1/supply/factorings", bank_, wrong);
  EXPECT_EQ(amount.status, 422);
  EXPECT_EQ(amount.body["errors"][0]["field"], "/receivable_fen");
  wrong = factoring;
  wrong["due_date"] = "2025-10-01";
  EXPECT_EQ(Call("POST", "/api/v1/supply/factorings", bank_, wrong).body["errors"][0]["field"],
            "/due_date");
  auto factored = Call("POST", "/api/v1/supply/factorings", bank_, factoring);
  ASSERT_EQ(factored.status, 201) << factored.raw.body;
  EXPECT_EQ(factored.body["loss_bearer"], "factor");
  auto second = Call("POST", "/api/v1/supply/factorings", bank2_, factoring);
  EXPECT_EQ(second.status, 409);
  EXPECT_NE(second.body["detail"].get<std::string>().find(
                "log index " + std::to_string(factored.body["log_index"].get<int64_t>())),
            std::string::npos)
      << second.raw.body;
  EXPECT_EQ(Call("POST", "/api/v1/supply/receivables/" + id + "/cancel", tokens_[0]).status, 409)
      << "a factored receivable is not cancelled under the bank";
  EXPECT_EQ(Call("GET", "/api/v1/supply/factorings", tokens_[1]).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/supply/factorings", bank2_).body["items"].size(), 0u);

  // A cancelled receivable cannot be confirmed afterwards.
  auto other = Call("POST", "/api/v1/registry/assets", tokens_[1],
                    {{"type", "receivable"},
                     {"document_number", "INV-S1-002"},
                     {"debtor_uscc", TestUscc(1)},
                     {"creditor_uscc", TestUscc(2)},
                     {"amount_fen", 1'000'000},
                     {"due_date", "2025-09-30"}});
  const std::string other_id = std::to_string(other.body["id"].get<int64_t>());
  ASSERT_EQ(Call("POST", "/api/v1/supply/receivables/" + other_id + "/cancel", tokens_[1]).status,
            200);
  auto late = Call("POST", "/api/v1/supply/receivables/" + other_id + "/confirmation", tokens_[0],
                   {{"amount_fen", 1'000'000}, {"due_date", "2025-09-30"}});
  EXPECT_EQ(late.status, 409) << late.raw.body;
  EXPECT_EQ(
      Call("GET", "/api/v1/supply/receivables/" + other_id + "/confirmation", bank_).body["state"],
      "cancelled");
  EXPECT_EQ(
      Call("GET", "/api/v1/supply/receivables/" + other_id + "/confirmation", tokens_[4]).status,
      404);
}

// Settlements in any currency, in its minor unit, converted to yuan at the dated table's rate
// (the row shown): 0, 2 and 3 decimals. 1,000,000 MNT at 0.0021 CNY is 2,100.00 CNY; 1,234 fils
// (1.234 KWD) at 23.217 is 28.649778 CNY, 28.65; 5,000 JPY through the CNY/JPY row of 21.5 is
// 232.558... CNY, 232.56.
TEST_F(SupplyTest, CrossBorderSettlementsConvertToYuanWithTheRateShown) {
  for (const auto& [from, to, rate] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"MNT", "CNY", "0.0021"}, {"KWD", "CNY", "23.217"}, {"CNY", "JPY", "21.5"}}) {
    auto r = Call("POST", "/api/v1/supply/fx-rates", bureau_,
                  {{"date", "2025-05-30"},
                   {"from", from},
                   {"to", to},
                   {"rate", rate},
                   {"source", "CFETS central parity"}});
    ASSERT_EQ(r.status, 201) << r.raw.body;
  }
  auto number = Call(
      "POST", "/api/v1/supply/fx-rates", bureau_,
      {{"date", "2025-05-30"}, {"from", "USD"}, {"to", "CNY"}, {"rate", 7.1}, {"source", "x"}});
  EXPECT_EQ(number.status, 422) << "a rate is exact decimal text, never a binary number";
  EXPECT_EQ(Call("POST", "/api/v1/supply/fx-rates", bank_,
                 {{"date", "2025-05-30"},
                  {"from", "USD"},
                  {"to", "CNY"},
                  {"rate", "7.1"},
                  {"source", "x"}})
                .status,
            403);
  auto settle = [&](const std::string& currency, int64_t amount, const std::string& ref) {
    return Call("POST", "/api/v1/supply/cross-border-settlements", tokens_[0],
                {{"direction", "receipt"},
                 {"counterparty", "Erenhot importer"},
                 {"counterparty_country", "MN"},
                 {"currency", currency},
                 {"amount_minor", amount},
                 {"date", "2025-06-01"},
                 {"reference", ref}});
  };
  auto mnt = settle("MNT", 100'000'000, "CB-1");
  ASSERT_EQ(mnt.status, 201) << mnt.raw.body;
  EXPECT_EQ(mnt.body["cny_fen"], 210'000);
  EXPECT_EQ(mnt.body["rate"]["rate"], "0.0021");
  EXPECT_EQ(mnt.body["rate"]["date"], "2025-05-30");
  EXPECT_EQ(mnt.body["rate"]["source"], "CFETS central parity");
  EXPECT_EQ(settle("KWD", 1'234, "CB-2").body["cny_fen"], 2'865);
  auto jpy = settle("JPY", 5'000, "CB-3");
  EXPECT_EQ(jpy.body["cny_fen"], 23'256);
  EXPECT_EQ(jpy.body["rate"]["inverted"], true);
  EXPECT_EQ(settle("CNY", 12'345, "CB-4").body["cny_fen"], 12'345);
  auto no_rate = settle("USD", 100, "CB-5");
  EXPECT_EQ(no_rate.status, 422);
  EXPECT_EQ(no_rate.body["errors"][0]["field"], "/date");
  EXPECT_EQ(settle("MNT", 1, "CB-1").status, 409) << "a reference is recorded once";
  auto list = Call("GET", "/api/v1/supply/cross-border-settlements", tokens_[0]);
  EXPECT_EQ(list.body["items"].size(), 4u);
  EXPECT_EQ(list.body["totals_cny"]["receipt"]["cny_fen"], 210'000 + 2'865 + 23'256 + 12'345);
  EXPECT_EQ(Call("GET", "/api/v1/supply/cross-border-settlements", tokens_[1]).body["items"].size(),
            0u);
  EXPECT_EQ(Call("GET", "/api/v1/supply/fx-rates", tokens_[1]).body["items"].size(), 3u);
}

// Capacity-sharing loans at and around 70% of the equipment's appraisal (seed 002), bound by the
// pledged orders when they are less; a re-appraisal below the line restricts the loan and calls
// a top-up; IP pledge loans at the pledge rate with warrant terms recorded.
TEST_F(SupplyTest, SecuredLoansKeepToTheirCapsAndReappraisalsRestrict) {
  auto equipment = Call("POST", "/api/v1/registry/assets", tokens_[1],
                        {{"type", "equipment"},
                         {"document_number", "EQ-S1-001"},
                         {"creditor_uscc", TestUscc(2)},
                         {"description", "cell coating line"}});
  ASSERT_EQ(equipment.status, 201) << equipment.raw.body;
  const int64_t eq = equipment.body["id"].get<int64_t>();
  const int64_t o1 = Order(1, 0, "PO-CAP-1", 8'000'000, "2025-12-31");
  auto loan = [&](int64_t principal, std::vector<int64_t> orders) {
    return Call("POST", "/api/v1/supply/capacity-loans", bank_,
                {{"enterprise_id", ids_[1]},
                 {"equipment_asset_id", eq},
                 {"order_asset_ids", orders},
                 {"appraised_fen", 10'000'000},
                 {"principal_fen", principal}});
  };
  // 70% of 10,000,000 is 7,000,000: 7,000,001 (70.00001%) is refused, 7,000,000 is not.
  auto over = loan(7'000'001, {o1});
  EXPECT_EQ(over.status, 409);
  EXPECT_EQ(over.body["errors"][0]["message"], "capacity_loan_limit");
  EXPECT_NE(over.body["detail"].get<std::string>().find("equipment_ltv"), std::string::npos);
  // Utilization below 60% refuses new financing here too.
  ASSERT_EQ(Reading(1, "2025-06-01", 1000, 599).status, 201);
  EXPECT_EQ(loan(7'000'000, {o1}).body["errors"][0]["message"], "capacity_utilization");
  SetDay("2025-06-02");
  ASSERT_EQ(Reading(1, "2025-06-02", 1000, 600).status, 201);
  auto granted = loan(7'000'000, {o1});
  ASSERT_EQ(granted.status, 201) << granted.raw.body;
  EXPECT_EQ(granted.body["binding_constraint"], "equipment_ltv");
  const std::string id = std::to_string(granted.body["id"].get<int64_t>());
  // The order now backs this loan: it cannot enter a pool's line as well.
  ASSERT_EQ(Grant(bank2_, pool_, 1).status, 201);
  EXPECT_EQ(PoolOrder(0, pool_, o1).status, 409);

  // Re-appraised at 9,000,000, the cap is 6,300,000: 700,000 to repay, the loan restricted.
  auto re = Call("POST", "/api/v1/supply/secured-loans/" + id + "/appraisals", bank_,
                 {{"appraised_fen", 9'000'000}, {"date", "2025-06-02"}});
  ASSERT_EQ(re.status, 201) << re.raw.body;
  EXPECT_EQ(re.body["action"], "top_up");
  EXPECT_EQ(re.body["top_up_fen"], 700'000);
  EXPECT_EQ(re.body["status"], "restricted");
  EXPECT_EQ(re.body["appraisals"][0]["ltv_bps"], 7778);
  const std::string repay = "/api/v1/supply/secured-loans/" + id + "/repayments";
  auto part = Call("POST", repay, tokens_[1], {{"amount_fen", 699'999}});
  EXPECT_EQ(part.body["status"], "restricted");
  EXPECT_EQ(part.body["top_up_fen"], 1);
  auto rest = Call("POST", repay, tokens_[1], {{"amount_fen", 1}});
  EXPECT_EQ(rest.body["status"], "active");
  EXPECT_EQ(rest.body["outstanding_fen"], 6'300'000);
  EXPECT_EQ(Call("GET", "/api/v1/supply/secured-loans/" + id, bank2_).status, 404);

  // The pledged orders bind when they are less than 70% of the appraisal.
  auto eq2 =
      Call("POST", "/api/v1/registry/assets", tokens_[2],
           {{"type", "equipment"}, {"document_number", "EQ-S2-1"}, {"creditor_uscc", TestUscc(3)}});
  const int64_t small = Order(2, 0, "PO-CAP-2", 2'000'000, "2025-12-31");
  auto bound = Call("POST", "/api/v1/supply/capacity-loans", bank_,
                    {{"enterprise_id", ids_[2]},
                     {"equipment_asset_id", eq2.body["id"]},
                     {"order_asset_ids", {small}},
                     {"appraised_fen", 10'000'000},
                     {"principal_fen", 2'000'001}});
  EXPECT_EQ(bound.status, 409);
  EXPECT_NE(bound.body["detail"].get<std::string>().find("pledged_orders"), std::string::npos);

  // IP pledge: 40% of 25,000,000 is 10,000,000.
  Json ip{{"enterprise_id", ids_[3]},
          {"patents", {"ZL202510000001", "ZL202510000002"}},
          {"valuation_fen", 25'000'000},
          {"pledge_rate_bps", 4000},
          {"principal_fen", 10'000'001},
          {"warrant",
           {{"equity_bps", 200}, {"strike_fen", 500'000'000}, {"expiry_date", "2028-06-30"}}}};
  EXPECT_EQ(Call("POST", "/api/v1/supply/ip-loans", bank_, ip).body["errors"][0]["message"],
            "ip_pledge_limit");
  ip["principal_fen"] = 10'000'000;
  auto ip_loan = Call("POST", "/api/v1/supply/ip-loans", bank_, ip);
  ASSERT_EQ(ip_loan.status, 201) << ip_loan.raw.body;
  EXPECT_EQ(ip_loan.body["patents"].size(), 2u);
  EXPECT_EQ(ip_loan.body["warrant"]["equity_bps"], 200);
  ip["warrant"]["equity_bps"] = 0;
  EXPECT_EQ(Call("POST", "/api/v1/supply/ip-loans", bank_, ip).body["errors"][0]["field"],
            "/warrant/equity_bps");
}

// R&D funds by milestone: tranche k only after milestone k is confirmed and every earlier tranche
// paid; the schedule never above the approval; a tranche added before the unpaid ones shifts
// them, and confirmations and payments, addressed by tranche id, still land on the right one.
TEST_F(SupplyTest, RndTranchesWaitForTheirMilestonesAndTheScheduleStaysRight) {
  auto fund = Call("POST", "/api/v1/supply/rnd-funds", bank_,
                   {{"enterprise_id", ids_[1]},
                    {"project", "solid-state cell R&D"},
                    {"approved_fen", 10'000'000},
                    {"tranches",
                     {{{"milestone", "lab cell"}, {"amount_fen", 3'000'000}},
                      {{"milestone", "pilot line"}, {"amount_fen", 4'000'000}}}}});
  ASSERT_EQ(fund.status, 201) << fund.raw.body;
  const std::string id = std::to_string(fund.body["id"].get<int64_t>());
  const int64_t lab = fund.body["tranches"][0]["id"], pilot = fund.body["tranches"][1]["id"];
  EXPECT_EQ(fund.body["unscheduled_fen"], 3'000'000);
  auto tranche = [&](int64_t t, const std::string& act, const std::string& token) {
    return Call("POST", "/api/v1/supply/rnd-tranches/" + std::to_string(t) + "/" + act, token,
                act == "confirmation" ? Json{{"evidence", "test report"}} : Json::object());
  };
  // A schedule above the approval is refused at approval and at insertion (10,000,001 > 10^7).
  auto over = Call("POST", "/api/v1/supply/rnd-funds", bank_,
                   {{"enterprise_id", ids_[1]},
                    {"project", "x"},
                    {"approved_fen", 10'000'000},
                    {"tranches", {{{"milestone", "a"}, {"amount_fen", 10'000'001}}}}});
  EXPECT_EQ(over.status, 409) << over.raw.body;
  EXPECT_EQ(over.body["errors"][0]["field"], "/tranches/0/amount_fen");
  EXPECT_EQ(over.body["errors"][0]["message"], "rnd_milestone");
  EXPECT_EQ(Call("POST", "/api/v1/supply/rnd-funds/" + id + "/tranches", bank_,
                 {{"milestone", "too much"}, {"amount_fen", 3'000'001}})
                .status,
            409);
  // Nothing is paid before its milestone.
  auto early = tranche(lab, "disbursement", bank_);
  EXPECT_EQ(early.status, 409) << early.raw.body;
  EXPECT_EQ(early.body["errors"][0]["message"], "rnd_milestone");
  ASSERT_EQ(tranche(lab, "confirmation", bank_).status, 201);
  EXPECT_EQ(tranche(lab, "confirmation", bank_).status, 409);  // confirmed once
  // The pilot's milestone is confirmed early, but it waits for the lab tranche to be paid.
  ASSERT_EQ(tranche(pilot, "confirmation", bureau_).status, 201);
  EXPECT_EQ(tranche(pilot, "disbursement", bank_).status, 409);
  auto paid = tranche(lab, "disbursement", bank_);
  ASSERT_EQ(paid.status, 201) << paid.raw.body;
  EXPECT_EQ(paid.body["disbursed_fen"], 3'000'000);
  EXPECT_EQ(tranche(lab, "disbursement", bank_).status, 409);  // paid once
  // A tranche inserted before the paid one is refused; before the pilot it is accepted, arrives
  // unconfirmed, and the pilot, though confirmed, now waits for it.
  EXPECT_EQ(Call("POST", "/api/v1/supply/rnd-funds/" + id + "/tranches", bank_,
                 {{"milestone", "history"}, {"amount_fen", 1}, {"before_tranche_id", lab}})
                .status,
            409);
  auto added =
      Call("POST", "/api/v1/supply/rnd-funds/" + id + "/tranches", bank_,
           {{"milestone", "safety test"}, {"amount_fen", 3'000'000}, {"before_tranche_id", pilot}});
  ASSERT_EQ(added.status, 201) << added.raw.body;
  const int64_t safety = added.body["tranche_id"];
  EXPECT_EQ(added.body["tranches"][1]["id"], safety);
  EXPECT_EQ(added.body["tranches"][2]["id"], pilot);
  EXPECT_EQ(added.body["tranches"][2]["milestone_confirmed"], true);
  EXPECT_EQ(added.body["unscheduled_fen"], 0);
  EXPECT_EQ(added.body["next_tranche_id"], safety);
  EXPECT_EQ(tranche(pilot, "disbursement", bank_).status, 409);
  ASSERT_EQ(tranche(safety, "confirmation", bank_).status, 201);
  ASSERT_EQ(tranche(safety, "disbursement", bank_).status, 201);
  auto last = tranche(pilot, "disbursement", bank_);
  ASSERT_EQ(last.status, 201) << last.raw.body;
  EXPECT_EQ(last.body["disbursed_fen"], 10'000'000);
  EXPECT_TRUE(last.body["next_tranche_id"].is_null());
  // Only the fund's bank pays; the enterprise reads its fund; another bank does not see it.
  EXPECT_EQ(Call("GET", "/api/v1/supply/rnd-funds/" + id, tokens_[1]).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/supply/rnd-funds/" + id, bank2_).status, 404);
}

}  // namespace
}  // namespace corridor::testing
