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
