#pragma once
// HttpServer: HTTP/1.1 with keep-alive on Boost.Beast, serving an Api. A fixed pool of I/O
// threads runs both the network and the (short, synchronous) handlers.
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
  int drain_timeout_ms = 10'000;
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
