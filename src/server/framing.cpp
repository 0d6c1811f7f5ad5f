#include "server/framing.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace corridor::server {

namespace http = boost::beast::http;

std::optional<Error> FramingProblem(const http::request_parser<http::string_body>& parser) {
  const auto& req = parser.get();
  const auto te = req.equal_range(http::field::transfer_encoding);
  if (te.first != te.second) {
    if (req.count(http::field::content_length) > 0) {
      return Error{ErrorCode::kMalformed,
                   "a request must not carry both Transfer-Encoding and Content-Length",
                   {{"/headers/transfer-encoding", "not allowed with Content-Length"}}};
    }
    // The codings in order, across every Transfer-Encoding field.
    std::vector<std::string> codings;
    for (auto it = te.first; it != te.second; ++it) {
      for (const auto& c : http::token_list(it->value())) {
        std::string lower(c);
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        codings.push_back(std::move(lower));
      }
    }
    if (codings.empty() || codings.back() != "chunked") {
      return Error{ErrorCode::kMalformed,
                   "the final transfer coding must be chunked",
                   {{"/headers/transfer-encoding", "the final coding must be chunked"}}};
    }
    if (codings.size() > 1) {
      return Error{ErrorCode::kNotImplemented,
                   "only the chunked transfer coding is supported",
                   {{"/headers/transfer-encoding", "only chunked is supported"}}};
    }
  }
  if (req.version() >= 11 && req.count(http::field::host) != 1) {
    return Error{ErrorCode::kMalformed,
                 "an HTTP/1.1 request carries exactly one Host header",
                 {{"/headers/host", "exactly one is required"}}};
  }
  return std::nullopt;
}

}  // namespace corridor::server
