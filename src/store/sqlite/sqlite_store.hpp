#pragma once
// SqliteStore: the embedded default backend. WAL journal, foreign keys on, synchronous=FULL so
// that a committed transaction survives a crash of the process or the machine. Each transaction
// borrows a connection from a pool (one per concurrent transaction); write transactions begin
// IMMEDIATE, so writers queue on SQLite's lock (busy timeout) instead of failing mid-way.
// Thread-safe.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/db.hpp"

struct sqlite3;

namespace corridor::store {

struct SqliteOptions {
  std::string path;           // file path, or ":memory:"-like names are refused: use a temp file
  bool synchronous_full = true;
  int busy_timeout_ms = 10'000;
};

class SqliteConnection;

class SqliteStore final : public Store {
 public:
  // Opens (creating if absent) and migrates the database.
  static Result<std::unique_ptr<SqliteStore>> Open(SqliteOptions options);
  ~SqliteStore() override;

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  const std::string& path() const { return options_.path; }

 protected:
  Result<Connection*> Begin(TxMode mode) override;
  Status Finish(Connection* conn, bool commit) override;

 private:
  explicit SqliteStore(SqliteOptions options);
  Result<std::unique_ptr<SqliteConnection>> OpenConnection();

  SqliteOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;  // guarded by mu_
};

}  // namespace corridor::store
