#include "api/routes/table.hpp"

#include <fmt/format.h>

#include <charconv>

namespace corridor::api::routes {

Route& Table::Get(std::string pattern, std::string summary, bool paged, ReadFn fn, Access access) {
  return routes_.emplace_back(
      Route{RouteSpec{"GET", std::move(pattern), std::move(summary), access, paged, nullptr, 200},
            std::move(fn), nullptr});
}

Route& Table::Write(std::string method, std::string pattern, std::string summary, Json schema,
                    WriteFn fn, int status, Access access) {
  return routes_.emplace_back(
      Route{RouteSpec{std::move(method), std::move(pattern), std::move(summary), access, false,
                      std::move(schema), status},
            nullptr, std::move(fn)});
}

Route& Table::Compute(std::string pattern, std::string summary, Json schema, ReadFn fn) {
  return routes_.emplace_back(Route{RouteSpec{"POST", std::move(pattern), std::move(summary),
                                              Access::kToken, false, std::move(schema), 200},
                                    std::move(fn), nullptr});
}

const std::vector<Route>& All() {
  static const std::vector<Route> kTable = [] {
    Table t;
    AddPlatform(t);
    AddMarketplace(t);
    AddLending(t);
    AddRegistry(t);
    AddEvaluation(t);
    AddAnalyses(t);
    AddEcosystems(t);
    AddGreen(t);
    AddSupply(t);
    AddMonitor(t);
    AddScoring(t);
    AddPension(t);
    AddOperations(t);
    return std::move(t.routes());
  }();
  return kTable;
}

void AddOperations(Table& t) {
  // Answered by the Api itself (they read its state, not the store's).
  t.Get("/healthz", "Liveness and readiness", false, nullptr, Access::kPublic);
  t.Get("/metrics", "Prometheus metrics", false, nullptr, Access::kPublic);
}

Json Prop(std::string_view type, std::string_view description) {
  Json p{{"type", type}};
  if (!description.empty()) p["description"] = description;
  return p;
}

Json Schema(std::initializer_list<std::pair<std::string, Json>> props,
            std::initializer_list<std::string> required) {
  Json properties = Json::object();
  for (const auto& [name, p] : props) properties[name] = p;
  return Json{{"type", "object"}, {"properties", properties}, {"required", required}};
}

Result<Response> Ok(Result<Json> r) {
  if (!r) return Fail(std::move(r.error()));
  return Response{std::move(*r)};
}

Result<Response> OkText(Result<std::string> r) {
  if (!r) return Fail(std::move(r.error()));
  Response response;
  response.text = std::move(*r);
  return response;
}

Result<uint64_t> ParseCount(std::string_view text, std::string_view field) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() ||
      v > (uint64_t{1} << 62)) {
    return Fail(Error::Invalid(std::string(field), "must be a non-negative integer"));
  }
  return v;
}

Result<double> NumberParam(const Target& t, const char* name, double lo, double hi,
                           double fallback) {
  if (!t.HasParam(name)) return fallback;
  const std::string text(t.Param(name));
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !(v >= lo) ||
      !(v <= hi)) {
    return Fail(Error::Invalid(fmt::format("/{}", name),
                               fmt::format("must be a number from {} to {}", lo, hi)));
  }
  return v;
}

std::optional<std::string> TextParam(const Target& t, std::string_view name) {
  if (!t.HasParam(name)) return std::nullopt;
  return std::string(t.Param(name));
}

}  // namespace corridor::api::routes
