// The platform's face: the public home page and statistics, the caller's session, this API's
// OpenAPI document and the calc models.
#include "api/home_page.hpp"
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"
#include "calc/calc.hpp"

namespace corridor::api::routes {

void AddPlatform(Table& t) {
  t.Get(
      "/", "The public home page with the platform statistics (HTML, 中文/English)", false,
      [](const C& x) -> Result<Response> {
        auto stats = x.app->marketplace().Stats();
        if (!stats) return Fail(std::move(stats.error()));
        Response r;
        r.text = RenderHomePage(*stats);
        r.content_type = "text/html; charset=utf-8";
        return r;
      },
      Access::kPublic);
  t.Get(
       "/api/v1/stats", "Platform statistics as the bureau publishes them", false,
       [](const C& x) { return Ok(x.app->marketplace().Stats()); }, Access::kPublic)
      .Returns(schemas::Stats());
  t.Get("/api/v1/stats/breakdown",
        "Loans by bank, industry, division, kind and start month; enterprises by division "
        "(the bureau: the platform; a bank: its own book)",
        false, [](const C& x) { return Ok(x.app->marketplace().StatsBreakdown(*x.caller)); });
  t.Get("/api/v1/session", "Who the token belongs to: user, role and organisation", false,
        [](const C& x) { return Ok(x.app->marketplace().Session(*x.caller)); })
      .Returns(schemas::Session());
  t.Get("/api/v1/openapi.json", "This document", false, nullptr, Access::kPublic);
  t.Get("/api/v1/calc", "List the calc models", false, [](const C&) -> Result<Response> {
    Json items = Json::array();
    for (const auto& model : calc::CalcModels()) {
      items.push_back({{"name", model.name}, {"summary", model.summary}});
    }
    return Response{Json{{"models", items}}};
  });
  t.Compute("/api/v1/calc/{model}", "Run a calc model on a JSON object", Json{{"type", "object"}},
            [](const C& x) { return Ok(calc::RunCalc(x.match->words.at(0), *x.body)); });
}

}  // namespace corridor::api::routes
