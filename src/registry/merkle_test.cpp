#include "registry/merkle.hpp"

#include <gtest/gtest.h>

#include <random>

namespace corridor::registry {
namespace {

Hash H(std::string_view hex) { return *HashFromHex(hex); }

// RFC 6962's reference tree of 8 leaves, as pinned by transparency-dev/merkle
// (testonly/constants.go: LeafInputs, NodeHashes, RootHashes).
std::vector<std::string> ReferenceLeaves() {
  std::vector<std::string> out;
  for (std::string_view hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                               "606162636465666768696a6b6c6d6e6f"}) {
    out.push_back(*FromHex(hex));
  }
  return out;
}

const char* const kRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryTree ReferenceTree(size_t n) {
  MemoryTree tree;
  const auto leaves = ReferenceLeaves();
  for (size_t i = 0; i < n; ++i) tree.Append(LeafHash(AsBytes(leaves[i])));
  return tree;
}

std::vector<Hash> Hs(std::initializer_list<std::string_view> hex) {
  std::vector<Hash> out;
  for (auto h : hex) out.push_back(H(h));
  return out;
}

TEST(Merkle, ReferenceRootsForEverySize) {
  for (size_t n = 0; n <= 8; ++n) {
    EXPECT_EQ(ToHex(ReferenceTree(n).Root()), kRoots[n]) << n;
  }
}

TEST(Merkle, ReferenceLevelOneNodes) {
  // transparency-dev/merkle testonly NodeHashes()[1].
  const auto tree = ReferenceTree(8);
  EXPECT_EQ(ToHex(*tree.Node(1, 1)),
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  EXPECT_EQ(ToHex(*tree.Node(2, 1)),
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
}

TEST(Merkle, CompactRangeMatchesTheTree) {
  MemoryTree tree;
  CompactRange range;
  const auto leaves = ReferenceLeaves();
  for (size_t i = 0; i < 8; ++i) {
    tree.Append(LeafHash(AsBytes(leaves[i])));
    range.Append(LeafHash(AsBytes(leaves[i])));
    EXPECT_EQ(ToHex(range.Root()), kRoots[i + 1]);
    auto of = CompactRange::Of(tree, i + 1);
    ASSERT_TRUE(of);
    EXPECT_EQ(of->nodes(), range.nodes());
  }
}

// Inclusion proofs from transparency-dev/merkle proof/verify_test.go (inclusionProofs; their
// leaf numbers are 1-based).
TEST(Merkle, PublishedInclusionProofs) {
  struct Case {
    uint64_t index, size;
    std::vector<Hash> proof;
  };
  const std::vector<Case> cases = {
      {0, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       Hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, Hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       Hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  const auto leaves = ReferenceLeaves();
  for (const auto& c : cases) {
    const auto tree = ReferenceTree(c.size);
    auto proof = InclusionProof(tree, c.index, c.size);
    ASSERT_TRUE(proof);
    EXPECT_EQ(*proof, c.proof) << c.index << "/" << c.size;
    const Hash leaf = LeafHash(AsBytes(leaves[c.index]));
    EXPECT_TRUE(VerifyInclusion(c.index, c.size, leaf, c.proof, H(kRoots[c.size])).valid);
    EXPECT_FALSE(VerifyInclusion(c.index + 1, c.size, leaf, c.proof, H(kRoots[c.size])).valid);
    EXPECT_FALSE(VerifyInclusion(c.index, c.size * 2, leaf, c.proof, H(kRoots[c.size])).valid);
  }
}

// Consistency proofs from transparency-dev/merkle proof/verify_test.go (consistencyProofs).
TEST(Merkle, PublishedConsistencyProofs) {
  struct Case {
    uint64_t size1, size2;
    std::vector<Hash> proof;
  };
  const std::vector<Case> cases = {
      {1, 1, {}},
      {1, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  for (const auto& c : cases) {
    const auto tree = ReferenceTree(c.size2);
    auto proof = ConsistencyProof(tree, c.size1, c.size2);
    ASSERT_TRUE(proof);
    EXPECT_EQ(*proof, c.proof) << c.size1 << "->" << c.size2;
    const auto v =
        VerifyConsistency(c.size1, c.size2, H(kRoots[c.size1]), H(kRoots[c.size2]), c.proof);
    EXPECT_TRUE(v.valid) << v.reason;
  }
}

TEST(Merkle, RejectsImpossibleSizes) {
  const auto tree = ReferenceTree(8);
  EXPECT_FALSE(ConsistencyProof(tree, 0, 8));
  EXPECT_FALSE(ConsistencyProof(tree, 5, 4));
  EXPECT_FALSE(InclusionProof(tree, 8, 8));
  const Hash r = H(kRoots[8]);
  EXPECT_FALSE(VerifyConsistency(0, 8, H(kRoots[0]), r, {}).valid);
  EXPECT_FALSE(VerifyConsistency(8, 4, r, H(kRoots[4]), {}).valid);
  EXPECT_FALSE(VerifyConsistency(3, 8, H(kRoots[3]), r, {}).valid);  // empty proof
  EXPECT_FALSE(VerifyInclusion(0, 0, r, {}, r).valid);
  // A one-leaf tree: the root is the leaf hash and the proof is empty.
  const Hash leaf = LeafHash(AsBytes("data"));
  EXPECT_TRUE(VerifyInclusion(0, 1, leaf, {}, leaf).valid);
  EXPECT_FALSE(VerifyInclusion(0, 1, leaf, {}, EmptyRoot()).valid);
}

// Property: every proof of random trees verifies, and flipping any one bit of any proof element
// (or of the leaf, or of a root) makes it fail.
TEST(Merkle, RandomTreesProofsVerifyAndBitFlipsFail) {
  std::mt19937_64 rng(20261123);
  for (int round = 0; round < 12; ++round) {
    const uint64_t n = 1 + rng() % 1000;
    MemoryTree tree;
    std::vector<Hash> leaves;
    for (uint64_t i = 0; i < n; ++i) {
      const std::string data = std::to_string(rng());
      leaves.push_back(LeafHash(AsBytes(data)));
      tree.Append(leaves.back());
    }
    const Hash root = tree.Root();
    for (uint64_t i = 0; i < n; i += 1 + rng() % 7) {
      auto proof = *InclusionProof(tree, i, n);
      ASSERT_TRUE(VerifyInclusion(i, n, leaves[i], proof, root).valid) << i << "/" << n;
      if (!proof.empty()) {
        const size_t e = rng() % proof.size();
        const size_t bit = rng() % 256;
        proof[e][bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(VerifyInclusion(i, n, leaves[i], proof, root).valid);
      }
      Hash bad_leaf = leaves[i];
      bad_leaf[rng() % 32] ^= 1;
      EXPECT_FALSE(VerifyInclusion(i, n, bad_leaf, *InclusionProof(tree, i, n), root).valid);
    }
    for (int k = 0; k < 60; ++k) {
      const uint64_t size2 = 1 + rng() % n;
      const uint64_t size1 = 1 + rng() % size2;
      const Hash root1 = *Root(tree, size1);
      const Hash root2 = *Root(tree, size2);
      auto proof = *ConsistencyProof(tree, size1, size2);
      const auto v = VerifyConsistency(size1, size2, root1, root2, proof);
      ASSERT_TRUE(v.valid) << size1 << "->" << size2 << ": " << v.reason;
      if (!proof.empty()) {
        const size_t e = rng() % proof.size();
        const size_t bit = rng() % 256;
        proof[e][bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(VerifyConsistency(size1, size2, root1, root2, proof).valid);
        Hash bad = root1;
        bad[rng() % 32] ^= 0x80;
        EXPECT_FALSE(
            VerifyConsistency(size1, size2, bad, root2, *ConsistencyProof(tree, size1, size2))
                .valid);
      }
    }
  }
}

// The SHA-extension node hash against OpenSSL on random inputs (where the CPU has them; else both
// paths are OpenSSL's and this checks nothing new).
TEST(NodeHash, FastPathAgreesWithOpenSsl) {
  std::mt19937_64 rng(1);
  for (int k = 0; k < 20'000; ++k) {
    Hash l, r;
    for (auto& b : l) b = static_cast<uint8_t>(rng());
    for (auto& b : r) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(NodeHash(l, r), NodeHashPortable(l, r)) << k;
  }
  std::vector<Hash> children(101), parents(50);
  for (auto& h : children) {
    for (auto& b : h) b = static_cast<uint8_t>(rng());
  }
  NodeHashPairs(children, parents);
  for (size_t i = 0; i < parents.size(); ++i) {
    EXPECT_EQ(parents[i], NodeHashPortable(children[2 * i], children[2 * i + 1])) << i;
  }
  // RFC 6962 reference tree: node (1, 0) from leaves 0 and 1.
  const Hash l0 = LeafHash(AsBytes(""));
  const Hash l1 = LeafHash(AsBytes(*FromHex("00")));
  EXPECT_EQ(ToHex(NodeHash(l0, l1)), kRoots[2]);
}

TEST(Hex, RoundTripsAndRejectsJunk) {
  EXPECT_EQ(*FromHex("00Ff"), std::string("\x00\xff", 2));
  EXPECT_FALSE(FromHex("abc"));
  EXPECT_FALSE(FromHex("zz"));
  EXPECT_FALSE(HashFromHex("00"));
  EXPECT_EQ(ToBase64(AsBytes("hello")), "aGVsbG8=");
  EXPECT_EQ(*FromBase64("aGVsbG8="), "hello");
  EXPECT_FALSE(FromBase64("aGVsbG9="));  // non-zero padding bits
  EXPECT_FALSE(FromBase64("aGVsbG8"));
}

}  // namespace
}  // namespace corridor::registry
