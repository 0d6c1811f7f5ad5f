#include "api/http.hpp"

#include <fmt/format.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

namespace corridor::api {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kMalformed:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
    case ErrorCode::kBudgetExhausted:
      return 409;
    case ErrorCode::kIdempotencyMismatch:
      return 422;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kHeadersTooLarge:
      return 431;
    case ErrorCode::kNotImplemented:
      return 501;
  }
  return 500;
}

std::string_view Title(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "Invalid request fields";
    case ErrorCode::kMalformed:
      return "Malformed request";
    case ErrorCode::kUnauthenticated:
      return "Authentication required";
    case ErrorCode::kPermissionDenied:
      return "Not allowed for this role";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kConflict:
      return "Conflict with current state";
    case ErrorCode::kBudgetExhausted:
      return "Budget exhausted";
    case ErrorCode::kIdempotencyMismatch:
      return "Idempotency key reused with a different request";
    case ErrorCode::kInternal:
      return "Internal error";
    case ErrorCode::kUnavailable:
      return "Service unavailable";
    case ErrorCode::kMethodNotAllowed:
      return "Method not allowed";
    case ErrorCode::kPayloadTooLarge:
      return "Content too large";
    case ErrorCode::kHeadersTooLarge:
      return "Request header fields too large";
    case ErrorCode::kNotImplemented:
      return "Not implemented";
  }
  return "Internal error";
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// A reference unique to this failure: the process's random prefix and a sequence number.
std::string NewReference() {
  static const uint32_t kPrefix = std::random_device{}();
  static std::atomic<uint64_t> sequence{0};
  return fmt::format("{:08x}-{:06x}", kPrefix, sequence.fetch_add(1) + 1);
}

void LogFailure(std::string_view reference, const Error& error) {
  static std::mutex mu;
  const nlohmann::json line{{"level", "error"},
                            {"reference", reference},
                            {"code", std::string(Slug(error.code))},
                            {"message", error.message},
                            {"diagnostic", error.diagnostic}};
  const std::lock_guard<std::mutex> lock(mu);
  std::cerr << line.dump() << "\n";
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string ProblemJson(const Error& error) {
  nlohmann::json doc{{"type", "urn:corridor:problem:" + std::string(Slug(error.code))},
                     {"title", std::string(Title(error.code))},
                     {"status", HttpStatus(error.code)},
                     {"detail", error.message}};
  // What the store or a library said, and any internal error's text, stays in the operator's
  // log; the client gets a reference to quote.
  if (error.code == ErrorCode::kInternal || !error.diagnostic.empty()) {
    const std::string reference = NewReference();
    LogFailure(reference, error);
    doc["reference"] = reference;
    doc["detail"] = fmt::format(
        "{} (reference {})",
        error.code == ErrorCode::kInternal ? "an internal error occurred" : error.message,
        reference);
  }
  if (!error.fields.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& f : error.fields) {
      errors.push_back({{"field", f.field}, {"message", f.message}});
    }
    doc["errors"] = std::move(errors);
  }
  return doc.dump();
}

HttpResponse Problem(const Error& error) {
  return HttpResponse{HttpStatus(error.code), "application/problem+json", ProblemJson(error), {}};
}

std::string_view Target::Param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return {};
}

bool Target::HasParam(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return true;
  }
  return false;
}

Target ParseTarget(std::string_view target) {
  Target t;
  const auto q = target.find('?');
  t.path = PercentDecode(target.substr(0, q));
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (!pair.empty()) {
      t.query.emplace_back(PercentDecode(pair.substr(0, eq)),
                           eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return t;
}

}  // namespace corridor::api
