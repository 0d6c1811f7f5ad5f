#pragma once
// What the platform's federated jobs (trainings and scorings, federated_trainings.hpp) do alike
// at their end.
#include <fmt/format.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/transport.hpp"

namespace corridor::service::federated_job {

// Opens the platform's side of a session as party `me` and registers it as the one under way
// (`running`, under `mu`, so that the worker's Stop can end its waits), unless the worker is
// stopping.
inline Result<std::unique_ptr<risk::federated::HttpTransport>> OpenSession(
    const risk::federated::SessionConfig& session, size_t me, const risk::federated::PartyKey& key,
    std::mutex& mu, const std::atomic<bool>& stopping, risk::federated::HttpTransport*& running) {
  auto transport =
      CORRIDOR_TRY(risk::federated::HttpTransport::Start({.session = session.name,
                                                          .parties = session.parties,
                                                          .me = me,
                                                          .key = key,
                                                          .connect_timeout_ms = 120'000,
                                                          .receive_timeout_ms = 600'000}));
  std::lock_guard lock(mu);
  if (stopping) return Fail(Error{ErrorCode::kUnavailable, "interrupted by a stop", {}});
  running = transport.get();
  return transport;
}

// Tells the other parties why this side stopped, when it stopped on its own (not when they or the
// line did: kUnavailable), then stops listening.
inline void EndSession(risk::federated::HttpTransport& transport, const Error* stopped) {
  if (stopped != nullptr && stopped->code != ErrorCode::kUnavailable) {
    for (auto* ch : transport.channels()) {
      if (ch != nullptr) ch->Abort(stopped->message);
    }
  }
  transport.Stop();
}

// What a failed job shows its users: the error's words, but a store's or a library's (an internal
// error) stay in the server's log under the job's name.
inline std::string FailureForUsers(const Error& e, std::string_view job, int64_t id) {
  if (e.code != ErrorCode::kInternal) return e.message;
  std::cerr << fmt::format("corridor: federated {} {} failed: {}\n", job, id, e.message);
  return fmt::format("an internal error stopped the {} (the server's log has it under {} {})", job,
                     job, id);
}

}  // namespace corridor::service::federated_job
