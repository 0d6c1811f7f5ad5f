#include "server/http_server.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "server/framing.hpp"

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

namespace {

http::response<http::string_body> ProblemResponse(const Error& error) {
  http::response<http::string_body> res{static_cast<http::status>(api::HttpStatus(error.code)), 11};
  res.set(http::field::server, "corridor");
  res.set(http::field::content_type, "application/problem+json");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = api::ProblemJson(error);
  res.prepare_payload();
  return res;
}

// The connection bounds of ServerOptions: who is admitted, and what it may ask. Thread-safe.
class ConnectionLimits {
 public:
  enum class Admission { kNormal, kReserve, kRefused };

  ConnectionLimits(int max_total, int max_per_address, int reserve)
      : max_total_(max_total), max_per_address_(max_per_address), reserve_(reserve) {}

  // An address at its own bound is refused; below it, a connection is normal while the total
  // has room and takes a reserve place (health and metrics only) when it has not. Reserve places
  // count against the address too, so no address can hold the reserve beyond its share.
  Admission Admit(const asio::ip::address& peer) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = per_address_.try_emplace(peer, 0);
    Admission admission = Admission::kRefused;
    if (it->second < max_per_address_) {
      if (total_ < max_total_) {
        ++total_;
        admission = Admission::kNormal;
      } else if (reserve_in_use_ < reserve_) {
        ++reserve_in_use_;
        admission = Admission::kReserve;
      }
    }
    if (admission == Admission::kRefused) {
      if (fresh) per_address_.erase(it);
    } else {
      ++it->second;
    }
    return admission;
  }

  void Release(const asio::ip::address& peer, Admission admission) {
    std::lock_guard lock(mu_);
    if (admission == Admission::kRefused) return;
    if (admission == Admission::kReserve) {
      --reserve_in_use_;
    } else {
      --total_;
    }
    auto it = per_address_.find(peer);
    if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  }

 private:
  const int max_total_, max_per_address_, reserve_;
  std::mutex mu_;
  int total_ = 0;                                 // guarded by mu_
  int reserve_in_use_ = 0;                        // guarded by mu_
  std::map<asio::ip::address, int> per_address_;  // guarded by mu_
};

// One accepted connection. Its destructor, run when the last handler lets go of it, returns its
// place in the limits.
struct Connection {
  Connection(ConnectionLimits& limits, tcp::socket socket, asio::ip::address address,
             ConnectionLimits::Admission admission)
      : limits(limits), stream(std::move(socket)), peer(std::move(address)), admission(admission) {}
  ~Connection() { limits.Release(peer, admission); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Admitted beyond the limits: /healthz and /metrics only, one request, a short timeout.
  bool reserve() const { return admission == ConnectionLimits::Admission::kReserve; }

  ConnectionLimits& limits;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  asio::ip::address peer;
  ConnectionLimits::Admission admission;
};

}  // namespace

struct HttpServer::Impl {
  api::Api& api;
  ServerOptions options;
  // Before the io_context: connections still queued in it at destruction release their places
  // in the limits, which must outlive them.
  std::unique_ptr<ConnectionLimits> limits;  // set by Start(), from the options
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc};
  asio::steady_timer accept_retry{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex log_mu;
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Connection>> idle;  // connections waiting for a request
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
        now, peer, req.method.empty() ? "-" : req.method, route, status, bytes, micros);
    std::lock_guard lock(log_mu);
    std::fwrite(line.data(), 1, line.size(), options.access_log);
  }

  // Admits a new connection within the bounds: a normal one, a reserve one, or none (nullptr).
  std::shared_ptr<Connection> Admit(tcp::socket socket) {
    beast::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return nullptr;
    const auto admission = limits->Admit(endpoint.address());
    if (admission == ConnectionLimits::Admission::kRefused) return nullptr;
    return std::make_shared<Connection>(*limits, std::move(socket), endpoint.address(), admission);
  }

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (stopping.load()) return;
        // Out of descriptors (EMFILE) or a transient failure: try again shortly rather than
        // spinning; connections closing meanwhile free descriptors.
        accept_retry.expires_after(std::chrono::milliseconds(50));
        accept_retry.async_wait([this](beast::error_code) {
          if (!stopping.load()) Accept();
        });
        return;
      }
      beast::error_code ignored;
      s.set_option(tcp::no_delay(true), ignored);
      if (auto conn = Admit(std::move(s))) Read(conn);
      if (!stopping.load()) Accept();
    });
  }

  void Close(const std::shared_ptr<Connection>& conn) {
    beast::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  // Answers a request refused before it reached the API and closes the connection.
  void Refuse(const std::shared_ptr<Connection>& conn, const Error& error) {
    in_flight.fetch_add(1);
    Reply(conn, ProblemResponse(error), false, {}, "-", 0);
  }

  void Read(const std::shared_ptr<Connection>& conn) {
    if (stopping.load()) {
      Close(conn);
      return;
    }
    auto parser = std::make_shared<http::request_parser<http::string_body>>();
    // The header says which route a body is for: until then the larger limit (a bulk upload's),
    // then the route's own.
    parser->body_limit(std::max(options.max_body_bytes, options.max_upload_bytes));
    parser->header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    conn->stream.expires_after(std::chrono::milliseconds(
        conn->reserve() ? std::min(options.idle_timeout_ms, 5'000) : options.idle_timeout_ms));
    {
      std::lock_guard lock(sessions_mu);
      idle.insert(conn);
    }
    http::async_read_header(
        conn->stream, conn->buffer, *parser, [this, conn, parser](beast::error_code ec, size_t) {
          {
            std::lock_guard lock(sessions_mu);
            idle.erase(conn);
          }
          if (ec) {
            ReadFailed(conn, ec);
            return;
          }
          if (auto problem = FramingProblem(*parser)) {
            Refuse(conn, *problem);
            return;
          }
          const auto method = parser->get().method_string();
          const auto target = parser->get().target();
          if (!api.IsBulkUpload(std::string_view(method.data(), method.size()),
                                std::string_view(target.data(), target.size()))) {
            const auto length = parser->content_length();
            if (length && *length > options.max_body_bytes) {
              ReadFailed(conn, http::error::body_limit);
              return;
            }
            parser->body_limit(options.max_body_bytes);  // a chunked body stops there too
          }
          conn->stream.expires_after(std::chrono::milliseconds(options.request_timeout_ms));
          http::async_read(conn->stream, conn->buffer, *parser,
                           [this, conn, parser](beast::error_code body_ec, size_t) {
                             if (body_ec) {
                               ReadFailed(conn, body_ec);
                               return;
                             }
                             Serve(conn, parser->release());
                           });
        });
  }

  // A read that ended without a request: answered when the peer sent something unparsable,
  // closed quietly when it went away or timed out.
  void ReadFailed(const std::shared_ptr<Connection>& conn, beast::error_code ec) {
    if (ec == http::error::body_limit) {
      Refuse(conn, Error{ErrorCode::kPayloadTooLarge,
                         "request body too large",
                         {{"", fmt::format("at most {} bytes ({} for a bulk upload)",
                                           options.max_body_bytes, options.max_upload_bytes)}}});
      return;
    }
    if (ec == http::error::header_limit) {
      Refuse(conn,
             Error{ErrorCode::kHeadersTooLarge,
                   "request header fields too large",
                   {{"/headers", fmt::format("at most {} bytes", options.max_header_bytes)}}});
      return;
    }
    const bool protocol =
        ec.category() == beast::http::make_error_code(http::error::bad_method).category();
    if (protocol && ec != http::error::end_of_stream && ec != http::error::partial_message &&
        !stopping.load()) {
      Refuse(conn, Error{ErrorCode::kMalformed, "malformed HTTP request: " + ec.message(), {}});
      return;
    }
    Close(conn);
  }

  void Serve(const std::shared_ptr<Connection>& conn, http::request<http::string_body> req) {
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
    if (conn->reserve() && request.target != "/healthz" && request.target != "/metrics") {
      Reply(conn,
            ProblemResponse(Error{ErrorCode::kUnavailable,
                                  "too many connections from this address or in all; retry",
                                  {}}),
            false, request, "-", 0);
      return;
    }
    std::string_view route;
    api::HttpResponse response = api.Handle(request, &route);

    http::response<http::string_body> res{static_cast<http::status>(response.status),
                                          req.version()};
    res.set(http::field::server, "corridor");
    res.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res.set(name, value);
    res.body() = std::move(response.body);
    const bool keep = req.keep_alive() && !stopping.load() && !conn->reserve();
    res.keep_alive(keep);
    res.prepare_payload();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    Reply(conn, std::move(res), keep, request, route, micros);
  }

  void Reply(const std::shared_ptr<Connection>& conn, http::response<http::string_body> res,
             bool keep, const api::HttpRequest& request, std::string_view route, int64_t micros) {
    auto owned = std::make_shared<http::response<http::string_body>>(std::move(res));
    if (!keep) owned->keep_alive(false);
    const int status = static_cast<int>(owned->result_int());
    const size_t bytes = owned->body().size();
    Log(request, route, status, bytes, micros, conn->peer.to_string());
    conn->stream.expires_after(std::chrono::milliseconds(options.request_timeout_ms));
    http::async_write(conn->stream, *owned,
                      [this, conn, owned, keep](beast::error_code ec, size_t) {
                        in_flight.fetch_sub(1);
                        if (ec || !keep) {
                          beast::error_code ignored;
                          conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        Read(conn);
                      });
  }

  void BeginDrain() {
    if (stopping.exchange(true)) return;
    api.SetDraining();
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    {
      std::lock_guard lock(sessions_mu);
      for (const auto& c : idle) c->stream.socket().cancel(ignored);
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
  // Connections need descriptors: take the hard limit, and keep the connection bound below it
  // with room for the database, logs and the reserve.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      (void)::setrlimit(RLIMIT_NOFILE, &files);
      (void)::getrlimit(RLIMIT_NOFILE, &files);
    }
    auto& o = impl_->options;
    const rlim_t spare = static_cast<rlim_t>(o.reserve_connections) + 128;
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur > spare) {
      o.max_connections = static_cast<int>(
          std::min<rlim_t>(static_cast<rlim_t>(o.max_connections), files.rlim_cur - spare));
    }
  }
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
  auto& o = impl_->options;
  impl_->limits = std::make_unique<ConnectionLimits>(
      o.max_connections, o.max_connections_per_address, o.reserve_connections);
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
