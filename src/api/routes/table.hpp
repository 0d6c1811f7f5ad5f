#pragma once
// The route table: one entry per operation, registered by each context's file in
// api/routes/<context>.cpp, read by the Api (dispatch), the Router (matching, the OpenAPI
// document) and the metrics (one label per route). A route answers through the App's services
// only; what it adds is HTTP: parameters, request schemas, the success status.
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "api/http.hpp"
#include "api/router.hpp"
#include "app/app.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::api::routes {

using service::Caller;
using service::Json;
using service::Page;
using service::Response;
using Conn = store::Connection;

// What a route handler sees of the request.
struct Context {
  app::App* app = nullptr;
  const Caller* caller = nullptr;  // null on a public route called without a token
  const RouteMatch* match = nullptr;
  const Target* target = nullptr;
  const Json* body = nullptr;
  Page page;
  int64_t id(size_t i = 0) const { return match->ids.at(i); }
  // The registry; the routes that use it are refused before dispatch when it is absent.
  service::Registry& reg() const { return *app->registry(); }
};
using C = Context;

using ReadFn = std::function<Result<Response>(const Context&)>;
using WriteFn = std::function<Result<Response>(store::Connection&, const Context&)>;

struct Route {
  RouteSpec spec;
  ReadFn read;    // set for reads and stateless POSTs
  WriteFn write;  // set for state-changing requests (run inside Transactions::Mutate)

  // The success answer's schema (api/routes/schemas.hpp), for the OpenAPI document.
  Route& Returns(Json schema) {
    spec.response_schema = std::move(schema);
    return *this;
  }
  // Marks a bulk upload (RouteSpec::bulk_upload).
  Route& BulkUpload() {
    spec.bulk_upload = true;
    return *this;
  }
  // Marks a list that may be read newest first (RouteSpec::orderable).
  Route& Orderable() {
    spec.orderable = true;
    return *this;
  }
};

class Table {
 public:
  // Each returns the route just added, to name its answer's schema with Route::Returns().
  Route& Get(std::string pattern, std::string summary, bool paged, ReadFn fn,
             Access access = Access::kToken);
  Route& Write(std::string method, std::string pattern, std::string summary, Json schema,
               WriteFn fn, int status = 201, Access access = Access::kToken);
  // A POST that changes nothing (the calc models): no transaction, no idempotency record.
  Route& Compute(std::string pattern, std::string summary, Json schema, ReadFn fn);

  std::vector<Route>& routes() { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Every route, in the order they match and are listed.
const std::vector<Route>& All();

// Each context's routes.
void AddPlatform(Table& t);     // home page, statistics, session, OpenAPI, calc
void AddMarketplace(Table& t);  // tenants, enterprises, catalogues, needs, offers
void AddLending(Table& t);      // guarantees, loans, rates, settings, subsidies, whitelists
void AddRegistry(Table& t);     // assets, claims, the transparency log and its proofs
void AddEvaluation(Table& t);   // border cities, cooperation indicators
void AddAnalyses(Table& t);     // credit-risk analyses of a book
void AddEcosystems(Table& t);   // ecosystems, the risk graph and paths, risk pools
void AddGreen(Table& t);        // labels, reserves, statistics, carbon accounts, SLL
void AddSupply(Table& t);       // order pools, lines, readings and freezes, margin
void AddMonitor(Table& t);      // monitored projects, telemetry, rules, alerts
void AddScoring(Table& t);      // credit-scoring models, runs and scores
void AddPension(Table& t);      // settlement, trusts, the compensation fund, eco-index insurance
void AddOperations(Table& t);   // /healthz, /metrics

// --- helpers of the route files ---
Json Prop(std::string_view type, std::string_view description = "");
Json Schema(std::initializer_list<std::pair<std::string, Json>> props,
            std::initializer_list<std::string> required);
// A use case's document as the answer; the status comes from the route table.
Result<Response> Ok(Result<Json> r);
Result<Response> OkText(Result<std::string> r);
// A query or path value as a count in [0, 2^62].
Result<uint64_t> ParseCount(std::string_view text, std::string_view field);
// A number query parameter in [lo, hi], or `fallback` when absent.
Result<double> NumberParam(const Target& t, const char* name, double lo, double hi,
                           double fallback);
// An optional text query parameter.
std::optional<std::string> TextParam(const Target& t, std::string_view name);

}  // namespace corridor::api::routes
