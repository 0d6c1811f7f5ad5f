#pragma once
// Regional evaluation as the platform serves it: the seven border cities from their published
// statistics, and the indicators the bureau records per region and year (industrial-chain
// co-construction, ecological-compensation payment, ...), evaluated the same way
// (evaluate/regions.hpp). Recording is the bureau's and goes to the policy ledger.
#include "core/clock.hpp"
#include "evaluate/regions.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

// The evaluation of a region table as JSON: weights, composite, ranking, TOPSIS, GRA,
// subsystem levels, coupling coordination and Moran's I.
Json EvaluationJson(const evaluate::RegionTable& t, const evaluate::RegionalEvaluation& e);

class Evaluation {
 public:
  Evaluation(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // --- writes (inside Transactions::Mutate) ---
  Result<Response> RecordIndicator(store::Connection& c, const Caller& caller, const Json& body);

  // --- reads ---
  Result<Json> ListIndicators(const Caller& caller, int year, const Page& page);
  // The recorded indicators of one year as a region table; an indicator not recorded for every
  // region is left out, with a note naming the regions that lack it.
  Result<evaluate::RegionTable> Table(int year);

 private:
  store::Store& store_;
  const Clock& clock_;
};

// The border cities' evaluation from the bundled statistics.
Result<std::pair<evaluate::RegionTable, evaluate::RegionalEvaluation>> BorderCityEvaluation();

}  // namespace corridor::service
