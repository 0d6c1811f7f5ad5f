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

nlohmann::json Router::OpenApi() const {
  using nlohmann::json;
  json paths = json::object();
  for (const auto& r : routes_) {
    json answer = r.response_schema;
    if (answer.is_null() && r.paged) {
      answer = {{"type", "object"},
                {"properties",
                 {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                  {"next_cursor", {{"type", json::array({"string", "null"})}}}}},
                {"required", json::array({"items", "next_cursor"})}};
    }
    if (answer.is_null()) answer = {{"type", "object"}};
    json op{{"summary", r.summary},
            {"operationId", r.method + " " + r.pattern},
            {"responses",
             {{std::to_string(r.success_status),
               {{"description", "Success"},
                {"content", {{"application/json", {{"schema", std::move(answer)}}}}}}},
              {"default",
               {{"description", "Problem (RFC 9457)"},
                {"content",
                 {{"application/problem+json",
                   {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}}}}}};
    if (r.access == Access::kPublic) {
      op["security"] = json::array();
    }
    json params = json::array();
    for (auto seg : Split(r.pattern)) {
      if (!IsParam(seg)) continue;
      const std::string name(seg.substr(1, seg.size() - 2));
      params.push_back({{"name", name},
                        {"in", "path"},
                        {"required", true},
                        {"schema", IsWordParam(seg) ? json{{"type", "string"}}
                                                    : json{{"type", "integer"}, {"minimum", 1}}}});
    }
    if (r.paged) {
      params.push_back({{"name", "limit"},
                        {"in", "query"},
                        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}}});
      params.push_back({{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "string"}}}});
    }
    if (r.method == "POST") {
      params.push_back({{"name", "Idempotency-Key"},
                        {"in", "header"},
                        {"description", "A retried POST with the same key creates nothing twice"},
                        {"schema", {{"type", "string"}, {"maxLength", 255}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.request_schema.is_null()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.request_schema}}}}}};
    }
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(ch));
    paths[r.pattern][method] = std::move(op);
  }
  return json{{"openapi", "3.1.0"},
              {"info",
               {{"title", "Corridor API"},
                {"version", "1"},
                {"description",
                 "Cross-regional finance platform: credit-matching marketplace. Money is "
                 "integer fen, rates integer basis points, dates YYYY-MM-DD."}}},
              {"servers", json::array({{{"url", "/"}}})},
              {"security", json::array({{{"bearer", json::array()}}})},
              {"paths", std::move(paths)},
              {"components",
               {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
                {"schemas",
                 {{"Problem",
                   {{"type", "object"},
                    {"required", {"type", "title", "status"}},
                    {"properties",
                     {{"type", {{"type", "string"}}},
                      {"title", {{"type", "string"}}},
                      {"status", {{"type", "integer"}}},
                      {"detail", {{"type", "string"}}},
                      {"errors",
                       {{"type", "array"},
                        {"items",
                         {{"type", "object"},
                          {"required", {"field", "message"}},
                          {"properties",
                           {{"field", {{"type", "string"}, {"description", "JSON pointer"}}},
                            {"message", {{"type", "string"}}}}}}}}}}}}}}}}}};
}

}  // namespace corridor::api
