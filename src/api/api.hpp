#pragma once
// Api: the JSON HTTP API under /api/v1/ plus /healthz and /metrics, independent of any HTTP
// library. Handle() authenticates the bearer token, parses the body, runs the use case of the
// route (api/routes/<context>.cpp) on the App's services (writes through Transactions::Mutate,
// so Idempotency-Key is honoured on every POST) and maps errors to RFC 9457 problem documents.
// Thread-safe; one instance serves all connections.
#include <atomic>
#include <memory>

#include "api/http.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/static_files.hpp"
#include "app/app.hpp"

namespace corridor::api {

class Api {
 public:
  // Without a registry (an App without a signing key) the /api/v1/registry routes answer 503.
  explicit Api(app::App& app);
  ~Api();

  HttpResponse Handle(const HttpRequest& request);
  // Handle() plus the route label for logs ("-" when no route matched).
  HttpResponse Handle(const HttpRequest& request, std::string_view* route_label);

  // Serves the dashboard's files at every path outside /api/, /healthz and /metrics ("/"
  // included); without it "/" is the server-rendered statistics page.
  void ServeDashboard(StaticFiles files) {
    dashboard_ = std::make_unique<const StaticFiles>(std::move(files));
  }

  // After this, /healthz answers 503 so that load balancers drain the instance.
  void SetDraining() { app_.Drain(); }
  const Router& router() const { return router_; }
  // Whether `target` (path and query) names a bulk-upload route for `method`.
  bool IsBulkUpload(std::string_view method, std::string_view target) const {
    const auto outcome = router_.Match(method, target.substr(0, target.find('?')));
    return outcome.match && router_.routes()[outcome.match->index].bulk_upload;
  }
  Metrics& metrics() { return metrics_; }

 private:
  HttpResponse Dispatch(const HttpRequest& request, const Target& target, size_t* route_index);

  app::App& app_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<const StaticFiles> dashboard_;
  std::string openapi_;  // rendered once
};

}  // namespace corridor::api
