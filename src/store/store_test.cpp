#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/rates.hpp"
#include "store/migrations.hpp"
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

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::Backends()));

}  // namespace
}  // namespace corridor::store
