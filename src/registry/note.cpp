#include "registry/note.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <charconv>
#include <cstdlib>

namespace corridor::registry {
namespace {

constexpr uint8_t kEd25519 = 0x01;
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr size_t kMaxSignatures = 100;

void EnsureSodium() {
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) std::abort();
}

Error Bad(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}};
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  // `text` ends in '\n'; the result holds the lines without it.
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool ParseDecimal(std::string_view s, uint64_t& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool Ed25519Verify(const PublicKey& key, Bytes message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

bool ValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '+') return false;
  }
  return true;
}

uint32_t KeyId(std::string_view name, const PublicKey& key) {
  static constexpr uint8_t kSep[2] = {'\n', kEd25519};
  const Hash h = Sha256({AsBytes(name), Bytes(kSep, 2), Bytes(key)});
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
}

NoteVerifier::NoteVerifier(std::string name, const PublicKey& key)
    : name_(std::move(name)), key_(key), key_id_(KeyId(name_, key)) {}

Result<NoteVerifier> NoteVerifier::Parse(std::string_view vkey) {
  const size_t p1 = vkey.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return Fail(Bad("a verifier key is name+keyid+base64(key)"));
  }
  const std::string_view name = vkey.substr(0, p1);
  const std::string_view id_hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  if (!ValidKeyName(name)) return Fail(Bad("the verifier key's name is not a valid key name"));
  const auto id_bytes = FromHex(id_hex);
  if (id_hex.size() != 8 || !id_bytes) return Fail(Bad("the verifier key id is not 8 hex digits"));
  const auto key = FromBase64(vkey.substr(p2 + 1));
  if (!key || key->size() != 33 || static_cast<uint8_t>((*key)[0]) != kEd25519) {
    return Fail(Bad("the verifier key is not an Ed25519 key (0x01 followed by 32 bytes)"));
  }
  PublicKey pk;
  std::copy(key->begin() + 1, key->end(), pk.begin());
  NoteVerifier v(std::string(name), pk);
  uint32_t id = 0;
  for (char c : *id_bytes) id = (id << 8) | static_cast<uint8_t>(c);
  if (id != v.key_id()) return Fail(Bad("the verifier key id does not match its name and key"));
  return v;
}

std::string NoteVerifier::ToString() const {
  std::string typed(1, static_cast<char>(kEd25519));
  typed.append(reinterpret_cast<const char*>(key_.data()), key_.size());
  return fmt::format("{}+{:08x}+{}", name_, key_id_, ToBase64(AsBytes(typed)));
}

NoteSigner::NoteSigner(std::string name, const Seed& seed) : name_(std::move(name)), seed_(seed) {
  EnsureSodium();
  crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), seed_.data());
}

NoteSigner NoteSigner::Generate(std::string name) {
  EnsureSodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  NoteSigner signer(std::move(name), seed);
  sodium_memzero(seed.data(), seed.size());
  return signer;
}

Result<NoteSigner> NoteSigner::ParsePrivateKey(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (!text.starts_with(kPrefix)) return Fail(Bad("a private key starts with PRIVATE+KEY+"));
  text.remove_prefix(kPrefix.size());
  const size_t p1 = text.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return Fail(Bad("a private key is PRIVATE+KEY+name+id+key"));
  const std::string_view name = text.substr(0, p1);
  const auto key = FromBase64(text.substr(p2 + 1));
  if (!ValidKeyName(name) || !key || key->size() != 33 ||
      static_cast<uint8_t>((*key)[0]) != kEd25519) {
    return Fail(Bad("the private key is not an Ed25519 key with a valid name"));
  }
  Seed seed;
  std::copy(key->begin() + 1, key->end(), seed.begin());
  NoteSigner signer{std::string(name), seed};
  if (fmt::format("{:08x}", signer.Verifier().key_id()) != text.substr(p1 + 1, p2 - p1 - 1)) {
    return Fail(Bad("the private key's id does not match its name and key"));
  }
  return signer;
}

std::string NoteSigner::PrivateKeyString() const {
  std::string typed(1, static_cast<char>(kEd25519));
  typed.append(reinterpret_cast<const char*>(seed_.data()), seed_.size());
  return fmt::format("PRIVATE+KEY+{}+{:08x}+{}", name_, KeyId(name_, public_key_),
                     ToBase64(AsBytes(typed)));
}

Result<std::string> NoteSigner::Sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') return Fail(Bad("note text must end in a newline"));
  if (text.find("\n\n") != std::string_view::npos) {
    return Fail(Bad("note text must not contain a blank line"));
  }
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                       text.size(), secret_key_.data());
  const uint32_t id = KeyId(name_, public_key_);
  std::string blob = {static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                      static_cast<char>(id >> 8), static_cast<char>(id)};
  blob.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  return fmt::format("{}\n{}{} {}\n", text, kSigPrefix, name_, ToBase64(AsBytes(blob)));
}

Result<std::string> OpenNote(std::string_view note, const NoteVerifier& verifier) {
  if (note.empty() || note.back() != '\n') return Fail(Bad("a signed note must end in a newline"));
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Fail(Bad("the note has no signature block"));
  const std::string_view text = note.substr(0, split + 1);
  const auto lines = SplitLines(note.substr(split + 2));
  if (lines.empty()) return Fail(Bad("the note has no signature lines"));
  if (lines.size() > kMaxSignatures) return Fail(Bad("the note has too many signatures"));
  for (std::string_view line : lines) {
    if (!line.starts_with(kSigPrefix)) {
      return Fail(Bad("a signature line does not start with an em dash and a space"));
    }
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || !ValidKeyName(line.substr(0, space))) {
      return Fail(Bad("a signature line has no valid key name"));
    }
    const auto blob = FromBase64(line.substr(space + 1));
    if (!blob || blob->size() < 5) return Fail(Bad("a signature is not valid base64"));
    if (line.substr(0, space) != verifier.name()) continue;
    uint32_t id = 0;
    for (size_t i = 0; i < 4; ++i) id = (id << 8) | static_cast<uint8_t>((*blob)[i]);
    if (id != verifier.key_id()) continue;
    Signature sig;
    if (blob->size() != 4 + sig.size()) return Fail(Bad("the Ed25519 signature is not 64 bytes"));
    std::copy(blob->begin() + 4, blob->end(), sig.begin());
    if (!Ed25519Verify(verifier.public_key(), AsBytes(text), sig)) {
      return Fail(Bad("the signature of " + verifier.name() + " does not verify"));
    }
    return std::string(text);
  }
  return Fail(Bad("the note carries no signature by " + verifier.name()));
}

std::string Checkpoint::Text() const {
  std::string out = fmt::format("{}\n{}\n{}\n", origin, size, ToBase64(Bytes(root)));
  for (const auto& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> Checkpoint::Parse(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Fail(Bad("a checkpoint must end in a newline"));
  const auto lines = SplitLines(text);
  if (lines.size() < 3) return Fail(Bad("a checkpoint has at least three lines"));
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return Fail(Bad("the checkpoint origin is empty"));
  if (!ParseDecimal(lines[1], c.size)) {
    return Fail(Bad("the checkpoint tree size is not a decimal number"));
  }
  const auto root = FromBase64(lines[2]);
  if (!root || root->size() != kHashSize) {
    return Fail(Bad("the checkpoint root is not a base64 32-byte hash"));
  }
  std::copy(root->begin(), root->end(), c.root.begin());
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Fail(Bad("the checkpoint has an empty extension line"));
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace corridor::registry
