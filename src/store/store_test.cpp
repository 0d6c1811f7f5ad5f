#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/rates.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/testing.hpp"

namespace corridor::store {
namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::OpenStore(GetParam(), dir_);
    ASSERT_NE(store_, nullptr);
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

Result<int64_t> CountTenants(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT count(*) FROM tenants"));
  CORRIDOR_TRY(q.Next());
  return q.Int(0);
}

// The store's own words go to the diagnostic, for the operator's log; the message a client may
// see says what happened without them.
TEST_P(StoreTest, StoreMessagesStayInTheDiagnostic) {
  auto insert = [&] {
    return store_->Write([](Connection& c) -> Result<int64_t> {
      return Execute(c, "INSERT INTO settings (key, value) VALUES ('dup', 1)");
    });
  };
  ASSERT_TRUE(insert());
  auto again = insert();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message.find("UNIQUE"), std::string::npos) << again.error().message;
  EXPECT_NE(again.error().diagnostic.find("UNIQUE"), std::string::npos);
  auto check = store_->Write([](Connection& c) -> Result<int64_t> {
    return Execute(c,
                   "INSERT INTO lpr_rates (effective_date, tenor, rate_bps) VALUES "
                   "('2025-01-01', '1y', -1)");
  });
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kInternal);
  EXPECT_EQ(check.error().message.find("CHECK"), std::string::npos);
  EXPECT_NE(check.error().diagnostic.find("CHECK"), std::string::npos);
}

TEST_P(StoreTest, MigratesToTheLatestVersionOnce) {
  auto version = store_->Read([](Connection& c) -> Result<int64_t> {
    auto q = CORRIDOR_TRY(Query::Make(c, "SELECT max(version) FROM schema_migrations"));
    CORRIDOR_TRY(q.Next());
    return q.Int(0);
  });
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, LatestSchemaVersion());
  // Opening again does not re-run migrations (the seeded rows would collide).
  store_.reset();
  store_ = testing::OpenStore(GetParam(), dir_);
  ASSERT_NE(store_, nullptr);
}

// The entrepreneurship rule's default spread (borrowers pay at most LPR - 150 bp) is defined once,
// in domain/rates.hpp; the migration seeds the city's setting from there.
TEST_P(StoreTest, TheEntrepreneurshipSpreadSettingStartsAtTheDomainDefault) {
  auto spread = store_->Read([](Connection& c) -> Result<int64_t> {
    auto q = CORRIDOR_TRY(
        Query::Make(c, "SELECT value FROM settings WHERE key = 'entrepreneurship_spread_bps'"));
    CORRIDOR_TRY(q.Next());
    return q.Int(0);
  });
  ASSERT_TRUE(spread) << spread.error().message;
  EXPECT_EQ(*spread, domain::kDefaultEntrepreneurshipSpreadBps);
  EXPECT_EQ(*spread, 150);
}

TEST_P(StoreTest, CommitsOnValueAndRollsBackOnError) {
  auto ok = store_->Write([](Connection& c) -> Result<int64_t> {
    return InsertReturningId(c,
                             "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?) "
                             "RETURNING id",
                             "bank", "Bank of Chifeng", 1);
  });
  ASSERT_TRUE(ok);
  auto failed = store_->Write([](Connection& c) -> Result<int64_t> {
    CORRIDOR_TRY(Execute(c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?)", "bank",
                         "Half-written Bank", 2));
    return Fail(Error::Conflict("abandon"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(*store_->Read(CountTenants), 1);
}

// A CHECK constraint is the store's last guard behind the service's own validation: reaching it
// is a defect of ours (internal, logged with a reference), not the caller's conflict. A UNIQUE
// violation is a conflict (StoreMessagesStayInTheDiagnostic).
TEST_P(StoreTest, CheckViolationIsInternal) {
  auto r = store_->Write([](Connection& c) -> Result<int64_t> {
    return Execute(c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?)", "pirate",
                   "x", 1);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST_P(StoreTest, ConcurrentWritersNeverLoseAnUpdate) {
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store_->Write([](Connection& c) -> Result<int64_t> {
          return Execute(c, "UPDATE platform_stats SET deals = deals + 1 WHERE id = 1");
        });
        if (!r) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto deals = store_->Read([](Connection& c) -> Result<int64_t> {
    auto q = CORRIDOR_TRY(Query::Make(c, "SELECT deals FROM platform_stats"));
    CORRIDOR_TRY(q.Next());
    return q.Int(0);
  });
  EXPECT_EQ(*deals, kThreads * kEach);
}

TEST_P(StoreTest, AFailingWriteInAGroupLeavesTheOthersIntact) {
  // Many concurrent writers, every third of which fails after writing: group commit must keep
  // exactly the successful ones.
  constexpr int kThreads = 6, kEach = 30;
  std::vector<std::thread> threads;
  std::atomic<int> committed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const bool fail = (t * kEach + i) % 3 == 0;
        auto r = store_->Write([&](Connection& c) -> Result<int64_t> {
          CORRIDOR_TRY(Execute(c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?)",
                               "bank", "b", t * kEach + i));
          if (fail) return Fail(Error::Conflict("changed my mind"));
          return 1;
        });
        if (r) committed++;
        EXPECT_EQ(r.has_value(), !fail);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), kThreads * kEach * 2 / 3);
  EXPECT_EQ(*store_->Read(CountTenants), committed.load());
  auto divisible = store_->Read([](Connection& c) -> Result<int64_t> {
    auto q = CORRIDOR_TRY(Query::Make(c, "SELECT count(*) FROM tenants WHERE created_at % 3 = 0"));
    CORRIDOR_TRY(q.Next());
    return q.Int(0);
  });
  EXPECT_EQ(*divisible, 0);
}

TEST_P(StoreTest, AnExceptionRollsBackItsWriteAndBecomesAnError) {
  auto r = store_->Write([](Connection& c) -> Result<int64_t> {
    CORRIDOR_TRY(
        Execute(c, "INSERT INTO tenants (kind, name, created_at) VALUES ('bank', 'x', 1)"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(*store_->Read(CountTenants), 0);
}

// Migration 17 rebuilds monitor_alerts, which the alerts' history and webhook deliveries
// reference: a database at version 16 with an alert, its history and a delivery keeps all three,
// the alert as a project's, and the foreign keys are enforced again afterwards.
TEST(Migrations, TheAlertsRebuildKeepsTheirHistory) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "corridor.db").string();
  {
    auto old = SqliteStore::Open({.path = path, .synchronous_full = false, .schema_version = 16});
    ASSERT_TRUE(old) << Describe(old.error());
    auto wrote = (*old)->Write([](Connection& c) -> Status {
      for (const char* sql :
           {"INSERT INTO tenants (id, kind, name, created_at) VALUES (1, 'bank', 'B', 0), "
            "(2, 'enterprise', 'E', 0)",
            "INSERT INTO users (id, tenant_id, role, name, created_at) VALUES (1, 1, "
            "'bank_officer', 'o', 0)",
            "INSERT INTO enterprises (id, tenant_id, uscc, name, region, industry, status, "
            "registered_at) VALUES (1, 2, '91150402MA0000001X', 'E', 'Hongshan', "
            "'new_energy', 'verified', 0)",
            "INSERT INTO monitor_projects (id, code, name, type, capacity_kw, region, "
            "enterprise_id, bank_tenant_id, created_by, created_at, entry_index) VALUES (1, "
            "'WF-1', 'farm', 'wind', 1000, 'Hongshan', 1, 1, 1, 0, 0)",
            "INSERT INTO monitor_alerts (id, fingerprint, project_id, rule_id, indicator, "
            "severity, status, owner_tenant_id, fired_t, fired_value_bits, created_at, "
            "entry_index) VALUES (7, 'project:1/availability/rule:1', 1, 1, 'availability', "
            "'warning', 'firing', 1, 100, 0, 0, 0)",
            "INSERT INTO monitor_alert_events (alert_id, kind, note, created_at) VALUES (7, "
            "'fired', 'n', 0)",
            "INSERT INTO monitor_webhooks (id, tenant_id, url, secret, active, created_by, "
            "created_at) VALUES (1, 1, 'https://b.example', 's', 1, 1, 0)",
            "INSERT INTO monitor_deliveries (webhook_id, alert_id, event, body, status, "
            "next_attempt_at, created_at) VALUES (1, 7, 'fired', '{}', 'pending', 0, 0)"}) {
        CORRIDOR_TRY(Execute(c, sql));
      }
      return {};
    });
    ASSERT_TRUE(wrote) << Describe(wrote.error());
  }
  auto now = SqliteStore::Open({.path = path, .synchronous_full = false});
  ASSERT_TRUE(now) << Describe(now.error());
  auto read = (*now)->Read([](Connection& c) -> Result<std::tuple<std::string, int64_t, int64_t>> {
    auto a = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT subject || ':' || project_id, (SELECT count(*) FROM "
                                      "monitor_alert_events WHERE alert_id = 7), (SELECT count(*) "
                                      "FROM monitor_deliveries WHERE alert_id = 7) FROM "
                                      "monitor_alerts WHERE id = 7"));
    CORRIDOR_TRY(a.Next());
    return std::tuple(a.Text(0), a.Int(1), a.Int(2));
  });
  ASSERT_TRUE(read) << Describe(read.error());
  EXPECT_EQ(std::get<0>(*read), "project:1");
  EXPECT_EQ(std::get<1>(*read), 1);
  EXPECT_EQ(std::get<2>(*read), 1);
  // The references hold again: a history row for an alert that does not exist is refused.
  auto orphan = (*now)->Write([](Connection& c) -> Result<int64_t> {
    return Execute(c,
                   "INSERT INTO monitor_alert_events (alert_id, kind, note, created_at) VALUES "
                   "(99, 'fired', 'n', 0)");
  });
  EXPECT_FALSE(orphan);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::Backends()));

}  // namespace
}  // namespace corridor::store
