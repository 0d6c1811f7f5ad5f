#pragma once
// Transport-neutral HTTP request and response, and RFC 9457 problem documents. The server
// adapts its HTTP library to these; tests call the API with them directly.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace corridor::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, e.g. "/api/v1/loans?limit=10"
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;

  std::string_view Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// application/problem+json with "type", "title", "status", "detail" and, for invalid fields,
// "errors": [{"field": "/uscc", "message": "..."}].
HttpResponse Problem(const Error& error);
std::string ProblemJson(const Error& error);
// The HTTP status of an error code (RFC 9110), and a short title for problem documents.
int HttpStatus(ErrorCode code);
std::string_view Title(ErrorCode code);

// Splits "a/b?x=1&y=2" into path and decoded query parameters.
struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::string_view Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
};
Target ParseTarget(std::string_view target);

}  // namespace corridor::api
