#include "risk/federated/paillier.hpp"

#include <cmath>
#include <utility>

#include "core/check.hpp"

namespace corridor::risk::federated {

namespace {

Big PowMod(const Big& base, const Big& exponent, const Big& modulus) {
  Big out;
  mpz_powm(out.get_mpz_t(), base.get_mpz_t(), exponent.get_mpz_t(), modulus.get_mpz_t());
  return out;
}

// The inverse of a mod m; nullopt when there is none.
std::optional<Big> Inverse(const Big& a, const Big& m) {
  Big out;
  if (mpz_invert(out.get_mpz_t(), a.get_mpz_t(), m.get_mpz_t()) == 0) return std::nullopt;
  return out;
}

Big Mod(const Big& a, const Big& m) {
  Big out;
  mpz_mod(out.get_mpz_t(), a.get_mpz_t(), m.get_mpz_t());
  return out;
}

Big Gcd(const Big& a, const Big& b) {
  Big out;
  mpz_gcd(out.get_mpz_t(), a.get_mpz_t(), b.get_mpz_t());
  return out;
}

Big Lcm(const Big& a, const Big& b) {
  Big out;
  mpz_lcm(out.get_mpz_t(), a.get_mpz_t(), b.get_mpz_t());
  return out;
}

bool IsPrime(const Big& v) { return v > 1 && mpz_probab_prime_p(v.get_mpz_t(), 40) > 0; }

}  // namespace

// --- the public key ---

PaillierPublicKey::PaillierPublicKey(Big n, std::optional<Big> g)
    : n_(std::move(n)), n2_(n_ * n_), g_(g ? *g : n_ + 1), g_is_n_plus_1_(!g || *g == n_ + 1) {}

size_t PaillierPublicKey::bits() const { return mpz_sizeinbase(n_.get_mpz_t(), 2); }

Big PaillierPublicKey::Encrypt(const Big& m, const Big& r) const {
  const Big mm = Mod(m, n_);
  // g = n + 1: g^m = (1 + n)^m = 1 + m n mod n² (the binomial's other terms carry n²).
  const Big gm = g_is_n_plus_1_ ? Mod(1 + mm * n_, n2_) : PowMod(g_, mm, n2_);
  return Mod(gm * PowMod(r, n_, n2_), n2_);
}

Big PaillierPublicKey::Encrypt(const Big& m, Randomness& random) const {
  return Encrypt(m, random.UnitBelow(n_));
}

Big PaillierPublicKey::Add(const Big& a, const Big& b) const { return Mod(a * b, n2_); }

Big PaillierPublicKey::AddPlain(const Big& c, const Big& k) const {
  const Big kk = Mod(k, n_);
  const Big gk = g_is_n_plus_1_ ? Mod(1 + kk * n_, n2_) : PowMod(g_, kk, n2_);
  return Mod(c * gk, n2_);
}

Big PaillierPublicKey::MulPlain(const Big& c, const Big& k) const {
  if (k < 0) return PowMod(Negate(c), -k, n2_);
  return PowMod(c, k, n2_);
}

Big PaillierPublicKey::Negate(const Big& c) const {
  const auto inv = Inverse(c, n2_);
  CORRIDOR_CHECK(inv.has_value());  // a ciphertext is a unit mod n²; IsCiphertext checks it
  return *inv;
}

Big PaillierPublicKey::Rerandomize(const Big& c, Randomness& random) const {
  return Mod(c * PowMod(random.UnitBelow(n_), n_, n2_), n2_);
}

bool PaillierPublicKey::IsCiphertext(const Big& c) const {
  return c > 0 && c < n2_ && Gcd(c, n_) == 1;
}

// --- the private key ---

Result<PaillierPrivateKey> PaillierPrivateKey::FromPrimes(const Big& p, const Big& q,
                                                          std::optional<Big> g) {
  if (!IsPrime(p)) return Fail(Error::Invalid("/p", "must be a prime"));
  if (!IsPrime(q)) return Fail(Error::Invalid("/q", "must be a prime"));
  if (p == q) return Fail(Error::Invalid("/q", "must differ from p"));
  const Big n = p * q;
  if (Gcd(n, (p - 1) * (q - 1)) != 1) {
    return Fail(Error::Invalid("/q", "gcd(p q, (p − 1)(q − 1)) must be 1"));
  }
  PaillierPrivateKey k;
  k.public_ = PaillierPublicKey(n, std::move(g));
  const Big& n2 = k.public_.n_squared();
  const Big& gg = k.public_.g();
  if (gg <= 0 || gg >= n2 || Gcd(gg, n) != 1) {
    return Fail(Error::Invalid("/g", "must be in Z*_{n²}: 0 < g < n² and coprime to n"));
  }
  k.p_ = p;
  k.q_ = q;
  k.p2_ = p * p;
  k.q2_ = q * q;
  k.lambda_ = Lcm(p - 1, q - 1);
  const Big u = PowMod(gg, k.lambda_, n2);
  const auto mu = Inverse((u - 1) / n, n);
  if (!mu) return Fail(Error::Invalid("/g", "L(g^λ mod n²) must be invertible mod n"));
  k.mu_ = *mu;
  // The CRT forms (Paillier §7): h_p = L_p(g^(p−1) mod p²)⁻¹ mod p, L_p(u) = (u − 1) / p.
  const auto hp = Inverse((PowMod(gg, p - 1, k.p2_) - 1) / p, p);
  const auto hq = Inverse((PowMod(gg, q - 1, k.q2_) - 1) / q, q);
  if (!hp || !hq) return Fail(Error::Invalid("/g", "g must have order divisible by n"));
  k.hp_ = *hp;
  k.hq_ = *hq;
  k.q_inv_p_ = *Inverse(q, p);
  k.n_mod_phi_p2_ = Mod(n, p * (p - 1));
  k.n_mod_phi_q2_ = Mod(n, q * (q - 1));
  k.q2_inv_p2_ = *Inverse(k.q2_, k.p2_);
  return k;
}

PaillierPrivateKey PaillierPrivateKey::Generate(size_t bits, Randomness& random) {
  CORRIDOR_CHECK(bits >= 16 && bits % 2 == 0);
  const size_t half = bits / 2;
  auto prime = [&]() {
    // The top two bits set: the product of two such has exactly `bits` bits.
    Big v = random.WithBits(half);
    Big second = 1;
    second <<= half - 2;
    v |= second;
    Big out;
    mpz_nextprime(out.get_mpz_t(), v.get_mpz_t());
    return out;
  };
  for (;;) {
    const Big p = prime();
    const Big q = prime();
    if (p == q || mpz_sizeinbase(Big(p * q).get_mpz_t(), 2) != bits) continue;
    auto k = FromPrimes(p, q);
    if (k) return std::move(*k);
  }
}

Big PaillierPrivateKey::Decrypt(const Big& c) const {
  const Big mp = Mod((PowMod(c, p_ - 1, p2_) - 1) / p_ * hp_, p_);
  const Big mq = Mod((PowMod(c, q_ - 1, q2_) - 1) / q_ * hq_, q_);
  return mq + q_ * Mod((mp - mq) * q_inv_p_, p_);
}

Big PaillierPrivateKey::DecryptTextbook(const Big& c) const {
  const Big& n = public_.n();
  return Mod((PowMod(c, lambda_, public_.n_squared()) - 1) / n * mu_, n);
}

Big PaillierPrivateKey::Encrypt(const Big& m, Randomness& random) const {
  return Encrypt(m, random.UnitBelow(public_.n()));
}

Big PaillierPrivateKey::Encrypt(const Big& m, const Big& r) const {
  // r^n mod n² from r^n mod p² and mod q² (exponents reduced by φ(p²) = p(p − 1)).
  const Big rp = PowMod(r, n_mod_phi_p2_, p2_);
  const Big rq = PowMod(r, n_mod_phi_q2_, q2_);
  const Big rn = rq + q2_ * Mod((rp - rq) * q2_inv_p2_, p2_);
  return public_.AddPlain(rn, m);
}

// --- fast encryption ---

namespace {
constexpr int kWindowBits = 8;
constexpr size_t kDigits = (1U << kWindowBits) - 1;
}  // namespace

FastEncryptor::FastEncryptor(const PaillierPrivateKey& key, Randomness& random) : key_(key) {
  const Big& n = key.public_key().n();
  const Big& n2 = key.public_key().n_squared();
  alpha_bits_ = (mpz_sizeinbase(n.get_mpz_t(), 2) + 1) / 2;
  const Big y = random.UnitBelow(n);
  hs_ = PowMod(Mod(-(y * y), n), n, n2);
  const size_t windows = (alpha_bits_ + kWindowBits - 1) / kWindowBits;
  auto build = [&](const Big& mod, std::vector<Big>& table) {
    table.resize(windows * kDigits);
    Big base = Mod(hs_, mod), t;
    for (size_t k = 0; k < windows; ++k) {
      Big* row = &table[k * kDigits];
      row[0] = base;
      for (size_t d = 1; d < kDigits; ++d) {
        mpz_mul(t.get_mpz_t(), row[d - 1].get_mpz_t(), base.get_mpz_t());
        mpz_mod(row[d].get_mpz_t(), t.get_mpz_t(), mod.get_mpz_t());
      }
      // The next window's base: base^(2^8) = row[254] · base.
      mpz_mul(t.get_mpz_t(), row[kDigits - 1].get_mpz_t(), base.get_mpz_t());
      mpz_mod(base.get_mpz_t(), t.get_mpz_t(), mod.get_mpz_t());
    }
  };
  build(key.p2_, table_p_);
  build(key.q2_, table_q_);
}

Big FastEncryptor::DrawExponent(Randomness& random) const {
  return random.Below(Big(1) << alpha_bits_);
}

Big FastEncryptor::PowP(const std::vector<Big>& table, const Big& mod, const Big& alpha) const {
  Big acc = 1, t;
  const size_t windows = table.size() / kDigits;
  for (size_t k = 0; k < windows; ++k) {
    const size_t bit = k * kWindowBits;
    const mp_limb_t limb =
        mpz_getlimbn(alpha.get_mpz_t(), static_cast<mp_size_t>(bit / GMP_NUMB_BITS));
    const size_t digit = static_cast<size_t>(limb >> (bit % GMP_NUMB_BITS)) & kDigits;
    if (digit == 0) continue;
    mpz_mul(t.get_mpz_t(), acc.get_mpz_t(), table[k * kDigits + digit - 1].get_mpz_t());
    mpz_mod(acc.get_mpz_t(), t.get_mpz_t(), mod.get_mpz_t());
  }
  return acc;
}

Big FastEncryptor::Encrypt(const Big& m, const Big& alpha) const {
  const Big rp = PowP(table_p_, key_.p2_, alpha);
  const Big rq = PowP(table_q_, key_.q2_, alpha);
  const Big rn = rq + key_.q2_ * Mod((rp - rq) * key_.q2_inv_p2_, key_.p2_);
  return key_.public_key().AddPlain(rn, m);
}

// --- fixed point ---

Big FixedPoint::Encode(double x, const Big& n) const {
  const double scaled = std::nearbyint(std::ldexp(x, frac_bits));
  Big v;
  mpz_set_d(v.get_mpz_t(), scaled);
  return Mod(v, n);
}

double FixedPoint::Decode(const Big& v, const Big& n, int scale) const {
  Big signed_v = Mod(v, n);
  if (signed_v > n / 2) signed_v -= n;
  return std::ldexp(mpz_get_d(signed_v.get_mpz_t()), -frac_bits * scale);
}

}  // namespace corridor::risk::federated
