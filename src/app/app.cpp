#include "app/app.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "service/kernel/secret_file.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace corridor::app {

namespace {

int Threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

App::App(store::Store& store, const Clock& clock, AppOptions options)
    : store_(store),
      clock_(clock),
      transactions_(store, clock),
      auth_(store, clock),
      marketplace_(store, clock),
      lending_(store, clock),
      ecosystems_(store, clock),
      green_(store, clock),
      evaluation_(store, clock),
      analyses_(store, clock, Threads(options.analysis_threads)),
      supply_(store, clock),
      monitor_(store, clock, ecosystems_),
      scoring_(store, clock),
      federated_(store, clock, options.federated_key),
      pension_(store, clock),
      integrate_in_background_(options.integrate_in_background) {
  if (options.registry_signer) {
    log_ = std::make_unique<service::TransparencyLog>(store_, clock_,
                                                      std::move(*options.registry_signer));
    registry_ = std::make_unique<service::Registry>(store_, clock_, *log_);
  }
}

App::App(std::unique_ptr<store::Store> owned_store, std::unique_ptr<Clock> owned_clock,
         AppOptions options)
    : App(*owned_store, *owned_clock, std::move(options)) {
  owned_store_ = std::move(owned_store);
  owned_clock_ = std::move(owned_clock);
}

namespace {

// The platform's federated party key: the 32-byte Ed25519 seed in hex, made (0600) at first
// start.
Result<risk::federated::PartyKey> LoadOrCreatePartyKey(const std::string& path) {
  if (const auto text = CORRIDOR_TRY(service::ReadSecretFile(path, "/federated-key"))) {
    const std::string line = text->substr(0, text->find('\n'));
    return risk::federated::PartyKey::FromSeed(
        CORRIDOR_TRY(risk::federated::ParseKeyHex(line, "/federated-key")));
  }
  const auto key = risk::federated::PartyKey::Generate();
  CORRIDOR_TRY_STATUS(
      service::CreateSecretFile(path, risk::federated::ToHex(key.seed) + "\n", "/federated-key"));
  return key;
}

}  // namespace

Result<std::unique_ptr<App>> App::Open(const ServeConfig& config) {
  auto store = CORRIDOR_TRY(store::SqliteStore::Open({.path = config.db}));
  const std::string key_path =
      !config.registry_key.empty()
          ? config.registry_key
          : (std::filesystem::path(config.db).parent_path() / "registry-signing.key").string();
  auto signer = CORRIDOR_TRY(service::LoadOrCreateSigningKey(key_path, config.origin));
  const std::string party_path =
      !config.federated_key.empty()
          ? config.federated_key
          : (std::filesystem::path(config.db).parent_path() / "federated-party.key").string();
  AppOptions options{.analysis_threads = config.analysis_threads,
                     .registry_signer = std::move(signer),
                     .federated_key = CORRIDOR_TRY(LoadOrCreatePartyKey(party_path))};
  std::unique_ptr<App> app(
      new App(std::move(store), std::make_unique<SystemClock>(), std::move(options)));
  // The tree is whole before the first request: whatever a stopped process sequenced is
  // integrated and signed now.
  if (app->log_ != nullptr) CORRIDOR_TRY(app->log_->Integrate());
  return app;
}

App::~App() { Stop(); }

void App::Start() {
  analyses_.Start();
  federated_.Start();
  if (log_ != nullptr && integrate_in_background_ && !integrator_.joinable()) {
    stopping_.store(false);
    integrator_ = std::thread([this] {
      for (int tick = 0; !stopping_.load(); ++tick) {
        if (auto r = log_->Integrate(); !r) {
          std::cerr << "corridor: log integration failed: " << Describe(r.error()) << "\n";
        }
        // Each second, the alerts' webhook deliveries that are due.
        if (tick % 10 == 0 && !draining_.load()) {
          if (auto r = monitor_.DeliverDue(webhook_sender_); !r) {
            std::cerr << "corridor: webhook delivery failed: " << Describe(r.error()) << "\n";
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
}

void App::Stop() {
  stopping_.store(true);
  if (integrator_.joinable()) integrator_.join();
  analyses_.Stop();
  federated_.Stop();
}

}  // namespace corridor::app
