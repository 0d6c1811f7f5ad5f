#pragma once
// RFC 9162 (RFC 6962) Merkle trees: roots, inclusion and consistency proofs, generation and
// verification. Generation reads complete subtrees from a NodeSource, so the same code serves
// an in-memory tree (tests, calc models) and the tiled log on disk.
//
// Conventions: levels count up from the leaves (level 0); Node(level, index) is the hash of the
// complete subtree over leaves [index << level, (index + 1) << level).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "registry/hash.hpp"

namespace corridor::registry {

class NodeSource {
 public:
  virtual ~NodeSource() = default;
  // The hash of a complete subtree; callers ask only for subtrees inside the tree.
  virtual Result<Hash> Node(int level, uint64_t index) const = 0;
};

// MTH(D[begin:end]) (RFC 9162 §2.1.1) for a range the tree's shape produces: `begin` is a
// multiple of the largest power of two below end - begin.
Result<Hash> RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end);
Result<Hash> Root(const NodeSource& nodes, uint64_t size);

// PATH(index, D[size]) (§2.1.3.1); requires index < size.
Result<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size);
// PROOF(size1, D[size2]) (§2.1.4.1); requires 0 < size1 <= size2.
Result<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t size1, uint64_t size2);

struct Verdict {
  bool valid = false;
  std::string reason;  // empty when valid
};

// §2.1.3.2, step by step.
Verdict VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                        std::span<const Hash> proof, const Hash& root);
// §2.1.4.2, step by step. size1 == size2 verifies with an empty proof when the roots are equal;
// size1 == 0 and size1 > size2 are rejected.
Verdict VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                          std::span<const Hash> proof);

// A whole tree in memory, every complete subtree kept: for tests, calc models and small logs.
class MemoryTree final : public NodeSource {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Result<Hash> Node(int level, uint64_t index) const override;
  Hash Root() const;

 private:
  std::vector<std::vector<Hash>> levels_;
};

// The right edge of a tree: one hash per set bit of its size, largest subtree first. Enough to
// append leaves and compute the root without the rest of the tree. 64 hashes at most.
class CompactRange {
 public:
  CompactRange() = default;
  CompactRange(uint64_t size, std::vector<Hash> nodes) : size_(size), nodes_(std::move(nodes)) {}
  // The compact range of a tree of `size` leaves, read from its complete subtrees.
  static Result<CompactRange> Of(const NodeSource& nodes, uint64_t size);

  void Append(const Hash& leaf_hash);
  Hash Root() const;
  uint64_t size() const { return size_; }
  const std::vector<Hash>& nodes() const { return nodes_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> nodes_;
};

}  // namespace corridor::registry
