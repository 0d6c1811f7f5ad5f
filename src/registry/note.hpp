#pragma once
// Ed25519 signatures (RFC 8032, via libsodium, strict verification), C2SP signed notes and C2SP
// tlog checkpoints, byte-compatible with Go's golang.org/x/mod/sumdb/note.
//
//   signed note = text "\n" { "— " name " " base64(key_id[4] || signature[64]) "\n" }
//   key id      = SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian
//   verifier    = name "+" hex(key id) "+" base64(0x01 || public key)
//   checkpoint  = origin "\n" decimal size "\n" base64(root) "\n" { extension line "\n" }
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "registry/hash.hpp"

namespace corridor::registry {

using PublicKey = std::array<uint8_t, 32>;
using Seed = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

// Strict RFC 8032 §5.1.7 verification: S must be canonical (S < L); libsodium also rejects
// small-order and non-canonical points.
bool Ed25519Verify(const PublicKey& key, Bytes message, const Signature& signature);

// Key names: non-empty, no spaces or control characters, no '+'.
bool ValidKeyName(std::string_view name);
uint32_t KeyId(std::string_view name, const PublicKey& key);

class NoteVerifier {
 public:
  // Parses a verifier key string; only Ed25519 (type 0x01) keys.
  static Result<NoteVerifier> Parse(std::string_view vkey);
  NoteVerifier(std::string name, const PublicKey& key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const PublicKey& public_key() const { return key_; }
  std::string ToString() const;

 private:
  std::string name_;
  PublicKey key_;
  uint32_t key_id_;
};

class NoteSigner {
 public:
  NoteSigner(std::string name, const Seed& seed);
  // Parses Go's private key string: "PRIVATE+KEY+" name "+" hex(key id) "+" base64(0x01 || seed).
  static Result<NoteSigner> ParsePrivateKey(std::string_view text);
  // A fresh key from the operating system's random source.
  static NoteSigner Generate(std::string name);

  // The signed note for `text`, which must end in a newline and hold no blank line.
  Result<std::string> Sign(std::string_view text) const;
  NoteVerifier Verifier() const { return NoteVerifier(name_, public_key_); }
  std::string PrivateKeyString() const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Seed seed_;
  PublicKey public_key_;
  std::array<uint8_t, 64> secret_key_;  // libsodium's expanded form: seed || public key
};

// Opens a signed note: the text, when a signature line of `verifier` (name and key id) is
// present and valid. Lines of other keys are ignored, as the spec asks. A malformed note, a
// missing signature or a bad one is an error whose message says which.
Result<std::string> OpenNote(std::string_view note, const NoteVerifier& verifier);

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;

  std::string Text() const;
  static Result<Checkpoint> Parse(std::string_view text);
};

}  // namespace corridor::registry
