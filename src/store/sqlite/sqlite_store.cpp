#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "store/migrations.hpp"

namespace corridor::store {
namespace {

// SQLite's own words go to the diagnostic (the operator's log), never to the message a client
// sees. A UNIQUE or PRIMARY KEY violation is a conflict with a record stored meanwhile; any
// other constraint failing means the service let an inconsistent change through: internal.
Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  Error e;
  e.diagnostic = fmt::format("{}: {} (sqlite {})", what,
                             db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), ext);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    e.code = ErrorCode::kConflict;
    e.message = "the change conflicts with a record already stored";
  } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    e.code = ErrorCode::kUnavailable;
    e.message = "the store is busy; retry";
  } else {
    e.code = ErrorCode::kInternal;
    e.message = "the store could not complete the request";
  }
  return e;
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindText(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  void BindBlob(int index, std::string_view bytes) override {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  Result<bool> Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = SqliteError(db_, rc, "step");
    sqlite3_reset(stmt_);
    return Fail(std::move(e));
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const override {
    if (sqlite3_column_type(stmt_, column) == SQLITE_BLOB) {
      const auto* b = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
      return std::string(b, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    const auto* p = sqlite3_column_text(stmt_, column);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::string_view View(int column) const override {
    const void* p = sqlite3_column_type(stmt_, column) == SQLITE_BLOB
                        ? sqlite3_column_blob(stmt_, column)
                        : static_cast<const void*>(sqlite3_column_text(stmt_, column));
    if (p == nullptr) return {};
    return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  Result<Statement*> Prepare(std::string_view sql) override {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, fmt::format("prepare {}", sql)));
    auto owned = std::make_unique<SqliteStatement>(db_, stmt);
    Statement* raw = owned.get();
    cache_.emplace(std::string(sql), std::move(owned));
    return raw;
  }

  // Exec for the few fixed statements run on every transaction (BEGIN, COMMIT, SAVEPOINT, ...):
  // prepared once and cached instead of parsed each time.
  Status ExecCached(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt) return Fail(std::move(stmt.error()));
    auto* s = static_cast<SqliteStatement*>(*stmt);
    auto stepped = s->Step();
    s->Reset();
    if (!stepped) return Fail(std::move(stepped.error()));
    return {};
  }

  Status Exec(std::string_view sql) override {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Error e = SqliteError(db_, rc, "exec");
      e.diagnostic += ": " + msg;
      return Fail(std::move(e));
    }
    return {};
  }

  int64_t ChangedRows() const override { return sqlite3_changes64(db_); }
  std::string_view Dialect() const override { return "sqlite"; }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // A statement stepped but not reset keeps its read snapshot open past COMMIT; reset them all
  // so that each transaction starts from the newest snapshot.
  void ResetStatements() {
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
         s = sqlite3_next_stmt(db_, s)) {
      sqlite3_reset(s);
    }
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(SqliteOptions options) {
  if (options.path.empty() || options.path.starts_with(":memory:")) {
    return Fail(Error::Invalid("/db", "a database file path is required"));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(options)));
  auto conn = store->OpenConnection();
  if (!conn) return Fail(std::move(conn.error()));
  CORRIDOR_TRY_STATUS(Migrate(**conn, store->options_.schema_version > 0
                                          ? store->options_.schema_version
                                          : LatestSchemaVersion()));
  store->idle_.push_back(std::move(*conn));
  return store;
}

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteConnection>> SqliteStore::OpenConnection() {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(options_.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, fmt::format("open {}", options_.path));
    sqlite3_close_v2(db);
    return Fail(std::move(e));
  }
  sqlite3_busy_timeout(db, options_.busy_timeout_ms);
  auto conn = std::make_unique<SqliteConnection>(db);
  CORRIDOR_TRY_STATUS(conn->Exec("PRAGMA journal_mode=WAL"));
  CORRIDOR_TRY_STATUS(conn->Exec("PRAGMA foreign_keys=ON"));
  CORRIDOR_TRY_STATUS(conn->Exec(options_.synchronous_full ? "PRAGMA synchronous=FULL"
                                                           : "PRAGMA synchronous=NORMAL"));
  CORRIDOR_TRY_STATUS(conn->Exec("PRAGMA temp_store=MEMORY"));
  CORRIDOR_TRY_STATUS(conn->Exec("PRAGMA cache_size=-65536"));  // 64 MiB per connection
  return conn;
}

Result<Connection*> SqliteStore::BeginRead() {
  std::unique_ptr<SqliteConnection> conn;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!conn) {
    auto opened = OpenConnection();
    if (!opened) return Fail(std::move(opened.error()));
    conn = std::move(*opened);
  }
  auto begun = conn->ExecCached("BEGIN DEFERRED");
  if (!begun) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
    return Fail(std::move(begun.error()));
  }
  return conn.release();
}

void SqliteStore::EndRead(Connection* raw) {
  std::unique_ptr<SqliteConnection> conn(static_cast<SqliteConnection*>(raw));
  conn->ResetStatements();
  if (conn->InTransaction()) (void)conn->ExecCached("COMMIT");
  if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
}

Status SqliteStore::RunWrite(const std::function<bool(Connection&)>& body) {
  PendingWrite me{&body, false, {}};
  std::unique_lock lock(write_mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leading_) {
      write_cv_.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<PendingWrite*> group;
    while (!queue_.empty() && group.size() < options_.max_group) {
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    RunGroup(group);  // sets each write's status, outside the lock
    lock.lock();
    // `done` is published under the lock, after the statuses: a waiter that sees it done also
    // sees its status.
    for (PendingWrite* w : group) w->done = true;
    leading_ = false;
    write_cv_.notify_all();
  }
  return me.status;
}

void SqliteStore::RunGroup(const std::vector<PendingWrite*>& group) {
  auto fail = [](const std::vector<PendingWrite*>& writes, const Error& e) {
    for (PendingWrite* w : writes) w->status = Fail(e);
  };
  if (!writer_) {
    auto opened = OpenConnection();
    if (!opened) return fail(group, opened.error());
    writer_ = std::move(*opened);
  }
  SqliteConnection& c = *writer_;
  if (auto begun = c.ExecCached("BEGIN IMMEDIATE"); !begun) return fail(group, begun.error());
  std::vector<PendingWrite*> kept;
  for (size_t i = 0; i < group.size(); ++i) {
    PendingWrite* w = group[i];
    if (auto sp = c.ExecCached("SAVEPOINT w"); !sp) {
      w->status = Fail(sp.error());
      continue;
    }
    bool keep = false;
    try {
      keep = (*w->body)(c);
    } catch (const std::exception& e) {
      w->status = Fail([&] {
        Error failed = Error::Internal("the store could not complete the request");
        failed.diagnostic = std::string("write failed: ") + e.what();
        return failed;
      }());
    } catch (...) {
      w->status = Fail(Error::Internal("write failed"));
    }
    c.ResetStatements();
    if (!c.InTransaction()) {
      // SQLite abandoned the whole transaction (e.g. disk full): the writes kept so far are
      // gone too. Fail them and carry on with a fresh transaction for the rest.
      const Error lost{ErrorCode::kUnavailable, "the write transaction was aborted; retry", {}};
      fail(kept, lost);
      kept.clear();
      if (keep) w->status = Fail(lost);
      if (auto again = c.ExecCached("BEGIN IMMEDIATE"); !again) {
        fail(std::vector<PendingWrite*>(group.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                        group.end()),
             again.error());
        return;
      }
      continue;
    }
    if (!keep) {
      (void)c.ExecCached("ROLLBACK TO w");
      (void)c.ExecCached("RELEASE w");
      continue;
    }
    if (auto released = c.ExecCached("RELEASE w"); !released) {
      (void)c.ExecCached("ROLLBACK TO w");
      (void)c.ExecCached("RELEASE w");
      w->status = Fail(released.error());
      continue;
    }
    kept.push_back(w);
  }
  const Status committed = c.ExecCached("COMMIT");
  if (!committed && c.InTransaction()) (void)c.Exec("ROLLBACK");
  for (PendingWrite* w : kept) w->status = committed;
}

}  // namespace corridor::store
