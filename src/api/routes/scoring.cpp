// Credit-scoring routes: a bank's model versions (training, the risk analyst's decision, runs),
// the scores of an enterprise with their reasons, and federated trainings.
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

  // Federated trainings: a bank's joint model with data holders outside the platform.
  t.Get("/api/v1/federated/party",
        "The platform's party in a joint model: its public key and the host it listens on, for "
        "the other parties' session file",
        false, [](const C& x) { return Ok(x.app->federated().Party(*x.caller)); });
  t.Write(
      "POST", "/api/v1/federated/trainings",
      "Train a joint credit model with data holders outside the platform, the bank's "
      "borrowers aligned with theirs by private set intersection (the bank's officer or "
      "analyst): 202, then poll; pending until the bank's risk analyst approves it",
      Schema({{"name", Prop("string", "the model's name")},
              {"snapshot_date", Prop("string", "the borrowers as of this day, YYYY-MM-DD")},
              {"horizon_days", Prop("integer", "outcome window, 30 to 1095 (default 365)")},
              {"features", Prop("array", "the platform's features the bank contributes")},
              {"party", Prop("string",
                             "the platform's name in the session (the label party, or "
                             "one of the banks of a horizontal training)")},
              {"session", Prop("object", "the parties: docs/federated.md")},
              {"kind", Prop("string",
                            "vertical (default): other data holders' columns; "
                            "horizontal: other banks' borrowers, by secure aggregation")}},
             {"name", "snapshot_date", "features", "party", "session"}),
      [](Conn& c, const C& x) { return x.app->federated().Request(c, *x.caller, *x.body); }, 202);
  t.Get("/api/v1/federated/trainings",
        "Federated trainings, newest first: a bank's own, every bank's for oversight", true,
        [](const C& x) { return Ok(x.app->federated().List(*x.caller, x.page)); });
  t.Get("/api/v1/federated/trainings/{id}",
        "One federated training: status, progress, the bank's part of the model, the decision",
        false, [](const C& x) { return Ok(x.app->federated().Get(*x.caller, x.id())); });
  t.Write(
      "POST", "/api/v1/federated/trainings/{id}/decision",
      "Approve or reject a trained joint model (the bank's risk analyst, not who requested it)",
      Schema({{"decision", Prop("string", "approve | reject")}, {"note", Prop("string", "why")}},
             {"decision", "note"}),
      [](Conn& c, const C& x) { return x.app->federated().Decide(c, *x.caller, x.id(), *x.body); },
      200);
  t.Write(
      "POST", "/api/v1/federated/trainings/{id}/scorings",
      "Score applicants with an approved joint model, the other parties of a vertical model "
      "online in a fresh session (the bank's officer or analyst): 202, then poll; only the "
      "platform learns the scores",
      Schema({{"party", Prop("string", "vertical: the platform's name in the session")},
              {"session", Prop("object", "vertical: the model's parties in a fresh session")},
              {"as_of", Prop("string", "features as of this day, YYYY-MM-DD (default today)")},
              {"uscc", Prop("array", "the applicants (default every verified enterprise)")}},
             {}),
      [](Conn& c, const C& x) {
        return x.app->federated().RequestScoring(c, *x.caller, x.id(), *x.body);
      },
      202);
  t.Get("/api/v1/federated/trainings/{id}/scorings",
        "A joint model's scorings, newest first, without their scores", true,
        [](const C& x) { return Ok(x.app->federated().ListScorings(*x.caller, x.id(), x.page)); });
  t.Get("/api/v1/federated/scorings/{id}",
        "One scoring: status, progress, and each applicant's probability, parties' shares and "
        "reasons",
        false, [](const C& x) { return Ok(x.app->federated().GetScoring(*x.caller, x.id())); });
}

}  // namespace corridor::api::routes
