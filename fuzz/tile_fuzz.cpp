// The tile reader: a stored tile's bytes (rows concatenated bottom-up) as the log reads them
// back from the store, with any claimed width.
#include "fuzz.hpp"
#include "registry/tiles.hpp"

CORRIDOR_FUZZ_TARGET(tile) {
  if (size < 2) return 0;
  const uint32_t width = 1 + data[0];  // 1..256
  const corridor::registry::TileId id{data[1] % 8, 0};
  auto tile = corridor::registry::Tile::Decode(id, width, {data + 2, size - 2});
  if (!tile) return 0;
  CORRIDOR_FUZZ_CHECK(tile->width() == width);
  for (int r = 0; r < 8; ++r) CORRIDOR_FUZZ_CHECK(tile->Row(r).size() == (width >> r));
  if (tile->full()) (void)tile->Top();
  // Decoding what a tile encodes gives it back.
  auto again = corridor::registry::Tile::Decode(id, width, tile->Encoded());
  CORRIDOR_FUZZ_CHECK(again && again->Encoded().size() == tile->Encoded().size());
  return 0;
}
