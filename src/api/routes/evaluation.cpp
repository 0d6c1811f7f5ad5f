// Regional evaluation routes: the border cities and the cooperation indicators.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"
#include "evaluate/regions.hpp"

namespace corridor::api::routes {

namespace {
// ?year= as a calendar year.
Result<int> YearParam(const Target& t) {
  if (!t.HasParam("year")) return Fail(Error::Invalid("/year", "is required"));
  const uint64_t y = CORRIDOR_TRY(ParseCount(t.Param("year"), "/year"));
  if (y < 1949 || y > 2200) return Fail(Error::Invalid("/year", "must be 1949 to 2200"));
  return static_cast<int>(y);
}
// A region table evaluated, as JSON or as the SVG report.
Result<Response> EvaluationResponse(const Result<evaluate::RegionTable>& table, bool svg) {
  if (!table) return Fail(table.error());
  auto e = evaluate::EvaluateRegions(*table);
  if (!e) return Fail(e.error());
  Response r;
  if (svg) {
    r.text = evaluate::RenderSvg(*table, *e);
    r.content_type = "image/svg+xml; charset=utf-8";
  } else {
    r.body = service::EvaluationJson(*table, *e);
  }
  return r;
}

}  // namespace

void AddEvaluation(Table& t) {
  // Regional evaluation.
  t.Get("/api/v1/evaluation/border-cities",
        "The seven border cities evaluated from their published statistics", false, [](const C&) {
          return EvaluationResponse(evaluate::BorderCities(evaluate::BorderCitiesCsv()), false);
        });
  t.Get("/api/v1/evaluation/border-cities/report.svg",
        "The border-city evaluation as an SVG report", false, [](const C&) {
          return EvaluationResponse(evaluate::BorderCities(evaluate::BorderCitiesCsv()), true);
        });
  t.Write("POST", "/api/v1/evaluation/indicators",
          "Record a region's indicator for a year (bureau); a correction replaces it, both logged",
          Schema({{"region", Prop("string")},
                  {"year", Prop("integer")},
                  {"indicator", Prop("string", "e.g. industrial_chain_co_construction_rate")},
                  {"value", Prop("number")},
                  {"unit", Prop("string")},
                  {"direction", Prop("string", "positive | negative")},
                  {"subsystem", Prop("string", "default cooperation")}},
                 {"region", "year", "indicator", "value"}),
          [](Conn& c, const C& x) {
            return x.app->evaluation().RecordIndicator(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/evaluation/indicators", "The indicators recorded for ?year=", true,
        [](const C& x) -> Result<Response> {
          const auto year = YearParam(*x.target);
          if (!year) return Fail(year.error());
          return Ok(x.app->evaluation().ListIndicators(*x.caller, *year, x.page));
        })
      .Returns(schemas::Page(schemas::Indicator()));
  t.Get("/api/v1/evaluation/cooperation",
        "The regions evaluated on the indicators recorded for ?year=", false,
        [](const C& x) -> Result<Response> {
          const auto year = YearParam(*x.target);
          if (!year) return Fail(year.error());
          return EvaluationResponse(x.app->evaluation().Table(*year), false);
        });
  t.Get("/api/v1/evaluation/cooperation/report.svg",
        "The cooperation evaluation for ?year= as an SVG report", false,
        [](const C& x) -> Result<Response> {
          const auto year = YearParam(*x.target);
          if (!year) return Fail(year.error());
          return EvaluationResponse(x.app->evaluation().Table(*year), true);
        });
}

}  // namespace corridor::api::routes
