#pragma once
// Credit scoring on the platform (seed 002 §4.3.2 and §5.2; PRODUCT.md §G; docs/credit-scoring.md):
// a bank's scorecard models, governed version by version, that score the platform's enterprises
// from its own records with the reasons of every score.
//
// Training. A bank's officer or analyst trains a version of a named model on the bank's own
// borrowers as of a snapshot day (features as of the day, the 90-days-past-due outcome over the
// horizon: service/scoring/features.hpp). The version keeps its training snapshot (every case's
// features and label), the scorecard, a gradient-boosted challenger trained on the same cases, and
// its validation report: in-sample and out-of-time (the bank's borrowers as of a later day) AUC,
// KS, Gini, calibration by decile and the confusion table at the cut-off, the challenger's
// out-of-time measures beside the scorecard's, and the fairness report by region, industry and
// firm size (approval and error rates, adverse impact ratio, the four-fifths rule) on the
// out-of-time cases.
//
// Governance. A version scores nobody until the bank's risk analyst approves it, and the analyst
// who approves is never the user who trained it (four eyes). Approving a version retires the
// bank's previously approved version of the same name. Training and each decision are entries of
// the policy ledger (the transparency log).
//
// Runs. An approved version scores every verified enterprise registered by a day, as of that day;
// each run keeps its scores (points, PD and at most four reasons, each with the feature's value)
// and the population stability index of its scores against the training scores over the bands of
// the training deciles: stable below 0.1, watch to 0.25, shifted above. A shifted run opens an
// early-warning alert on the model for its bank (service/monitor); a later one that has not
// shifted resolves it.
//
// Who sees what. A bank sees its own models, their runs and its scores of any enterprise; the
// oversight roles see every bank's; an enterprise sees its own scores, with their reasons, from
// every bank's approved models; the needs a bank reads carry the bank's latest score of each
// enterprise. Thread-safe: all state is in the store.
#include "core/clock.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

class Scoring {
 public:
  Scoring(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Transactions::Mutate) ---
  // {"name", "snapshot_date", "horizon_days" (365), "oot_date" (snapshot + horizon), "cutoff"
  // (600), "max_bins" (5)} → the version, pending approval.
  Result<Response> Train(store::Connection& c, const Caller& caller, const Json& body);
  // {"decision": "approve" | "reject", "note"} by the bank's risk analyst.
  Result<Response> Decide(store::Connection& c, const Caller& caller, int64_t model_id,
                          const Json& body);
  // {"as_of"} → the run: how many scored, their mean, the PSI and its bands.
  Result<Response> Run(store::Connection& c, const Caller& caller, int64_t model_id,
                       const Json& body);

  // --- reads ---
  Result<Json> ListModels(const Caller& caller, const Page& page);
  // The version with its scorecard (bins and points), validation and fairness reports and runs.
  Result<Json> GetModel(const Caller& caller, int64_t model_id);
  // An enterprise's scores, newest first, with their reasons in Chinese and English.
  Result<Json> Scores(const Caller& caller, int64_t enterprise_id);
  // Adds "credit_score" (the bank's latest score of the need's enterprise by an approved model,
  // null when none) to each need of a list or to one need, for a bank's users.
  Status AnnotateNeeds(const Caller& caller, Json& needs);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace corridor::service
