// Supply-chain finance routes: order pools, their lines, pooled orders, draws and repayments,
// production readings and freezes, the dynamic margin's runs and calls.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddSupply(Table& t) {
  t.Write("POST", "/api/v1/supply/pools",
          "Open the order pool of an ecosystem (its core enterprise)",
          Schema({{"ecosystem_id", Prop("integer")}, {"name", Prop("string")}},
                 {"ecosystem_id", "name"}),
          [](Conn& c, const C& x) { return x.app->supply().CreatePool(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/pools", "Order pools (core enterprise, its suppliers, banks, oversight)",
        true, [](const C& x) { return Ok(x.app->supply().ListPools(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::SupplyPool()));
  t.Get("/api/v1/supply/pools/{id}", "A pool with the lines the caller may see, computed today",
        false, [](const C& x) { return Ok(x.app->supply().GetPool(*x.caller, x.id())); })
      .Returns(schemas::SupplyPool());
  t.Write(
       "POST", "/api/v1/supply/pools/{id}/lines",
       "Grant a member supplier a revolving line against its pooled orders (bank); 409 when it "
       "has one in this pool",
       Schema({{"supplier_enterprise_id", Prop("integer")},
               {"limit_fen", Prop("integer", "the approved ceiling")},
               {"advance_rate_bps", Prop("integer")},
               {"max_buyer_share_bps", Prop("integer", "cap on any one buyer's share")},
               {"fulfilment_rate_bps", Prop("integer", "the bank's view of the supplier")},
               {"inventory_tolerance_bps", Prop("integer", "default 500")},
               {"peak_months", Prop("array", "months 1–12 of the peak season (margin 10%)")}},
              {"supplier_enterprise_id", "limit_fen", "advance_rate_bps", "max_buyer_share_bps",
               "fulfilment_rate_bps"}),
       [](Conn& c, const C& x) { return x.app->supply().GrantLine(c, *x.caller, x.id(), *x.body); })
      .Returns(schemas::SupplyLine());
  t.Write(
      "POST", "/api/v1/supply/pools/{id}/orders",
      "The buyer puts a registered order into the pool (its confirmation); pledged to the "
      "line's bank, 409 when the order already backs a line or a pledge",
      Schema({{"asset_id", Prop("integer", "the order in the registry")},
              {"units", Prop("integer", "goods the order needs in stock, for the IoT check")}},
             {"asset_id"}),
      [](Conn& c, const C& x) { return x.app->supply().PoolOrder(c, *x.caller, x.id(), *x.body); });
  t.Write(
      "POST", "/api/v1/supply/pool-orders/{id}/cancel",
      "The buyer cancels a pooled order: its pledge is released and the line shrinks", nullptr,
      [](Conn& c, const C& x) { return x.app->supply().CancelOrder(c, *x.caller, x.id()); }, 200);
  t.Get("/api/v1/supply/lines",
        "Lines (their bank, supplier, pool's core enterprise, oversight); frozen=true|false", true,
        [](const C& x) -> Result<Response> {
          std::optional<bool> frozen;
          if (x.target->HasParam("frozen")) {
            const std::string_view v = x.target->Param("frozen");
            if (v != "true" && v != "false") {
              return Fail(Error::Invalid("/frozen", "must be true or false"));
            }
            frozen = v == "true";
          }
          return Ok(x.app->supply().ListLines(*x.caller, x.page, frozen));
        })
      .Returns(schemas::Page(schemas::SupplyLine()));
  t.Get("/api/v1/supply/lines/{id}",
        "A line computed today: orders, exclusions with reasons, restrictions, flags, margin",
        false, [](const C& x) { return Ok(x.app->supply().GetLine(*x.caller, x.id())); })
      .Returns(schemas::SupplyLine());
  t.Write("POST", "/api/v1/supply/lines/{id}/draws",
          "Draw on the line (its supplier); 409 names the rule that refuses it",
          Schema({{"amount_fen", Prop("integer")}}, {"amount_fen"}),
          [](Conn& c, const C& x) { return x.app->supply().Draw(c, *x.caller, x.id(), *x.body); });
  t.Write("POST", "/api/v1/supply/lines/{id}/repayments", "Repay drawn funds (its supplier)",
          Schema({{"amount_fen", Prop("integer")}}, {"amount_fen"}),
          [](Conn& c, const C& x) { return x.app->supply().Repay(c, *x.caller, x.id(), *x.body); });
  t.Write(
      "POST", "/api/v1/supply/lines/{id}/unfreeze",
      "Release an inventory freeze (the line's bank); refused while the latest reading still "
      "contradicts the orders",
      Schema({{"note", Prop("string")}}, {"note"}),
      [](Conn& c, const C& x) {
        return x.app->supply().ReleaseFreeze(c, *x.caller, x.id(), *x.body);
      },
      200);
  t.Write("POST", "/api/v1/supply/readings",
          "Record the caller's production reading for a date (capacity, used, stock); stock that "
          "contradicts the pooled orders freezes the lines",
          Schema({{"date", Prop("string", "YYYY-MM-DD")},
                  {"capacity_units", Prop("integer")},
                  {"used_units", Prop("integer")},
                  {"inventory_units", Prop("integer")},
                  {"source", Prop("string", "default iot")}},
                 {"date", "capacity_units", "used_units"}),
          [](Conn& c, const C& x) { return x.app->supply().RecordReading(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/enterprises/{id}/readings",
        "An enterprise's production readings (itself, its line banks, oversight)", true,
        [](const C& x) { return Ok(x.app->supply().ListReadings(*x.caller, x.id(), x.page)); })
      .Returns(schemas::Page(schemas::ProductionReading()));
  t.Write("POST", "/api/v1/supply/margin-runs",
          "Run the dynamic margin on a date over the bank's lines: a call where the required "
          "margin differs from the held",
          Schema({{"date", Prop("string", "YYYY-MM-DD")}}, {"date"}),
          [](Conn& c, const C& x) { return x.app->supply().RunMargins(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/margin-calls", "Margin calls (the line's bank and supplier, oversight)",
        true, [](const C& x) { return Ok(x.app->supply().ListMarginCalls(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::MarginCall()));
  t.Write(
      "POST", "/api/v1/supply/margin-calls/{id}/meet",
      "Meet a margin call: the supplier adds margin, the bank returns it", nullptr,
      [](Conn& c, const C& x) { return x.app->supply().MeetMarginCall(c, *x.caller, x.id()); },
      200);
  t.Write("POST", "/api/v1/supply/receivables/{id}/confirmation",
          "The buyer confirms a registered receivable, once, for an amount and a due date",
          Schema({{"amount_fen", Prop("integer", "at most the registered amount")},
                  {"due_date", Prop("string", "YYYY-MM-DD")}},
                 {"amount_fen", "due_date"}),
          [](Conn& c, const C& x) {
            return x.app->supply().ConfirmReceivable(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/supply/receivables/{id}/confirmation",
        "A receivable's confirmation: unconfirmed, confirmed (amount, date) or cancelled", false,
        [](const C& x) { return Ok(x.app->supply().GetConfirmation(*x.caller, x.id())); });
  t.Write(
      "POST", "/api/v1/supply/receivables/{id}/cancel",
      "The buyer or seller cancels a receivable (not while factored); it can no longer be "
      "confirmed",
      nullptr,
      [](Conn& c, const C& x) { return x.app->supply().CancelReceivable(c, *x.caller, x.id()); },
      200);
  t.Write("POST", "/api/v1/supply/factorings",
          "Factor a confirmed receivable for exactly its confirmed amount and date (bank); 409 "
          "names the rule or the pledge that has priority",
          Schema({{"receivable_id", Prop("integer")},
                  {"receivable_fen", Prop("integer", "as the buyer confirmed it")},
                  {"due_date", Prop("string", "as the buyer confirmed it")},
                  {"financed_fen", Prop("integer", "the advance, at most receivable_fen")},
                  {"recourse", Prop("string", "with_recourse | without_recourse")}},
                 {"receivable_id", "receivable_fen", "due_date", "financed_fen", "recourse"}),
          [](Conn& c, const C& x) { return x.app->supply().Factor(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/factorings", "Factorings (the bank, the seller and buyer, oversight)", true,
        [](const C& x) { return Ok(x.app->supply().ListFactorings(*x.caller, x.page)); });
  t.Write("POST", "/api/v1/supply/fx-rates",
          "Record a dated FX rate (bureau): one unit of from is rate units of to",
          Schema({{"date", Prop("string", "YYYY-MM-DD")},
                  {"from", Prop("string", "ISO 4217")},
                  {"to", Prop("string", "ISO 4217")},
                  {"rate", Prop("string", "exact decimal text, e.g. \"7.1186\"")},
                  {"source", Prop("string", "who published it")}},
                 {"date", "from", "to", "rate", "source"}),
          [](Conn& c, const C& x) { return x.app->supply().RecordFxRate(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/fx-rates", "The FX table, with each rate's date and source", true,
        [](const C& x) { return Ok(x.app->supply().ListFxRates(*x.caller, x.page)); });
  t.Write(
      "POST", "/api/v1/supply/cross-border-settlements",
      "Record a cross-border settlement (enterprise), converted to yuan at the table's rate",
      Schema({{"direction", Prop("string", "receipt | payment")},
              {"counterparty", Prop("string")},
              {"counterparty_country", Prop("string", "ISO 3166-1 alpha-2")},
              {"currency", Prop("string", "ISO 4217")},
              {"amount_minor", Prop("integer", "in the currency's minor unit")},
              {"date", Prop("string", "YYYY-MM-DD")},
              {"reference", Prop("string", "unique per enterprise")}},
             {"direction", "counterparty", "counterparty_country", "currency", "amount_minor",
              "date", "reference"}),
      [](Conn& c, const C& x) { return x.app->supply().RecordSettlement(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/cross-border-settlements",
        "Cross-border settlements in yuan with the rate used, and totals (enterprise, oversight)",
        true, [](const C& x) { return Ok(x.app->supply().ListSettlements(*x.caller, x.page)); });
  t.Write(
      "POST", "/api/v1/supply/capacity-loans",
      "Grant a capacity-sharing loan against registered equipment and pledged orders (bank); "
      "at most 70% of the appraisal and no more than the orders",
      Schema({{"enterprise_id", Prop("integer")},
              {"equipment_asset_id", Prop("integer", "equipment in the registry")},
              {"order_asset_ids", Prop("array", "the borrower's undelivered orders")},
              {"appraised_fen", Prop("integer")},
              {"principal_fen", Prop("integer")},
              {"ltv_cap_bps", Prop("integer", "default and most 7000")}},
             {"enterprise_id", "equipment_asset_id", "order_asset_ids", "appraised_fen",
              "principal_fen"}),
      [](Conn& c, const C& x) { return x.app->supply().GrantCapacityLoan(c, *x.caller, *x.body); });
  t.Write("POST", "/api/v1/supply/ip-loans",
          "Grant a patent-portfolio pledge loan (bank), with loan-plus-warrant terms if agreed",
          Schema({{"enterprise_id", Prop("integer")},
                  {"patents", Prop("array", "patent numbers")},
                  {"valuation_fen", Prop("integer")},
                  {"pledge_rate_bps", Prop("integer")},
                  {"principal_fen", Prop("integer", "at most valuation × pledge rate")},
                  {"warrant", Prop("object", "equity_bps, strike_fen, expiry_date, terms")}},
                 {"enterprise_id", "patents", "valuation_fen", "pledge_rate_bps", "principal_fen"}),
          [](Conn& c, const C& x) { return x.app->supply().GrantIpLoan(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/secured-loans",
        "Capacity-sharing and IP pledge loans (their bank and borrower, oversight)", true,
        [](const C& x) { return Ok(x.app->supply().ListSecuredLoans(*x.caller, x.page)); });
  t.Get("/api/v1/supply/secured-loans/{id}", "A secured loan with its appraisals", false,
        [](const C& x) { return Ok(x.app->supply().GetSecuredLoan(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/supply/secured-loans/{id}/appraisals",
          "Re-appraise the collateral (bank): below the cap the loan is restricted and a top-up "
          "is called",
          Schema({{"appraised_fen", Prop("integer")}, {"date", Prop("string", "YYYY-MM-DD")}},
                 {"appraised_fen", "date"}),
          [](Conn& c, const C& x) {
            return x.app->supply().Reappraise(c, *x.caller, x.id(), *x.body);
          });
  t.Write("POST", "/api/v1/supply/secured-loans/{id}/repayments",
          "Repay a secured loan (its borrower); a restricted loan is released once within the cap",
          Schema({{"amount_fen", Prop("integer")}}, {"amount_fen"}), [](Conn& c, const C& x) {
            return x.app->supply().RepaySecured(c, *x.caller, x.id(), *x.body);
          });
  t.Write(
      "POST", "/api/v1/supply/rnd-funds",
      "Approve R&D funds disbursed by milestone (bank): the approval and its schedule of "
      "tranches, never summing above it",
      Schema({{"enterprise_id", Prop("integer")},
              {"project", Prop("string")},
              {"approved_fen", Prop("integer")},
              {"tranches", Prop("array", "[{milestone, amount_fen}] in order")}},
             {"enterprise_id", "project", "approved_fen", "tranches"}),
      [](Conn& c, const C& x) { return x.app->supply().ApproveRndFund(c, *x.caller, *x.body); });
  t.Get("/api/v1/supply/rnd-funds",
        "R&D funds with their schedules (their bank and enterprise, "
        "oversight)",
        true, [](const C& x) { return Ok(x.app->supply().ListRndFunds(*x.caller, x.page)); });
  t.Get("/api/v1/supply/rnd-funds/{id}", "An R&D fund with its schedule", false,
        [](const C& x) { return Ok(x.app->supply().GetRndFund(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/supply/rnd-funds/{id}/tranches",
          "Add a tranche (bank): before before_tranche_id or at the end, never before a paid "
          "tranche, the schedule within the approval",
          Schema({{"milestone", Prop("string")},
                  {"amount_fen", Prop("integer")},
                  {"before_tranche_id", Prop("integer", "absent: at the end")}},
                 {"milestone", "amount_fen"}),
          [](Conn& c, const C& x) {
            return x.app->supply().AddRndTranche(c, *x.caller, x.id(), *x.body);
          });
  t.Write("POST", "/api/v1/supply/rnd-tranches/{id}/confirmation",
          "Confirm a tranche's milestone with its evidence (the fund's bank or the bureau)",
          Schema({{"evidence", Prop("string")}}, {"evidence"}), [](Conn& c, const C& x) {
            return x.app->supply().ConfirmRndMilestone(c, *x.caller, x.id(), *x.body);
          });
  t.Write("POST", "/api/v1/supply/rnd-tranches/{id}/disbursement",
          "Pay a tranche (the fund's bank): only after every earlier tranche and its own "
          "milestone",
          nullptr, [](Conn& c, const C& x) {
            return x.app->supply().DisburseRndTranche(c, *x.caller, x.id());
          });
}

}  // namespace corridor::api::routes
