#pragma once
// Error: a value describing why an operation failed, with a canonical code that maps to one HTTP
// status and, for invalid input, the list of offending fields as JSON pointers ("/uscc").
// Plain value type; safe to copy between threads.
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

enum class ErrorCode {
  kInvalidArgument,      // 422: the request is well-formed but a field is invalid
  kMalformed,            // 400: the request could not be parsed at all
  kUnauthenticated,      // 401: no or unknown bearer token
  kPermissionDenied,     // 403: the caller's role may not do this
  kNotFound,             // 404: missing, or belongs to another tenant (never tell them apart)
  kConflict,             // 409: state does not allow it (already accepted, duplicate USCC, ...)
  kBudgetExhausted,      // 409: a subsidy budget or limit would be overdrawn
  kIdempotencyMismatch,  // 422: an Idempotency-Key was reused with a different request
  kInternal,             // 500
  kUnavailable,          // 503: shutting down, store busy
  // Protocol-level refusals of the HTTP layer, each with its own status so that a problem
  // document's "status" is always the status sent.
  kMethodNotAllowed,  // 405
  kPayloadTooLarge,   // 413
  kHeadersTooLarge,   // 431
  kNotImplemented,    // 501: e.g. a transfer coding other than chunked
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

// The HTTP status for a code, and a short title for problem documents.
int HttpStatus(ErrorCode code);
std::string_view Title(ErrorCode code);
// A stable machine-readable slug, used in problem "type" URIs and metrics labels.
std::string_view Slug(ErrorCode code);

}  // namespace corridor
