#include "risk/federated/vertical_lr.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "risk/federated/masking.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/wire.hpp"

namespace corridor::risk::federated {

namespace {

using Matrix = std::vector<std::vector<double>>;
using U128 = UInt128;

constexpr uint32_t kMaxColumns = 10'000;
constexpr size_t kMaxModulusBytes = 4096 / 8;                 // n of at most 4,096 bits
constexpr size_t kMaxCiphertextBytes = 2 * kMaxModulusBytes;  // below n²

// Message kinds.
enum Kind : uint8_t {
  kPublicKey = 1,   // guest → host: the Paillier modulus
  kHostKey,         // host → host: an X25519 public key
  kResiduals,       // guest → host: E(σ(u) − y), one per case
  kMaskedGradient,  // host → guest: E(gradient + mask), one per column
  kUnmasked,        // guest → host: the masked gradient decrypted
  kGram,            // host → guest: masked inner products of the L-BFGS vectors
  kDirection,       // guest → host: stop | reset, and the direction's coefficients
  kProduct,         // host → guest: masked X d
  kStep,            // guest → host: the step length (0: stop)
  kOffset,          // host → guest: Σ wⱼ meanⱼ / sdⱼ, to move the intercept to raw columns
};

// Masked sums travel as fixed point in Z_{2^128} (masking.hpp).

// The columns of one party, standardized (mean 0, sd 1) for the fit.
struct Block {
  Matrix x;  // n × p, standardized
  std::vector<double> mean, sd;
};

Result<Block> Standardize(const Matrix& raw, size_t party) {
  Block b;
  const size_t n = raw.size();
  const size_t p = n == 0 ? 0 : raw[0].size();
  b.mean.assign(p, 0);
  b.sd.assign(p, 0);
  for (const auto& row : raw) {
    for (size_t j = 0; j < p; ++j) b.mean[j] += row[j];
  }
  for (size_t j = 0; j < p; ++j) b.mean[j] /= static_cast<double>(n);
  for (const auto& row : raw) {
    for (size_t j = 0; j < p; ++j) b.sd[j] += (row[j] - b.mean[j]) * (row[j] - b.mean[j]);
  }
  for (size_t j = 0; j < p; ++j) {
    b.sd[j] = std::sqrt(b.sd[j] / static_cast<double>(n));
    if (!(b.sd[j] > 1e-12 * (1 + std::fabs(b.mean[j])))) {
      return Fail(Error::Invalid(fmt::format("/parties/{}/features", party),
                                 fmt::format("column {} is constant: the design is singular", j)));
    }
  }
  b.x.assign(n, std::vector<double>(p));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < p; ++j) b.x[i][j] = (raw[i][j] - b.mean[j]) / b.sd[j];
  }
  return b;
}

// Runs f(0..count−1) on the machine's cores (each index once; f must only write its own slot).
template <typename F>
void ParallelFor(size_t count, F&& f) {
  const size_t threads =
      std::min<size_t>(count, std::max<unsigned>(1, std::thread::hardware_concurrency()));
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) f(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < count; i = next++) f(i);
    });
  }
  for (auto& t : pool) t.join();
}

// Π bases[i]^exps[i] mod m by Pippenger's bucket method: per window of w exponent bits, each base
// joins the bucket of its digit, and Π_d bucket_d^d comes from two running products; about
// (bits / w) · (count + 2^(w+1)) multiplications instead of count · 1.5 · bits.
Big MultiExp(const std::vector<Big>& bases, const std::vector<uint64_t>& exps, const Big& m) {
  uint64_t top = 0;
  for (uint64_t e : exps) top |= e;
  if (top == 0) return 1;
  const int bits = 64 - std::countl_zero(top);
  const int w = bases.size() >= 2048 ? 8 : bases.size() >= 512 ? 7 : bases.size() >= 128 ? 6 : 4;
  const uint64_t mask = (uint64_t{1} << w) - 1;
  std::vector<Big> bucket(size_t{1} << w);
  std::vector<bool> filled(size_t{1} << w);
  Big acc = 1, t;
  bool started = false;
  for (int win = (bits + w - 1) / w - 1; win >= 0; --win) {
    if (started) {
      for (int k = 0; k < w; ++k) {
        mpz_mul(t.get_mpz_t(), acc.get_mpz_t(), acc.get_mpz_t());
        mpz_mod(acc.get_mpz_t(), t.get_mpz_t(), m.get_mpz_t());
      }
    }
    std::fill(filled.begin(), filled.end(), false);
    for (size_t i = 0; i < bases.size(); ++i) {
      const uint64_t digit = (exps[i] >> (win * w)) & mask;
      if (digit == 0) continue;
      if (!filled[digit]) {
        bucket[digit] = bases[i];
        filled[digit] = true;
      } else {
        mpz_mul(t.get_mpz_t(), bucket[digit].get_mpz_t(), bases[i].get_mpz_t());
        mpz_mod(bucket[digit].get_mpz_t(), t.get_mpz_t(), m.get_mpz_t());
      }
    }
    Big run, sum;
    bool have_run = false, have_sum = false;
    for (size_t d = mask; d >= 1; --d) {
      if (filled[d]) {
        if (have_run) {
          mpz_mul(t.get_mpz_t(), run.get_mpz_t(), bucket[d].get_mpz_t());
          mpz_mod(run.get_mpz_t(), t.get_mpz_t(), m.get_mpz_t());
        } else {
          run = bucket[d];
          have_run = true;
        }
      }
      if (!have_run) continue;
      if (have_sum) {
        mpz_mul(t.get_mpz_t(), sum.get_mpz_t(), run.get_mpz_t());
        mpz_mod(sum.get_mpz_t(), t.get_mpz_t(), m.get_mpz_t());
      } else {
        sum = run;
        have_sum = true;
      }
    }
    if (have_sum) {
      mpz_mul(t.get_mpz_t(), acc.get_mpz_t(), sum.get_mpz_t());
      mpz_mod(acc.get_mpz_t(), t.get_mpz_t(), m.get_mpz_t());
      started = true;
    }
  }
  return acc;
}

// The L-BFGS vectors of one party's block: the last steps s, gradient changes y, the gradient.
struct History {
  std::vector<std::vector<double>> s, y;
  std::vector<double> g, d, d_step;  // the gradient, the direction, the step taken along it
  void Push(std::vector<double> step, std::vector<double> change, size_t m) {
    s.push_back(std::move(step));
    y.push_back(std::move(change));
    if (s.size() > m) {
      s.erase(s.begin());
      y.erase(y.begin());
    }
  }
  void Clear() {
    s.clear();
    y.clear();
  }
  // [s_0..s_{m−1}, y_0..y_{m−1}, g]
  std::vector<const std::vector<double>*> Vectors() const {
    std::vector<const std::vector<double>*> v;
    for (const auto& a : s) v.push_back(&a);
    for (const auto& a : y) v.push_back(&a);
    v.push_back(&g);
    return v;
  }
  // The upper triangle of this block's Gram matrix, row by row.
  std::vector<double> Gram() const {
    const auto v = Vectors();
    std::vector<double> out;
    for (size_t a = 0; a < v.size(); ++a) {
      for (size_t b = a; b < v.size(); ++b) {
        double sum = 0;
        for (size_t j = 0; j < v[a]->size(); ++j) sum += (*v[a])[j] * (*v[b])[j];
        out.push_back(sum);
      }
    }
    return out;
  }
  // d = Σ c_v v on this block.
  void Apply(const std::vector<double>& c) {
    const auto v = Vectors();
    d.assign(g.size(), 0);
    for (size_t k = 0; k < v.size(); ++k) {
      for (size_t j = 0; j < d.size(); ++j) d[j] += c[k] * (*v[k])[j];
    }
  }
};

// −log-likelihood of η against y, stably: Σ log(1 + e^η) − y η.
double Loss(const std::vector<double>& eta, std::span<const int> y) {
  double f = 0;
  for (size_t i = 0; i < eta.size(); ++i) {
    const double e = eta[i];
    f += (e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e))) - y[i] * e;
  }
  return f;
}

double Sigmoid(double e) {
  return e >= 0 ? 1 / (1 + std::exp(-e)) : std::exp(e) / (1 + std::exp(e));
}

// The L-BFGS two-loop recursion on the summed Gram matrix (vectors [s.., y.., g]): the
// direction's coefficients; none when the history gives no descent direction.
std::vector<double> TwoLoop(const std::vector<std::vector<double>>& gram, size_t m) {
  const size_t width = 2 * m + 1;
  auto dot = [&](size_t row, const std::vector<double>& c) {
    double s = 0;
    for (size_t k = 0; k < width; ++k) s += gram[row][k] * c[k];
    return s;
  };
  std::vector<double> q(width, 0.0);
  q[2 * m] = 1;
  std::vector<double> alpha(m, 0), rho(m, 0);
  std::vector<bool> used(m, false);
  for (size_t ii = m; ii-- > 0;) {
    const double sy = gram[ii][m + ii];
    if (!(sy > 1e-300)) continue;
    used[ii] = true;
    rho[ii] = 1 / sy;
    alpha[ii] = rho[ii] * dot(ii, q);
    q[m + ii] -= alpha[ii];
  }
  double gamma = 1;
  for (size_t ii = m; ii-- > 0;) {
    if (used[ii]) {
      gamma = gram[ii][m + ii] / gram[m + ii][m + ii];
      break;
    }
  }
  std::vector<double> r(width);
  for (size_t k = 0; k < width; ++k) r[k] = gamma * q[k];
  for (size_t ii = 0; ii < m; ++ii) {
    if (!used[ii]) continue;
    const double beta = rho[ii] * dot(m + ii, r);
    r[ii] += alpha[ii] - beta;
  }
  for (auto& v : r) v = -v;
  return r;
}

// The in-process links between every pair of parties.
struct Mesh {
  size_t parties;
  std::vector<std::unique_ptr<QueueLink>> links;  // links[from * parties + to]
  explicit Mesh(size_t k) : parties(k) {
    for (size_t i = 0; i < k * k; ++i) links.push_back(std::make_unique<QueueLink>());
  }
  QueueLink& At(size_t from, size_t to) { return *links[from * parties + to]; }
  void CloseAll() {
    for (auto& l : links) l->Close();
  }
  uint64_t Bytes() const {
    uint64_t b = 0;
    for (const auto& l : links) b += l->bytes();
    return b;
  }
  uint64_t Frames() const {
    uint64_t b = 0;
    for (const auto& l : links) b += l->frames();
    return b;
  }
};

Randomness PartyRandomness(const VerticalLrOptions& o, std::string_view purpose) {
  return o.seeded ? Randomness::FromSeed(o.seed, purpose) : Randomness::System();
}

class Party {
 public:
  Party(std::span<Channel* const> channels, size_t me, size_t guest, Block block,
        const VerticalLrOptions& o)
      : channels_(channels.begin(), channels.end()),
        me_(me),
        guest_(guest),
        block_(std::move(block)),
        o_(o) {}
  Channel& To(size_t k) { return *channels_[k]; }

 protected:
  size_t Parties() const { return channels_.size(); }
  std::vector<Channel*> channels_;
  size_t me_, guest_;
  Block block_;
  const VerticalLrOptions& o_;
  History h_;
};

class Host : public Party {
 public:
  using Party::Party;

  Result<VerticalLrPartyFit> Run() {
    auto random = PartyRandomness(o_, fmt::format("vertical-lr host {}", me_));
    // The guest's public key.
    const std::string key_body = CORRIDOR_TRY(To(guest_).Expect(kPublicKey, 0));
    Reader key(key_body);
    const Big n = CORRIDOR_TRY(key.Number("n", kMaxModulusBytes));
    CORRIDOR_TRY_STATUS(key.End());
    if (mpz_sizeinbase(n.get_mpz_t(), 2) < std::max<size_t>(256, o_.min_key_bits)) {
      return Fail(
          Error::Invalid("/message/n", fmt::format("the guest's modulus is under {} bits",
                                                   std::max<size_t>(256, o_.min_key_bits))));
    }
    pk_ = PaillierPublicKey(n);
    CORRIDOR_TRY_STATUS(AgreeMasks(random));
    const size_t rows = block_.x.size(), p = block_.mean.size();
    std::vector<double> w(p, 0.0);
    const FixedPoint fp{o_.frac_bits};
    // Each column's features as fixed-point exponents, split by sign.
    std::vector<std::vector<uint64_t>> e_pos(p, std::vector<uint64_t>(rows)), e_neg = e_pos;
    for (size_t i = 0; i < rows; ++i) {
      for (size_t j = 0; j < p; ++j) {
        const int64_t x = std::llround(std::ldexp(block_.x[i][j], o_.frac_bits));
        (x >= 0 ? e_pos : e_neg)[j][i] = static_cast<uint64_t>(x >= 0 ? x : -x);
      }
    }
    for (uint32_t round = 1;; ++round) {
      // 2. The encrypted residuals into this block's encrypted gradient, masked.
      const std::string res_body = CORRIDOR_TRY(To(guest_).Expect(kResiduals, round));
      Reader res(res_body);
      std::vector<Big> c(rows);
      for (size_t i = 0; i < rows; ++i) {
        c[i] = CORRIDOR_TRY(res.Number("residuals", kMaxCiphertextBytes));
        if (!pk_.IsCiphertext(c[i])) {
          return Fail(Error::Invalid(fmt::format("/message/residuals/{}", i),
                                     "is not a ciphertext of the guest's key"));
        }
      }
      CORRIDOR_TRY_STATUS(res.End());
      std::vector<Big> masks(p);
      Writer masked;
      masked.U32(static_cast<uint32_t>(p));
      const Big& n2 = pk_.n_squared();
      // Π E(dᵢ)^xᵢⱼ = E(Σ dᵢ xᵢⱼ): the positive and the negative exponents apart, one inverse;
      // the columns shared among the cores, the masks drawn in order.
      std::vector<Big> grad(p);
      ParallelFor(p, [&](size_t j) {
        const Big pos = MultiExp(c, e_pos[j], n2), neg = MultiExp(c, e_neg[j], n2);
        grad[j] = neg == 1 ? pos : pk_.Add(pos, pk_.Negate(neg));
      });
      for (size_t j = 0; j < p; ++j) {
        masks[j] = random.Below(n);
        masked.Number(pk_.AddPlain(grad[j], masks[j]));
      }
      To(guest_).Send(kMaskedGradient, round, masked.Take());
      const std::string back_body = CORRIDOR_TRY(To(guest_).Expect(kUnmasked, round));
      Reader back(back_body);
      std::vector<double> g(p);
      for (size_t j = 0; j < p; ++j) {
        const Big v = CORRIDOR_TRY(back.Number("unmasked", kMaxModulusBytes));
        if (v >= n) return Fail(Error::Invalid("/message/unmasked", "must be less than n"));
        g[j] = fp.Decode(v - masks[j], n, 2);
      }
      CORRIDOR_TRY_STATUS(back.End());
      if (round > 1) {
        std::vector<double> change(p);
        for (size_t j = 0; j < p; ++j) change[j] = g[j] - h_.g[j];
        h_.Push(h_.d_step, std::move(change), static_cast<size_t>(o_.history));
      }
      h_.g = std::move(g);
      // 3. This block's Gram matrix, masked, and the direction back.
      To(guest_).Send(kGram, round, MaskedSums(h_.Gram(), kGram, round));
      const std::string dir_body = CORRIDOR_TRY(To(guest_).Expect(kDirection, round));
      Reader dir(dir_body);
      const uint8_t stop = CORRIDOR_TRY(dir.U8("stop"));
      const uint8_t reset = CORRIDOR_TRY(dir.U8("reset"));
      const uint32_t count = CORRIDOR_TRY(dir.U32("count"));
      if (stop != 0) {
        CORRIDOR_TRY_STATUS(dir.End());
        break;
      }
      if (reset != 0) h_.Clear();
      if (count != 2 * h_.s.size() + 1) {
        return Fail(Error::Invalid("/message/count", "does not match the history"));
      }
      std::vector<double> coef(count);
      for (auto& v : coef) v = CORRIDOR_TRY(dir.F64("coefficients"));
      CORRIDOR_TRY_STATUS(dir.End());
      h_.Apply(coef);
      // 4. X d on this block, masked; the step length back.
      std::vector<double> z(rows, 0.0);
      for (size_t i = 0; i < rows; ++i) {
        for (size_t j = 0; j < p; ++j) z[i] += block_.x[i][j] * h_.d[j];
      }
      To(guest_).Send(kProduct, round, MaskedSums(z, kProduct, round));
      const std::string step_body = CORRIDOR_TRY(To(guest_).Expect(kStep, round));
      Reader step(step_body);
      const double alpha = CORRIDOR_TRY(step.F64("alpha"));
      CORRIDOR_TRY_STATUS(step.End());
      h_.d_step.assign(p, 0);
      for (size_t j = 0; j < p; ++j) {
        h_.d_step[j] = alpha * h_.d[j];
        w[j] += h_.d_step[j];
      }
    }
    // The raw columns' coefficients, and what they move the intercept by.
    VerticalLrPartyFit r;
    r.means = block_.mean;
    double offset = 0;
    for (size_t j = 0; j < p; ++j) {
      r.coefficients.push_back(w[j] / block_.sd[j]);
      offset += w[j] * block_.mean[j] / block_.sd[j];
    }
    To(guest_).Send(kOffset, 0, Writer().F64(offset).Take());
    return r;
  }

 private:
  // Fixed-point sums plus the masks shared with every other host (added toward higher ids,
  // subtracted toward lower): they cancel in the guest's sum of all hosts.
  std::string MaskedSums(const std::vector<double>& v, uint8_t kind, uint32_t round) {
    std::vector<U128> out(v.size());
    for (size_t i = 0; i < v.size(); ++i) out[i] = ToFixed(v[i]);
    for (const auto& [other, seed] : seeds_) {
      const auto m = MaskStream(seed, kind, round, v.size());
      for (size_t i = 0; i < v.size(); ++i) out[i] += other > me_ ? m[i] : -m[i];
    }
    Writer w;
    w.U32(static_cast<uint32_t>(v.size()));
    for (U128 x : out) w.I128(static_cast<Int128>(x));
    return w.Take();
  }

  Status AgreeMasks(Randomness& random) {
    std::array<uint8_t, 32> secret{};
    random.Fill(secret);
    const auto key = AgreementKey::FromSecret(secret);
    for (size_t k = 0; k < Parties(); ++k) {
      if (k == me_ || k == guest_) continue;
      To(k).Send(kHostKey, 0,
                 Writer()
                     .Bytes(std::string_view(reinterpret_cast<const char*>(key.public_key.data()),
                                             key.public_key.size()))
                     .Take());
    }
    for (size_t k = 0; k < Parties(); ++k) {
      if (k == me_ || k == guest_) continue;
      const std::string r_body = CORRIDOR_TRY(To(k).Expect(kHostKey, 0));
      Reader r(r_body);
      const std::string theirs = CORRIDOR_TRY(r.Bytes("host_key", 32));
      CORRIDOR_TRY_STATUS(r.End());
      seeds_.emplace(
          k, CORRIDOR_TRY(AgreeSeed(
                 key, std::span(reinterpret_cast<const uint8_t*>(theirs.data()), theirs.size()), k,
                 me_, "corridor/federated/mask/v1")));
    }
    return {};
  }

  PaillierPublicKey pk_;
  std::map<size_t, std::array<uint8_t, 32>> seeds_;
};

class Guest : public Party {
 public:
  Guest(std::span<Channel* const> channels, size_t me, Block block, std::span<const int> labels,
        const VerticalLrOptions& o)
      : Party(channels, me, me, std::move(block), o), y_(labels) {}

  Result<VerticalLrPartyFit> Run() {
    auto random = PartyRandomness(o_, "vertical-lr guest");
    const auto key = PaillierPrivateKey::Generate(o_.key_bits, random);
    const Big& n = key.public_key().n();
    const FastEncryptor fast(key, random);
    for (size_t k = 0; k < Parties(); ++k) {
      if (k != me_) To(k).Send(kPublicKey, 0, Writer().Number(n).Take());
    }
    const size_t rows = y_.size(), p = block_.mean.size() + 1;  // the intercept first
    const FixedPoint fp{o_.frac_bits};
    std::vector<double> w(p, 0.0), u(rows, 0.0);
    VerticalLrPartyFit r;
    r.means = block_.mean;
    double f = Loss(u, y_);
    for (uint32_t round = 1;; ++round) {
      // 1. Residuals, encrypted for the hosts; this block's gradient in the clear.
      std::vector<double> d(rows);
      for (size_t i = 0; i < rows; ++i) d[i] = Sigmoid(u[i]) - y_[i];
      if (Parties() > 1) {
        // The blinding factors drawn in order, the exponentiations shared among the cores: the
        // same ciphertexts whatever the number of threads.
        std::vector<Big> alpha(rows), c(rows);
        for (auto& v : alpha) v = fast.DrawExponent(random);
        ParallelFor(rows, [&](size_t i) { c[i] = fast.Encrypt(fp.Encode(d[i], n), alpha[i]); });
        Writer res;
        for (const auto& v : c) res.Number(v);
        const std::string body = res.Take();
        for (size_t k = 0; k < Parties(); ++k) {
          if (k != me_) To(k).Send(kResiduals, round, body);
        }
      }
      std::vector<double> g(p, 0.0);
      for (size_t i = 0; i < rows; ++i) {
        g[0] += d[i];
        for (size_t j = 1; j < p; ++j) g[j] += d[i] * block_.x[i][j - 1];
      }
      // 2. The hosts' masked gradients, decrypted for them.
      for (size_t k = 0; k < Parties(); ++k) {
        if (k == me_) continue;
        const std::string m_body = CORRIDOR_TRY(To(k).Expect(kMaskedGradient, round));
        Reader m(m_body);
        const uint32_t count = CORRIDOR_TRY(m.U32("count"));
        if (count > kMaxColumns) {
          return Fail(Error::Invalid("/message/count", "more columns than a party may hold"));
        }
        Writer back;
        for (uint32_t j = 0; j < count; ++j) {
          const Big c = CORRIDOR_TRY(m.Number("gradient", kMaxCiphertextBytes));
          if (!key.public_key().IsCiphertext(c)) {
            return Fail(Error::Invalid(fmt::format("/message/gradient/{}", j),
                                       "is not a ciphertext of this key"));
          }
          back.Number(key.Decrypt(c));
        }
        CORRIDOR_TRY_STATUS(m.End());
        To(k).Send(kUnmasked, round, back.Take());
      }
      if (round > 1) {
        std::vector<double> change(p);
        for (size_t j = 0; j < p; ++j) change[j] = g[j] - h_.g[j];
        h_.Push(h_.d_step, std::move(change), static_cast<size_t>(o_.history));
      }
      h_.g = std::move(g);
      // 3. The Gram matrix summed over the parties.
      const size_t m = h_.s.size(), width = 2 * m + 1;
      std::vector<U128> sum;
      for (double v : h_.Gram()) sum.push_back(ToFixed(v));
      for (size_t k = 0; k < Parties(); ++k) {
        if (k == me_) continue;
        const auto part = CORRIDOR_TRY(Sums(k, kGram, round, sum.size()));
        for (size_t i = 0; i < sum.size(); ++i) sum[i] += part[i];
      }
      std::vector<std::vector<double>> gram(width, std::vector<double>(width));
      for (size_t a = 0, t = 0; a < width; ++a) {
        for (size_t b = a; b < width; ++b, ++t) gram[a][b] = gram[b][a] = FromFixed(sum[t]);
      }
      const double gnorm = std::sqrt(std::max(gram[2 * m][2 * m], 0.0));
      r.gradient_norm = gnorm;
      const bool done =
          gnorm <= o_.gradient_tolerance || r.iterations >= o_.max_iterations || stalled_ >= 3;
      r.converged = gnorm <= o_.gradient_tolerance;
      std::vector<double> coef;
      bool reset = false;
      double gd = 0;  // the directional derivative gᵀd
      if (!done) {
        coef = TwoLoop(gram, m);
        for (size_t k = 0; k < width; ++k) gd += gram[2 * m][k] * coef[k];
        if (m == 0 || !(gd < 0)) {
          // No descent from the history: steepest descent, scaled to a unit step.
          reset = m > 0;
          coef.assign(1, -1.0 / std::max(1.0, gnorm));
          gd = coef[0] * gram[2 * m][2 * m];
        }
      }
      for (size_t k = 0; k < Parties(); ++k) {
        if (k == me_) continue;
        Writer w8;
        w8.U8(done ? 1 : 0).U8(reset ? 1 : 0).U32(static_cast<uint32_t>(coef.size()));
        for (double v : coef) w8.F64(v);
        To(k).Send(kDirection, round, w8.Take());
      }
      if (done) break;
      if (reset) h_.Clear();
      h_.Apply(coef);
      // 4. X d summed over the parties, and the step by backtracking (Armijo, c₁ = 10⁻⁴).
      std::vector<U128> zsum(rows);
      for (size_t i = 0; i < rows; ++i) {
        double z = h_.d[0];
        for (size_t j = 1; j < p; ++j) z += block_.x[i][j - 1] * h_.d[j];
        zsum[i] = ToFixed(z);
      }
      for (size_t k = 0; k < Parties(); ++k) {
        if (k == me_) continue;
        const auto part = CORRIDOR_TRY(Sums(k, kProduct, round, rows));
        for (size_t i = 0; i < rows; ++i) zsum[i] += part[i];
      }
      std::vector<double> z(rows), trial(rows);
      for (size_t i = 0; i < rows; ++i) z[i] = FromFixed(zsum[i]);
      double alpha = 1, f_new = f;
      bool found = false;
      for (int halvings = 0; halvings < 60; ++halvings, alpha /= 2) {
        for (size_t i = 0; i < rows; ++i) trial[i] = u[i] + alpha * z[i];
        f_new = Loss(trial, y_);
        if (f_new <= f + 1e-4 * alpha * gd) {
          found = true;
          break;
        }
      }
      if (!found) alpha = 0;
      for (size_t k = 0; k < Parties(); ++k) {
        if (k != me_) To(k).Send(kStep, round, Writer().F64(alpha).Take());
      }
      h_.d_step.assign(p, 0);
      for (size_t j = 0; j < p; ++j) {
        h_.d_step[j] = alpha * h_.d[j];
        w[j] += h_.d_step[j];
      }
      if (found) {
        u = trial;
        stalled_ = f - f_new <= 1e-15 * std::fabs(f) ? stalled_ + 1 : 0;
        f = f_new;
      } else {
        ++stalled_;
      }
      ++r.iterations;
      r.trace.push_back(-f);
      if (o_.on_iteration) o_.on_iteration(r.iterations, -f);
    }
    // Back to raw columns: βⱼ = wⱼ / sdⱼ, β₀ = w₀ − Σ wⱼ meanⱼ / sdⱼ over every party's columns.
    double intercept = w[0];
    for (size_t j = 1; j < p; ++j) {
      r.coefficients.push_back(w[j] / block_.sd[j - 1]);
      intercept -= w[j] * block_.mean[j - 1] / block_.sd[j - 1];
    }
    for (size_t k = 0; k < Parties(); ++k) {
      if (k == me_) continue;
      const std::string off_body = CORRIDOR_TRY(To(k).Expect(kOffset, 0));
      Reader off(off_body);
      intercept -= CORRIDOR_TRY(off.F64("offset"));
      CORRIDOR_TRY_STATUS(off.End());
    }
    r.intercept = intercept;
    r.log_likelihood = -Loss(u, y_);
    r.linear_predictor = std::move(u);
    return r;
  }

 private:
  Result<std::vector<U128>> Sums(size_t from, uint8_t kind, uint32_t round, size_t count) {
    const std::string m_body = CORRIDOR_TRY(To(from).Expect(kind, round));
    Reader m(m_body);
    const uint32_t got = CORRIDOR_TRY(m.U32("count"));
    if (got != count) {
      return Fail(Error::Invalid("/message/count", fmt::format("is {}, expected {}", got, count)));
    }
    std::vector<U128> out(count);
    for (auto& v : out) v = static_cast<U128>(CORRIDOR_TRY(m.I128("sums")));
    CORRIDOR_TRY_STATUS(m.End());
    return out;
  }

  std::span<const int> y_;
  int stalled_ = 0;
};

}  // namespace

namespace {

Status CheckOptions(const VerticalLrOptions& options) {
  if (options.key_bits < 256 || options.key_bits > 4096 || options.key_bits % 2 != 0) {
    return Fail(Error::Invalid("/key_bits", "must be even, from 256 to 4096"));
  }
  return {};
}

Status CheckLabels(std::span<const int> labels) {
  size_t bad = 0, good = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      return Fail(Error::Invalid(fmt::format("/labels/{}", i), "must be 0 or 1"));
    }
    (labels[i] == 1 ? bad : good) += 1;
  }
  if (bad == 0 || good == 0) return Fail(Error::Invalid("/labels", "must hold both classes"));
  return {};
}

// Party k's columns checked (one row per case, all rows alike, finite) and standardized.
Result<Block> CheckedBlock(const Matrix& x, size_t k, size_t rows, bool guest) {
  if (x.size() != rows) {
    return Fail(
        Error::Invalid(fmt::format("/parties/{}/features", k),
                       fmt::format("must have one row per label ({}), not {}", rows, x.size())));
  }
  const size_t p = rows == 0 ? 0 : x[0].size();
  if (p == 0 && !guest) {
    return Fail(Error::Invalid(fmt::format("/parties/{}/features", k), "has no columns"));
  }
  for (size_t i = 0; i < rows; ++i) {
    if (x[i].size() != p) {
      return Fail(Error::Invalid(fmt::format("/parties/{}/features/{}", k, i),
                                 fmt::format("must have {} values like the first row", p)));
    }
    for (double v : x[i]) {
      if (!std::isfinite(v)) {
        return Fail(
            Error::Invalid(fmt::format("/parties/{}/features/{}", k, i), "must be finite numbers"));
      }
    }
  }
  return Standardize(x, k);
}

}  // namespace

Result<VerticalLrPartyFit> RunVerticalLrParty(std::span<Channel* const> channels, size_t me,
                                              size_t label_party, const Matrix& features,
                                              std::span<const int> labels,
                                              const VerticalLrOptions& options) {
  CORRIDOR_TRY_STATUS(CheckOptions(options));
  if (me >= channels.size() || label_party >= channels.size()) {
    return Fail(Error::Invalid("/label_party", "must be the index of a party"));
  }
  if (me == label_party) {
    CORRIDOR_TRY_STATUS(CheckLabels(labels));
    Guest g(channels, me, CORRIDOR_TRY(CheckedBlock(features, me, labels.size(), true)), labels,
            options);
    return g.Run();
  }
  Host h(channels, me, label_party,
         CORRIDOR_TRY(CheckedBlock(features, me, features.size(), false)), options);
  return h.Run();
}

Result<VerticalLrFit> FitVerticalLr(std::span<const Matrix> parties, std::span<const int> labels,
                                    size_t label_party, const VerticalLrOptions& options) {
  if (parties.empty()) return Fail(Error::Invalid("/parties", "must name at least one party"));
  if (parties.size() > 16) return Fail(Error::Invalid("/parties", "at most 16 parties"));
  if (label_party >= parties.size()) {
    return Fail(Error::Invalid("/label_party", "must be the index of a party"));
  }
  CORRIDOR_TRY_STATUS(CheckOptions(options));
  CORRIDOR_TRY_STATUS(CheckLabels(labels));
  // Every party's input checked before any thread starts, so that a bad one is named, not
  // seen by the others as a party that left.
  for (size_t k = 0; k < parties.size(); ++k) {
    CORRIDOR_TRY_STATUS(CheckedBlock(parties[k], k, labels.size(), k == label_party));
  }

  Mesh mesh(parties.size());
  std::vector<std::vector<std::unique_ptr<Channel>>> owned(parties.size());
  std::vector<std::vector<Channel*>> channels(parties.size());
  for (size_t me = 0; me < parties.size(); ++me) {
    for (size_t k = 0; k < parties.size(); ++k) {
      owned[me].push_back(k == me ? nullptr
                                  : std::make_unique<Channel>(mesh.At(me, k), mesh.At(k, me)));
      channels[me].push_back(owned[me].back().get());
    }
  }
  std::vector<Result<VerticalLrPartyFit>> results(
      parties.size(), Result<VerticalLrPartyFit>(Fail(Error::Internal("not run"))));
  std::vector<std::thread> threads;
  for (size_t k = 0; k < parties.size(); ++k) {
    threads.emplace_back([&, k] {
      results[k] = RunVerticalLrParty(channels[k], k, label_party, parties[k], labels, options);
      // A party that fails lets the others stop waiting on it.
      if (!results[k]) mesh.CloseAll();
    });
  }
  for (auto& t : threads) t.join();
  // The first refusal is the one to report (the others only saw the protocol stop).
  for (const auto& r : results) {
    if (!r && r.error().code != ErrorCode::kUnavailable) return Fail(r.error());
  }
  for (const auto& r : results) {
    if (!r) return Fail(r.error());
  }
  const auto& g = *results[label_party];
  VerticalLrFit fit;
  fit.intercept = g.intercept;
  fit.log_likelihood = g.log_likelihood;
  fit.iterations = g.iterations;
  fit.gradient_norm = g.gradient_norm;
  fit.converged = g.converged;
  fit.trace = g.trace;
  for (const auto& r : results) fit.coefficients.push_back(r->coefficients);
  fit.bytes_exchanged = mesh.Bytes();
  fit.messages = mesh.Frames();
  return fit;
}

}  // namespace corridor::risk::federated
