#pragma once
// The features a credit model reads about an enterprise, as of the end of a day (China Standard
// Time), from the platform's own records (seed 000 §三(一), seed 001 §三(二): "data replaces
// collateral"); and the outcome that labels them for training. docs/credit-scoring.md lists each
// feature with its table.
//
// No look-ahead: a feature as of day D reads only what was on record by the end of D — a credit
// profile updated after D is missing, not used; an installment paid after D was unpaid on D; a
// loan started after D does not exist; an order recorded after D was not yet received. The tests
// show a record made after D never changes the features of D.
//
// The outcome (the Basel definition of default, CRE36.73: 90 days past due): 1 when one of the
// enterprise's installments reaches 90 days past due on a day in (D, D + horizon]; 0 when none
// does; none (not observable) when the window has not ended by `today`, when no loan of the
// enterprise was outstanding at D (nothing to default on) or when one was already 90 days past due
// at D (already in default: not a case to predict).
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "store/db.hpp"

namespace corridor::service::scoring {

struct FeatureSpec {
  std::string_view name;    // a column of the model's data
  std::string_view source;  // the table(s) it is read from
  std::string_view zh, en;  // what it is, for reasons shown to borrowers
};
// The features in their column order.
const std::vector<FeatureSpec>& FeatureSpecs();

// One value per FeatureSpecs() entry, nullopt where the records give none as of `as_of`. An
// enterprise registered after `as_of` has no features (NotFound).
Result<std::vector<std::optional<double>>> FeaturesAsOf(store::Connection& c, int64_t enterprise_id,
                                                        Date as_of);
// The same for many enterprises at once (a few set queries, whatever their number), in the order
// of `enterprise_ids`; nullopt for one registered after `as_of` or unknown.
Result<std::vector<std::optional<std::vector<std::optional<double>>>>> FeaturesAsOf(
    store::Connection& c, std::span<const int64_t> enterprise_ids, Date as_of);

Result<std::optional<int>> DefaultOutcome(store::Connection& c, int64_t enterprise_id, Date as_of,
                                          int horizon_days, Date today);

// A model's training data as of a snapshot day: every enterprise with a loan started by then (of
// the bank's, when one is named) whose outcome over the horizon is observable by `today`, with its
// features as of the day and its label, in enterprise id order. The outcome counts every loan of
// the enterprise on the platform, as a credit record would.
struct TrainingSet {
  Date as_of;
  std::vector<int64_t> enterprise_ids;
  std::vector<std::vector<std::optional<double>>> rows;
  std::vector<int> labels;
  size_t unobservable = 0;  // borrowers left out: window open, nothing outstanding, in default
};
Result<TrainingSet> BuildTrainingSet(store::Connection& c, Date as_of, int horizon_days, Date today,
                                     std::optional<int64_t> bank_tenant_id = std::nullopt);

}  // namespace corridor::service::scoring
