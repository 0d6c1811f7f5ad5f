#include "app/webhook_sender.hpp"

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <string_view>

namespace corridor::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

Result<Url> ParseUrl(std::string_view url) {
  Url u;
  if (url.starts_with("https://")) {
    u.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return Fail(Error::Invalid("/url", "must be an http:// or https:// URL"));
  }
  const size_t slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    u.port = std::string(authority.substr(colon + 1));
  } else {
    u.host = std::string(authority);
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty() || u.port.empty()) return Fail(Error::Invalid("/url", "has no host"));
  return u;
}

template <class Stream>
Result<int> Exchange(Stream& stream, const Url& u, const service::WebhookSender::Headers& headers,
                     const std::string& body) {
  http::request<http::string_body> req{http::verb::post, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "corridor-webhooks/1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  http::write(stream, req, ec);
  if (ec) return Fail(Error{ErrorCode::kUnavailable, "sending failed: " + ec.message(), {}});
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return Fail(Error{ErrorCode::kUnavailable, "no answer: " + ec.message(), {}});
  return static_cast<int>(res.result_int());
}

}  // namespace

Result<int> HttpWebhookSender::Post(const std::string& url, const Headers& headers,
                                    const std::string& body) const {
  const Url u = CORRIDOR_TRY(ParseUrl(url));
  asio::io_context io;
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(u.host, u.port, ec);
  if (ec) return Fail(Error{ErrorCode::kUnavailable, "cannot resolve " + u.host, {}});
  if (!u.tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(timeout_);
    stream.connect(endpoints, ec);
    if (ec) return Fail(Error{ErrorCode::kUnavailable, "cannot connect: " + ec.message(), {}});
    auto status = Exchange(stream, u, headers, body);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return status;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  // The server's name for SNI, and the certificate checked against it.
  if (SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()) != 1) {
    return Fail(Error{ErrorCode::kUnavailable, "cannot set the TLS server name", {}});
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
  beast::get_lowest_layer(stream).expires_after(timeout_);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return Fail(Error{ErrorCode::kUnavailable, "cannot connect: " + ec.message(), {}});
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return Fail(Error{ErrorCode::kUnavailable, "TLS handshake failed: " + ec.message(), {}});
  auto status = Exchange(stream, u, headers, body);
  stream.shutdown(ec);
  return status;
}

}  // namespace corridor::app
