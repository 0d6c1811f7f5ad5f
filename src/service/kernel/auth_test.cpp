#include "service/kernel/auth.hpp"

#include <gtest/gtest.h>

#include <set>

#include "store/testing.hpp"

namespace corridor::service {
namespace {

TEST(Token, IsRandomUrlSafeAndHashedWithBlake2b) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = GenerateToken();
    EXPECT_EQ(t.size(), 4u + 43u);  // "cor_" + base64url(32 bytes) without padding
    EXPECT_EQ(
        t.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
        std::string::npos);
    EXPECT_TRUE(seen.insert(t).second);
  }
  // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte digest, no key).
  EXPECT_EQ(HashToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(HashToken("abc").size(), 64u);
}

TEST(Authenticator, ResolvesStoredTokensOnlyAndNeverStoresThem) {
  store::testing::TempDir dir;
  auto store = store::testing::OpenStore("sqlite", dir);
  ManualClock clock(1'700'000'000'000'000);
  auto token = store->Write([&](store::Connection& c) -> Result<std::string> {
    const int64_t bank = CORRIDOR_TRY(store::InsertReturningId(
        c, "INSERT INTO tenants (kind, name, created_at) VALUES ('bank', 'B', 0) RETURNING id"));
    return CreateUserWithToken(c, clock, bank, Role::kBankOfficer, "officer");
  });
  ASSERT_TRUE(token);
  Authenticator auth(*store, clock);
  auto caller = auth.Authenticate(*token);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->role, Role::kBankOfficer);
  EXPECT_EQ(caller->tenant_kind, TenantKind::kBank);
  EXPECT_EQ(auth.Authenticate(*token + "x").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Basic abc").error().code, ErrorCode::kUnauthenticated);
  // The database holds the hash, not the token.
  auto stored = store->Read([&](store::Connection& c) -> Result<std::string> {
    auto q = CORRIDOR_TRY(store::Query::Make(c, "SELECT token_hash FROM api_tokens"));
    CORRIDOR_TRY(q.Next());
    return q.Text(0);
  });
  EXPECT_EQ(*stored, HashToken(*token));
  EXPECT_EQ(stored->find(token->substr(4)), std::string::npos);
}

}  // namespace
}  // namespace corridor::service
