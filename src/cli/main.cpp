// corridor: the command-line entry point.
//   corridor serve --db PATH --listen 127.0.0.1:8080
//   corridor demo  --db PATH --seed N [--as-of YYYY-MM-DD]
//   corridor calc MODEL < input.json     |   corridor calc --list
//   corridor audit --url URL --verifier-key KEY --checkpoint FILE [--entry N ...]
//   corridor evaluate [--data CSV | --db PATH --year YYYY] [--format text|json|svg] [-o FILE]
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include "api/api.hpp"
#include "api/http.hpp"
#include "app/app.hpp"
#include "calc/calc.hpp"
#include "cli/audit.hpp"
#include "cli/calc.hpp"
#include "cli/evaluate.hpp"
#include "cli/federated.hpp"
#include "demo/demo.hpp"
#include "server/http_server.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using corridor::Error;

int Die(const Error& e) {
  std::cerr << "corridor: " << corridor::Describe(e) << "\n";
  return 1;
}

struct VerifyOptions {
  std::string db = "var/corridor.db";
  std::string registry_key;  // default: beside the database
  std::string verifier_key;  // instead of the key file
  bool repair = false;
};

// Proves the registry log in a database whole, or says what is damaged. Exit 0 whole (or
// repaired), 1 damaged, 2 usage or I/O errors.
int Verify(const VerifyOptions& o) {
  if (!std::filesystem::exists(o.db)) {
    std::cerr << "corridor verify: no database at " << o.db << "\n";
    return 2;
  }
  auto store = corridor::store::SqliteStore::Open({.path = o.db});
  if (!store) {
    std::cerr << "corridor verify: " << corridor::Describe(store.error()) << "\n";
    return 2;
  }
  const std::string key_path =
      !o.registry_key.empty()
          ? o.registry_key
          : (std::filesystem::path(o.db).parent_path() / "registry-signing.key").string();
  std::optional<corridor::registry::NoteSigner> signer;
  std::optional<corridor::registry::NoteVerifier> verifier;
  if (!o.verifier_key.empty()) {
    auto v = corridor::registry::NoteVerifier::Parse(o.verifier_key);
    if (!v) {
      std::cerr << "corridor verify: --verifier-key: " << v.error().message << "\n";
      return 2;
    }
    verifier = *v;
  } else {
    if (!std::filesystem::exists(key_path)) {
      std::cerr << "corridor verify: no signing key at " << key_path
                << "; pass --registry-key FILE or --verifier-key KEY\n";
      return 2;
    }
    auto s = corridor::service::LoadOrCreateSigningKey(key_path, "unused");
    if (!s) {
      std::cerr << "corridor verify: " << corridor::Describe(s.error()) << "\n";
      return 2;
    }
    verifier = s->Verifier();
    signer = std::move(*s);
  }
  auto found = corridor::service::VerifyLog(**store, *verifier);
  if (!found) {
    std::cerr << "corridor verify: " << corridor::Describe(found.error()) << "\n";
    return 2;
  }
  std::cout << fmt::format("entries {}, integrated {}, tiles {}, checkpoints {}\n", found->entries,
                           found->integrated, found->tiles, found->checkpoints);
  for (const auto& p : found->problems) std::cout << "DAMAGED: " << p << "\n";
  if (found->whole()) {
    std::cout << "the registry log is whole\n";
    return 0;
  }
  if (!o.repair) return 1;
  if (!signer) {
    std::cerr << "corridor verify: --repair signs a checkpoint and needs the signing key\n";
    return 2;
  }
  corridor::SystemClock clock;
  corridor::service::TransparencyLog tlog(**store, clock, std::move(*signer));
  auto repaired = tlog.RepairCheckpoint();
  if (!repaired) {
    std::cout << "NOT REPAIRED: " << repaired.error().message << "\n";
    return 1;
  }
  std::cout << fmt::format("repaired: signed a checkpoint for the {} integrated entries\n",
                           repaired->size);
  return 0;
}

struct ServeOptions {
  std::string db = "var/corridor.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 8;
  std::string access_log = "-";
  std::string registry_key;   // default: beside the database
  std::string federated_key;  // default: beside the database
  std::string origin = "corridor.chifeng/registry";
  std::string web;  // the dashboard's built files (web/dist); empty: the statistics page only
  corridor::server::ServerOptions limits;  // the connection bounds
};

int Serve(const ServeOptions& o) {
  const std::string& db = o.db;
  auto endpoint = corridor::server::ParseListen(o.listen);
  if (!endpoint) return Die(endpoint.error());
  auto app = corridor::app::App::Open({.db = db,
                                       .registry_key = o.registry_key,
                                       .origin = o.origin,
                                       .federated_key = o.federated_key});
  if (!app) return Die(app.error());
  corridor::api::Api api(**app);
  (*app)->Start();  // the log's integrator and the analyses' worker
  if (!o.web.empty()) {
    auto files = corridor::api::StaticFiles::Load(o.web);
    if (!files) return Die(files.error());
    std::fprintf(stderr, "serving the dashboard from %s (%zu files)\n", o.web.c_str(),
                 files->file_count());
    api.ServeDashboard(std::move(*files));
  }
  const std::string& access_log = o.access_log;
  const int threads = o.threads;
  std::FILE* log = nullptr;
  if (access_log == "-") {
    log = stderr;
  } else if (!access_log.empty() && access_log != "off") {
    log = std::fopen(access_log.c_str(), "a");
    if (log == nullptr) return Die(Error::Invalid("/access-log", "cannot open " + access_log));
  }
  corridor::server::ServerOptions options = o.limits;
  options.host = endpoint->first;
  options.port = endpoint->second;
  options.threads = threads;
  options.access_log = log;
  corridor::server::HttpServer server(api, options);
  if (auto started = server.Start(); !started) return Die(started.error());
  std::cerr << fmt::format("corridor: serving http://{}:{}/ (database {})\n", endpoint->first,
                           server.port(), db);
  std::cerr << fmt::format("corridor: registry log {} verifier key {}\n", (*app)->log()->origin(),
                           (*app)->log()->verifier().ToString());
  server.Run();
  (*app)->Drain();
  (*app)->Stop();
  if (log != nullptr && log != stderr) std::fclose(log);
  std::cerr << "corridor: stopped\n";
  return 0;
}

int Demo(const std::string& db, uint64_t seed, const std::string& as_of_text) {
  corridor::SystemClock clock;
  corridor::Date as_of = clock.Today();
  if (!as_of_text.empty()) {
    auto parsed = corridor::Date::Parse(as_of_text);
    if (!parsed) return Die(Error::Invalid("/as-of", "expected YYYY-MM-DD"));
    as_of = *parsed;
  }
  const auto start = std::chrono::steady_clock::now();
  auto store = corridor::store::SqliteStore::Open({.path = db, .synchronous_full = false});
  if (!store) return Die(store.error());
  auto result = corridor::service::GenerateDemo(**store, clock, seed, as_of);
  if (!result) return Die(result.error());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("corridor: demo database {} (seed {}, as of {}) built in {:.1f} s\n", db,
                           seed, as_of.ToString(), seconds);
  for (const auto& [role, token] : result->tokens) std::cout << role << "\t" << token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Corridor: cross-regional finance platform"};
  app.require_subcommand(1);

  ServeOptions so;
  std::string& db = so.db;
  auto* serve = app.add_subcommand("serve", "Serve the JSON HTTP API");
  serve->add_option("--db", so.db, "SQLite database file")->capture_default_str();
  serve->add_option("--listen", so.listen, "HOST:PORT to bind")->capture_default_str();
  serve->add_option("--threads", so.threads, "I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--access-log", so.access_log, "access log file, - for stderr, off to disable")
      ->capture_default_str();
  serve->add_option("--registry-key", so.registry_key,
                    "the log's Ed25519 signing key file, created (0600) at first start "
                    "(default: registry-signing.key beside the database)");
  serve->add_option("--federated-key", so.federated_key,
                    "the platform's party key in federated trainings, created (0600) at first "
                    "start (default: federated-party.key beside the database)");
  serve->add_option("--web", so.web,
                    "serve the dashboard's built files from this folder (web/dist)");
  serve->add_option("--origin", so.origin, "the log's origin (key name) for a new key")
      ->capture_default_str();
  serve
      ->add_option("--max-connections", so.limits.max_connections,
                   "connections served at once (kept below the file limit)")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-address", so.limits.max_connections_per_address,
                   "connections served at once from one peer address")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve
      ->add_option("--idle-timeout-ms", so.limits.idle_timeout_ms,
                   "how long a connection may wait to send a request's header")
      ->check(CLI::Range(100, 3'600'000))
      ->capture_default_str();

  corridor::cli::AuditOptions ao;
  auto* audit = app.add_subcommand("audit", "Verify the registry log against a saved checkpoint");
  audit->add_option("--url", ao.url, "the platform's base URL")->capture_default_str();
  audit->add_option("--verifier-key", ao.verifier_key, "the log's verifier key")->required();
  audit
      ->add_option("--checkpoint", ao.checkpoint_file,
                   "file with the last verified checkpoint (created when absent)")
      ->required();
  audit->add_option("--entry", ao.entries, "log index of an entry to check for inclusion");
  audit->add_flag("--all-entries", ao.all_entries,
                  "check the inclusion of every entry the token may read");
  audit->add_option("--token", ao.token, "API token for reading entries");

  VerifyOptions vo;
  auto* verify = app.add_subcommand(
      "verify", "Recompute the registry log from its entries and check every tile and checkpoint");
  verify->add_option("--db", vo.db, "SQLite database file")->capture_default_str();
  verify->add_option("--registry-key", vo.registry_key,
                     "the log's signing key file (default: registry-signing.key beside the "
                     "database)");
  verify->add_option("--verifier-key", vo.verifier_key,
                     "check signatures with this verifier key instead of the key file");
  verify->add_flag("--repair", vo.repair,
                   "when only checkpoints are missing, sign one for the integrated tree");

  uint64_t seed = 3;
  std::string as_of;
  auto* demo = app.add_subcommand("demo", "Create the deterministic Chifeng demo database");
  demo->add_option("--db", db, "SQLite database file (must be new or empty)")
      ->capture_default_str();
  demo->add_option("--seed", seed, "random seed")->capture_default_str();
  demo->add_option("--as-of", as_of, "business date of the demo, YYYY-MM-DD (default: today)");

  corridor::cli::CalcOptions co;
  auto* calc = app.add_subcommand(
      "calc", "Run a calc model: a JSON object (or a CSV table) in, a JSON object on stdout");
  calc->add_option("model", co.model, "model name");
  calc->add_flag("--list", co.list, "list the models");
  calc->add_option("--input", co.input, "the input file, - for stdin")->capture_default_str();
  calc->add_option("--input-format", co.input_format, "json or csv (default: by the file name)");
  calc->add_option("--set", co.set, "KEY=VALUE added to the input (VALUE as JSON when it parses)");

  corridor::cli::EvaluateOptions eo;
  auto* evaluate = app.add_subcommand(
      "evaluate", "Evaluate the border cities (or a year's recorded cooperation indicators)");
  evaluate->add_option("--data", eo.data, "a CSV with the border-city columns (default: bundled)");
  evaluate->add_option("--db", eo.db, "evaluate the indicators recorded in this database");
  evaluate->add_option("--year", eo.year, "the year of the recorded indicators (with --db)");
  evaluate->add_option("--format", eo.format, "text, json or svg")->capture_default_str();
  evaluate->add_option("-o,--output", eo.output, "write to this file instead of stdout");

  corridor::cli::FederatedOptions fo;
  auto* federated = app.add_subcommand(
      "federated", "Take part in a joint model as one party (keygen, train, score, pool)");
  federated->add_option("command", fo.command, "keygen, train, score or pool")->required();
  federated->add_option("--session", fo.session, "the session file shared by the parties");
  federated->add_option("--party", fo.party, "this party's name in the session");
  federated->add_option("--key", fo.key, "this party's key file (corridor federated keygen)");
  federated->add_option("--data", fo.data, "this party's data, a CSV with a uscc column");
  federated->add_option("--model", fo.model, "this party's part of a trained model (score)");
  federated->add_option("--out", fo.out, "the file to write (the key, the model, the scores)");
  federated->add_option("--seed", fo.seed, "seed the randomness (tests only: keep it secret)");
  federated->add_option("--timeout", fo.timeout_s, "seconds to wait for a peer's message")
      ->check(CLI::Range(1, 86'400))
      ->capture_default_str();
  federated
      ->add_option("--drop-after", fo.drop_after_s,
                   "pool, coordinator: seconds a bank may be silent in a round before it is "
                   "dropped")
      ->check(CLI::Range(1, 86'400))
      ->capture_default_str();
  federated
      ->add_option("--silent-at", fo.silent_at,
                   "pool, bank (drills): go silent in this round after the masks are fixed")
      ->check(CLI::Range(1, 100'000));

  CLI11_PARSE(app, argc, argv);
  if (*federated) return corridor::cli::Federated(fo);
  if (*serve) return Serve(so);
  if (*audit) return corridor::cli::Audit(ao);
  if (*verify) return Verify(vo);
  if (*demo) return Demo(db, seed, as_of);
  if (*evaluate) return corridor::cli::Evaluate(eo);
  if (*calc) {
    if (!co.list && co.model.empty()) {
      std::cerr << "corridor calc: name a model or pass --list\n";
      return 2;
    }
    return corridor::cli::Calc(co);
  }
  return 1;
}
