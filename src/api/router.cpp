#include "api/router.hpp"

#include <charconv>

namespace corridor::api {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

bool IsParam(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }
bool IsWordParam(std::string_view s) { return s == "{model}" || s == "{key}" || s == "{index}"; }

}  // namespace

Router::Router(std::vector<RouteSpec> routes) : routes_(std::move(routes)) {
  for (const auto& r : routes_) {
    Compiled c;
    for (auto s : Split(r.pattern)) c.segments.emplace_back(s);
    compiled_.push_back(std::move(c));
  }
}

Router::Outcome Router::Match(std::string_view method, std::string_view path) const {
  const auto parts = Split(path);
  Outcome outcome;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = compiled_[i].segments;
    if (segs.size() != parts.size()) continue;
    RouteMatch m{.index = i, .ids = {}, .words = {}};
    bool ok = true;
    for (size_t k = 0; k < segs.size() && ok; ++k) {
      if (!IsParam(segs[k])) {
        ok = segs[k] == parts[k];
      } else if (IsWordParam(segs[k])) {
        m.words.emplace_back(parts[k]);
      } else {
        int64_t v = 0;
        const auto [p, ec] = std::from_chars(parts[k].data(), parts[k].data() + parts[k].size(), v);
        ok = ec == std::errc() && p == parts[k].data() + parts[k].size() && v > 0;
        m.ids.push_back(v);
      }
    }
    if (!ok) continue;
    if (routes_[i].method != method) {
      outcome.miss = Miss::kWrongMethod;
      continue;
    }
    outcome.match = std::move(m);
    return outcome;
  }
  return outcome;
}

namespace {

using nlohmann::json;

// Built a member at a time rather than as one nested initializer list: the document is the same,
// and each piece reads (and analyses) on its own.
json TypeSchema(std::string_view type) { return json{{"type", type}}; }

json PagedAnswer() {
  json properties = json::object();
  properties["items"] = {{"type", "array"}, {"items", TypeSchema("object")}};
  properties["next_cursor"] = {{"type", json::array({"string", "null"})}};
  json answer = TypeSchema("object");
  answer["properties"] = std::move(properties);
  answer["required"] = json::array({"items", "next_cursor"});
  return answer;
}

json Content(std::string_view media_type, json schema) {
  json media = json::object();
  media["schema"] = std::move(schema);
  json content = json::object();
  content[std::string(media_type)] = std::move(media);
  return content;
}

json Responses(const RouteSpec& r) {
  json answer = r.response_schema;
  if (answer.is_null()) answer = r.paged ? PagedAnswer() : TypeSchema("object");
  json success = {{"description", "Success"}};
  success["content"] = Content("application/json", std::move(answer));
  json problem = {{"description", "Problem (RFC 9457)"}};
  problem["content"] =
      Content("application/problem+json", json{{"$ref", "#/components/schemas/Problem"}});
  json responses = json::object();
  responses[std::to_string(r.success_status)] = std::move(success);
  responses["default"] = std::move(problem);
  return responses;
}

json Parameters(const RouteSpec& r) {
  json params = json::array();
  for (auto seg : Split(r.pattern)) {
    if (!IsParam(seg)) continue;
    json param = {{"name", std::string(seg.substr(1, seg.size() - 2))}, {"in", "path"}};
    param["required"] = true;
    param["schema"] =
        IsWordParam(seg) ? TypeSchema("string") : json{{"type", "integer"}, {"minimum", 1}};
    params.push_back(std::move(param));
  }
  if (r.paged) {
    json limit = {{"name", "limit"}, {"in", "query"}};
    limit["schema"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}};
    params.push_back(std::move(limit));
    json cursor = {{"name", "cursor"}, {"in", "query"}};
    cursor["schema"] = TypeSchema("string");
    params.push_back(std::move(cursor));
  }
  if (r.method == "POST") {
    json key = {{"name", "Idempotency-Key"}, {"in", "header"}};
    key["description"] = "A retried POST with the same key creates nothing twice";
    key["schema"] = {{"type", "string"}, {"maxLength", 255}};
    params.push_back(std::move(key));
  }
  return params;
}

json Operation(const RouteSpec& r) {
  json op = {{"summary", r.summary}, {"operationId", r.method + " " + r.pattern}};
  op["responses"] = Responses(r);
  if (r.access == Access::kPublic) op["security"] = json::array();
  json params = Parameters(r);
  if (!params.empty()) op["parameters"] = std::move(params);
  if (!r.request_schema.is_null()) {
    json body = {{"required", true}};
    body["content"] = Content("application/json", r.request_schema);
    op["requestBody"] = std::move(body);
  }
  return op;
}

// RFC 9457's problem document, with the field errors of a refused body.
json ProblemSchema() {
  json field_error = TypeSchema("object");
  field_error["required"] = json::array({"field", "message"});
  field_error["properties"] = {{"field", {{"type", "string"}, {"description", "JSON pointer"}}},
                               {"message", TypeSchema("string")}};
  json properties = json::object();
  properties["type"] = TypeSchema("string");
  properties["title"] = TypeSchema("string");
  properties["status"] = TypeSchema("integer");
  properties["detail"] = TypeSchema("string");
  properties["errors"] = {{"type", "array"}, {"items", std::move(field_error)}};
  json problem = TypeSchema("object");
  problem["required"] = json::array({"type", "title", "status"});
  problem["properties"] = std::move(properties);
  return problem;
}

}  // namespace

nlohmann::json Router::OpenApi() const {
  json paths = json::object();
  for (const auto& r : routes_) {
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(ch));
    paths[r.pattern][method] = Operation(r);
  }
  json info = {{"title", "Corridor API"}, {"version", "1"}};
  info["description"] =
      "Cross-regional finance platform: credit-matching marketplace. Money is integer fen, rates "
      "integer basis points, dates YYYY-MM-DD.";
  json components = json::object();
  components["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
  components["schemas"]["Problem"] = ProblemSchema();
  json doc = {{"openapi", "3.1.0"}};
  doc["info"] = std::move(info);
  doc["servers"] = json::array({json{{"url", "/"}}});
  doc["security"] = json::array({json{{"bearer", json::array()}}});
  doc["paths"] = std::move(paths);
  doc["components"] = std::move(components);
  return doc;
}

}  // namespace corridor::api
