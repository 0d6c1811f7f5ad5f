#pragma once
// Router: matches a method and path against patterns such as "/api/v1/loans/{id}" and yields the
// route with its integer path parameters. Routes are described once (method, pattern, summary,
// request schema) and the same table drives dispatch, metrics labels and the OpenAPI document.
// Immutable after construction; thread-safe.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::api {

enum class Access { kPublic, kToken };

struct RouteSpec {
  std::string method;
  std::string
      pattern;  // path parameters as {name}; all are positive integers unless named {model}/{key}
  std::string summary;
  Access access = Access::kToken;
  bool paged = false;             // accepts limit and cursor
  nlohmann::json request_schema;  // null when there is no body
  int success_status = 200;
  nlohmann::json response_schema = nullptr;  // of the success answer; null: a JSON object
  // A bulk upload (telemetry): its body may be as large as the server's max_upload_bytes
  // instead of max_body_bytes.
  bool bulk_upload = false;
  // A working list (the ones people search for what just arrived): accepts ?order=newest|oldest.
  bool orderable = false;
};

struct RouteMatch {
  size_t index = 0;
  std::vector<int64_t> ids;        // integer parameters in order
  std::vector<std::string> words;  // non-integer parameters ({model}, {key}) in order
};

class Router {
 public:
  explicit Router(std::vector<RouteSpec> routes);

  // kNone: no route has this path; kWrongMethod: the path exists with other methods.
  enum class Miss { kNone, kWrongMethod };
  struct Outcome {
    std::optional<RouteMatch> match;
    Miss miss = Miss::kNone;
  };
  Outcome Match(std::string_view method, std::string_view path) const;

  const std::vector<RouteSpec>& routes() const { return routes_; }
  nlohmann::json OpenApi() const;

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{id}" kept literally for parameters
  };
  std::vector<RouteSpec> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace corridor::api
