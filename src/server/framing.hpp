#pragma once
// The RFC 9112 framing rules the server enforces once a request's header is parsed, apart so that
// the fuzz harness drives exactly what the server runs (docs/architecture.md, "HTTP framing").
#include <boost/beast/http.hpp>
#include <optional>

#include "core/error.hpp"

namespace corridor::server {

// Why a request is refused before it reaches the API (400: Transfer-Encoding with
// Content-Length, a final coding other than chunked, not exactly one Host in HTTP/1.1; 501: a
// coding other than chunked), or nothing when its framing is sound.
std::optional<Error> FramingProblem(
    const boost::beast::http::request_parser<boost::beast::http::string_body>& parser);

}  // namespace corridor::server
