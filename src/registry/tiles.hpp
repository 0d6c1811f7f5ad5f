#pragma once
// Tiles: how the log stores its tree without holding it in memory. A tile at tile level t and
// index k covers the nodes of tree level 8t with indices [256k, 256k + width) and keeps every
// complete node above them inside the tile, up to tree level 8t + 7 (row r holds width >> r
// nodes). Level 8t + 8 nodes are the bottom row of tile level t + 1. A full tile (width 256)
// never changes again; only the right-most tile of each level is partial and is rewritten as
// the log grows. 10^8 leaves take tile levels 0-3 and 2 x 32 bytes per leaf.
//
// Any complete node is one tile read away, so a proof costs one tile read per 8 tree levels.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "registry/hash.hpp"
#include "registry/merkle.hpp"

namespace corridor::registry {

inline constexpr int kTileHeight = 8;
inline constexpr uint32_t kTileWidth = 1u << kTileHeight;

struct TileId {
  int level = 0;
  uint64_t index = 0;
  // A single integer key: level in the top 8 bits.
  int64_t Key() const { return static_cast<int64_t>((uint64_t(level) << 56) | index); }
  friend bool operator==(const TileId&, const TileId&) = default;
};

class Tile {
 public:
  Tile() = default;
  // Builds the tile's rows from its bottom row (1..256 hashes).
  Tile(TileId id, std::span<const Hash> bottom);
  // Parses the stored form: rows concatenated bottom-up, 32 bytes per hash.
  static Result<Tile> Decode(TileId id, uint32_t width, Bytes blob);

  const TileId& id() const { return id_; }
  uint32_t width() const { return width_; }
  bool full() const { return width_ == kTileWidth; }
  // Row r (0..7) holds width >> r nodes.
  std::span<const Hash> Row(int r) const;
  // The level 8t + 8 node this tile completes; only for full tiles.
  Hash Top() const;
  Bytes Encoded() const {
    return {reinterpret_cast<const uint8_t*>(hashes_.data()), hashes_.size() * kHashSize};
  }

 private:
  TileId id_;
  uint32_t width_ = 0;
  std::vector<Hash> hashes_;
};

// The tile holding node (level, index), and the node's row and position in it.
struct NodeAddress {
  TileId tile;
  int row;
  uint32_t position;
};
NodeAddress Locate(int level, uint64_t index);

// Where tiles come from: a database, a file, memory.
// Tiles are shared, not copied: a proof touches the same tile for up to eight levels. A tile only
// ever grows, and a wider version holds every node of a narrower one, so a reader may answer with
// any version at least `min_width` wide (a cached one, typically).
class TileReader {
 public:
  virtual ~TileReader() = default;
  // The tile if it holds at least `min_width` bottom nodes, else nullptr.
  virtual Result<std::shared_ptr<const Tile>> Read(TileId id, uint32_t min_width) const = 0;
};

// Complete nodes of a tree, read through tiles.
class TileNodeSource final : public NodeSource {
 public:
  explicit TileNodeSource(const TileReader& tiles) : tiles_(tiles) {}
  Result<Hash> Node(int level, uint64_t index) const override;

 private:
  const TileReader& tiles_;
};

// Appends `leaves` (leaf hashes) to a tree of `size` leaves whose tiles `tiles` holds; returns
// every tile that changed, partial ones included, bottom level first.
Result<std::vector<Tile>> AppendLeaves(const TileReader& tiles, uint64_t size,
                                       std::span<const Hash> leaves);

}  // namespace corridor::registry
