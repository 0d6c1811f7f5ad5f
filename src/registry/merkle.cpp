#include "registry/merkle.hpp"

#include <fmt/format.h>

#include <bit>

namespace corridor::registry {
namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Verdict Invalid(std::string reason) { return Verdict{false, std::move(reason)}; }

Status Path(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end,
            std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (n == 1) return {};
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    CORRIDOR_TRY_STATUS(Path(nodes, m, begin, begin + k, out));
    out.push_back(CORRIDOR_TRY(RangeHash(nodes, begin + k, end)));
  } else {
    CORRIDOR_TRY_STATUS(Path(nodes, m - k, begin + k, end, out));
    out.push_back(CORRIDOR_TRY(RangeHash(nodes, begin, begin + k)));
  }
  return {};
}

Status SubProof(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end, bool whole,
                std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(CORRIDOR_TRY(RangeHash(nodes, begin, end)));
    return {};
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    CORRIDOR_TRY_STATUS(SubProof(nodes, m, begin, begin + k, whole, out));
    out.push_back(CORRIDOR_TRY(RangeHash(nodes, begin + k, end)));
  } else {
    CORRIDOR_TRY_STATUS(SubProof(nodes, m - k, begin + k, end, false, out));
    out.push_back(CORRIDOR_TRY(RangeHash(nodes, begin, begin + k)));
  }
  return {};
}

}  // namespace

Result<Hash> RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (std::has_single_bit(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return nodes.Node(level, begin >> level);
  }
  const uint64_t k = SplitPoint(n);
  const Hash left = CORRIDOR_TRY(RangeHash(nodes, begin, begin + k));
  const Hash right = CORRIDOR_TRY(RangeHash(nodes, begin + k, end));
  return NodeHash(left, right);
}

Result<Hash> Root(const NodeSource& nodes, uint64_t size) { return RangeHash(nodes, 0, size); }

Result<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size) {
  if (index >= size) {
    return Fail(Error::Invalid(
        "/leaf_index", fmt::format("leaf index {} is not below tree size {}", index, size)));
  }
  std::vector<Hash> proof;
  CORRIDOR_TRY_STATUS(Path(nodes, index, 0, size, proof));
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t size1,
                                           uint64_t size2) {
  if (size1 == 0) {
    return Fail(Error::Invalid("/size1", "a consistency proof needs size1 of at least 1"));
  }
  if (size1 > size2) {
    return Fail(
        Error::Invalid("/size2", fmt::format("size2 {} is smaller than size1 {}", size2, size1)));
  }
  std::vector<Hash> proof;
  CORRIDOR_TRY_STATUS(SubProof(nodes, size1, 0, size2, true, proof));
  return proof;
}

Verdict VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                        std::span<const Hash> proof, const Hash& root) {
  // Step 1.
  if (index >= size) {
    return Invalid(fmt::format("leaf index {} is not below tree size {}", index, size));
  }
  // Steps 2-3.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  // Step 4.
  for (const Hash& p : proof) {
    if (sn == 0) return Invalid("the proof is longer than the path to the root");
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 5.
  if (sn != 0) return Invalid("the proof is shorter than the path to the root");
  if (r != root) return Invalid("the computed root does not match the given root");
  return Verdict{true, {}};
}

Verdict VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                          std::span<const Hash> proof) {
  if (size1 == 0) return Invalid("size1 must be at least 1");
  if (size2 < size1) return Invalid(fmt::format("size2 {} is smaller than size1 {}", size2, size1));
  if (size1 == size2) {
    if (!proof.empty()) return Invalid("a proof between equal sizes must be empty");
    if (root1 != root2) return Invalid("equal sizes with different roots");
    return Verdict{true, {}};
  }
  // Step 1.
  if (proof.empty()) return Invalid("the proof is empty");
  // Step 2.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  // Steps 3-4.
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  // Step 5.
  Hash fr = path[0];
  Hash sr = path[0];
  // Step 6.
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return Invalid("the proof is longer than needed");
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 7.
  if (sn != 0) return Invalid("the proof is shorter than needed");
  if (fr != root1) return Invalid("the proof does not lead to root1");
  if (sr != root2) return Invalid("the proof does not lead to root2");
  return Verdict{true, {}};
}

void MemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const auto& row = levels_[level];
    const Hash parent = NodeHash(row[row.size() - 2], row[row.size() - 1]);
    if (level + 1 == levels_.size()) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
  }
}

Result<Hash> MemoryTree::Node(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
      index >= levels_[static_cast<size_t>(level)].size()) {
    return Fail(
        Error::Internal(fmt::format("no complete subtree at level {} index {}", level, index)));
  }
  return levels_[static_cast<size_t>(level)][index];
}

Hash MemoryTree::Root() const {
  auto root = registry::Root(*this, size());
  return *root;  // every subtree it reads exists
}

Result<CompactRange> CompactRange::Of(const NodeSource& nodes, uint64_t size) {
  std::vector<Hash> out;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size & width) == 0) continue;
    out.push_back(CORRIDOR_TRY(nodes.Node(level, begin >> level)));
    begin += width;
  }
  return CompactRange(size, std::move(out));
}

void CompactRange::Append(const Hash& leaf_hash) {
  Hash h = leaf_hash;
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    h = NodeHash(nodes_.back(), h);
    nodes_.pop_back();
  }
  nodes_.push_back(h);
  ++size_;
}

Hash CompactRange::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  Hash r = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) r = NodeHash(nodes_[i], r);
  return r;
}

}  // namespace corridor::registry
