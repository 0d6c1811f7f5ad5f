// Credit-scoring routes: a bank's model versions (training, the risk analyst's decision, runs) and
// the scores of an enterprise with their reasons.
#include "api/routes/table.hpp"

namespace corridor::api::routes {

void AddScoring(Table& t) {
  t.Write("POST", "/api/v1/scoring/models",
          "Train a version of a bank's scorecard model on its borrowers as of a snapshot day, "
          "with its challenger, validation and fairness reports (the bank's officer or analyst); "
          "pending until the bank's risk analyst approves it",
          Schema({{"name", Prop("string", "the model's name; versions count up per name")},
                  {"snapshot_date", Prop("string", "training snapshot day YYYY-MM-DD")},
                  {"horizon_days", Prop("integer", "outcome window, 30 to 1095 (default 365)")},
                  {"oot_date", Prop("string", "out-of-time day (default snapshot + horizon)")},
                  {"cutoff", Prop("integer", "approve at or above these points (default 600)")},
                  {"max_bins", Prop("integer", "WoE bins per feature, 2 to 20 (default 5)")}},
                 {"name", "snapshot_date"}),
          [](Conn& c, const C& x) { return x.app->scoring().Train(c, *x.caller, *x.body); });
  t.Get("/api/v1/scoring/models", "Model versions: a bank's own, every bank's for oversight", true,
        [](const C& x) { return Ok(x.app->scoring().ListModels(*x.caller, x.page)); });
  t.Get("/api/v1/scoring/models/{id}",
        "A model version with its scorecard, validation, challenger, fairness and runs", false,
        [](const C& x) { return Ok(x.app->scoring().GetModel(*x.caller, x.id())); });
  t.Write(
      "POST", "/api/v1/scoring/models/{id}/decision",
      "Approve or reject a pending version (the bank's risk analyst, not who trained it)",
      Schema({{"decision", Prop("string", "approve | reject")}, {"note", Prop("string", "why")}},
             {"decision", "note"}),
      [](Conn& c, const C& x) { return x.app->scoring().Decide(c, *x.caller, x.id(), *x.body); },
      200);
  t.Write("POST", "/api/v1/scoring/models/{id}/runs",
          "Score every verified enterprise as of a day with an approved version, with the "
          "population stability against training",
          Schema({{"as_of", Prop("string", "YYYY-MM-DD, not after today")}}, {"as_of"}),
          [](Conn& c, const C& x) { return x.app->scoring().Run(c, *x.caller, x.id(), *x.body); });
  t.Get("/api/v1/scoring/enterprises/{id}/scores",
        "An enterprise's credit scores with their reasons (the enterprise, the scoring banks, "
        "oversight)",
        false, [](const C& x) { return Ok(x.app->scoring().Scores(*x.caller, x.id())); });
}

}  // namespace corridor::api::routes
