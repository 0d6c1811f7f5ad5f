#include "server/http_server.hpp"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace corridor::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<std::pair<std::string, int>> ParseListen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Fail(Error::Invalid("/listen", "expected HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return Fail(Error::Invalid("/listen", "port must be a number 0-65535"));
    }
    port = port * 10 + (c - '0');
  }
  if (port > 65535 || colon + 1 == text.size()) {
    return Fail(Error::Invalid("/listen", "port must be a number 0-65535"));
  }
  return std::make_pair(std::string(text.substr(0, colon)), port);
}

struct HttpServer::Impl {
  api::Api& api;
  ServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex log_mu;
  std::mutex sessions_mu;
  std::set<std::shared_ptr<beast::tcp_stream>> idle;  // connections waiting for a request
  std::unique_ptr<asio::steady_timer> drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;

  Impl(api::Api& a, ServerOptions o) : api(a), options(std::move(o)), ioc(options.threads) {}

  void Log(const api::HttpRequest& req, std::string_view route, int status, size_t bytes,
           int64_t micros, const std::string& peer) {
    if (options.access_log == nullptr) return;
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string line = fmt::format(
        "{{\"ts_us\":{},\"peer\":\"{}\",\"method\":\"{}\",\"route\":\"{}\",\"status\":{},"
        "\"bytes\":{},\"dur_us\":{}}}\n",
        now, peer, req.method, route, status, bytes, micros);
    std::lock_guard lock(log_mu);
    std::fwrite(line.data(), 1, line.size(), options.access_log);
  }

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (!stopping.load()) Accept();
        return;
      }
      s.set_option(tcp::no_delay(true));
      auto stream = std::make_shared<beast::tcp_stream>(std::move(s));
      Read(stream, std::make_shared<beast::flat_buffer>());
      if (!stopping.load()) Accept();
    });
  }

  void Read(const std::shared_ptr<beast::tcp_stream>& stream,
            const std::shared_ptr<beast::flat_buffer>& buffer) {
    if (stopping.load()) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    auto parser = std::make_shared<http::request_parser<http::string_body>>();
    parser->body_limit(options.max_body_bytes);
    stream->expires_after(std::chrono::seconds(60));
    {
      std::lock_guard lock(sessions_mu);
      idle.insert(stream);
    }
    http::async_read(*stream, *buffer, *parser,
                     [this, stream, buffer, parser](beast::error_code ec, size_t) {
                       {
                         std::lock_guard lock(sessions_mu);
                         idle.erase(stream);
                       }
                       if (ec) {
                         if (ec == http::error::body_limit) {
                           Reply(stream, buffer, PayloadTooLarge(), false, {}, "-", 0, "");
                           return;
                         }
                         beast::error_code ignored;
                         stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
                         return;
                       }
                       Serve(stream, buffer, parser->release());
                     });
  }

  static http::response<http::string_body> PayloadTooLarge() {
    http::response<http::string_body> res{http::status::payload_too_large, 11};
    res.set(http::field::content_type, "application/problem+json");
    res.body() = api::ProblemJson(
        Error{ErrorCode::kMalformed, "request body too large", {{"", "at most 1 MiB"}}});
    res.prepare_payload();
    return res;
  }

  void Serve(const std::shared_ptr<beast::tcp_stream>& stream,
             const std::shared_ptr<beast::flat_buffer>& buffer,
             http::request<http::string_body> req) {
    in_flight.fetch_add(1);
    const auto start = std::chrono::steady_clock::now();
    api::HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(req.body());
    std::string_view route;
    api::HttpResponse response = api.Handle(request, &route);

    http::response<http::string_body> res{static_cast<http::status>(response.status),
                                          req.version()};
    res.set(http::field::server, "corridor");
    res.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res.set(name, value);
    res.body() = std::move(response.body);
    const bool keep = req.keep_alive() && !stopping.load();
    res.keep_alive(keep);
    res.prepare_payload();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    beast::error_code ec;
    const auto peer = stream->socket().remote_endpoint(ec);
    Reply(stream, buffer, std::move(res), keep, request, route, micros,
          ec ? std::string("-") : peer.address().to_string());
  }

  void Reply(const std::shared_ptr<beast::tcp_stream>& stream,
             const std::shared_ptr<beast::flat_buffer>& buffer,
             http::response<http::string_body> res, bool keep, const api::HttpRequest& request,
             std::string_view route, int64_t micros, const std::string& peer) {
    auto owned = std::make_shared<http::response<http::string_body>>(std::move(res));
    const int status = static_cast<int>(owned->result_int());
    const size_t bytes = owned->body().size();
    Log(request, route, status, bytes, micros, peer);
    const bool counted = !request.method.empty();
    http::async_write(*stream, *owned,
                      [this, stream, buffer, owned, keep, counted](beast::error_code ec, size_t) {
                        if (counted) in_flight.fetch_sub(1);
                        if (ec || !keep) {
                          beast::error_code ignored;
                          stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        Read(stream, buffer);
                      });
  }

  void BeginDrain() {
    if (stopping.exchange(true)) return;
    api.SetDraining();
    beast::error_code ignored;
    acceptor.close(ignored);
    {
      std::lock_guard lock(sessions_mu);
      for (const auto& s : idle) s->socket().cancel(ignored);
    }
    drain_deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.drain_timeout_ms);
    drain_timer = std::make_unique<asio::steady_timer>(ioc);
    WaitDrained();
  }

  void WaitDrained() {
    if (in_flight.load() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      ioc.stop();
      return;
    }
    drain_timer->expires_after(std::chrono::milliseconds(10));
    drain_timer->async_wait([this](beast::error_code) { WaitDrained(); });
  }
};

HttpServer::HttpServer(api::Api& api, ServerOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(options))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Fail(Error::Invalid("/listen", "not an IP address: " + impl_->options.host));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->options.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(Error{ErrorCode::kUnavailable,
                      fmt::format("cannot listen on {}:{}: {}", impl_->options.host,
                                  impl_->options.port, ec.message()),
                      {}});
  }
  impl_->Accept();
  return {};
}

int HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run() {
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) Stop();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void HttpServer::Stop() {
  asio::post(impl_->ioc, [this] { impl_->BeginDrain(); });
}

}  // namespace corridor::server
