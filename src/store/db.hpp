#pragma once
// The narrow SQL seam every repository is written against. A backend (SQLite today, PostgreSQL
// next) implements Connection and Statement; repositories use only portable SQL with `?`
// placeholders and `RETURNING`, so the same repository code and the same store test suite run on
// every backend.
//
// Thread-safety: a Connection and its Statements belong to one thread at a time; the Store hands
// each transaction its own connection.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.hpp"

namespace corridor::store {

// Binds bytes as a BLOB rather than TEXT: Query::Make(c, sql, Blob{bytes}).
struct Blob {
  std::string_view bytes;
};

class Statement {
 public:
  virtual ~Statement() = default;
  virtual void BindInt(int index, int64_t value) = 0;  // 1-based
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  // Advances to the next row: true while a row is available.
  virtual Result<bool> Step() = 0;
  virtual int64_t Int(int column) const = 0;  // 0-based
  // Text or blob bytes.
  virtual std::string Text(int column) const = 0;
  // The same bytes without a copy; valid until the statement steps or resets.
  virtual std::string_view View(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // A prepared, reset statement; cached per connection, valid until the next Prepare of the same
  // text on this connection.
  virtual Result<Statement*> Prepare(std::string_view sql) = 0;
  virtual Status Exec(std::string_view sql) = 0;
  virtual int64_t ChangedRows() const = 0;
  virtual std::string_view Dialect() const = 0;  // "sqlite", "postgres"
};

// Query: a prepared statement with its arguments bound, stepped row by row.
//   Query q = CORRIDOR_TRY(Query::Make(conn, "SELECT name FROM t WHERE id = ?", id));
//   while (CORRIDOR_TRY(q.Next())) use(q.Text(0));
class Query {
 public:
  template <typename... Args>
  static Result<Query> Make(Connection& conn, std::string_view sql, const Args&... args) {
    auto stmt = conn.Prepare(sql);
    if (!stmt) return Fail(std::move(stmt.error()));
    Query q(*stmt);
    int index = 1;
    (q.Bind(index++, args), ...);
    return q;
  }

  Result<bool> Next() { return stmt_->Step(); }
  int64_t Int(int column) const { return stmt_->Int(column); }
  std::string Text(int column) const { return stmt_->Text(column); }
  std::string_view View(int column) const { return stmt_->View(column); }
  bool IsNull(int column) const { return stmt_->IsNull(column); }
  std::optional<int64_t> OptInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }

 private:
  explicit Query(Statement* stmt) : stmt_(stmt) {}

  template <typename T>
  void Bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullopt_t>) {
      stmt_->BindNull(index);
    } else if constexpr (std::is_same_v<T, Blob>) {
      stmt_->BindBlob(index, value.bytes);
    } else if constexpr (std::is_same_v<T, bool>) {
      stmt_->BindInt(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T>) {
      stmt_->BindInt(index, static_cast<int64_t>(value));
    } else if constexpr (std::is_convertible_v<T, std::string_view>) {
      stmt_->BindText(index, std::string_view(value));
    } else {
      // std::optional<U>
      if (value.has_value()) {
        Bind(index, *value);
      } else {
        stmt_->BindNull(index);
      }
    }
  }

  Statement* stmt_;
};

// Runs a statement that returns no rows (or ignores them); the number of changed rows.
template <typename... Args>
Result<int64_t> Execute(Connection& conn, std::string_view sql, const Args&... args) {
  auto q = Query::Make(conn, sql, args...);
  if (!q) return Fail(std::move(q.error()));
  auto more = q->Next();
  if (!more) return Fail(std::move(more.error()));
  while (*more) {
    more = q->Next();
    if (!more) return Fail(std::move(more.error()));
  }
  return conn.ChangedRows();
}

// Runs an INSERT ... RETURNING id and yields the id.
template <typename... Args>
Result<int64_t> InsertReturningId(Connection& conn, std::string_view sql, const Args&... args) {
  auto q = Query::Make(conn, sql, args...);
  if (!q) return Fail(std::move(q.error()));
  auto row = q->Next();
  if (!row) return Fail(std::move(row.error()));
  if (!*row) return Fail(Error::Internal("insert returned no id"));
  const int64_t id = q->Int(0);
  auto done = q->Next();
  if (!done) return Fail(std::move(done.error()));
  return id;
}

// Store: the database as a whole. Thread-safe: any thread may run transactions concurrently.
// A function passed to Write() or Read() runs inside one transaction; it commits when the
// function returns a value and rolls back when it returns an error. An exception thrown by a
// write function rolls it back and comes out as an internal error; one thrown by a read function
// propagates. Write() returns
// only once the transaction is durable. Backends may run several writers' functions in one
// physical transaction (group commit), each inside its own savepoint, so a function must not
// assume it is alone in the transaction: it sees the effects of earlier committed functions only.
class Store {
 public:
  virtual ~Store() = default;

  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::optional<R> result;
    const Status durable = RunWrite([&](Connection& c) {
      result.emplace(fn(c));
      return result->has_value();
    });
    if (!result) return Fail(durable ? Error::Internal("write did not run") : durable.error());
    if (!durable && result->has_value()) return Fail(durable.error());
    return std::move(*result);
  }

  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    auto conn = BeginRead();
    if (!conn) return Fail(std::move(conn.error()));
    try {
      R result = fn(**conn);
      EndRead(*conn);
      return result;
    } catch (...) {
      EndRead(*conn);
      throw;
    }
  }

 protected:
  // Runs `body` in a write transaction; `body` returns whether to keep its changes. The status
  // is that of making kept changes durable. An exception from `body` rolls it back and is
  // reported as an internal error.
  virtual Status RunWrite(const std::function<bool(Connection&)>& body) = 0;
  virtual Result<Connection*> BeginRead() = 0;
  virtual void EndRead(Connection* conn) = 0;
};

}  // namespace corridor::store
