#pragma once
// The webhooks' HTTP client: one POST per call over a fresh connection (Boost.Beast, synchronous),
// plain HTTP or HTTPS (OpenSSL, the system's trusted roots, the host name checked), with a
// deadline for the whole exchange. Redirects are not followed. Thread-safe (no shared state).
#include <chrono>

#include "service/monitor/monitor.hpp"

namespace corridor::app {

class HttpWebhookSender final : public service::WebhookSender {
 public:
  explicit HttpWebhookSender(std::chrono::seconds timeout = std::chrono::seconds(10))
      : timeout_(timeout) {}
  // Errors: an URL it cannot read, a name that does not resolve, a refused or timed-out
  // connection, a failed TLS handshake or certificate check.
  Result<int> Post(const std::string& url, const Headers& headers,
                   const std::string& body) const override;

 private:
  std::chrono::seconds timeout_;
};

}  // namespace corridor::app
