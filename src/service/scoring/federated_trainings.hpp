#pragma once
// Federated trainings on the platform (docs/federated.md, PRODUCT.md §G): a bank trains one
// credit model with data holders outside the platform — a tax bureau, a grassland register —
// while their rows stay with them. The platform is the bank's party and the label holder (the
// guest): it reads the bank's borrowers as of a snapshot day from its own records (the scoring
// features and the 90-days-past-due outcome, service/scoring/features.hpp), aligns them with the
// other parties' enterprises by private set intersection of USCCs and fits the vertical logistic
// regression with them over HTTP (risk/federated), the other parties running
// `corridor federated train` on their own machines.
//
// A training is a job: the request is stored `queued` (in the caller's transaction), a worker
// thread runs it — `aligning`, then `training` with the iteration and log-likelihood as it goes —
// and stores the bank's part of the model or the error. A process stopped mid-training fails it
// at the next start. The model is governed like the scoring models: it is `pending` until the
// bank's risk analyst approves or rejects it, never the user who requested it (four eyes);
// approving retires the bank's previously approved model of the same name; the training and each
// decision are entries of the policy ledger.
//
// Horizontal trainings (kind "horizontal"): the bank pools its borrowers with banks outside the
// platform that hold the same columns of theirs, by secure aggregation (risk/federated/
// horizontal_lr.hpp), a coordinator named in the session routing the rounds; the other banks and
// the coordinator run `corridor federated pool`. The platform is one bank: its columns are the
// features' names, and it learns the steps and the pooled model, never another bank's sums.
//
// Scorings: with an approved joint model, the bank's officer or analyst scores applicants (named
// USCCs, or every verified enterprise registered by the day) with the other parties online in a
// fresh session, each running `corridor federated score` with its own part of the model. A
// scoring is a job like a training (queued, running: aligning, scoring; done or failed); the
// platform reads its columns as of the day (a value missing is the training mean: no
// contribution), and only it learns the scores — the probability, each party's share of the
// log-odds and each party's reasons. Applicants no other party holds are listed unscored. Each
// scoring is an entry of the policy ledger.
//
// The platform's party key (Ed25519) signs its frames; the other parties put its public key
// (GET /federated/party) in their session file. Without a key the trainings are refused (503).
// Who sees what: a bank its own trainings, the oversight roles every bank's. Thread-safe.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/transport.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

class FederatedTrainings {
 public:
  // `listen_host`: the only address the platform's party listens on (a session must give it).
  FederatedTrainings(store::Store& store, const Clock& clock,
                     std::optional<risk::federated::PartyKey> key,
                     std::string listen_host = "127.0.0.1");
  ~FederatedTrainings();
  FederatedTrainings(const FederatedTrainings&) = delete;
  FederatedTrainings& operator=(const FederatedTrainings&) = delete;

  void Start();
  void Stop();
  // Wakes the worker (after a request's transaction committed).
  void Notify();

  // --- writes (inside Transactions::Mutate) ---
  // {"name", "snapshot_date", "horizon_days" (365), "features": [names], "party", "session",
  // "kind": "vertical" (default) | "horizontal"} → 202, the training, queued.
  Result<Response> Request(store::Connection& c, const Caller& caller, const Json& body);
  // {"decision": "approve" | "reject", "note"} by the bank's risk analyst.
  Result<Response> Decide(store::Connection& c, const Caller& caller, int64_t id, const Json& body);
  // {"party", "session", "as_of" (default today), "uscc": [...] (default: every verified
  // enterprise registered by as_of)} with the training's approved model → 202, the scoring.
  Result<Response> RequestScoring(store::Connection& c, const Caller& caller, int64_t training_id,
                                  const Json& body);

  // --- reads ---
  // {"public_key", "listen_host", "features"}: what the other parties' session file says of the
  // platform, and the features a bank may contribute (name, zh, en).
  Result<Json> Party(const Caller& caller) const;
  Result<Json> Get(const Caller& caller, int64_t id);
  Result<Json> List(const Caller& caller, const Page& page);
  // A training's scorings, newest first, without their scores.
  Result<Json> ListScorings(const Caller& caller, int64_t training_id, const Page& page);
  // One scoring with every applicant's score, shares and reasons.
  Result<Json> GetScoring(const Caller& caller, int64_t id);

 private:
  void Work();
  Status RunOne();
  Status RunScoring();
  // A session the platform takes part in as `party`, the label holder on listen_host_ with its
  // key; errors name /session/... or /party.
  Result<risk::federated::SessionConfig> PlatformSession(const Json& session,
                                                         const std::string& party,
                                                         bool pooling = false) const;
  static bool Sees(const Caller& caller, int64_t bank) {
    return caller.platform() || (caller.in_bank() && caller.tenant_id == bank);
  }

  store::Store& store_;
  const Clock& clock_;
  std::optional<risk::federated::PartyKey> key_;
  std::string listen_host_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  bool pending_ = false;
  risk::federated::HttpTransport* running_ = nullptr;  // the training under way (under mu_)
  std::thread worker_;
};

}  // namespace corridor::service
