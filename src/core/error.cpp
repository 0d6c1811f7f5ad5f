#include "core/error.hpp"

#include <utility>

namespace corridor {

Error Error::Invalid(std::string field, std::string message) {
  std::string summary = field + ": " + message;
  return Error{ErrorCode::kInvalidArgument,
               std::move(summary),
               {FieldError{std::move(field), std::move(message)}}};
}

Error Error::Invalid(std::vector<FieldError> fields) {
  std::string summary;
  for (const auto& f : fields) {
    if (!summary.empty()) summary += "; ";
    summary += f.field + ": " + f.message;
  }
  return Error{ErrorCode::kInvalidArgument, std::move(summary), std::move(fields)};
}

Error Error::NotFound(std::string_view what) {
  return Error{ErrorCode::kNotFound, std::string(what) + " not found", {}};
}

Error Error::Conflict(std::string message) {
  return Error{ErrorCode::kConflict, std::move(message), {}};
}

Error Error::Internal(std::string message) {
  return Error{ErrorCode::kInternal, std::move(message), {}};
}

std::string Describe(const Error& error) {
  if (error.diagnostic.empty()) return error.message;
  return error.message + " [" + error.diagnostic + "]";
}

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
      return 409;
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

std::string_view Slug(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid-fields";
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kBudgetExhausted:
      return "budget-exhausted";
    case ErrorCode::kIdempotencyMismatch:
      return "idempotency-mismatch";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kMethodNotAllowed:
      return "method-not-allowed";
    case ErrorCode::kPayloadTooLarge:
      return "payload-too-large";
    case ErrorCode::kHeadersTooLarge:
      return "headers-too-large";
    case ErrorCode::kNotImplemented:
      return "not-implemented";
  }
  return "internal";
}

}  // namespace corridor
