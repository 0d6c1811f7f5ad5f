#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/psi.hpp"
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
  Link ab, ba;
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
  Link cd, dc;
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

}  // namespace
}  // namespace corridor::risk::federated
