#include "registry/note.hpp"

#include <gtest/gtest.h>

namespace corridor::registry {
namespace {

template <size_t N>
std::array<uint8_t, N> Arr(std::string_view hex) {
  const auto bytes = *FromHex(hex);
  std::array<uint8_t, N> out{};
  EXPECT_EQ(bytes.size(), N);
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

struct Rfc8032Case {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, tests 1-3.
const Rfc8032Case kRfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
     "b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
     "1d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984d"
     "c6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519, Rfc8032Vectors) {
  for (const auto& c : kRfc8032) {
    const auto pk = Arr<32>(c.public_key);
    const auto sig = Arr<64>(c.signature);
    const auto msg = *FromHex(c.message);
    EXPECT_TRUE(Ed25519Verify(pk, AsBytes(msg), sig)) << c.public_key;
    // The signer derives the same public key from the secret.
    const NoteSigner signer("k", Arr<32>(c.secret));
    EXPECT_EQ(signer.Verifier().public_key(), pk);
    auto flipped = sig;
    flipped[10] ^= 1;
    EXPECT_FALSE(Ed25519Verify(pk, AsBytes(msg), flipped));
  }
}

// S + L is the same scalar mod L, but RFC 8032 §5.1.7 requires 0 <= S < L; Wycheproof's
// "non-canonical S" cases (eddsa_test.json) test exactly this malleability.
TEST(Ed25519, RejectsNonCanonicalS) {
  const auto& c = kRfc8032[0];
  auto sig = Arr<64>(c.signature);
  // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
  const auto l = Arr<32>("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    const unsigned sum = sig[32 + i] + l[i] + carry;
    sig[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(Ed25519Verify(Arr<32>(c.public_key), {}, sig));
}

// Wycheproof testvectors/eddsa_test.json (C2SP/wycheproof), first test group, key
// 7d4d0e7f…49fa: tcIds 1-3 and 9 valid; 10, 13 and 23 special values of R and S (S = L, R = L);
// 42 and 45 a flipped bit in R.
TEST(Ed25519, WycheproofCases) {
  const auto pk = Arr<32>("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa");
  struct Case {
    int tc;
    const char* msg;
    const char* sig;
    bool valid;
  };
  const Case cases[] = {
      {1, "",
       "d4fbdb52bfa726b44d1786a8c0d171c3e62ca83c9e5bbe63de0bb2483f8fd6cc1429ab72cafc41ab56af02ff8fc"
       "c43"
       "b99bfe4c7ae940f60f38ebaa9d311c4007",
       true},
      {2, "78",
       "d80737358ede548acb173ef7e0399f83392fe8125b2ce877de7975d8b726ef5b1e76632280ee38afad12125ea44"
       "b96"
       "1bf92f1178c9fa819d020869975bcbe109",
       true},
      {3, "54657374",
       "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c"
       "6ae"
       "7e39d4eef676573336a5c51eb6f946b30d",
       true},
      {9, "ffffffffffffffffffffffffffffffff",
       "5dbd7360e55aa38e855d6ad48c34bd35b7871628508906861a7c4776765ed7d1e13d910faabd689ec8618b78295"
       "c8a"
       "b8f0e19c8b4b43eb8685778499e943ae04",
       true},
      {10, "3f",
       "0000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000",
       false},
      {13, "3f",
       "0000000000000000000000000000000000000000000000000000000000000000edd3f55c1a631258d69cf7a2def"
       "9de"
       "1400000000000000000000000000000010",
       false},
      {23, "3f",
       "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010edd3f55c1a631258d69cf7a2def"
       "9de"
       "1400000000000000000000000000000010",
       false},
      {42, "313233343030",
       "647c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281c2b1d125e5538f38afbcc1c84e4895"
       "210"
       "83041d24bc6240767029da063271a1ff0c",
       false},
      {45, "313233343030",
       "e57c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281c2bbb3eb51cd98dddb235a5f46f2bd"
       "ed6"
       "af184a58d09cce928bda43f41d69118a03",
       false},
  };
  for (const auto& c : cases) {
    const auto msg = *FromHex(c.msg);
    EXPECT_EQ(Ed25519Verify(pk, AsBytes(msg), Arr<64>(c.sig)), c.valid) << "tcId " << c.tc;
  }
}

// C2SP CCTV ed25519/ed25519vectors.json: edge cases of the points A and R (low order, low-order
// components, non-canonical encodings). Corridor's verification is strict, like libsodium's and
// ed25519-dalek's verify_strict: it rejects every one of them. Vectors 0, 2, 4, 6, 7, 8, 14,
// 16, 29.
TEST(Ed25519, CctvEdgeCases) {
  struct Case {
    int number;
    const char* key;
    const char* sig;
    const char* msg;
    bool accepted = false;
  };
  constexpr const char* kZero = "0000000000000000000000000000000000000000000000000000000000000000";
  constexpr const char* kMixed = "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f";
  constexpr const char* kNonCanonical =
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
  const Case cases[] = {
      {0, kZero,
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000"
       "0000000000000000000000000000000000",
       "ed25519vectors 3"},
      {2, kZero,
       "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56b05ba9a796274d80437afa36f123"
       "656"
       "3f2f3b0aa84cecddc3d20914615ba4fe02",
       "ed25519vectors 7"},
      {4, kMixed,
       "00000000000000000000000000000000000000000000000000000000000000005e176f12cfb0d4e6eb6929b19ae"
       "4c9"
       "98ef05c1c2cf628a9b1fa1c21312627108",
       "ed25519vectors 7"},
      {6, kMixed,
       "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56bc02e2b9e63e385c058bf62b14b3"
       "a2b"
       "29ccefe8e38ddb536bc3f9865320a3d801",
       "ed25519vectors 10"},
      {7, kMixed,
       "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56bbbfd00bd9c259d8d222d15e67a3"
       "d82"
       "28585050dbb9b9585be20d8fadc721da03",
       "ed25519vectors", true},
      {8, kNonCanonical,
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000"
       "0000000000000000000000000000000000",
       "ed25519vectors 8"},
      {14, kZero,
       "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000"
       "000"
       "0000000000000000000000000000000000",
       "ed25519vectors 3"},
      {16, kMixed,
       "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f1cb421dfbd92aa6c30d550bff53"
       "c81"
       "cf650ace6deb96a8ec22d2fef84dbbe20b",
       "ed25519vectors 6"},
      {29, kMixed,
       "b797b156efcd45a4e2454d2fd0b21438b3ccd80d4c7fd1d1b2c8e55bd4ed4a94732d9e0279fe001d90327efa319"
       "816"
       "e3e4506b78432b8b4e1f2fdc4b960d700f",
       "ed25519vectors 2", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Ed25519Verify(Arr<32>(c.key), AsBytes(c.msg), Arr<64>(c.sig)), c.accepted)
        << "vector " << c.number;
  }
}

// The example of C2SP signed-note (and Go's golang.org/x/mod/sumdb/note package docs).
constexpr std::string_view kExampleVkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr std::string_view kExampleNote =
    "This is an example message.\n"
    "\n"
    "\xE2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
    "\n";

TEST(SignedNote, OpensThePublishedExample) {
  auto v = NoteVerifier::Parse(kExampleVkey);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->ToString(), kExampleVkey);
  auto text = OpenNote(kExampleNote, *v);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "This is an example message.\n");

  std::string tampered(kExampleNote);
  tampered[0] = 't';
  EXPECT_FALSE(OpenNote(tampered, *v));
  // A note signed only by an unknown key is rejected, naming the key it wanted.
  auto other = NoteSigner::Generate("example.com/bar");
  auto theirs = other.Sign("This is an example message.\n");
  ASSERT_TRUE(theirs);
  auto opened = OpenNote(*theirs, *v);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("example.com/foo"), std::string::npos);
}

TEST(SignedNote, VerifierKeyChecksItsId) {
  std::string bad(kExampleVkey);
  bad[16] = bad[16] == '0' ? '1' : '0';  // a digit of the key id
  EXPECT_FALSE(NoteVerifier::Parse(bad));
  EXPECT_FALSE(NoteVerifier::Parse("example.com/foo"));
}

TEST(SignedNote, SignsAndOpensWithAGeneratedKey) {
  const auto signer = NoteSigner::Generate("corridor.test/registry");
  const Checkpoint cp{
      "corridor.test/registry",
      8,
      *HashFromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
      {}};
  auto note = signer.Sign(cp.Text());
  ASSERT_TRUE(note);
  auto text = OpenNote(*note, signer.Verifier());
  ASSERT_TRUE(text);
  auto back = Checkpoint::Parse(*text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->origin, cp.origin);
  EXPECT_EQ(back->size, 8u);
  EXPECT_EQ(back->root, cp.root);
  // The private key string round-trips to the same key.
  auto again = NoteSigner::ParsePrivateKey(signer.PrivateKeyString());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Verifier().ToString(), signer.Verifier().ToString());
  EXPECT_FALSE(signer.Sign("no newline"));
  EXPECT_FALSE(signer.Sign("blank\n\nline\n"));
}

TEST(Checkpoint, ParsesStrictly) {
  EXPECT_TRUE(Checkpoint::Parse("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
  EXPECT_FALSE(Checkpoint::Parse("o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
  EXPECT_FALSE(Checkpoint::Parse("o\n1\nAAAA\n"));
  EXPECT_FALSE(Checkpoint::Parse("\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
  auto ext = Checkpoint::Parse("o\n2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\n");
  ASSERT_TRUE(ext);
  EXPECT_EQ(ext->extensions.size(), 1u);
}

}  // namespace
}  // namespace corridor::registry
