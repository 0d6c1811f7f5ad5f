#pragma once
// The platform's transparency log: an append-only RFC 9162 Merkle log in the store, with signed
// C2SP checkpoints. Any use case appends entries with AppendLogEntry() inside its own write
// transaction, so an entry exists exactly when the state it records does ("sequencing").
// TransparencyLog::Integrate() then folds every sequenced entry into the tiled tree and signs a
// checkpoint, in one write transaction per batch ("integration"). A crash between the two
// loses nothing: the next Integrate() picks up where the last committed one stopped.
//
// Leaf data (docs/formats/registry-log.md): "corridor-log-entry/v1\n" followed by the entry as
// canonical JSON (keys sorted, no insignificant whitespace, UTF-8):
//   {"actor":{"role","tenant_id","user_id"}|null,"body":{...},"index":N,"kind":"...",
//    "time_us":T}
// The index inside the leaf makes every leaf hash unique.
//
// Thread-safe.
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "registry/hash.hpp"
#include "registry/note.hpp"
#include "registry/tiles.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/input.hpp"
#include "store/db.hpp"

namespace corridor::service {

inline constexpr std::string_view kLogEntryPrefix = "corridor-log-entry/v1\n";

struct LogEntryRef {
  int64_t index = 0;
  registry::Hash leaf_hash{};
};

// The leaf data of an entry.
std::string EncodeLogEntry(int64_t index, std::string_view kind, const Caller* actor,
                           const Json& body, int64_t time_us);

// Sequences an entry inside the caller's write transaction. `parties` are the tenants that may
// read the entry besides the oversight roles.
Result<LogEntryRef> AppendLogEntry(store::Connection& c, std::string_view kind, const Caller* actor,
                                   const Json& body, const std::vector<int64_t>& parties,
                                   int64_t now_micros);

struct SignedCheckpoint {
  uint64_t size = 0;
  registry::Hash root{};
  std::string note;  // the signed note, as served
};

struct StoredEntry {
  int64_t index = 0;
  std::string kind;
  std::string data;  // leaf data
  std::vector<int64_t> parties;
  int64_t created_at = 0;
};

// Tiles only grow, and any version holds the nodes of every narrower one, so they are cached
// without invalidation: a reader that needs more than the cached width reads the store and the
// wider version replaces the cached one. Bounded by count.
class TileCache {
 public:
  explicit TileCache(size_t capacity) : capacity_(capacity) {}
  std::shared_ptr<const registry::Tile> Get(int64_t key);
  void Put(std::shared_ptr<const registry::Tile> tile);

 private:
  size_t capacity_;
  std::shared_mutex mu_;
  std::unordered_map<int64_t, std::shared_ptr<const registry::Tile>> tiles_;  // guarded by mu_
};

// The tiles of the store as one transaction sees them, full tiles through `cache`.
class StoreTileReader final : public registry::TileReader {
 public:
  StoreTileReader(store::Connection& c, TileCache& cache) : c_(c), cache_(cache) {}
  Result<std::shared_ptr<const registry::Tile>> Read(registry::TileId id,
                                                     uint32_t min_width) const override;

 private:
  store::Connection& c_;
  TileCache& cache_;
  mutable std::shared_ptr<const registry::Tile> last_;  // consecutive levels share a tile
};

// Writes tiles (new or rewritten) in the caller's transaction.
Status WriteTiles(store::Connection& c, const std::vector<registry::Tile>& tiles);

class TransparencyLog {
 public:
  TransparencyLog(store::Store& store, const Clock& clock, registry::NoteSigner signer);

  // Integrates every sequenced entry and signs a checkpoint when the tree grew (or when there is
  // none yet). Returns the newest checkpoint.
  Result<SignedCheckpoint> Integrate();
  // The newest checkpoint after integrating what is pending.
  Result<SignedCheckpoint> Latest() { return Integrate(); }

  Result<std::vector<registry::Hash>> InclusionProof(uint64_t index, uint64_t tree_size);
  Result<std::vector<registry::Hash>> ConsistencyProof(uint64_t size1, uint64_t size2);
  // The index of the entry with this leaf hash, when integrated.
  Result<std::optional<uint64_t>> IndexOfLeaf(const registry::Hash& leaf_hash);
  Result<std::optional<StoredEntry>> Entry(uint64_t index);
  // The newest checkpoint without integrating.
  Result<std::optional<SignedCheckpoint>> Newest();

  const registry::NoteVerifier& verifier() const { return verifier_; }
  const std::string& origin() const { return signer_.name(); }

  // Signs a checkpoint for the tree as integrated when the checkpoints have lost rows (the
  // newest no longer covers every integrated leaf). Refuses unless VerifyLog() finds nothing
  // else wrong: entries, leaf index and tiles must agree with one another first.
  Result<SignedCheckpoint> RepairCheckpoint();

 private:
  Result<bool> IntegrateBatch(SignedCheckpoint& latest);

  store::Store& store_;
  const Clock& clock_;
  registry::NoteSigner signer_;
  registry::NoteVerifier verifier_;
  // Up to 65,536 tiles (about 1 GiB when all are full): every bottom tile of a 1.6 x 10^7-entry
  // log, so proofs from such a log are served from memory once warm; larger logs keep the upper
  // levels and a share of the bottom.
  TileCache cache_{65'536};
  std::mutex integrate_mu_;  // one integration at a time
};

// What VerifyLog() found: the counts it checked and every problem, in words an operator can act
// on. Whole when there is no problem.
struct LogVerification {
  uint64_t entries = 0;      // sequenced
  uint64_t integrated = 0;   // in the leaf index and the tiles
  uint64_t checkpoints = 0;  // stored and checked
  uint64_t tiles = 0;        // stored and checked
  std::vector<std::string> problems;
  // Problems that RepairCheckpoint() mends (checkpoint rows missing); the rest it cannot.
  bool only_checkpoints_missing = false;
  bool whole() const { return problems.empty(); }
};

// Recomputes the log from its entries alone, in one read transaction, and checks everything
// stored from them: each entry's leaf data and index, the leaf index (hash -> index), every tile
// byte for byte, and every checkpoint's root and signature (by `verifier`). Memory: one hash per
// entry and the tiles' hashes, about 100 bytes per entry.
Result<LogVerification> VerifyLog(store::Store& store, const registry::NoteVerifier& verifier);

// Loads the log's signing key from `path`, or creates it there (mode 0600) with a fresh key
// named `origin` when the file does not exist. Refuses a key file others can read.
Result<registry::NoteSigner> LoadOrCreateSigningKey(const std::string& path,
                                                    const std::string& origin);

}  // namespace corridor::service
