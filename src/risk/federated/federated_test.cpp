#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <thread>

#include "core/rng.hpp"
#include "risk/federated/horizontal_lr.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/psi.hpp"
#include "risk/federated/secagg.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/transport.hpp"
#include "risk/federated/vertical_lr.hpp"
#include "risk/federated/wire.hpp"
#include "risk/scoring/german_credit.hpp"
#include "risk/scoring/logistic.hpp"

namespace corridor::risk::federated {
namespace {

// --- Paillier ---

// Known answers with g given. Wikipedia, "Paillier cryptosystem", worked example: p = 7, q = 11,
// g = 5652, m = 42, r = 23 give c = 4624, λ = 30, μ = 74. The Apache Pirk developers' list
// (dev@pirk.incubator.apache.org, 2016-09-19): p = 3, q = 5, g = 16, m = 12, r = 7 give c = 208.
TEST(Paillier, KnownAnswers) {
  auto k = PaillierPrivateKey::FromPrimes(7, 11, Big(5652));
  ASSERT_TRUE(k) << Describe(k.error());
  EXPECT_EQ(k->public_key().n(), 77);
  EXPECT_EQ(k->lambda(), 30);
  EXPECT_EQ(k->mu(), 74);
  const Big c = k->public_key().Encrypt(42, Big(23));
  EXPECT_EQ(c, 4624);
  EXPECT_EQ(k->Decrypt(c), 42);
  EXPECT_EQ(k->DecryptTextbook(c), 42);

  auto small = PaillierPrivateKey::FromPrimes(3, 5, Big(16));
  ASSERT_TRUE(small) << Describe(small.error());
  EXPECT_EQ(small->public_key().Encrypt(12, Big(7)), 208);
  EXPECT_EQ(small->Decrypt(208), 12);
}

TEST(Paillier, RefusesKeysThatDoNotWork) {
  auto e = PaillierPrivateKey::FromPrimes(8, 11);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/p");
  e = PaillierPrivateKey::FromPrimes(11, 11);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/q");
  // gcd(3 · 7, 2 · 6) = 3.
  e = PaillierPrivateKey::FromPrimes(3, 7);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/q");
  // g = 1 has order 1, not a multiple of n; g = 7 shares a factor with n.
  EXPECT_FALSE(PaillierPrivateKey::FromPrimes(7, 11, Big(1)));
  e = PaillierPrivateKey::FromPrimes(7, 11, Big(7));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/g");
}

class PaillierKey : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto random = Randomness::FromSeed(7, "test key");
    key_ = new PaillierPrivateKey(PaillierPrivateKey::Generate(1024, random));
  }
  static void TearDownTestSuite() { delete key_; }
  static const PaillierPrivateKey* key_;
};
const PaillierPrivateKey* PaillierKey::key_ = nullptr;

TEST_F(PaillierKey, AGeneratedKeyHasItsSizeAndDecryptsWhatItEncrypts) {
  const auto& pk = key_->public_key();
  EXPECT_EQ(pk.bits(), 1024U);
  EXPECT_EQ(pk.g(), pk.n() + 1);
  auto random = Randomness::FromSeed(1, "encrypt");
  for (const Big& m : std::vector<Big>{Big(0), Big(1), Big(123456789), Big(pk.n() - 1)}) {
    const Big c = pk.Encrypt(m, random);
    EXPECT_TRUE(pk.IsCiphertext(c));
    EXPECT_EQ(key_->Decrypt(c), m);
    EXPECT_EQ(key_->DecryptTextbook(c), m);
    // The key holder's CRT encryption is the same scheme.
    EXPECT_EQ(key_->Decrypt(key_->Encrypt(m, random)), m);
  }
  // Probabilistic: the same plaintext twice gives two ciphertexts.
  EXPECT_NE(pk.Encrypt(5, random), pk.Encrypt(5, random));
}

TEST_F(PaillierKey, SumsScalarProductsAndNegativesModN) {
  const auto& pk = key_->public_key();
  const Big& n = pk.n();
  auto random = Randomness::FromSeed(2, "homomorphic");
  const Big a = 987654321, b = 123456789;
  const Big ca = pk.Encrypt(a, random), cb = pk.Encrypt(b, random);
  EXPECT_EQ(key_->Decrypt(pk.Add(ca, cb)), a + b);
  EXPECT_EQ(key_->Decrypt(pk.AddPlain(ca, 1000)), a + 1000);
  EXPECT_EQ(key_->Decrypt(pk.MulPlain(ca, 37)), a * 37);
  // Negatives are the upper half of Z_n.
  EXPECT_EQ(key_->Decrypt(pk.Negate(ca)), n - a);
  EXPECT_EQ(key_->Decrypt(pk.MulPlain(ca, -3)), n - 3 * a);
  EXPECT_EQ(key_->Decrypt(pk.Add(ca, pk.Negate(cb))), a - b);
  EXPECT_EQ(key_->Decrypt(pk.Add(cb, pk.Negate(ca))), n - (a - b));
  // Wrapping: (n − 1) + 2 = 1 mod n.
  EXPECT_EQ(key_->Decrypt(pk.AddPlain(pk.Encrypt(n - 1, random), 2)), 1);
  // A rerandomized ciphertext differs and decrypts the same.
  const Big again = pk.Rerandomize(ca, random);
  EXPECT_NE(again, ca);
  EXPECT_EQ(key_->Decrypt(again), a);
}

TEST_F(PaillierKey, FixedPointCarriesSignedRealsAndTheirProducts) {
  const auto& pk = key_->public_key();
  const Big& n = pk.n();
  auto random = Randomness::FromSeed(3, "fixed");
  const FixedPoint fp;
  for (const double x : {0.0, 1.5, -2.25, 1e-9, -123456.789}) {
    EXPECT_NEAR(fp.Decode(key_->Decrypt(pk.Encrypt(fp.Encode(x, n), random)), n), x,
                std::ldexp(1.0, -fp.frac_bits));
  }
  // Σ wⱼ xⱼ with the x encrypted and the w in the clear: a gradient's inner product.
  const std::vector<double> w = {0.5, -1.25, 3.0}, x = {-2.0, 0.75, 1.0 / 3};
  Big acc = pk.Encrypt(0, random);
  double expect = 0;
  for (size_t j = 0; j < w.size(); ++j) {
    acc = pk.Add(acc, pk.MulPlain(pk.Encrypt(fp.Encode(x[j], n), random), fp.Encode(w[j], n)));
    expect += w[j] * x[j];
  }
  EXPECT_NEAR(fp.Decode(key_->Decrypt(acc), n, 2), expect, 1e-11);
}

TEST_F(PaillierKey, ACiphertextOutsideTheGroupIsRecognized) {
  const auto& pk = key_->public_key();
  EXPECT_FALSE(pk.IsCiphertext(0));
  EXPECT_FALSE(pk.IsCiphertext(pk.n_squared()));
  EXPECT_FALSE(pk.IsCiphertext(pk.n()));  // shares the factors of n
  EXPECT_FALSE(pk.IsCiphertext(-5));
}

TEST(Randomness, ASeedGivesTheSameStreamAndPurposesDiffer) {
  auto a = Randomness::FromSeed(42, "x"), b = Randomness::FromSeed(42, "x");
  auto c = Randomness::FromSeed(42, "y"), d = Randomness::FromSeed(43, "x");
  const Big bound = Big(1) << 200;
  const Big va = a.Below(bound);
  EXPECT_EQ(va, b.Below(bound));
  EXPECT_NE(va, c.Below(bound));
  EXPECT_NE(va, d.Below(bound));
  EXPECT_NE(a.Below(bound), va);  // the stream moves on
  // Below stays below; WithBits has its bits.
  auto r = Randomness::FromSeed(1, "bounds");
  for (int k = 0; k < 200; ++k) {
    const Big v = r.Below(1000);
    EXPECT_TRUE(v >= 0 && v < 1000);
  }
  EXPECT_EQ(mpz_sizeinbase(r.WithBits(257).get_mpz_t(), 2), 257U);
  EXPECT_EQ(FromBytes(ToBytes(va)), va);
}

// --- private set intersection ---

std::vector<std::string> Ids(int from, int to) {
  std::vector<std::string> out;
  for (int k = from; k < to; ++k) out.push_back(fmt::format("9115040{:011d}", k));
  return out;
}

TEST(Psi, BothPartiesLearnTheCommonIdsAndOnlyThem) {
  auto ra = Randomness::FromSeed(1, "psi a"), rb = Randomness::FromSeed(1, "psi b");
  // A: ids 0..999, B: ids 600..1799 (and one repeated): 400 in common.
  auto b_ids = Ids(600, 1800);
  b_ids.push_back(b_ids.front());
  const PsiParty a(Ids(0, 1000), ra), b(b_ids, rb);
  const auto a1 = a.Blinded(), b1 = b.Blinded();
  ASSERT_EQ(a1.size(), 1000U);
  ASSERT_EQ(b1.size(), 1200U);
  // What each sends reveals no id: not the hash of any id, and sorted.
  EXPECT_TRUE(std::is_sorted(a1.begin(), a1.end()));
  EXPECT_EQ(std::find(a1.begin(), a1.end(), HashToPoint(Ids(0, 1)[0])), a1.end());
  const auto a2 = b.Reblind(a1), b2 = a.Reblind(b1);
  ASSERT_TRUE(a2 && b2);
  const auto at_a = a.Intersect(*a2, *b2), at_b = b.Intersect(*b2, *a2);
  ASSERT_TRUE(at_a && at_b);
  EXPECT_EQ(*at_a, Ids(600, 1000));
  EXPECT_EQ(*at_b, Ids(600, 1000));
  // The same party's ids blinded by two scalars never match: the scalar is what joins.
  auto rc = Randomness::FromSeed(2, "psi a");
  const PsiParty c(Ids(0, 1000), rc);
  EXPECT_NE(c.Blinded(), a1);
}

TEST(Psi, AMalformedPointIsRefusedByIndex) {
  auto ra = Randomness::FromSeed(1, "psi a"), rb = Randomness::FromSeed(1, "psi b");
  const PsiParty a(Ids(0, 10), ra), b(Ids(5, 15), rb);
  auto sent = a.Blinded();
  sent[3][31] ^= 0x80;  // not canonical: s ≥ 2^255
  auto r = b.Reblind(sent);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/points/3");
  sent = a.Blinded();
  sent[4][0] ^= 1;  // odd s: a negative field element, not an encoding
  r = b.Reblind(sent);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/points/4");
  sent = a.Blinded();
  sent[0] = Point{};  // the identity would reveal nothing but match everything blinded to it
  r = b.Reblind(sent);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/points/0");
  // Returning fewer points than were sent is refused too.
  const auto back = b.Reblind(a.Blinded());
  ASSERT_TRUE(back);
  const auto theirs = a.Reblind(b.Blinded());
  ASSERT_TRUE(theirs);
  EXPECT_FALSE(a.Intersect(std::span(*back).first(9), *theirs));
}

// --- the wire ---

TEST(Wire, AReplayedReorderedOrTruncatedMessageIsRefused) {
  QueueLink ab, ba;
  Channel a(ab, ba), b(ba, ab);
  a.Send(3, 1, Writer().U32(7).Number(Big(1) << 100).Take());
  const std::string body = *b.Expect(3, 1);
  Reader r(body);
  EXPECT_EQ(*r.U32("x"), 7U);
  EXPECT_EQ(*r.Number("y", 64), Big(1) << 100);
  EXPECT_TRUE(r.End());
  EXPECT_FALSE(r.U8("z"));  // nothing left
  // The same frame again: its sequence number is behind.
  const std::string frame = EncodeFrame({.kind = 3, .round = 1, .seq = 0, .body = body});
  ab.Send(frame);
  auto replay = b.Expect(3, 1);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().fields.at(0).field, "/message/seq");
  // The right sequence but the wrong round or kind.
  QueueLink cd, dc;
  Channel c(cd, dc), d(dc, cd);
  c.Send(3, 2, "");
  auto round = d.Expect(3, 1);
  ASSERT_FALSE(round);
  EXPECT_EQ(round.error().fields.at(0).field, "/message/round");
  c.Send(4, 1, "");
  auto kind = d.Expect(3, 1);
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().fields.at(0).field, "/message/seq");  // the refused one was not counted
  // A frame whose length field disagrees with its bytes.
  std::string cut = EncodeFrame({.kind = 1, .round = 0, .seq = 0, .body = "abcdef"});
  cut.pop_back();
  auto bad = DecodeFrame(cut);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/message/length");
  // A body that says it holds more than it does.
  const std::string lying = Writer().U32(1000).Take();
  Reader short_body(lying);
  EXPECT_FALSE(short_body.Bytes("payload", 4096));
}

// --- vertical logistic regression ---

// The German credit design split between two regions: the guest (the bank, with the labels)
// holds the even columns, the host the odd ones. The pooled fit is R's glm on the whole design
// (risk/scoring/scoring_test.cpp): log-likelihood −447.90889273842.
TEST(VerticalLr, TwoRegionsFitTheModelTheirPooledDataWouldGive) {
  const auto credit = scoring::LoadGermanCredit();
  ASSERT_TRUE(credit) << Describe(credit.error()) << " (scripts/setup installs r-cran-caret)";
  std::vector<std::vector<std::vector<double>>> parties(2, std::vector<std::vector<double>>(1000));
  for (size_t i = 0; i < 1000; ++i) {
    for (size_t j = 0; j < 48; ++j) parties[j % 2][i].push_back(credit->rows[i][j]);
  }
  // Test keys of 256 bits keep the run short; the protocol is the same at 2048 (bench/).
  const auto fit = FitVerticalLr(parties, credit->bad, 0, {.key_bits = 256, .seed = 5});
  ASSERT_TRUE(fit) << Describe(fit.error());
  EXPECT_TRUE(fit->converged);
  EXPECT_NEAR(fit->log_likelihood, -447.90889273842, 1e-6);
  const auto pooled = scoring::FitLogistic(credit->rows, credit->bad);
  ASSERT_TRUE(pooled);
  EXPECT_NEAR(fit->intercept, pooled->intercept, 1e-4 * (1 + std::abs(pooled->intercept)));
  ASSERT_EQ(fit->coefficients.size(), 2U);
  ASSERT_EQ(fit->coefficients[0].size(), 24U);
  for (size_t j = 0; j < 48; ++j) {
    const double want = pooled->coefficients[j];
    EXPECT_NEAR(fit->coefficients[j % 2][j / 2], want, 1e-4 * (1 + std::abs(want)))
        << credit->names[j];
  }
  // Every iteration's log-likelihood rises (the line search accepts only ascent).
  for (size_t k = 1; k < fit->trace.size(); ++k) EXPECT_GE(fit->trace[k], fit->trace[k - 1]);
  EXPECT_GT(fit->bytes_exchanged, 0U);
  EXPECT_GT(fit->iterations, 10);
}

// Three parties reach the same numbers as two holding the same columns: the hosts' pairwise
// masks cancel exactly in the sums; and the same seed gives the same fit.
TEST(VerticalLr, MasksCancelAndTheSeedFixesEverything) {
  const CounterRng rng(3);
  const size_t n = 300;
  std::vector<std::vector<double>> x(n, std::vector<double>(4));
  std::vector<int> y(n);
  for (size_t i = 0; i < n; ++i) {
    double eta = -0.5;
    for (size_t j = 0; j < 4; ++j) {
      x[i][j] = rng.Normal(j, i) * (1 + j);
      eta += 0.4 * x[i][j] / (1 + j);
    }
    y[i] = rng.Uniform(9, i) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  auto columns = [&](std::initializer_list<size_t> cols) {
    std::vector<std::vector<double>> out(n);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j : cols) out[i].push_back(x[i][j]);
    }
    return out;
  };
  const std::vector<std::vector<std::vector<double>>> two = {columns({0}), columns({1, 2, 3})};
  const std::vector<std::vector<std::vector<double>>> three = {columns({0}), columns({1}),
                                                               columns({2, 3})};
  const VerticalLrOptions o{.key_bits = 256, .seed = 11};
  const auto a = FitVerticalLr(two, y, 0, o), b = FitVerticalLr(three, y, 0, o);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->log_likelihood, b->log_likelihood);
  EXPECT_EQ(a->iterations, b->iterations);
  EXPECT_EQ(a->coefficients[1][0], b->coefficients[1][0]);
  EXPECT_EQ(a->coefficients[1][2], b->coefficients[2][1]);
  const auto again = FitVerticalLr(three, y, 0, o);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->coefficients, b->coefficients);
  EXPECT_EQ(again->bytes_exchanged, b->bytes_exchanged);
  // The labels may sit with any party.
  const auto host_labels = FitVerticalLr(three, y, 2, o);
  ASSERT_TRUE(host_labels);
  EXPECT_NEAR(host_labels->log_likelihood, b->log_likelihood, 1e-9);
}

TEST(VerticalLr, BadInputIsNamed) {
  const std::vector<std::vector<std::vector<double>>> parties = {{{1}, {2}, {3}, {4}},
                                                                 {{5}, {5}, {5}, {5}}};
  const std::vector<int> y = {0, 1, 0, 1};
  auto e = FitVerticalLr(parties, y, 0, {.key_bits = 256});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/parties/1/features");  // a constant column
  e = FitVerticalLr(parties, y, 2, {.key_bits = 256});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/label_party");
  e = FitVerticalLr(parties, std::vector<int>{0, 1, 2, 1}, 0, {.key_bits = 256});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/labels/2");
  e = FitVerticalLr(parties, std::vector<int>{0, 1, 0}, 0, {.key_bits = 256});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/parties/0/features");
  e = FitVerticalLr(parties, y, 0, {.key_bits = 100});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.at(0).field, "/key_bits");
}

// --- fast encryption ---

// DJN's randomizer hs^α by fixed-base tables gives ordinary ciphertexts: the same as the
// exponentiation done the slow way, decrypting to the message, adding like any other.
TEST(Paillier, FastEncryptionGivesOrdinaryCiphertexts) {
  auto random = Randomness::FromSeed(6, "fast");
  const auto key = PaillierPrivateKey::Generate(512, random);
  const auto& pk = key.public_key();
  const FastEncryptor fast(key, random);
  EXPECT_NE(fast.hs(), 1);
  for (const Big& m : std::vector<Big>{Big(0), Big(1), Big(123456789), Big(pk.n() - 1)}) {
    const Big alpha = fast.DrawExponent(random);
    EXPECT_LT(mpz_sizeinbase(alpha.get_mpz_t(), 2), 257U);
    const Big c = fast.Encrypt(m, alpha);
    Big rn;
    mpz_powm(rn.get_mpz_t(), fast.hs().get_mpz_t(), alpha.get_mpz_t(), pk.n_squared().get_mpz_t());
    EXPECT_EQ(c, pk.AddPlain(rn, m));
    EXPECT_TRUE(pk.IsCiphertext(c));
    EXPECT_EQ(key.Decrypt(c), m);
  }
  const Big a = fast.Encrypt(40, fast.DrawExponent(random)),
            b = fast.Encrypt(2, fast.DrawExponent(random));
  EXPECT_EQ(key.Decrypt(pk.Add(a, b)), 42);
  EXPECT_EQ(key.Decrypt(pk.MulPlain(a, -3)), pk.n() - 120);
  // Two encryptions of one message differ.
  EXPECT_NE(fast.Encrypt(7, fast.DrawExponent(random)), fast.Encrypt(7, fast.DrawExponent(random)));
}

// --- what a party sees ---

// docs/federated.md: before the first direction, everything a host receives — the guest's public
// key, the encrypted residuals of round 1 (σ(0) − y, under the guest's key) and its own gradient
// masked and decrypted back — depends on the labels and its own columns only, not on another
// party's. Run twice with the other host's columns replaced, the host's first messages are the
// same bytes.
TEST(ThreatModel, AHostsFirstRoundIsIndependentOfTheOtherPartiesFeatures) {
  const CounterRng rng(21);
  const size_t n = 60;
  std::vector<int> y(n);
  std::vector<std::vector<double>> guest(n, std::vector<double>(1)),
      host(n, std::vector<double>(2)), other(n, std::vector<double>(1)), other_changed = other;
  for (size_t i = 0; i < n; ++i) {
    guest[i][0] = rng.Normal(1, i);
    host[i] = {rng.Normal(2, i), rng.Normal(3, i)};
    other[i][0] = rng.Normal(4, i);
    other_changed[i][0] = 10 * rng.Normal(5, i) + 3;
    y[i] = rng.Uniform(6, i) < 0.3 ? 1 : 0;
  }
  auto host_view = [&](const std::vector<std::vector<double>>& third) {
    // Links between three parties, the guest's to host 1 recorded.
    std::vector<std::unique_ptr<QueueLink>> links;
    for (size_t i = 0; i < 9; ++i) links.push_back(std::make_unique<QueueLink>());
    auto at = [&](size_t from, size_t to) -> QueueLink& { return *links[from * 3 + to]; };
    at(0, 1).Record();
    std::vector<std::vector<std::unique_ptr<Channel>>> owned(3);
    std::vector<std::vector<Channel*>> ch(3);
    for (size_t me = 0; me < 3; ++me) {
      for (size_t k = 0; k < 3; ++k) {
        owned[me].push_back(k == me ? nullptr : std::make_unique<Channel>(at(me, k), at(k, me)));
        ch[me].push_back(owned[me].back().get());
      }
    }
    const VerticalLrOptions o{.key_bits = 256, .seed = 8};
    const std::vector<const std::vector<std::vector<double>>*> data = {&guest, &host, &third};
    std::vector<std::thread> threads;
    for (size_t k = 0; k < 3; ++k) {
      threads.emplace_back([&, k] {
        const auto r = RunVerticalLrParty(ch[k], k, 0, *data[k], y, o);
        EXPECT_TRUE(r) << Describe(r.error());
      });
    }
    for (auto& t : threads) t.join();
    return at(0, 1).recorded();
  };
  const auto a = host_view(other), b = host_view(other_changed);
  ASSERT_GE(a.size(), 3U);
  ASSERT_GE(b.size(), 3U);
  // Public key, residuals of round 1, the unmasked gradient of round 1.
  for (size_t f = 0; f < 3; ++f) EXPECT_EQ(a[f], b[f]) << "frame " << f;
  // Later the direction (a function of every party's Gram block) differs, as it must.
  EXPECT_NE(a[3], b[3]);
}

// --- secure aggregation ---

// Shamir's scheme: any `threshold` shares rebuild the secret; fewer give a different value.
TEST(SecureAggregation, ShamirSharesRebuildTheSecretFromAnyThreshold) {
  auto random = Randomness::FromSeed(1, "shamir");
  const Big secret = Big("123456789012345678901234567890123456789012345678901234567890");
  const auto shares = ShamirSplit(secret, 3, 5, random);
  ASSERT_EQ(shares.size(), 5U);
  for (uint32_t a = 0; a < 5; ++a) {
    for (uint32_t b = a + 1; b < 5; ++b) {
      for (uint32_t c = b + 1; c < 5; ++c) {
        const std::vector<std::pair<uint32_t, Big>> pick = {
            {a + 1, shares[a]}, {b + 1, shares[b]}, {c + 1, shares[c]}};
        EXPECT_EQ(*ShamirJoin(pick), secret);
      }
    }
  }
  const std::vector<std::pair<uint32_t, Big>> two = {{1, shares[0]}, {2, shares[1]}};
  EXPECT_NE(*ShamirJoin(two), secret);
}

// Bonawitz et al. 2017: the server learns the sum of the survivors' inputs exactly, though one
// client dropped after its masks were fixed; what it received from each is masked.
TEST(SecureAggregation, TheSumSurvivesADropoutAndEachInputStaysMasked) {
  auto random = Randomness::FromSeed(2, "secagg test");
  std::vector<std::vector<UInt128>> inputs(4);
  for (size_t k = 0; k < 4; ++k) {
    for (size_t i = 0; i < 6; ++i) inputs[k].push_back(ToFixed(100.0 * k + i - 2.5));
  }
  const std::vector<uint32_t> drop = {2};
  const auto r = SecureSum(inputs, 3, 1, random, drop);
  ASSERT_TRUE(r) << Describe(r.error());
  EXPECT_EQ(r->survivors, (std::vector<uint32_t>{0, 1, 3}));
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(r->sum[i], inputs[0][i] + inputs[1][i] + inputs[3][i]);
    EXPECT_DOUBLE_EQ(FromFixed(r->sum[i]), 400.0 + 3 * (i - 2.5));
  }
  EXPECT_TRUE(r->masked[2].empty());
  for (size_t k : {0, 1, 3}) {
    Reader m(r->masked[k]);
    ASSERT_EQ(*m.U32("count"), 6U);
    EXPECT_NE(static_cast<UInt128>(*m.I128("y")), inputs[k][0]);
  }
  // Without a dropout the sum is all four.
  const auto all = SecureSum(inputs, 3, 2, random);
  ASSERT_TRUE(all);
  EXPECT_EQ(FromFixed(all->sum[0]), 0 - 2.5 + 100 - 2.5 + 200 - 2.5 + 300 - 2.5);
  // Two dropouts leave fewer than three: the sum is not revealed.
  const std::vector<uint32_t> two = {1, 2};
  const auto under = SecureSum(inputs, 3, 3, random, two);
  ASSERT_FALSE(under);
  EXPECT_NE(under.error().message.find("fewer than the threshold"), std::string::npos);
}

// A survivor never hands out both shares of one client, and refuses to unmask for fewer than the
// threshold: a server that claims the others dropped learns nothing more.
TEST(SecureAggregation, AClientRefusesToUnmaskBelowTheThreshold) {
  std::vector<Randomness> rng;
  for (uint32_t k = 0; k < 3; ++k) rng.push_back(Randomness::FromSeed(k, "client"));
  std::vector<SecAggClient> clients;
  for (uint32_t k = 0; k < 3; ++k) clients.emplace_back(k, 3, 2, 1, rng[k]);
  SecAggServer server(3, 2, 1, 1);
  for (uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(server.AddKeys(k, clients[k].Keys()));
  const std::string keys = server.KeysList();
  for (uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(server.AddShares(k, *clients[k].Shares(keys)));
  const std::vector<UInt128> x = {ToFixed(1.5)};
  const auto y0 = clients[0].Masked(server.SharesFor(0), x);
  ASSERT_TRUE(y0);
  const std::string only_me = Writer().U32(1).U32(0).Take();
  const auto refused = clients[0].Unmask(only_me);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "/message/survivors");
  // A share routed to the wrong client does not decrypt.
  auto stray = clients[1].Masked(server.SharesFor(2), x);
  ASSERT_FALSE(stray);
}

// --- horizontal pooling ---

// Three banks hold a third of the German credit borrowers each: the secure-aggregated Newton fit
// is the pooled fit (R's glm, log-likelihood −447.90889273842). With bank 1 gone in the middle of
// step 2, the fit goes on and is the pooled fit of banks 0 and 2.
TEST(HorizontalLr, BanksPoolTheirBorrowersAndSurviveADropout) {
  const auto credit = scoring::LoadGermanCredit();
  ASSERT_TRUE(credit) << Describe(credit.error());
  std::vector<BankData> banks(3);
  for (size_t i = 0; i < 1000; ++i) {
    banks[i % 3].features.push_back(credit->rows[i]);
    banks[i % 3].labels.push_back(credit->bad[i]);
  }
  HorizontalLrOptions options;
  options.seed = 4;
  const auto fit = FitHorizontalLr(banks, options);
  ASSERT_TRUE(fit) << Describe(fit.error());
  EXPECT_TRUE(fit->converged);
  EXPECT_NEAR(fit->log_likelihood, -447.90889273842, 1e-6);
  const auto pooled = scoring::FitLogistic(credit->rows, credit->bad);
  ASSERT_TRUE(pooled);
  for (size_t j = 0; j < 48; ++j) {
    EXPECT_NEAR(fit->coefficients[j], pooled->coefficients[j],
                1e-6 * (1 + std::abs(pooled->coefficients[j])));
  }
  EXPECT_EQ(fit->banks, (std::vector<size_t>{0, 1, 2}));

  HorizontalLrOptions drop = options;
  drop.drop = HorizontalLrOptions::Dropout{.bank = 1, .iteration = 2};
  const auto survived = FitHorizontalLr(banks, drop);
  ASSERT_TRUE(survived) << Describe(survived.error());
  EXPECT_TRUE(survived->converged);
  EXPECT_EQ(survived->banks, (std::vector<size_t>{0, 2}));
  ASSERT_EQ(survived->dropped.size(), 1U);
  EXPECT_EQ(survived->dropped[0].bank, 1U);
  EXPECT_EQ(survived->dropped[0].round, 2U);
  EXPECT_EQ(survived->trace.size(), static_cast<size_t>(survived->iterations));
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  for (size_t k : {0, 2}) {
    rows.insert(rows.end(), banks[k].features.begin(), banks[k].features.end());
    labels.insert(labels.end(), banks[k].labels.begin(), banks[k].labels.end());
  }
  const auto two = scoring::FitLogistic(rows, labels);
  ASSERT_TRUE(two) << Describe(two.error());
  EXPECT_NEAR(survived->log_likelihood, two->log_likelihood, 1e-6);
  for (size_t j = 0; j < 48; ++j) {
    EXPECT_NEAR(survived->coefficients[j], two->coefficients[j],
                1e-6 * (1 + std::abs(two->coefficients[j])));
  }
  // One bank alone cannot be aggregated securely.
  const std::vector<BankData> one = {banks[0]};
  EXPECT_FALSE(FitHorizontalLr(one));
}

// Banks whose columns differ cannot pool: the coordinator stops before any step and tells each
// bank why, naming the bank.
TEST(HorizontalLr, BanksWithOtherColumnsAreRefused) {
  QueueLink up0, down0, up1, down1;
  Channel to0(down0, up0), to1(down1, up1), from0(up0, down0), from1(up1, down1);
  const BankData data{.features = {{1.0}, {2.0}, {3.0}}, .labels = {0, 1, 0}};
  Error seen[2];
  std::thread b0([&] {
    auto random = Randomness::FromSeed(1, "bank");
    seen[0] = RunPoolBank(from0, data, {"herd_size"}, random).error();
  });
  std::thread b1([&] {
    auto random = Randomness::FromSeed(2, "bank");
    seen[1] = RunPoolBank(from1, data, {"revenue"}, random).error();
  });
  const std::vector<Channel*> banks = {&to0, &to1};
  const auto fit = RunPoolCoordinator(banks);
  b0.join();
  b1.join();
  ASSERT_FALSE(fit);
  EXPECT_EQ(fit.error().fields.at(0).field, "/banks/1/columns");
  for (const auto& e : seen)
    EXPECT_NE(e.message.find("bank 1 has columns revenue"), std::string::npos) << e.message;
}

// --- parties apart: alignment, scoring, HTTP ---

// Channels between k parties in one process, for the session tests.
struct LocalMesh {
  explicit LocalMesh(size_t k) : k(k) {
    for (size_t i = 0; i < k * k; ++i) links.push_back(std::make_unique<QueueLink>());
    for (size_t me = 0; me < k; ++me) {
      owned.emplace_back();
      channels.emplace_back();
      for (size_t o = 0; o < k; ++o) {
        owned[me].push_back(
            o == me ? nullptr : std::make_unique<Channel>(*links[me * k + o], *links[o * k + me]));
        channels[me].push_back(owned[me].back().get());
      }
    }
  }
  size_t k;
  std::vector<std::unique_ptr<QueueLink>> links;
  std::vector<std::vector<std::unique_ptr<Channel>>> owned;
  std::vector<std::vector<Channel*>> channels;
};

// Three parties with overlapping enterprises align on exactly the common ones, sorted; then the
// guest scores them with a model each party holds a part of, and its score is the pooled
// model's, with reasons from every party's columns; the hosts get nothing back.
TEST(Session, PartiesAlignTheirEnterprisesAndScoreTogether) {
  const std::vector<std::vector<std::string>> ids = {
      {"A1", "B2", "C3", "D4", "E5"}, {"E5", "C3", "A1", "Z9"}, {"C3", "A1", "E5", "B2", "Y8"}};
  LocalMesh mesh(3);
  std::vector<std::vector<std::string>> common(3);
  {
    std::vector<std::thread> threads;
    for (size_t k = 0; k < 3; ++k) {
      threads.emplace_back([&, k] {
        auto random = Randomness::FromSeed(k, "align");
        const auto r = AlignIds(mesh.channels[k], k, 0, ids[k], random);
        ASSERT_TRUE(r) << Describe(r.error());
        common[k] = *r;
      });
    }
    for (auto& t : threads) t.join();
  }
  const std::vector<std::string> want = {"A1", "C3", "E5"};
  for (size_t k = 0; k < 3; ++k) EXPECT_EQ(common[k], want) << "party " << k;

  // A model: guest column g (β 0.5, mean 1), host 1 columns h1, h2 (β −1, 2; means 0, 0), host 2
  // column o (β 0.25, mean 4); intercept −1.
  const std::vector<PartyModel> models = {
      {.columns = {"g"}, .coefficients = {0.5}, .means = {1}, .intercept = -1},
      {.columns = {"h1", "h2"}, .coefficients = {-1, 2}, .means = {0, 0}},
      {.columns = {"o"}, .coefficients = {0.25}, .means = {4}}};
  const std::vector<std::vector<std::vector<double>>> rows = {
      {{2}, {0}, {1}}, {{1, 1}, {-1, 0}, {0, 0}}, {{8}, {0}, {4}}};
  std::vector<std::vector<FederatedScore>> scores(3);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < 3; ++k) {
    threads.emplace_back([&, k] {
      const auto r = ScoreParty(mesh.channels[k], k, 0, models[k], rows[k]);
      ASSERT_TRUE(r) << Describe(r.error());
      scores[k] = *r;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(scores[1].empty());
  EXPECT_TRUE(scores[2].empty());
  ASSERT_EQ(scores[0].size(), 3U);
  // A1: −1 + 0.5·2 − 1·1 + 2·1 + 0.25·8 = 3.
  EXPECT_DOUBLE_EQ(scores[0][0].linear, 3);
  EXPECT_DOUBLE_EQ(scores[0][0].probability, 1 / (1 + std::exp(-3.0)));
  EXPECT_EQ(scores[0][0].shares, (std::vector<double>{0, 1, 2}));
  // Reasons: guest g +0.5; host 1 h2 +2 (h1 pushes down); host 2 o +1.
  ASSERT_EQ(scores[0][0].reasons.size(), 3U);
  EXPECT_EQ(scores[0][0].reasons[1].column, "h2");
  EXPECT_EQ(scores[0][0].reasons[1].party, 1U);
  EXPECT_DOUBLE_EQ(scores[0][0].reasons[1].contribution, 2);
  // C3: −1 + 0 + 1 + 0 + 0 = 0; its only reason is host 1's h1 (−1 · (−1 − 0) = +1).
  EXPECT_DOUBLE_EQ(scores[0][1].probability, 0.5);
  ASSERT_EQ(scores[0][1].reasons.size(), 1U);
  EXPECT_EQ(scores[0][1].reasons[0].column, "h1");
}

// Raw HTTP to a party, for the refusal tests.
int Post(int port, const std::string& session, const std::string& from, const std::string& sig,
         const std::string& body) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
  http::request<http::string_body> req{http::verb::post, "/federated/v1/frames", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set("Corridor-Session", session);
  req.set("Corridor-From", from);
  req.set("Corridor-Signature", sig);
  req.body() = body;
  req.prepare_payload();
  http::write(sock, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(sock, buf, res);
  return res.result_int();
}

std::string Sign(const PartyKey& key, const std::string& session, uint32_t from, uint32_t to,
                 const std::string& frame) {
  std::string m = "corridor/federated/v1";
  m.push_back('\0');
  m += session;
  m.push_back('\0');
  for (uint32_t v : {from, to}) {
    for (int k = 3; k >= 0; --k) m.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
  }
  m += frame;
  std::array<uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(m.data()), m.size(),
                       key.secret.data());
  return ToHex(sig);
}

// Three parties over HTTP on 127.0.0.1 fit exactly the model they fit in one process; a forged,
// foreign, malformed or replayed frame is refused before it reaches the protocol.
TEST(Transport, PartiesOverHttpFitTheSameModelAndRefuseBadFrames) {
  const CounterRng rng(31);
  const size_t n = 80;
  std::vector<int> y(n);
  std::vector<std::vector<std::vector<double>>> data(3, std::vector<std::vector<double>>(n));
  for (size_t i = 0; i < n; ++i) {
    double eta = -0.7;
    for (size_t k = 0; k < 3; ++k) {
      const double v = rng.Normal(k, i);
      data[k][i].push_back(v);
      eta += 0.8 * v;
    }
    y[i] = rng.Uniform(7, i) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  const VerticalLrOptions o{.key_bits = 256, .seed = 12};
  const auto local = FitVerticalLr(data, y, 0, o);
  ASSERT_TRUE(local) << Describe(local.error());

  std::vector<PartyKey> keys;
  std::vector<PartyAddress> parties;
  for (size_t k = 0; k < 3; ++k) {
    std::array<uint8_t, 32> seed{};
    seed[0] = static_cast<uint8_t>(k + 1);
    keys.push_back(PartyKey::FromSeed(seed));
    parties.push_back({.name = fmt::format("p{}", k), .port = 0, .public_key = keys[k].public_key});
  }
  std::vector<std::unique_ptr<HttpTransport>> t;
  for (size_t k = 0; k < 3; ++k) {
    auto started = HttpTransport::Start({.session = "s1",
                                         .parties = parties,
                                         .me = k,
                                         .key = keys[k],
                                         .receive_timeout_ms = 60'000});
    ASSERT_TRUE(started) << Describe(started.error());
    t.push_back(std::move(*started));
  }
  for (size_t k = 0; k < 3; ++k) {
    for (size_t o2 = 0; o2 < 3; ++o2) {
      if (o2 != k) t[k]->SetPeerPort(o2, t[o2]->port());
    }
  }
  // Refusals, before the fit: party 2's port, frames claiming to come from party 1.
  const int port = t[2]->port();
  const std::string frame = EncodeFrame({.kind = 1, .round = 0, .seq = 0, .body = "x"});
  EXPECT_EQ(Post(port, "s1", "1", Sign(keys[0], "s1", 1, 2, frame), frame), 401);  // forged
  EXPECT_EQ(Post(port, "s0", "1", Sign(keys[1], "s0", 1, 2, frame), frame), 403);  // foreign
  EXPECT_EQ(Post(port, "s1", "1", Sign(keys[1], "s1", 1, 0, frame), frame), 401);  // for party 0
  std::string cut = frame;
  cut.pop_back();
  EXPECT_EQ(Post(port, "s1", "1", Sign(keys[1], "s1", 1, 2, cut), cut), 400);  // malformed
  const std::string late = EncodeFrame({.kind = 1, .round = 0, .seq = 5, .body = "x"});
  EXPECT_EQ(Post(port, "s1", "1", Sign(keys[1], "s1", 1, 2, late), late), 409);  // out of order
  EXPECT_EQ(t[2]->refusals(),
            (std::vector<std::string>{"signature", "session", "signature", "frame", "seq"}));

  std::vector<Result<VerticalLrPartyFit>> fits(3, Fail(Error::Internal("not run")));
  std::vector<std::thread> threads;
  for (size_t k = 0; k < 3; ++k) {
    threads.emplace_back(
        [&, k] { fits[k] = RunVerticalLrParty(t[k]->channels(), k, 0, data[k], y, o); });
  }
  for (auto& th : threads) th.join();
  for (size_t k = 0; k < 3; ++k) ASSERT_TRUE(fits[k]) << Describe(fits[k].error());
  EXPECT_EQ(fits[0]->log_likelihood, local->log_likelihood);
  EXPECT_EQ(fits[0]->intercept, local->intercept);
  for (size_t k = 0; k < 3; ++k) EXPECT_EQ(fits[k]->coefficients, local->coefficients[k]);
  // A frame party 2 has already had, sent again by someone who saw it: a replay.
  const std::string first = EncodeFrame({.kind = 1, .round = 0, .seq = 0, .body = "x"});
  EXPECT_EQ(Post(port, "s1", "1", Sign(keys[1], "s1", 1, 2, first), first), 409);
  for (auto& tr : t) tr->Stop();
}

}  // namespace
}  // namespace corridor::risk::federated
