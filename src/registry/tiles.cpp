#include "registry/tiles.hpp"

#include <fmt/format.h>

#include <cstring>

namespace corridor::registry {
namespace {

size_t RowOffset(uint32_t width, int r) {
  size_t offset = 0;
  for (int i = 0; i < r; ++i) offset += width >> i;
  return offset;
}

size_t TotalHashes(uint32_t width) { return RowOffset(width, kTileHeight); }

}  // namespace

Tile::Tile(TileId id, std::span<const Hash> bottom)
    : id_(id), width_(static_cast<uint32_t>(bottom.size())) {
  hashes_.reserve(TotalHashes(width_));
  hashes_.assign(bottom.begin(), bottom.end());
  hashes_.resize(TotalHashes(width_));
  size_t below = 0;  // offset of the row below the one being built
  for (int r = 1; r < kTileHeight; ++r) {
    const size_t n = width_ >> r;
    const size_t at = below + (width_ >> (r - 1));
    NodeHashPairs(std::span<const Hash>(hashes_).subspan(below, 2 * n),
                  std::span<Hash>(hashes_).subspan(at, n));
    below = at;
  }
}

Result<Tile> Tile::Decode(TileId id, uint32_t width, Bytes blob) {
  if (width == 0 || width > kTileWidth || blob.size() != TotalHashes(width) * kHashSize) {
    return Fail(Error::Internal(fmt::format("tile {}/{} is corrupt: width {} with {} bytes",
                                            id.level, id.index, width, blob.size())));
  }
  Tile t;
  t.id_ = id;
  t.width_ = width;
  const auto* first = reinterpret_cast<const Hash*>(blob.data());
  t.hashes_.assign(first, first + TotalHashes(width));  // Hash is a byte array: no alignment
  return t;
}

std::span<const Hash> Tile::Row(int r) const {
  return std::span<const Hash>(hashes_).subspan(RowOffset(width_, r), width_ >> r);
}

Hash Tile::Top() const {
  const auto top = Row(kTileHeight - 1);
  return NodeHash(top[0], top[1]);
}

NodeAddress Locate(int level, uint64_t index) {
  const int t = level / kTileHeight;
  const int r = level % kTileHeight;
  const int shift = kTileHeight - r;  // nodes of row r per tile: 2^shift
  return NodeAddress{TileId{t, index >> shift}, r,
                     static_cast<uint32_t>(index & ((uint64_t{1} << shift) - 1))};
}

Result<Hash> TileNodeSource::Node(int level, uint64_t index) const {
  const NodeAddress a = Locate(level, index);
  const auto tile = CORRIDOR_TRY(tiles_.Read(a.tile, (a.position + 1) << a.row));
  if (tile == nullptr || a.position >= tile->Row(a.row).size()) {
    return Fail(Error::Internal(
        fmt::format("the log has no node at level {} index {} (tile missing)", level, index)));
  }
  return tile->Row(a.row)[a.position];
}

Result<std::vector<Tile>> AppendLeaves(const TileReader& tiles, uint64_t size,
                                       std::span<const Hash> leaves) {
  std::vector<Tile> out;
  std::vector<Hash> fresh(leaves.begin(), leaves.end());  // new nodes at tree level 8t
  uint64_t start = size;  // how many nodes tree level 8t held before
  for (int t = 0; !fresh.empty(); ++t) {
    const uint64_t first_tile = start / kTileWidth;
    std::vector<Hash> row;
    if (start % kTileWidth != 0) {
      const uint32_t width = start % kTileWidth;
      const auto partial = CORRIDOR_TRY(tiles.Read(TileId{t, first_tile}, width));
      // A wider version can only come from an integration that did not commit; its first
      // `width` nodes are the same, as tiles are a function of the entries alone.
      if (partial == nullptr || partial->width() < width) {
        return Fail(Error::Internal(
            fmt::format("the log's right edge is corrupt: tile {}/{} should hold {} nodes", t,
                        first_tile, start % kTileWidth)));
      }
      const auto bottom = partial->Row(0).first(width);
      row.assign(bottom.begin(), bottom.end());
    }
    row.insert(row.end(), fresh.begin(), fresh.end());
    fresh.clear();
    for (size_t begin = 0; begin < row.size(); begin += kTileWidth) {
      const size_t n = std::min<size_t>(kTileWidth, row.size() - begin);
      Tile tile(TileId{t, first_tile + begin / kTileWidth},
                std::span<const Hash>(row).subspan(begin, n));
      if (tile.full()) fresh.push_back(tile.Top());
      out.push_back(std::move(tile));
    }
    start = first_tile;
  }
  return out;
}

}  // namespace corridor::registry
