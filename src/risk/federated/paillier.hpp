#pragma once
// Paillier's additively homomorphic public-key encryption (P. Paillier, "Public-Key
// Cryptosystems Based on Composite Degree Residuosity Classes", EUROCRYPT 1999), over GMP.
//
//   n = p q,  λ = lcm(p − 1, q − 1),  L(u) = (u − 1) / n
//   E(m; r) = g^m · r^n mod n²           m ∈ Z_n, r ∈ Z*_n
//   D(c)    = L(c^λ mod n²) · μ mod n,   μ = L(g^λ mod n²)⁻¹ mod n
//   E(a) · E(b) = E(a + b),  E(a)^k = E(k a),  E(a)⁻¹ = E(−a)   (all mod n)
//
// Keys are generated with g = n + 1, for which g^m = 1 + m n mod n² costs one multiplication;
// decryption runs mod p² and q² and recombines by the Chinese remainder theorem (Paillier §7),
// and the key holder's own encryptions raise r^n the same way, each about four times faster than
// the textbook form. A key given by its primes (known-answer tests, `corridor calc paillier`)
// may name any valid g.
//
// Reals travel as fixed-point residues: x ↦ round(x · 2^f) mod n, the upper half of Z_n standing
// for negatives (FixedPoint below). Every operation is pure and thread-safe on const keys.
#include <cstddef>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/random.hpp"

namespace corridor::risk::federated {

// The smallest modulus for real work (NIST SP 800-57 Part 1 Rev. 5, Table 2: 2048-bit factoring
// moduli for 112-bit security): the default of vertical LR and the floor of the parties that run
// as processes. The in-process engine takes smaller keys for tests; calc's known answers are tiny.
constexpr size_t kMinKeyBits = 2048;

class PaillierPublicKey {
 public:
  PaillierPublicKey() = default;
  // The key (n, g); g = n + 1 when not given.
  explicit PaillierPublicKey(Big n, std::optional<Big> g = std::nullopt);

  const Big& n() const { return n_; }
  const Big& n_squared() const { return n2_; }
  const Big& g() const { return g_; }
  size_t bits() const;

  // E(m; r) with m reduced mod n and r ∈ Z*_n as given (known answers) or drawn.
  Big Encrypt(const Big& m, const Big& r) const;
  Big Encrypt(const Big& m, Randomness& random) const;
  // E(a + b), E(a + k), E(k · a) and E(−a), k any integer (reduced mod n; a negative k
  // exponentiates the inverse by |k|, never by n − |k|).
  Big Add(const Big& a, const Big& b) const;
  Big AddPlain(const Big& c, const Big& k) const;
  Big MulPlain(const Big& c, const Big& k) const;
  Big Negate(const Big& c) const;
  // Multiplies in a fresh E(0): the same plaintext, a ciphertext unlinkable to the one given.
  Big Rerandomize(const Big& c, Randomness& random) const;
  // Whether c can be a ciphertext of this key: 0 < c < n² and gcd(c, n) = 1. A party checks
  // every ciphertext it receives; one that fails is a malformed message.
  bool IsCiphertext(const Big& c) const;

 private:
  Big n_, n2_, g_;
  bool g_is_n_plus_1_ = true;
};

class PaillierPrivateKey {
 public:
  // From the primes (and g): errors name /p, /q or /g when p or q is not prime, p = q,
  // gcd(n, (p − 1)(q − 1)) ≠ 1, or g is not in Z*_{n²} with L(g^λ mod n²) invertible mod n.
  static Result<PaillierPrivateKey> FromPrimes(const Big& p, const Big& q,
                                               std::optional<Big> g = std::nullopt);
  // A fresh key whose modulus has exactly `bits` bits (even, at least 16): two primes of bits/2
  // bits with their top two bits set.
  static PaillierPrivateKey Generate(size_t bits, Randomness& random);

  const PaillierPublicKey& public_key() const { return public_; }
  const Big& lambda() const { return lambda_; }
  const Big& mu() const { return mu_; }

  // D(c) by CRT; the textbook D(c) = L(c^λ mod n²) · μ mod n for comparison.
  Big Decrypt(const Big& c) const;
  Big DecryptTextbook(const Big& c) const;
  // E(m) with r^n computed mod p² and q² (the key holder knows them); r ∈ Z*_n drawn or given.
  Big Encrypt(const Big& m, Randomness& random) const;
  Big Encrypt(const Big& m, const Big& r) const;

 private:
  friend class FastEncryptor;
  PaillierPublicKey public_;
  Big p_, q_, p2_, q2_, lambda_, mu_;
  Big hp_, hq_;                      // L_p(g^(p−1) mod p²)⁻¹ mod p, and for q
  Big q_inv_p_;                      // q⁻¹ mod p, for the CRT
  Big n_mod_phi_p2_, n_mod_phi_q2_;  // n mod p(p − 1), n mod q(q − 1)
  Big q2_inv_p2_;                    // (q²)⁻¹ mod p²
};

// The key holder's fast encryption (Damgård, Jurik and Nielsen, "A generalization of Paillier's
// public-key system with applications to electronic voting", Int. J. Inf. Secur. 9, 2010, §4;
// the default of Intel's Paillier library): the randomizer r^n is replaced by hs^α with
// hs = (−y²)^n mod n² for one random y and α uniform below 2^⌈|n|/2⌉, and hs^α is computed mod
// p² and q² from tables of hs^(d·2^(8k)) (fixed-base windows of 8 bits), so that an encryption
// costs about |n|/8 multiplications per prime instead of a full exponentiation. Ciphertexts are
// ordinary Paillier ciphertexts: anyone with the public key adds and multiplies them as before.
// Immutable after construction; thread-safe.
class FastEncryptor {
 public:
  FastEncryptor(const PaillierPrivateKey& key, Randomness& random);
  // α for one encryption, drawn from `random` (in order, so that a seed fixes the ciphertexts).
  Big DrawExponent(Randomness& random) const;
  // E(m) = (1 + m n) · hs^α mod n².
  Big Encrypt(const Big& m, const Big& alpha) const;
  const Big& hs() const { return hs_; }

 private:
  Big PowP(const std::vector<Big>& table, const Big& mod, const Big& alpha) const;
  const PaillierPrivateKey& key_;
  size_t alpha_bits_;
  Big hs_;
  std::vector<Big> table_p_, table_q_;  // [window k][digit d − 1] = hs^(d·2^(8k)) mod p², q²
};

// Reals as residues mod n: x ↦ round(x · 2^frac_bits) mod n; a product of two encodings carries
// 2 · frac_bits (Decode's `scale` says how many encodings were multiplied). Decode reads the upper
// half of Z_n as negative.
struct FixedPoint {
  int frac_bits = 40;
  Big Encode(double x, const Big& n) const;
  double Decode(const Big& v, const Big& n, int scale = 1) const;
};

}  // namespace corridor::risk::federated
