#pragma once
// Callers, roles and API tokens. A token is "cor_" followed by 43 base64url characters (32 random
// bytes from libsodium); it is shown once and only its BLAKE2b-256 hash is stored, so a leaked
// database yields no usable token. Tokens carry 256 bits of entropy, so a fast hash suffices (no
// password stretching is needed). Thread-safe.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/db.hpp"

namespace corridor::service {

enum class Role {
  kBureauAdmin,
  kBankOfficer,
  kGuaranteeOfficer,
  kEnterpriseUser,
  kRiskAnalyst,
  kAuditor,
  kInsuranceOfficer,  // a region's social-insurance agency (pension finance)
  kTrustOfficer,      // a pension trust's manager
};
std::string_view ToString(Role role);
Result<Role> ParseRole(std::string_view text);

enum class TenantKind { kBureau, kBank, kGuarantor, kEnterprise, kInsurer, kTrustee };
std::string_view ToString(TenantKind kind);
Result<TenantKind> ParseTenantKind(std::string_view text);

// Who is calling: resolved from the bearer token once per request.
struct Caller {
  int64_t user_id = 0;
  int64_t tenant_id = 0;
  Role role = Role::kAuditor;
  TenantKind tenant_kind = TenantKind::kBureau;
  int64_t enterprise_id = 0;  // set for enterprise users

  // What the caller may read is decided by the organisation it belongs to, never by its role
  // alone: a risk analyst may work for the bureau or for a bank. The bureau's users read the
  // platform; a bank's users (its analysts too) read that bank's book; a guarantee agency's users
  // what it guarantees; an enterprise's user that enterprise's records. Every visibility check
  // and list filter asks these, so a role added to a tenant kind cannot widen what it reads.
  bool platform() const { return tenant_kind == TenantKind::kBureau; }
  bool in_bank() const { return tenant_kind == TenantKind::kBank; }
  bool in_guarantor() const { return tenant_kind == TenantKind::kGuarantor; }
  bool in_enterprise() const { return tenant_kind == TenantKind::kEnterprise; }
  bool in_insurer() const { return tenant_kind == TenantKind::kInsurer; }
  bool in_trustee() const { return tenant_kind == TenantKind::kTrustee; }
};

// A fresh random token (never stored).
std::string GenerateToken();
// Lower-case hex BLAKE2b-256 of the token.
std::string HashToken(std::string_view token);

// Creates a user of `role` in `tenant_id` and returns its token, inside the caller's transaction.
Result<std::string> CreateUserWithToken(store::Connection& conn, const Clock& clock,
                                        int64_t tenant_id, Role role, std::string_view name);

// Resolves bearer tokens to callers, caching hits for a short time so that reads do not touch
// the token table on every request.
class Authenticator {
 public:
  Authenticator(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  Result<Caller> Authenticate(std::string_view token);

 private:
  struct Entry {
    Caller caller;
    int64_t expires_micros;
  };
  static constexpr int64_t kCacheMicros = 30'000'000;
  static constexpr size_t kMaxEntries = 100'000;

  store::Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // token hash -> caller; guarded by mu_
};

}  // namespace corridor::service
