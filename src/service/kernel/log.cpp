#include "service/kernel/log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <span>
#include <sstream>

#include "core/enum_names.hpp"
#include "service/kernel/secret_file.hpp"

namespace corridor::service {

using registry::Hash;
using registry::Tile;
using registry::TileId;
using store::Blob;
using store::Connection;
using store::Execute;
using store::Query;

namespace {

constexpr int64_t kBatch = 16384;  // entries per integration transaction

std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

Result<uint64_t> IntegratedSize(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT MAX(size) FROM registry_checkpoints"));
  CORRIDOR_TRY(q.Next());
  return static_cast<uint64_t>(q.OptInt(0).value_or(0));
}

Result<std::optional<SignedCheckpoint>> NewestIn(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, "SELECT size, root, note FROM registry_checkpoints ORDER BY size DESC LIMIT 1"));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<SignedCheckpoint>();
  SignedCheckpoint cp;
  cp.size = static_cast<uint64_t>(q.Int(0));
  const std::string root = q.Text(1);
  if (root.size() != registry::kHashSize) return Fail(Error::Internal("stored root is corrupt"));
  std::copy(root.begin(), root.end(), cp.root.begin());
  cp.note = q.Text(2);
  return std::optional<SignedCheckpoint>(std::move(cp));
}

Result<uint64_t> LeafCount(Connection& c) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT count(*) FROM registry_leaves"));
  CORRIDOR_TRY(q.Next());
  return static_cast<uint64_t>(q.Int(0));
}

// The checkpoints cover fewer leaves than the tree holds: rows were deleted. Integrating again
// would rewrite history, so refuse, and say how to find out more and how to recover.
Error CheckpointsLost(uint64_t covered, uint64_t integrated) {
  return Error{
      ErrorCode::kInternal,
      fmt::format("the registry log is damaged: {} entries are integrated into the tree "
                  "but the newest signed checkpoint covers {} (checkpoint rows are "
                  "missing). Nothing was changed. Run `corridor verify --db PATH` to check "
                  "every entry, tile and checkpoint; when only checkpoints are missing, "
                  "`corridor verify --db PATH --repair` signs one for the integrated "
                  "tree. Otherwise restore the database from a backup.",
                  integrated, covered),
      {}};
}

// Tiles from nowhere: the tree before its first leaf.
class NoTiles final : public registry::TileReader {
 public:
  Result<std::shared_ptr<const Tile>> Read(registry::TileId, uint32_t) const override {
    return std::shared_ptr<const Tile>();
  }
};

Error NotIntegrated(uint64_t size, uint64_t have) {
  return Error{ErrorCode::kNotFound,
               fmt::format("tree size {} is beyond the newest checkpoint ({})", size, have),
               {{"/tree_size", "beyond the newest checkpoint"}}};
}

}  // namespace

std::string EncodeLogEntry(int64_t index, std::string_view kind, const Caller* actor,
                           const Json& body, int64_t time_us) {
  Json actor_json = nullptr;
  if (actor != nullptr) {
    actor_json = Json{{"role", std::string(ToString(actor->role))},
                      {"tenant_id", actor->tenant_id},
                      {"user_id", actor->user_id}};
  }
  const Json entry{{"actor", std::move(actor_json)},
                   {"body", body},
                   {"index", index},
                   {"kind", kind},
                   {"time_us", time_us}};
  // nlohmann::json keeps object keys sorted; dump() without indent has no whitespace.
  return std::string(kLogEntryPrefix) +
         entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

Result<LogEntryRef> AppendLogEntry(Connection& c, std::string_view kind, const Caller* actor,
                                   const Json& body, const std::vector<int64_t>& parties,
                                   int64_t now_micros) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT COALESCE(MAX(idx) + 1, 0) FROM registry_entries"));
  CORRIDOR_TRY(q.Next());
  const int64_t index = q.Int(0);
  const std::string data = EncodeLogEntry(index, kind, actor, body, now_micros);
  Json party_list = Json::array();
  for (int64_t p : parties) party_list.push_back(p);
  CORRIDOR_TRY(Execute(
      c,
      "INSERT INTO registry_entries (idx, kind, data, parties, created_at) VALUES (?, ?, ?, ?, ?)",
      index, kind, Blob{data}, party_list.dump(), now_micros));
  return LogEntryRef{index, registry::LeafHash(registry::AsBytes(data))};
}

Result<std::shared_ptr<const Tile>> StoreTileReader::Read(TileId id, uint32_t min_width) const {
  if (last_ != nullptr && last_->id() == id && last_->width() >= min_width) return last_;
  if (auto hit = cache_.Get(id.Key()); hit != nullptr && hit->width() >= min_width) {
    return last_ = hit;
  }
  auto q = CORRIDOR_TRY(
      Query::Make(c_, "SELECT width, hashes FROM registry_tiles WHERE id = ?", id.Key()));
  if (!CORRIDOR_TRY(q.Next()) || q.Int(0) < min_width) return std::shared_ptr<const Tile>();
  const std::string_view blob = q.View(1);
  auto tile = std::make_shared<const Tile>(CORRIDOR_TRY(
      Tile::Decode(id, static_cast<uint32_t>(q.Int(0)),
                   registry::Bytes(reinterpret_cast<const uint8_t*>(blob.data()), blob.size()))));
  cache_.Put(tile);
  return last_ = tile;
}

Status WriteTiles(Connection& c, const std::vector<Tile>& tiles) {
  for (const Tile& t : tiles) {
    const auto bytes = t.Encoded();
    CORRIDOR_TRY(
        Execute(c, "INSERT OR REPLACE INTO registry_tiles (id, width, hashes) VALUES (?, ?, ?)",
                t.id().Key(), t.width(),
                Blob{std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())}));
  }
  return {};
}

std::shared_ptr<const Tile> TileCache::Get(int64_t key) {
  std::shared_lock lock(mu_);
  auto it = tiles_.find(key);
  return it == tiles_.end() ? nullptr : it->second;
}

void TileCache::Put(std::shared_ptr<const Tile> tile) {
  std::unique_lock lock(mu_);
  // Crude but bounded: when full, drop everything but the upper levels' tiles, which are few
  // and on every proof's path.
  if (tiles_.size() >= capacity_) {
    std::erase_if(tiles_, [](const auto& kv) { return (kv.first >> 56) == 0; });
  }
  auto& slot = tiles_[tile->id().Key()];
  if (slot == nullptr || slot->width() < tile->width()) slot = std::move(tile);
}

TransparencyLog::TransparencyLog(store::Store& store, const Clock& clock,
                                 registry::NoteSigner signer)
    : store_(store), clock_(clock), signer_(std::move(signer)), verifier_(signer_.Verifier()) {}

Result<bool> TransparencyLog::IntegrateBatch(SignedCheckpoint& latest) {
  return store_.Write([&](Connection& c) -> Result<bool> {
    const uint64_t size = CORRIDOR_TRY(IntegratedSize(c));
    const bool have_checkpoint = CORRIDOR_TRY(NewestIn(c)).has_value();
    if (const uint64_t integrated = CORRIDOR_TRY(LeafCount(c)); integrated != size) {
      return Fail(CheckpointsLost(size, integrated));
    }
    std::vector<Hash> leaves;
    {
      auto q = CORRIDOR_TRY(Query::Make(
          c, "SELECT idx, data FROM registry_entries WHERE idx >= ? ORDER BY idx LIMIT ?",
          static_cast<int64_t>(size), kBatch));
      while (CORRIDOR_TRY(q.Next())) {
        if (static_cast<uint64_t>(q.Int(0)) != size + leaves.size()) {
          return Fail(Error::Internal(fmt::format("the log has a gap before entry {}", q.Int(0))));
        }
        leaves.push_back(registry::LeafHash(registry::AsBytes(q.Text(1))));
      }
    }
    if (leaves.empty() && have_checkpoint) {
      latest = *CORRIDOR_TRY(NewestIn(c));
      return false;
    }
    StoreTileReader tiles(c, cache_);
    auto changed = CORRIDOR_TRY(registry::AppendLeaves(tiles, size, leaves));
    CORRIDOR_TRY_STATUS(WriteTiles(c, changed));
    for (size_t i = 0; i < leaves.size(); ++i) {
      CORRIDOR_TRY(Execute(c, "INSERT INTO registry_leaves (leaf_hash, idx) VALUES (?, ?)",
                           Blob{HashBytes(leaves[i])}, static_cast<int64_t>(size + i)));
    }
    const uint64_t new_size = size + leaves.size();
    registry::TileNodeSource nodes(tiles);
    const Hash root = CORRIDOR_TRY(registry::Root(nodes, new_size));
    const registry::Checkpoint cp{signer_.name(), new_size, root, {}};
    std::string note = CORRIDOR_TRY(signer_.Sign(cp.Text()));
    CORRIDOR_TRY(Execute(
        c, "INSERT INTO registry_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
        static_cast<int64_t>(new_size), Blob{HashBytes(root)}, note, clock_.NowMicros()));
    latest = SignedCheckpoint{new_size, root, std::move(note)};
    return leaves.size() == static_cast<size_t>(kBatch);
  });
}

Result<SignedCheckpoint> TransparencyLog::Integrate() {
  {
    // Fast path: nothing sequenced beyond the newest checkpoint.
    auto pending = store_.Read([&](Connection& c) -> Result<std::optional<SignedCheckpoint>> {
      auto newest = CORRIDOR_TRY(NewestIn(c));
      if (!newest) return newest;
      auto q =
          CORRIDOR_TRY(Query::Make(c, "SELECT COALESCE(MAX(idx) + 1, 0) FROM registry_entries"));
      CORRIDOR_TRY(q.Next());
      if (static_cast<uint64_t>(q.Int(0)) != newest->size) return std::optional<SignedCheckpoint>();
      return newest;
    });
    if (!pending) return Fail(std::move(pending.error()));
    if (*pending) return std::move(**pending);
  }
  std::lock_guard lock(integrate_mu_);
  SignedCheckpoint latest;
  while (CORRIDOR_TRY(IntegrateBatch(latest))) {
  }
  return latest;
}

Result<std::optional<SignedCheckpoint>> TransparencyLog::Newest() {
  return store_.Read([&](Connection& c) { return NewestIn(c); });
}

Result<std::vector<Hash>> TransparencyLog::InclusionProof(uint64_t index, uint64_t tree_size) {
  return store_.Read([&](Connection& c) -> Result<std::vector<Hash>> {
    const uint64_t have = CORRIDOR_TRY(IntegratedSize(c));
    if (tree_size > have) return Fail(NotIntegrated(tree_size, have));
    if (index >= tree_size) {
      return Fail(Error::Invalid("/index", fmt::format("must be below tree_size {}", tree_size)));
    }
    StoreTileReader tiles(c, cache_);
    registry::TileNodeSource nodes(tiles);
    return registry::InclusionProof(nodes, index, tree_size);
  });
}

Result<std::vector<Hash>> TransparencyLog::ConsistencyProof(uint64_t size1, uint64_t size2) {
  return store_.Read([&](Connection& c) -> Result<std::vector<Hash>> {
    const uint64_t have = CORRIDOR_TRY(IntegratedSize(c));
    if (size2 > have) return Fail(NotIntegrated(size2, have));
    StoreTileReader tiles(c, cache_);
    registry::TileNodeSource nodes(tiles);
    auto proof = registry::ConsistencyProof(nodes, size1, size2);
    if (!proof && proof.error().code == ErrorCode::kInvalidArgument) {
      for (auto& f : proof.error().fields) {
        f.field = f.field == "/size1" ? "/first" : "/second";
      }
    }
    return proof;
  });
}

Result<std::optional<uint64_t>> TransparencyLog::IndexOfLeaf(const Hash& leaf_hash) {
  return store_.Read([&](Connection& c) -> Result<std::optional<uint64_t>> {
    auto q = CORRIDOR_TRY(Query::Make(c, "SELECT idx FROM registry_leaves WHERE leaf_hash = ?",
                                      Blob{HashBytes(leaf_hash)}));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<uint64_t>();
    return std::optional<uint64_t>(static_cast<uint64_t>(q.Int(0)));
  });
}

Result<std::optional<StoredEntry>> TransparencyLog::Entry(uint64_t index) {
  return store_.Read([&](Connection& c) -> Result<std::optional<StoredEntry>> {
    auto q = CORRIDOR_TRY(
        Query::Make(c, "SELECT kind, data, parties, created_at FROM registry_entries WHERE idx = ?",
                    static_cast<int64_t>(index)));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<StoredEntry>();
    StoredEntry e;
    e.index = static_cast<int64_t>(index);
    e.kind = q.Text(0);
    e.data = q.Text(1);
    const Json parties = Json::parse(q.Text(2), nullptr, false);
    if (parties.is_array()) {
      for (const auto& p : parties) {
        if (p.is_number_integer()) e.parties.push_back(p.get<int64_t>());
      }
    }
    e.created_at = q.Int(3);
    return std::optional<StoredEntry>(std::move(e));
  });
}

Result<SignedCheckpoint> TransparencyLog::RepairCheckpoint() {
  const LogVerification found = CORRIDOR_TRY(VerifyLog(store_, verifier_));
  if (found.whole()) return Fail(Error::Conflict("the log is whole; nothing to repair"));
  if (!found.only_checkpoints_missing) {
    return Fail(Error::Conflict("the log has damage a new checkpoint cannot mend: " +
                                found.problems.front()));
  }
  std::lock_guard lock(integrate_mu_);
  return store_.Write([&](Connection& c) -> Result<SignedCheckpoint> {
    const uint64_t size = CORRIDOR_TRY(LeafCount(c));
    StoreTileReader tiles(c, cache_);
    registry::TileNodeSource nodes(tiles);
    const Hash root = CORRIDOR_TRY(registry::Root(nodes, size));
    const registry::Checkpoint cp{signer_.name(), size, root, {}};
    std::string note = CORRIDOR_TRY(signer_.Sign(cp.Text()));
    CORRIDOR_TRY(Execute(
        c, "INSERT INTO registry_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
        static_cast<int64_t>(size), Blob{HashBytes(root)}, note, clock_.NowMicros()));
    return SignedCheckpoint{size, root, std::move(note)};
  });
}

Result<LogVerification> VerifyLog(store::Store& store, const registry::NoteVerifier& verifier) {
  return store.Read([&](Connection& c) -> Result<LogVerification> {
    LogVerification v;
    auto problem = [&](std::string text) {
      if (v.problems.size() < 100) v.problems.push_back(std::move(text));
    };
    // Entries: contiguous from 0, each leaf naming its own index.
    std::vector<Hash> leaves;
    {
      auto q = CORRIDOR_TRY(Query::Make(c, "SELECT idx, data FROM registry_entries ORDER BY idx"));
      while (CORRIDOR_TRY(q.Next())) {
        const int64_t idx = q.Int(0);
        const std::string data = q.Text(1);
        if (static_cast<uint64_t>(idx) != leaves.size()) {
          problem(fmt::format("entries are missing before index {}", idx));
        }
        const Json leaf = data.starts_with(kLogEntryPrefix)
                              ? Json::parse(data.substr(kLogEntryPrefix.size()), nullptr, false)
                              : Json();
        if (!leaf.is_object() || leaf.value("index", int64_t{-1}) != idx) {
          problem(fmt::format("entry {} does not hold its own index in its leaf data", idx));
        }
        leaves.push_back(registry::LeafHash(registry::AsBytes(data)));
      }
    }
    v.entries = leaves.size();
    // The leaf index: each integrated leaf's hash at its index.
    {
      auto q =
          CORRIDOR_TRY(Query::Make(c, "SELECT leaf_hash, idx FROM registry_leaves ORDER BY idx"));
      while (CORRIDOR_TRY(q.Next())) {
        const std::string hash = q.Text(0);
        const int64_t idx = q.Int(1);
        if (static_cast<uint64_t>(idx) != v.integrated) {
          problem(fmt::format("the leaf index skips from {} to {}", v.integrated, idx));
        }
        if (static_cast<uint64_t>(idx) >= leaves.size() || hash != HashBytes(leaves[idx])) {
          problem(fmt::format("the leaf index holds a wrong hash for entry {}", idx));
        }
        ++v.integrated;
      }
    }
    // Tiles: rebuilt from the integrated leaves, compared byte for byte.
    std::map<int64_t, Tile> expected;
    if (v.integrated > 0 && v.integrated <= leaves.size()) {
      NoTiles none;
      auto built = CORRIDOR_TRY(
          registry::AppendLeaves(none, 0, std::span<const Hash>(leaves.data(), v.integrated)));
      for (auto& t : built) expected[t.id().Key()] = std::move(t);
    }
    {
      auto q =
          CORRIDOR_TRY(Query::Make(c, "SELECT id, width, hashes FROM registry_tiles ORDER BY id"));
      while (CORRIDOR_TRY(q.Next())) {
        ++v.tiles;
        const int64_t id = q.Int(0);
        auto it = expected.find(id);
        const std::string blob = q.Text(2);
        const auto level = static_cast<int>(static_cast<uint64_t>(id) >> 56);
        const uint64_t index = static_cast<uint64_t>(id) & ((uint64_t{1} << 56) - 1);
        if (it == expected.end()) {
          problem(fmt::format("tile {}/{} is beyond the integrated tree", level, index));
          continue;
        }
        const auto want = it->second.Encoded();
        if (q.Int(1) != it->second.width() || blob.size() != want.size() ||
            !std::equal(want.begin(), want.end(), reinterpret_cast<const uint8_t*>(blob.data()))) {
          problem(fmt::format("tile {}/{} differs from the tree its entries make", level, index));
        }
        expected.erase(it);
      }
      for (const auto& [id, t] : expected) {
        problem(fmt::format("tile {}/{} is missing", t.id().level, t.id().index));
      }
    }
    // Checkpoints: each root the tree of its size, each signed by the log's key.
    bool checkpoint_damage = false;
    uint64_t newest = 0;
    {
      auto q = CORRIDOR_TRY(
          Query::Make(c, "SELECT size, root, note FROM registry_checkpoints ORDER BY size"));
      registry::CompactRange range;
      while (CORRIDOR_TRY(q.Next())) {
        ++v.checkpoints;
        const auto size = static_cast<uint64_t>(q.Int(0));
        const std::string root = q.Text(1);
        newest = size;
        if (size > leaves.size()) {
          problem(fmt::format("checkpoint {} is beyond the {} entries", size, leaves.size()));
          checkpoint_damage = true;
          continue;
        }
        while (range.size() < size) range.Append(leaves[range.size()]);
        const Hash want = range.Root();
        if (root != HashBytes(want)) {
          problem(fmt::format("checkpoint {} holds a root its entries do not make", size));
          checkpoint_damage = true;
        }
        auto text = registry::OpenNote(q.Text(2), verifier);
        auto cp = text ? registry::Checkpoint::Parse(*text)
                       : Result<registry::Checkpoint>(Fail(text.error()));
        if (!cp || cp->size != size || cp->root != want) {
          problem(fmt::format("checkpoint {}'s signed note does not verify for that tree: {}", size,
                              cp ? "size or root differ" : cp.error().message));
          checkpoint_damage = true;
        }
      }
    }
    const bool rest_whole = v.problems.empty() && !checkpoint_damage;
    if (newest != v.integrated) {
      problem(
          fmt::format("the newest checkpoint covers {} of the {} integrated entries "
                      "(checkpoint rows are missing)",
                      newest, v.integrated));
      v.only_checkpoints_missing = rest_whole && newest < v.integrated;
    }
    return v;
  });
}

Result<std::optional<std::string>> ReadSecretFile(const std::string& path, std::string_view field) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::optional<std::string>();
  if ((st.st_mode & 077) != 0) {
    return Fail(Error::Invalid(std::string(field),
                               fmt::format("{} is readable by others; chmod 600 it", path)));
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

Status CreateSecretFile(const std::string& path, std::string_view text, std::string_view field) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(Error::Invalid(std::string(field),
                               fmt::format("cannot create {}: {}", path, std::strerror(errno))));
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(Error::Internal("cannot write " + path));
  return {};
}

Result<registry::NoteSigner> LoadOrCreateSigningKey(const std::string& path,
                                                    const std::string& origin) {
  if (const auto text = CORRIDOR_TRY(ReadSecretFile(path, "/registry-key"))) {
    auto signer = registry::NoteSigner::ParsePrivateKey(*text);
    if (!signer) {
      return Fail(Error::Invalid("/registry-key", path + ": " + signer.error().message));
    }
    return signer;
  }
  if (!registry::ValidKeyName(origin)) {
    return Fail(Error::Invalid("/origin", "not a valid key name (no spaces or '+')"));
  }
  auto signer = registry::NoteSigner::Generate(origin);
  CORRIDOR_TRY_STATUS(CreateSecretFile(path, signer.PrivateKeyString() + "\n", "/registry-key"));
  return signer;
}

}  // namespace corridor::service
