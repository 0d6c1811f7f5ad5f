// Lending routes: guarantee requests, loans and repayments, rates, settings, subsidies, whitelists.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddLending(Table& t) {
  // Guarantees ("three-in-one": the agency consents to each guarantee).
  t.Write("POST", "/api/v1/offers/{id}/guarantee-requests",
          "Ask a guarantee agency to cover a share of an accepted offer (bank)",
          Schema({{"guarantor_tenant_id", Prop("integer")},
                  {"cover_bps", Prop("integer", "share of the principal covered, 1-10000")},
                  {"fee_bps", Prop("integer", "guarantee fee on the covered amount")}},
                 {"guarantor_tenant_id", "cover_bps"}),
          [](Conn& c, const C& x) {
            return x.app->lending().RequestGuarantee(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/guarantee-requests", "Guarantee requests to (agency) or from (bank) the caller",
        true,
        [](const C& x) { return Ok(x.app->lending().ListGuaranteeRequests(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::GuaranteeRequest()))
      .Orderable();
  t.Write(
      "POST", "/api/v1/guarantee-requests/{id}/approve", "Approve a guarantee (agency)", nullptr,
      [](Conn& c, const C& x) {
        return x.app->lending().DecideGuaranteeRequest(c, *x.caller, x.id(), true);
      },
      200);
  t.Write(
      "POST", "/api/v1/guarantee-requests/{id}/decline", "Decline a guarantee (agency)", nullptr,
      [](Conn& c, const C& x) {
        return x.app->lending().DecideGuaranteeRequest(c, *x.caller, x.id(), false);
      },
      200);

  // Loans.
  t.Write("POST", "/api/v1/loans",
          "Book an accepted offer: loan, schedule, guarantee and ledger in one transaction",
          Schema({{"offer_id", Prop("integer")},
                  {"start_date", Prop("string", "YYYY-MM-DD")},
                  {"guarantee_request_id",
                   Prop("integer",
                        "an approved guarantee request for this offer; required for "
                        "entrepreneurship loans")}},
                 {"offer_id", "start_date"}),
          [](Conn& c, const C& x) { return x.app->lending().BookLoan(c, *x.caller, *x.body); })
      .Returns(schemas::Loan());
  t.Get("/api/v1/loans", "Loans visible to the caller", true,
        [](const C& x) { return Ok(x.app->lending().ListLoans(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::LoanItem()))
      .Orderable();
  t.Get("/api/v1/loans/{id}", "A loan with its schedule, status and guarantee", false,
        [](const C& x) { return OkText(x.app->lending().GetLoan(*x.caller, x.id())); })
      .Returns(schemas::Loan());
  t.Write(
      "POST", "/api/v1/loans/{id}/repayments", "Record a repayment",
      Schema({{"amount_fen", Prop("integer")}, {"paid_on", Prop("string", "YYYY-MM-DD")}},
             {"amount_fen"}),
      [](Conn& c, const C& x) { return x.app->lending().Repay(c, *x.caller, x.id(), *x.body); });
  t.Get("/api/v1/guarantees", "Guarantees visible to the caller", true, [](const C& x) {
     return Ok(x.app->lending().ListGuarantees(*x.caller, x.page));
   }).Returns(schemas::Page(schemas::Guarantee()));

  // Rates, settings, subsidies, whitelists.
  t.Write(
      "POST", "/api/v1/lpr", "Publish an LPR fixing (bureau)",
      Schema({{"effective_date", Prop("string")},
              {"tenor", Prop("string", "1y | 5y")},
              {"rate_bps", Prop("integer")}},
             {"effective_date", "tenor", "rate_bps"}),
      [](Conn& c, const C& x) { return x.app->lending().PutLpr(c, *x.caller, *x.body); }, 200);
  t.Get("/api/v1/lpr", "The LPR table", true, [](const C& x) {
     return Ok(x.app->lending().ListLpr(x.page));
   }).Returns(schemas::Page(schemas::LprFixing()));
  t.Write(
      "PUT", "/api/v1/settings/{key}", "Set a city setting (bureau)",
      Schema({{"value", Prop("integer")}}, {"value"}),
      [](Conn& c, const C& x) {
        return x.app->lending().PutSetting(c, *x.caller, x.match->words.at(0), *x.body);
      },
      200);
  t.Write("POST", "/api/v1/subsidy-programs", "Create an interest-subsidy programme (bureau)",
          Schema({{"name", Prop("string")},
                  {"subsidy_bps", Prop("integer", "the rate; with by_green_label, the cap")},
                  {"budget_fen", Prop("integer")},
                  {"by_green_label", Prop("boolean", "pay each loan its granted label's rate")}},
                 {"name", "subsidy_bps", "budget_fen"}),
          [](Conn& c, const C& x) {
            return x.app->lending().CreateSubsidyProgram(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/subsidy-programs", "Interest-subsidy programmes with budget left", true,
        [](const C& x) { return Ok(x.app->lending().ListSubsidyPrograms(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::SubsidyProgram()));
  t.Write("POST", "/api/v1/subsidy-programs/{id}/payments",
          "Pay the subsidy for one installment; never overdraws the budget",
          Schema({{"loan_id", Prop("integer")}, {"installment_seq", Prop("integer")}},
                 {"loan_id", "installment_seq"}),
          [](Conn& c, const C& x) {
            return x.app->lending().PaySubsidy(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/subsidy-programs/{id}/payments", "Payments of a programme", true, [](const C& x) {
    return Ok(x.app->lending().ListSubsidyPayments(*x.caller, x.id(), x.page));
  });
  t.Write("POST", "/api/v1/whitelists", "Create an ecosystem whitelist",
          Schema({{"name", Prop("string")}}, {"name"}), [](Conn& c, const C& x) {
            return x.app->lending().CreateWhitelist(c, *x.caller, *x.body);
          });
  t.Write("POST", "/api/v1/whitelists/{id}/members", "Add an enterprise to a whitelist",
          Schema({{"enterprise_id", Prop("integer")}}, {"enterprise_id"}), [](Conn& c, const C& x) {
            return x.app->lending().AddWhitelistMember(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/whitelists/{id}/members", "Members of a whitelist", true, [](const C& x) {
    return Ok(x.app->lending().ListWhitelistMembers(*x.caller, x.id(), x.page));
  });
}

}  // namespace corridor::api::routes
