#include "service/kernel/auth.hpp"

#include <sodium.h>

#include <array>

#include "core/check.hpp"
#include "core/enum_names.hpp"

namespace corridor::service {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoles = {{
    {Role::kBureauAdmin, "bureau_admin"},
    {Role::kBankOfficer, "bank_officer"},
    {Role::kGuaranteeOfficer, "guarantee_officer"},
    {Role::kEnterpriseUser, "enterprise_user"},
    {Role::kRiskAnalyst, "risk_analyst"},
    {Role::kAuditor, "auditor"},
    {Role::kInsuranceOfficer, "insurance_officer"},
    {Role::kTrustOfficer, "trust_officer"},
}};
constexpr std::array<std::pair<TenantKind, std::string_view>, 6> kKinds = {{
    {TenantKind::kBureau, "bureau"},
    {TenantKind::kBank, "bank"},
    {TenantKind::kGuarantor, "guarantor"},
    {TenantKind::kEnterprise, "enterprise"},
    {TenantKind::kInsurer, "insurer"},
    {TenantKind::kTrustee, "trustee"},
}};

void EnsureSodium() { CORRIDOR_CHECK(sodium_init() >= 0); }

}  // namespace

std::string_view ToString(Role role) { return NameOf(kRoles, role); }
Result<Role> ParseRole(std::string_view text) { return ParseName(kRoles, text, "/role"); }
std::string_view ToString(TenantKind kind) { return NameOf(kKinds, kind); }
Result<TenantKind> ParseTenantKind(std::string_view text) {
  return ParseName(kKinds, text, "/kind");
}

std::string GenerateToken() {
  EnsureSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string("cor_") + text.data();
}

std::string HashToken(std::string_view token) {
  EnsureSodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

Result<std::string> CreateUserWithToken(store::Connection& conn, const Clock& clock,
                                        int64_t tenant_id, Role role, std::string_view name) {
  const int64_t now = clock.NowMicros();
  const int64_t user_id = CORRIDOR_TRY(store::InsertReturningId(
      conn,
      "INSERT INTO users (tenant_id, role, name, created_at) VALUES (?, ?, ?, ?) RETURNING id",
      tenant_id, ToString(role), name, now));
  std::string token = GenerateToken();
  CORRIDOR_TRY(store::Execute(
      conn, "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
      HashToken(token), user_id, now));
  return token;
}

Result<Caller> Authenticator::Authenticate(std::string_view token) {
  const Error unauthenticated{ErrorCode::kUnauthenticated, "a valid bearer token is required", {}};
  if (!token.starts_with("cor_") || token.size() > 128) return Fail(unauthenticated);
  const std::string hash = HashToken(token);
  const int64_t now = clock_.NowMicros();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires_micros > now) return it->second.caller;
  }
  auto found = store_.Read([&](store::Connection& c) -> Result<std::optional<Caller>> {
    auto q = CORRIDOR_TRY(
        store::Query::Make(c,
                           "SELECT u.id, u.tenant_id, u.role, t.kind, e.id FROM api_tokens k "
                           "JOIN users u ON u.id = k.user_id JOIN tenants t ON t.id = u.tenant_id "
                           "LEFT JOIN enterprises e ON e.tenant_id = t.id "
                           "WHERE k.token_hash = ? AND k.revoked_at IS NULL",
                           hash));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<Caller>();
    Caller caller;
    caller.user_id = q.Int(0);
    caller.tenant_id = q.Int(1);
    caller.role = CORRIDOR_TRY(ParseRole(q.Text(2)));
    caller.tenant_kind = CORRIDOR_TRY(ParseTenantKind(q.Text(3)));
    caller.enterprise_id = q.IsNull(4) ? 0 : q.Int(4);
    return std::optional<Caller>(caller);
  });
  if (!found) return Fail(std::move(found.error()));
  if (!found->has_value()) return Fail(unauthenticated);
  std::lock_guard lock(mu_);
  if (cache_.size() >= kMaxEntries) cache_.clear();
  cache_[hash] = Entry{**found, now + kCacheMicros};
  return **found;
}

}  // namespace corridor::service
