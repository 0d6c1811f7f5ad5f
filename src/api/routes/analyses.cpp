// Credit-risk analyses of a loan book: requested, polled, listed.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddAnalyses(Table& t) {
  // Credit-risk analyses of a loan book.
  t.Write(
       "POST", "/api/v1/portfolios/{id}/analyses",
       "Run a credit-risk analysis of a bank's book (or, bureau, the platform's) in the "
       "background: 202, then poll; 409 while the caller's organisation has four queued or running",
       Schema({{"scenarios", Prop("integer", "1,000 to 5,000,000; default 100,000")},
               {"seed", Prop("integer")},
               {"confidence_levels", Prop("array", "default [0.99, 0.999]")},
               {"importance_sampling", Prop("boolean")},
               {"backend", Prop("string", "cpu, cuda or auto; default auto")}},
              {}),
       [](Conn& c, const C& x) { return x.app->analyses().Request(c, *x.caller, x.id(), *x.body); },
       202)
      .Returns(schemas::Analysis());
  t.Get("/api/v1/portfolios/{id}/analyses", "The analyses of a portfolio, newest first", true,
        [](const C& x) { return Ok(x.app->analyses().List(*x.caller, x.id(), x.page)); })
      .Returns(schemas::Page(schemas::Analysis()));
  t.Get("/api/v1/portfolios/{id}/analyses/{analysis}",
        "One analysis: status, progress and, when done, the result", false,
        [](const C& x) { return Ok(x.app->analyses().Get(*x.caller, x.id(0), x.id(1))); })
      .Returns(schemas::Analysis());
}

}  // namespace corridor::api::routes
