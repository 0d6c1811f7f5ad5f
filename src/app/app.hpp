#pragma once
// App: the one composition root. Built once (by `corridor serve`, by a test, by a benchmark), it
// holds the store and the clock, every context's service and the background workers — the log's
// integrator, the risk analyses' and the federated trainings' workers — with an explicit
// lifecycle:
//
//   Start()  the workers run: sequenced log entries are integrated and signed every 100 ms, the
//            alerts' webhook deliveries that are due are sent every second, queued analyses are
//            worked;
//   Drain()  the instance says so (/healthz answers 503) and takes no new background work; the
//            requests in flight finish;
//   Stop()   the workers stop and are joined (an analysis under way is marked failed at the next
//            start); the destructor stops too.
//
// Nothing is built per request: the API and the CLI reach every use case through here.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/webhook_sender.hpp"
#include "core/clock.hpp"
#include "registry/note.hpp"
#include "service/analyses/risk_analyses.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/evaluation/evaluation.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/lending.hpp"
#include "service/marketplace/marketplace.hpp"
#include "service/monitor/monitor.hpp"
#include "service/pension/pension.hpp"
#include "service/registry/registry.hpp"
#include "service/scoring/federated_trainings.hpp"
#include "service/scoring/scoring.hpp"
#include "service/supply/supply.hpp"
#include "store/db.hpp"

namespace corridor::app {

struct AppOptions {
  // Threads of one credit-risk analysis; 0: the machine's.
  int analysis_threads = 0;
  // The registry log's signing key; without one the registry routes answer 503.
  std::optional<registry::NoteSigner> registry_signer;
  // Start() runs the log's integrator and the webhooks' deliveries. Without it the log integrates
  // when a checkpoint or a proof is read and deliveries wait for Monitor::DeliverDue (in-process
  // tests, where another process may own the same database).
  bool integrate_in_background = true;
  // The platform's party key for federated trainings; without one they are refused (503).
  std::optional<risk::federated::PartyKey> federated_key = std::nullopt;
};

// What `corridor serve` opens: the SQLite database (migrated), the signing key beside it (made on
// first use), the system clock.
struct ServeConfig {
  std::string db;
  std::string registry_key;  // empty: registry-signing.key beside the database
  std::string origin = "corridor.chifeng/registry";
  int analysis_threads = 0;
  std::string federated_key;  // empty: federated-party.key beside the database
};

class App {
 public:
  // Over a store and a clock that outlive the App (tests, benchmarks).
  App(store::Store& store, const Clock& clock, AppOptions options = {});
  // Opens what ServeConfig names and owns it.
  static Result<std::unique_ptr<App>> Open(const ServeConfig& config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  void Start();
  void Drain() { draining_.store(true); }
  void Stop();
  bool draining() const { return draining_.load(); }

  store::Store& store() { return store_; }
  const Clock& clock() const { return clock_; }
  service::Transactions& transactions() { return transactions_; }
  service::Authenticator& auth() { return auth_; }
  service::Marketplace& marketplace() { return marketplace_; }
  service::Lending& lending() { return lending_; }
  service::Ecosystems& ecosystems() { return ecosystems_; }
  service::GreenFinance& green() { return green_; }
  service::Evaluation& evaluation() { return evaluation_; }
  service::RiskAnalyses& analyses() { return analyses_; }
  service::Supply& supply() { return supply_; }
  service::Monitor& monitor() { return monitor_; }
  service::Scoring& scoring() { return scoring_; }
  service::FederatedTrainings& federated() { return federated_; }
  service::PensionFinance& pension() { return pension_; }
  // Null without a signing key.
  service::TransparencyLog* log() { return log_.get(); }
  service::Registry* registry() { return registry_.get(); }

 private:
  App(std::unique_ptr<store::Store> owned_store, std::unique_ptr<Clock> owned_clock,
      AppOptions options);

  std::unique_ptr<store::Store> owned_store_;
  std::unique_ptr<Clock> owned_clock_;
  store::Store& store_;
  const Clock& clock_;
  service::Transactions transactions_;
  service::Authenticator auth_;
  service::Marketplace marketplace_;
  service::Lending lending_;
  service::Ecosystems ecosystems_;
  service::GreenFinance green_;
  service::Evaluation evaluation_;
  service::RiskAnalyses analyses_;
  service::Supply supply_;
  service::Monitor monitor_;
  service::Scoring scoring_;
  service::FederatedTrainings federated_;
  service::PensionFinance pension_;
  app::HttpWebhookSender webhook_sender_;
  std::unique_ptr<service::TransparencyLog> log_;
  std::unique_ptr<service::Registry> registry_;
  bool integrate_in_background_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopping_{false};
  std::thread integrator_;
};

}  // namespace corridor::app
