// The HTTP/1.1 request parser as the server runs it: Beast's parser with the server's header and
// body limits, then the framing rules (server/framing.hpp). Bytes are fed in two pieces split at
// the first byte's position, as a network delivers them.
#include <boost/asio/buffer.hpp>

#include "fuzz.hpp"
#include "server/framing.hpp"

namespace http = boost::beast::http;

CORRIDOR_FUZZ_TARGET(http_request) {
  if (size == 0) return 0;
  const size_t split = 1 + data[0] % size;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(1 << 20);
  parser.eager(true);
  size_t offset = 1;
  for (const size_t end : {std::min(split, size), size}) {
    while (offset < end && !parser.is_done()) {
      boost::beast::error_code ec;
      const size_t used = parser.put(boost::asio::buffer(data + offset, end - offset), ec);
      if (ec == http::error::need_more) break;
      if (ec) return 0;  // refused: the server answers 4xx and closes
      if (used == 0) break;
      offset += used;
    }
  }
  if (parser.is_header_done()) {
    const auto problem = corridor::server::FramingProblem(parser);
    // A sound request has exactly one length: chunked or Content-Length or none.
    if (!problem) {
      const auto& req = parser.get();
      CORRIDOR_FUZZ_CHECK(!(req.count(http::field::transfer_encoding) > 0 &&
                            req.count(http::field::content_length) > 0));
    }
  }
  return 0;
}
