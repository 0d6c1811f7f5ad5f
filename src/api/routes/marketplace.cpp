// Marketplace routes: onboarding, enterprises, the catalogues, needs and matching, offers.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddMarketplace(Table& t) {
  // Tenants and users (bureau onboarding).
  t.Write(
      "POST", "/api/v1/tenants", "Onboard a bank or guarantee agency",
      Schema({{"kind", Prop("string", "bank | guarantor | insurer | trustee")},
              {"name", Prop("string")}},
             {"kind", "name"}),
      [](Conn& c, const C& x) { return x.app->marketplace().CreateTenant(c, *x.caller, *x.body); });
  t.Write("POST", "/api/v1/tenants/{id}/users", "Create a user and its API token (shown once)",
          Schema({{"role", Prop("string")}, {"name", Prop("string")}}, {"role", "name"}),
          [](Conn& c, const C& x) {
            return x.app->marketplace().CreateUser(c, *x.caller, x.id(), *x.body);
          });

  // Enterprises.
  t.Write(
      "POST", "/api/v1/enterprises",
      "Register an enterprise by its unified social credit code; returns its user's token",
      Schema({{"uscc", Prop("string", "18-character code, GB 32100-2015")},
              {"name", Prop("string")},
              {"region", Prop("string")},
              {"industry", Prop("string")},
              {"green_label", Prop("string")},
              {"contact_name", Prop("string")}},
             {"uscc", "name", "region", "industry"}),
      [](Conn& c, const C& x) { return x.app->marketplace().RegisterEnterprise(c, *x.body); }, 201,
      Access::kPublic);
  t.Get("/api/v1/enterprises", "List enterprises (status=registered|verified)", true,
        [](const C& x) {
          std::optional<std::string> status;
          if (x.target->HasParam("status")) status = std::string(x.target->Param("status"));
          return Ok(x.app->marketplace().ListEnterprises(*x.caller, x.page, status));
        })
      .Returns(schemas::Page(schemas::Enterprise()))
      .Orderable();
  t.Get("/api/v1/enterprises/{id}", "An enterprise with its credit profile", false, [](const C& x) {
     return Ok(x.app->marketplace().GetEnterprise(*x.caller, x.id()));
   }).Returns(schemas::Enterprise());
  t.Write(
      "POST", "/api/v1/enterprises/{id}/verify", "Real-name verification (bureau)", nullptr,
      [](Conn& c, const C& x) {
        return x.app->marketplace().VerifyEnterprise(c, *x.caller, x.id());
      },
      200);
  t.Write(
      "PUT", "/api/v1/enterprises/{id}/credit-profile",
      "Set the shared-data credit profile (bureau)",
      Schema({{"tax_paid_12m_fen", Prop("integer")},
              {"social_insurance_headcount", Prop("integer")},
              {"utilities_paid_12m_fen", Prop("integer")},
              {"credit_record", Prop("string", "clean | minor_late | defaulted")},
              {"scale", Prop("string", "micro | small | medium | large")},
              {"annual_revenue_fen", Prop("integer")}},
             {"tax_paid_12m_fen", "social_insurance_headcount", "utilities_paid_12m_fen",
              "credit_record", "scale", "annual_revenue_fen"}),
      [](Conn& c, const C& x) {
        return x.app->marketplace().PutCreditProfile(c, *x.caller, x.id(), *x.body);
      },
      200);
  t.Write(
      "PUT", "/api/v1/enterprises/{id}/agri-profile",
      "Set what the shared data says of a farm or a herd (bureau)",
      Schema({{"herd_sheep_units", Prop("integer", "livestock in standard sheep units (羊单位)")},
              {"grassland_contract_mu", Prop("integer", "contracted grassland, mu")},
              {"cropland_contract_mu", Prop("integer", "contracted cropland, mu")},
              {"insured_amount_fen",
               Prop("integer", "sum insured under policy agricultural insurance in force")},
              {"cooperative_member", Prop("boolean")}},
             {"herd_sheep_units", "grassland_contract_mu", "cropland_contract_mu",
              "insured_amount_fen", "cooperative_member"}),
      [](Conn& c, const C& x) {
        return x.app->marketplace().PutAgriProfile(c, *x.caller, x.id(), *x.body);
      },
      200);

  // Catalogues.
  t.Write("POST", "/api/v1/products", "Publish a product in the bank product catalogue",
          schemas::ProductRequest(), [](Conn& c, const C& x) {
            return x.app->marketplace().CreateProduct(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/products", "The bank product catalogue (金融服务产品手册)", true, [](const C& x) {
     return OkText(x.app->marketplace().ListProducts(x.page));
   }).Returns(schemas::Page(schemas::Product()));
  t.Get("/api/v1/products/{id}", "A product", false, [](const C& x) {
     return Ok(x.app->marketplace().GetProduct(x.id()));
   }).Returns(schemas::Product());
  t.Write("POST", "/api/v1/projects", "Add a project to the project catalogue (bureau)",
          Schema({{"name", Prop("string")},
                  {"region", Prop("string")},
                  {"industry", Prop("string")},
                  {"amount_fen", Prop("integer")},
                  {"green_label", Prop("string")},
                  {"description", Prop("string")}},
                 {"name", "region", "industry", "amount_fen"}),
          [](Conn& c, const C& x) {
            return x.app->marketplace().CreateProject(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/projects", "The project catalogue (融资项目手册)", true, [](const C& x) {
     return Ok(x.app->marketplace().ListProjects(x.page));
   }).Returns(schemas::Page(schemas::Project()));

  // Needs, matching, offers.
  t.Write(
      "POST", "/api/v1/needs", "Post a financing need (verified enterprise)",
      Schema({{"amount_fen", Prop("integer")},
              {"term_months", Prop("integer")},
              {"purpose", Prop("string")},
              {"collateral_free_required", Prop("boolean")},
              {"max_rate_bps", Prop("integer")}},
             {"amount_fen", "term_months", "purpose"}),
      [](Conn& c, const C& x) { return x.app->marketplace().CreateNeed(c, *x.caller, *x.body); });
  // A bank reads each need with its latest credit score of the enterprise.
  t.Get("/api/v1/needs", "Financing needs visible to the caller", true,
        [](const C& x) -> Result<Response> {
          Json page = CORRIDOR_TRY(x.app->marketplace().ListNeeds(*x.caller, x.page));
          CORRIDOR_TRY_STATUS(x.app->scoring().AnnotateNeeds(*x.caller, page));
          return Response(std::move(page));
        })
      .Returns(schemas::Page(schemas::Need()))
      .Orderable();
  t.Get("/api/v1/needs/{id}", "A financing need", false, [](const C& x) -> Result<Response> {
     Json need = CORRIDOR_TRY(x.app->marketplace().GetNeed(*x.caller, x.id()));
     CORRIDOR_TRY_STATUS(x.app->scoring().AnnotateNeeds(*x.caller, need));
     return Response(std::move(need));
   }).Returns(schemas::Need());
  t.Get("/api/v1/needs/{id}/matches", "Products matching a need, ranked, with reasons", false,
        [](const C& x) { return Ok(x.app->marketplace().MatchNeed(*x.caller, x.id())); });
  t.Write(
      "POST", "/api/v1/offers", "Make an offer on a need (bank)",
      Schema({{"need_id", Prop("integer")},
              {"product_id", Prop("integer")},
              {"amount_fen", Prop("integer")},
              {"annual_rate_bps", Prop("integer")},
              {"term_months", Prop("integer")},
              {"method", Prop("string", "equal_installment | equal_principal | bullet")},
              {"kind", Prop("string", "standard | entrepreneurship")}},
             {"need_id", "amount_fen", "annual_rate_bps", "term_months"}),
      [](Conn& c, const C& x) { return x.app->marketplace().CreateOffer(c, *x.caller, *x.body); });
  t.Get("/api/v1/offers", "Offers visible to the caller", true,
        [](const C& x) { return Ok(x.app->marketplace().ListOffers(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::Offer()))
      .Orderable();
  t.Get("/api/v1/offers/{id}", "An offer", false, [](const C& x) {
     return Ok(x.app->marketplace().GetOffer(*x.caller, x.id()));
   }).Returns(schemas::Offer());
  t.Write(
      "POST", "/api/v1/offers/{id}/accept", "Accept an offer (enterprise)", nullptr,
      [](Conn& c, const C& x) {
        return x.app->marketplace().DecideOffer(c, *x.caller, x.id(), true);
      },
      200);
  t.Write(
      "POST", "/api/v1/offers/{id}/decline", "Decline an offer (enterprise)", nullptr,
      [](Conn& c, const C& x) {
        return x.app->marketplace().DecideOffer(c, *x.caller, x.id(), false);
      },
      200);
}

}  // namespace corridor::api::routes
