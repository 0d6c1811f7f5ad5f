#pragma once
// SqliteStore: the embedded default backend. WAL journal, foreign keys on, synchronous=FULL so
// that a committed transaction survives a crash of the process or the machine.
//
// Reads borrow a connection from a pool (one per concurrent reader) and see a snapshot.
// Writes use group commit: writers queue; one of them (the leader) takes every queued write,
// runs each in its own savepoint inside one IMMEDIATE transaction on the writer connection, and
// commits once, so a single fsync makes the whole group durable. A write that fails rolls back
// to its savepoint and leaves the others untouched. Nobody is told "done" before the commit.
// Thread-safe.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/db.hpp"

struct sqlite3;

namespace corridor::store {

struct SqliteOptions {
  std::string path;  // file path, or ":memory:"-like names are refused: use a temp file
  bool synchronous_full = true;
  int busy_timeout_ms = 10'000;
  size_t max_group = 128;  // writes committed together at most
  int schema_version = 0;  // migrate to this version; 0: the latest (tests open older schemas)
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
  Status RunWrite(const std::function<bool(Connection&)>& body) override;
  Result<Connection*> BeginRead() override;
  void EndRead(Connection* conn) override;

 private:
  struct PendingWrite {
    const std::function<bool(Connection&)>* body;
    bool done = false;
    Status status;
  };

  explicit SqliteStore(SqliteOptions options);
  Result<std::unique_ptr<SqliteConnection>> OpenConnection();
  // Runs a group of writes in one transaction and completes each of them.
  void RunGroup(const std::vector<PendingWrite*>& group);

  SqliteOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;  // read connections; guarded by mu_

  std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::deque<PendingWrite*> queue_;           // guarded by write_mu_
  bool leading_ = false;                      // a leader is running a group; write_mu_
  std::unique_ptr<SqliteConnection> writer_;  // used only by the leader
};

}  // namespace corridor::store
