#pragma once
// Error: a value describing why an operation failed, with a canonical code (api/http.hpp maps
// each to its HTTP status) and, for invalid input, the list of offending fields as JSON pointers
// ("/uscc").
// Plain value type; safe to copy between threads.
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

enum class ErrorCode {
  kInvalidArgument,      // the request is well-formed but a field is invalid
  kMalformed,            // the request could not be parsed at all
  kUnauthenticated,      // no or unknown credentials
  kPermissionDenied,     // the caller's role may not do this
  kNotFound,             // missing, or belongs to another tenant (never tell them apart)
  kConflict,             // state does not allow it (already accepted, duplicate USCC, ...)
  kBudgetExhausted,      // a subsidy budget or limit would be overdrawn
  kIdempotencyMismatch,  // an Idempotency-Key was reused with a different request
  kInternal,             // a fault of ours
  kUnavailable,          // shutting down, store busy
  // Protocol-level refusals of the transport, each its own code so that a problem document
  // always says what was sent.
  kMethodNotAllowed,
  kPayloadTooLarge,
  kHeadersTooLarge,
  kNotImplemented,  // e.g. a transfer coding other than chunked
};

struct FieldError {
  std::string field;  // JSON pointer into the request body, e.g. "/principal_fen"
  std::string message;
};

struct Error {
  Error() = default;
  Error(ErrorCode code, std::string message, std::vector<FieldError> fields = {},
        std::string diagnostic = {})
      : code(code),
        message(std::move(message)),
        fields(std::move(fields)),
        diagnostic(std::move(diagnostic)) {}

  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe to show the caller
  std::vector<FieldError> fields;
  // What the store or a library said, for the operator's log only: it never reaches a client
  // (the API logs it under a reference and answers with the reference).
  std::string diagnostic;

  static Error Invalid(std::string field, std::string message);
  static Error Invalid(std::vector<FieldError> fields);
  static Error NotFound(std::string_view what);
  static Error Conflict(std::string message);
  static Error Internal(std::string message);
};

// The message with the diagnostic, for logs and the operator's console.
std::string Describe(const Error& error);

// A stable machine-readable slug, used in problem "type" URIs and metrics labels.
std::string_view Slug(ErrorCode code);

}  // namespace corridor
