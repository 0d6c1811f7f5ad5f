// The registry's calc models: Merkle roots and proofs (RFC 9162), Ed25519 and signed-note
// checkpoints. A proof or signature that does not verify is {"valid": false, "reason"}, never an
// error; only input that breaks the schema (a missing field, a string that is not hex) is.
#include <fmt/format.h>

#include "calc/calc.hpp"
#include "registry/merkle.hpp"
#include "registry/note.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using registry::Hash;
using service::Input;

constexpr int64_t kMaxSize = int64_t{1} << 62;
constexpr size_t kMaxLeaves = 1'000'000;

// A required array of hex strings, as bytes.
std::vector<std::string> HexArray(Input& in, const Json& body, std::string_view name) {
  std::vector<std::string> out;
  if (!in.Has(name)) {
    in.Problem(name, "is required");
    return out;
  }
  const Json& f = body.at(std::string(name));
  if (!f.is_array() || f.size() > kMaxLeaves) {
    in.Problem(name, fmt::format("must be an array of at most {} hex strings", kMaxLeaves));
    return out;
  }
  for (size_t i = 0; i < f.size(); ++i) {
    auto bytes = f[i].is_string() ? registry::FromHex(f[i].get<std::string>()) : std::nullopt;
    if (!bytes) {
      in.Problem(fmt::format("{}/{}", name, i), "must be a hex string");
      return {};
    }
    out.push_back(std::move(*bytes));
  }
  return out;
}

// A required hex string. Empty is a value, zero bytes (RFC 8032's first Ed25519 test vector signs
// the empty message); a key, hash or root of the wrong length is the model's to judge.
std::string HexField(Input& in, const Json& body, std::string_view name) {
  if (!in.Has(name)) {
    in.Problem(name, "is required");
    return {};
  }
  const auto text = in.OptStr(name, 1 << 20);
  if (!text || !body.at(std::string(name)).is_string()) return {};
  auto bytes = registry::FromHex(*text);
  if (!bytes) {
    in.Problem(name, "must be a hex string");
    return {};
  }
  return *bytes;
}

registry::MemoryTree TreeOf(const std::vector<std::string>& leaves) {
  registry::MemoryTree tree;
  for (const auto& l : leaves) tree.Append(registry::LeafHash(registry::AsBytes(l)));
  return tree;
}

Json Invalid(std::string reason) { return Json{{"valid", false}, {"reason", std::move(reason)}}; }

// Hashes of exactly 32 bytes, or the reason they are not.
std::optional<std::string> ToHashes(const std::vector<std::string>& raw, std::string_view what,
                                    std::vector<Hash>& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i].size() != registry::kHashSize) {
      return fmt::format("{} {} is {} bytes, not 32", what, i, raw[i].size());
    }
    Hash h;
    std::copy(raw[i].begin(), raw[i].end(), h.begin());
    out.push_back(h);
  }
  return std::nullopt;
}

Result<Json> MerkleRoot(const Json& input) {
  Input in(input);
  const auto leaves = HexArray(in, input, "leaves_hex");
  CORRIDOR_TRY_STATUS(in.Finish());
  return Json{{"tree_size", leaves.size()}, {"root_hex", registry::ToHex(TreeOf(leaves).Root())}};
}

Result<Json> MerkleInclusionProof(const Json& input) {
  Input in(input);
  const auto leaves = HexArray(in, input, "leaves_hex");
  const int64_t index = in.Int("leaf_index", 0, kMaxSize);
  const int64_t size = in.Int("tree_size", 1, kMaxSize);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (static_cast<uint64_t>(size) > leaves.size()) {
    return Fail(
        Error::Invalid("/tree_size", fmt::format("exceeds the {} leaves given", leaves.size())));
  }
  const auto tree = TreeOf(leaves);
  auto proof =
      registry::InclusionProof(tree, static_cast<uint64_t>(index), static_cast<uint64_t>(size));
  if (!proof) return Fail(std::move(proof.error()));
  return Json{{"proof_hex", registry::ToHexList(*proof)}};
}

Result<Json> MerkleConsistencyProof(const Json& input) {
  Input in(input);
  const auto leaves = HexArray(in, input, "leaves_hex");
  const int64_t size1 = in.Int("size1", 0, kMaxSize);
  const int64_t size2 = in.Int("size2", 0, kMaxSize);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (static_cast<uint64_t>(size2) > leaves.size()) {
    return Fail(
        Error::Invalid("/size2", fmt::format("exceeds the {} leaves given", leaves.size())));
  }
  const auto tree = TreeOf(leaves);
  auto proof =
      registry::ConsistencyProof(tree, static_cast<uint64_t>(size1), static_cast<uint64_t>(size2));
  if (!proof) return Fail(std::move(proof.error()));
  return Json{{"proof_hex", registry::ToHexList(*proof)}};
}

Result<Json> MerkleVerifyInclusion(const Json& input) {
  Input in(input);
  const int64_t index = in.Int("leaf_index", 0, kMaxSize);
  const int64_t size = in.Int("tree_size", 0, kMaxSize);
  const std::string leaf = HexField(in, input, "leaf_hash_hex");
  const std::string root = HexField(in, input, "root_hex");
  const auto proof_raw = HexArray(in, input, "proof_hex");
  CORRIDOR_TRY_STATUS(in.Finish());
  std::vector<Hash> hashes;
  if (auto bad = ToHashes({leaf}, "leaf_hash_hex", hashes)) return Invalid(*bad);
  if (auto bad = ToHashes({root}, "root_hex", hashes)) return Invalid(*bad);
  std::vector<Hash> proof;
  if (auto bad = ToHashes(proof_raw, "proof element", proof)) return Invalid(*bad);
  const auto v = registry::VerifyInclusion(
      static_cast<uint64_t>(index), static_cast<uint64_t>(size), hashes[0], proof, hashes[1]);
  return Json{{"valid", v.valid}, {"reason", v.valid ? "ok" : v.reason}};
}

Result<Json> MerkleVerifyConsistency(const Json& input) {
  Input in(input);
  const int64_t size1 = in.Int("size1", 0, kMaxSize);
  const int64_t size2 = in.Int("size2", 0, kMaxSize);
  const std::string root1 = HexField(in, input, "root1_hex");
  const std::string root2 = HexField(in, input, "root2_hex");
  const auto proof_raw = HexArray(in, input, "proof_hex");
  CORRIDOR_TRY_STATUS(in.Finish());
  std::vector<Hash> roots;
  if (auto bad = ToHashes({root1}, "root1_hex", roots)) return Invalid(*bad);
  if (auto bad = ToHashes({root2}, "root2_hex", roots)) return Invalid(*bad);
  std::vector<Hash> proof;
  if (auto bad = ToHashes(proof_raw, "proof element", proof)) return Invalid(*bad);
  const auto v = registry::VerifyConsistency(
      static_cast<uint64_t>(size1), static_cast<uint64_t>(size2), roots[0], roots[1], proof);
  return Json{{"valid", v.valid}, {"reason", v.valid ? "ok" : v.reason}};
}

Result<Json> Ed25519VerifyModel(const Json& input) {
  Input in(input);
  const std::string key = HexField(in, input, "public_key_hex");
  const std::string message = HexField(in, input, "message_hex");
  const std::string signature = HexField(in, input, "signature_hex");
  CORRIDOR_TRY_STATUS(in.Finish());
  registry::PublicKey pk;
  registry::Signature sig;
  if (key.size() != pk.size()) {
    return Json{{"valid", false}, {"reason", "the public key is not 32 bytes"}};
  }
  if (signature.size() != sig.size()) {
    return Json{{"valid", false}, {"reason", "the signature is not 64 bytes"}};
  }
  std::copy(key.begin(), key.end(), pk.begin());
  std::copy(signature.begin(), signature.end(), sig.begin());
  const bool ok = registry::Ed25519Verify(pk, registry::AsBytes(message), sig);
  return Json{{"valid", ok}, {"reason", ok ? "ok" : "the signature does not verify"}};
}

Result<Json> CheckpointVerify(const Json& input) {
  Input in(input);
  const std::string note = in.Str("note", 1 << 20);
  const std::string vkey = in.Str("verifier_key", 1024);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto verifier = registry::NoteVerifier::Parse(vkey);
  if (!verifier) return Fail(Error::Invalid("/verifier_key", verifier.error().message));
  auto text = registry::OpenNote(note, *verifier);
  if (!text) return Json{{"valid", false}, {"reason", text.error().message}};
  Json out{{"valid", true}, {"reason", "ok"}};
  if (auto cp = registry::Checkpoint::Parse(*text)) {
    out["origin"] = cp->origin;
    out["tree_size"] = cp->size;
    out["root_hex"] = registry::ToHex(cp->root);
  }
  return out;
}

}  // namespace

void AddRegistryModels(std::vector<CalcModel>& models) {
  models.push_back({"merkle-root", "RFC 9162 Merkle tree head of raw leaves", MerkleRoot});
  models.push_back(
      {"merkle-inclusion-proof", "RFC 9162 inclusion proof (PATH)", MerkleInclusionProof});
  models.push_back(
      {"merkle-consistency-proof", "RFC 9162 consistency proof (PROOF)", MerkleConsistencyProof});
  models.push_back({"merkle-verify-inclusion", "Verify an inclusion proof (RFC 9162 §2.1.3.2)",
                    MerkleVerifyInclusion});
  models.push_back({"merkle-verify-consistency", "Verify a consistency proof (RFC 9162 §2.1.4.2)",
                    MerkleVerifyConsistency});
  models.push_back(
      {"ed25519-verify", "Strict RFC 8032 Ed25519 signature verification", Ed25519VerifyModel});
  models.push_back({"checkpoint-verify", "Verify a C2SP signed-note checkpoint against a key",
                    CheckpointVerify});
}

}  // namespace corridor::calc
