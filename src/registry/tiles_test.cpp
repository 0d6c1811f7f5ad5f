#include "registry/tiles.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace corridor::registry {
namespace {

class MapTiles final : public TileReader {
 public:
  Result<std::shared_ptr<const Tile>> Read(TileId id, uint32_t min_width) const override {
    auto it = tiles_.find(id.Key());
    if (it == tiles_.end() || it->second->width() < min_width) return std::shared_ptr<const Tile>();
    return it->second;
  }
  void Put(std::vector<Tile> tiles) {
    for (auto& t : tiles) tiles_[t.id().Key()] = std::make_shared<const Tile>(std::move(t));
  }
  size_t count() const { return tiles_.size(); }

 private:
  std::map<int64_t, std::shared_ptr<const Tile>> tiles_;
};

Hash Leaf(uint64_t i) {
  const std::string data = "leaf-" + std::to_string(i);
  return LeafHash(AsBytes(data));
}

TEST(Tiles, LocateFindsRowAndPosition) {
  EXPECT_EQ(Locate(0, 300).tile, (TileId{0, 1}));
  EXPECT_EQ(Locate(0, 300).position, 44u);
  EXPECT_EQ(Locate(3, 300).tile, (TileId{0, 9}));  // 32 level-3 nodes per tile
  EXPECT_EQ(Locate(3, 300).row, 3);
  EXPECT_EQ(Locate(3, 300).position, 12u);
  EXPECT_EQ(Locate(8, 5).tile, (TileId{1, 0}));
  EXPECT_EQ(Locate(17, 3).tile, (TileId{2, 0}));
  EXPECT_EQ(Locate(17, 3).row, 1);
}

// Growing a tiled tree in random batches gives the same nodes, roots and proofs as the
// in-memory tree, across the 256- and 65,536-leaf tile boundaries.
TEST(Tiles, RandomBatchesMatchTheMemoryTree) {
  std::mt19937_64 rng(7);
  MapTiles tiles;
  MemoryTree tree;
  uint64_t size = 0;
  const uint64_t target = 70'000;
  while (size < target) {
    const uint64_t n = std::min<uint64_t>(target - size, 1 + rng() % (rng() % 4 == 0 ? 3000 : 40));
    std::vector<Hash> batch;
    for (uint64_t i = 0; i < n; ++i) batch.push_back(Leaf(size + i));
    auto changed = AppendLeaves(tiles, size, batch);
    ASSERT_TRUE(changed) << changed.error().message;
    tiles.Put(std::move(*changed));
    for (const Hash& h : batch) tree.Append(h);
    size += n;
    TileNodeSource nodes(tiles);
    auto root = Root(nodes, size);
    ASSERT_TRUE(root) << root.error().message;
    ASSERT_EQ(*root, tree.Root()) << size;
  }
  TileNodeSource nodes(tiles);
  for (int k = 0; k < 200; ++k) {
    const uint64_t i = rng() % size;
    EXPECT_EQ(*InclusionProof(nodes, i, size), *InclusionProof(tree, i, size));
    const uint64_t s1 = 1 + rng() % size;
    EXPECT_EQ(*ConsistencyProof(nodes, s1, size), *ConsistencyProof(tree, s1, size));
  }
  // 70,000 leaves: 274 bottom tiles, 2 at level 1, 1 at level 2.
  EXPECT_EQ(tiles.count(), 274u + 2u + 1u);
}

TEST(Tiles, DecodeChecksTheShape) {
  std::vector<Hash> bottom(10, Leaf(1));
  const Tile t(TileId{0, 0}, bottom);
  const auto blob = t.Encoded();
  auto back = Tile::Decode(TileId{0, 0}, 10, blob);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Row(1).size(), 5u);
  EXPECT_EQ(back->Row(3).size(), 1u);
  EXPECT_FALSE(Tile::Decode(TileId{0, 0}, 11, blob));
}

TEST(Tiles, AppendRefusesACorruptRightEdge) {
  MapTiles tiles;
  std::vector<Hash> batch = {Leaf(0), Leaf(1), Leaf(2)};
  tiles.Put(*AppendLeaves(tiles, 0, batch));
  // The store claims 5 leaves but the tile holds 3.
  EXPECT_FALSE(AppendLeaves(tiles, 5, batch));
  // A wider version of the right-edge tile (an integration that did not commit) is cut back to
  // what the tree size says; the result is the same as from the exact tile.
  MapTiles exact;
  exact.Put(*AppendLeaves(exact, 0, batch));
  std::vector<Hash> more = {Leaf(3)};
  const auto from_exact = *AppendLeaves(exact, 3, more);
  tiles.Put(*AppendLeaves(tiles, 3, std::vector<Hash>{Leaf(9), Leaf(9)}));  // 5 wide now
  const auto from_wider = *AppendLeaves(tiles, 3, more);
  ASSERT_EQ(from_exact.size(), from_wider.size());
  EXPECT_EQ(from_exact[0].Row(0).size(), 4u);
  EXPECT_TRUE(std::equal(from_exact[0].Row(0).begin(), from_exact[0].Row(0).end(),
                         from_wider[0].Row(0).begin(), from_wider[0].Row(0).end()));
}

}  // namespace
}  // namespace corridor::registry
