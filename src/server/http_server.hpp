#pragma once
// HttpServer: HTTP/1.1 with keep-alive on Boost.Beast, serving an Api. A fixed pool of I/O
// threads runs both the network and the (short, synchronous) handlers.
//
// Framing follows RFC 9112 strictly, so that no proxy in front can disagree with it about where
// a request ends (request smuggling): a request with both Transfer-Encoding and Content-Length,
// or whose final transfer coding is not chunked, is answered 400 and the connection closed; a
// transfer coding other than chunked is 501; an HTTP/1.1 request without exactly one Host is
// 400; a header block over max_header_bytes is 431; a body over max_body_bytes is 413; any other
// unparsable request is 400. Each of these closes the connection after the answer.
//
// Lifecycle: Start() binds and begins accepting; Run() blocks until Stop() or SIGTERM/SIGINT.
// Stopping drains: the listener closes, /healthz turns 503, requests already read are answered
// and written out, idle keep-alive connections are closed, then the threads exit (at most
// `drain_timeout_ms` later). Every committed transaction was committed before its response was
// written, so an abrupt kill loses no acknowledged write.
#include <cstdio>
#include <memory>
#include <string>

#include "api/api.hpp"
#include "core/result.hpp"

namespace corridor::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  // Handlers are synchronous and writers wait on fsync, so more threads than cores let group
  // commit batch concurrent writes into one fsync.
  int threads = 8;
  size_t max_body_bytes = 1 << 20;
  // The body of a bulk-upload route (api::RouteSpec::bulk_upload: telemetry), read only after
  // the route is known from the header.
  size_t max_upload_bytes = 16 << 20;
  size_t max_header_bytes = 16 << 10;  // larger headers are answered 431
  int drain_timeout_ms = 10'000;
  // Connection bounds, so that one client cannot take the server from everyone else. A
  // connection waits at most idle_timeout_ms for each request's header (keep-alive included) and
  // request_timeout_ms for its body. A connection beyond max_connections_per_address from its
  // peer address is closed at once. Beyond max_connections in all, a connection is served only
  // /healthz and /metrics (at most reserve_connections such at once, each for one request) and
  // 503 otherwise; beyond that it is closed at once. max_connections is also held below the
  // process's file limit (raised to its hard limit at Start()).
  int idle_timeout_ms = 30'000;
  int request_timeout_ms = 60'000;
  int max_connections = 10'000;
  int max_connections_per_address = 1'000;
  int reserve_connections = 64;
  std::FILE* access_log = nullptr;  // JSON lines; null disables
};

class HttpServer {
 public:
  HttpServer(api::Api& api, ServerOptions options);
  ~HttpServer();

  Status Start();
  int port() const;  // the bound port, after Start()
  // Blocks until stopped; installs SIGTERM/SIGINT handlers that call Stop().
  void Run();
  void Stop();  // thread-safe, idempotent

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "127.0.0.1:8080".
Result<std::pair<std::string, int>> ParseListen(std::string_view text);

}  // namespace corridor::server
