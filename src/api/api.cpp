#include "api/api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include "api/cursor.hpp"
#include "api/routes/table.hpp"

namespace corridor::api {

using service::Caller;
using service::Json;
using service::Response;

namespace {

const std::vector<routes::Route>& RouteTable() { return routes::All(); }

std::vector<RouteSpec> Specs() {
  std::vector<RouteSpec> specs;
  for (const auto& r : RouteTable()) specs.push_back(r.spec);
  return specs;
}

std::vector<std::string> Labels() {
  std::vector<std::string> labels;
  for (const auto& r : RouteTable()) labels.push_back(r.spec.method + " " + r.spec.pattern);
  labels.emplace_back("unmatched");
  return labels;
}

// Headers every answer carries (OWASP Secure Headers): no MIME sniffing, no framing, no referrer;
// a Content-Security-Policy that lets a page load only this origin's own resources (inline
// styles allowed, no inline script, no eval) and lets nothing else load at all; and no caching
// of anything answered to a bearer token.
void AddSecurityHeaders(const HttpRequest& request, HttpResponse& response) {
  const bool html = response.content_type.starts_with("text/html");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back(
      "Content-Security-Policy",
      html ? "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
             "frame-ancestors 'none'"
           : "default-src 'none'; frame-ancestors 'none'; sandbox");
  if (!request.Header("authorization").empty()) {
    response.headers.emplace_back("Cache-Control", "no-store");
  }
}

HttpResponse JsonResponse(int status, const Json& body) {
  return HttpResponse{status, "application/json", body.dump(), {}};
}

}  // namespace

Api::Api(app::App& app) : app_(app), router_(Specs()), metrics_(Labels()) {
  openapi_ = router_.OpenApi().dump(2);
}

Api::~Api() = default;

HttpResponse Api::Handle(const HttpRequest& request) { return Handle(request, nullptr); }

HttpResponse Api::Handle(const HttpRequest& request, std::string_view* route_label) {
  const auto start = std::chrono::steady_clock::now();
  const Target target = ParseTarget(request.target);
  size_t route_index = RouteTable().size();  // "unmatched"
  std::optional<HttpResponse> page;
  if (dashboard_ != nullptr && request.method == "GET") page = dashboard_->Find(target.path);
  HttpResponse response = page ? std::move(*page) : Dispatch(request, target, &route_index);
  AddSecurityHeaders(request, response);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  metrics_.Record(route_index, response.status, micros);
  if (route_label != nullptr) {
    *route_label = route_index < RouteTable().size()
                       ? std::string_view(RouteTable()[route_index].spec.pattern)
                       : std::string_view("-");
  }
  return response;
}

HttpResponse Api::Dispatch(const HttpRequest& request, const Target& target, size_t* route_index) {
  const auto outcome = router_.Match(request.method, target.path);
  if (!outcome.match) {
    if (outcome.miss == Router::Miss::kWrongMethod) {
      return Problem(Error{ErrorCode::kMethodNotAllowed, "method not allowed on this path", {}});
    }
    return Problem(Error::NotFound("route " + target.path));
  }
  const RouteMatch& match = *outcome.match;
  *route_index = match.index;
  const routes::Route& route = RouteTable()[match.index];

  if (route.spec.pattern == "/healthz") {
    if (app_.draining())
      return HttpResponse{503, "application/json", R"({"status":"draining"})", {}};
    return HttpResponse{200, "application/json", R"({"status":"ok"})", {}};
  }
  if (route.spec.pattern == "/metrics") {
    return HttpResponse{200, "text/plain; version=0.0.4", metrics_.Render(), {}};
  }
  if (route.spec.pattern == "/api/v1/openapi.json") {
    return HttpResponse{200, "application/json", openapi_, {}};
  }

  Caller caller;
  routes::Context ctx;
  ctx.app = &app_;
  ctx.match = &match;
  if (app_.registry() == nullptr && route.spec.pattern.starts_with("/api/v1/registry/")) {
    return Problem(Error{ErrorCode::kUnavailable, "this instance runs without a registry", {}});
  }
  ctx.target = &target;
  const std::string_view authorization = request.Header("authorization");
  if (route.spec.access == Access::kToken || !authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) {
      HttpResponse r =
          Problem(Error{ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>", {}});
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    auto who = app_.auth().Authenticate(authorization.substr(kBearer.size()));
    if (!who) {
      HttpResponse r = Problem(who.error());
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    caller = *who;
    ctx.caller = &caller;
  }

  if (route.spec.paged) {
    ctx.page.encode_cursor = &EncodeCursor;
    const std::string_view limit = target.Param("limit");
    std::vector<FieldError> errors;
    if (!limit.empty()) {
      int64_t v = 0;
      const auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), v);
      if (ec != std::errc() || p != limit.data() + limit.size() || v < 1 || v > 500) {
        errors.push_back({"/limit", "must be an integer between 1 and 500"});
      } else {
        ctx.page.limit = v;
      }
    }
    if (target.HasParam("cursor")) {
      auto after = DecodeCursor(target.Param("cursor"));
      if (!after) {
        errors.push_back({"/cursor", "not a cursor returned by this API"});
      } else {
        ctx.page.after_id = *after;
      }
    }
    if (target.HasParam("order")) {
      // The working lists (the ones people search for what just arrived) read newest first.
      const std::string_view order = target.Param("order");
      if (!route.spec.orderable) {
        errors.push_back({"/order", "this list is read in id order only"});
      } else if (order == "newest") {
        ctx.page.newest_first = true;
      } else if (order != "oldest") {
        errors.push_back({"/order", "must be newest or oldest"});
      }
    }
    if (!errors.empty()) return Problem(Error::Invalid(std::move(errors)));
  }

  Json body;
  if (!route.spec.request_schema.is_null() || route.write) {
    if (!request.body.empty()) {
      body = Json::parse(request.body, nullptr, false);
      if (body.is_discarded()) {
        return Problem(Error{ErrorCode::kMalformed,
                             "the body is not valid JSON",
                             {{"", "the body is not valid JSON"}}});
      }
    } else {
      body = Json::object();
    }
  }
  ctx.body = &body;

  Result<Response> result;
  if (route.write) {
    std::optional<std::string> key;
    if (auto k = request.Header("idempotency-key"); !k.empty()) {
      if (k.size() > 255) {
        return Problem(Error::Invalid("/Idempotency-Key", "must be at most 255 characters"));
      }
      key = std::string(k);
    }
    const std::string fingerprint =
        service::HashToken(request.method + " " + target.path + "\n" + request.body);
    // The route table, not the use case, says what success is; the idempotency record keeps it,
    // so a replay answers with the status of the first answer.
    result = app_.transactions().Mutate(ctx.caller, key, fingerprint,
                                        [&](store::Connection& c) -> Result<Response> {
                                          auto r = route.write(c, ctx);
                                          if (r) r->status = route.spec.success_status;
                                          return r;
                                        });
  } else {
    result = route.read(ctx);
    if (result) result->status = route.spec.success_status;
  }
  if (!result) return Problem(result.error());
  HttpResponse response = result->text.empty() ? JsonResponse(result->status, result->body)
                                               : HttpResponse{result->status,
                                                              result->content_type.empty()
                                                                  ? std::string("application/json")
                                                                  : std::move(result->content_type),
                                                              std::move(result->text),
                                                              {}};
  if (result->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

}  // namespace corridor::api
