#include "risk/federated/secagg.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <optional>
#include <set>

#include "risk/federated/wire.hpp"

namespace corridor::risk::federated {

namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kMaxShareBytes = 66;  // below 2^521
constexpr uint32_t kMaxClients = 10'000;
constexpr uint8_t kSelfMask = 1, kPairMask = 2;

const Big& FieldPrime() {
  static const Big kPrime = (Big(1) << 521) - 1;  // a Mersenne prime
  return kPrime;
}

std::string_view AsChars(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::array<uint8_t, 32> ToKey(const Big& v) {
  std::array<uint8_t, 32> out{};
  const std::string b = ToBytes(v);
  std::copy(b.begin(), b.end(), out.begin() + static_cast<std::ptrdiff_t>(32 - b.size()));
  return out;
}

Error Bad(std::string_view field, std::string_view why) {
  return Error::Invalid(fmt::format("/message/{}", field), std::string(why));
}

// The key encrypting u's shares for v (and v's for u): agreed from their c keys, bound to the
// round; the nonce says who sends.
Result<MaskSeed> ShareKey(const AgreementKey& mine, std::span<const uint8_t> theirs, uint32_t a,
                          uint32_t b, uint32_t round) {
  return AgreeSeed(mine, theirs, a, b, fmt::format("corridor/secagg/share/v1/{}", round));
}
std::array<uint8_t, crypto_secretbox_NONCEBYTES> ShareNonce(uint32_t from, uint32_t to) {
  std::array<uint8_t, crypto_secretbox_NONCEBYTES> n{};
  for (size_t k = 0; k < 4; ++k) {
    n[k] = static_cast<uint8_t>(from >> (8 * k));
    n[4 + k] = static_cast<uint8_t>(to >> (8 * k));
  }
  return n;
}
Result<MaskSeed> PairSeed(const AgreementKey& mine, std::span<const uint8_t> theirs, uint32_t a,
                          uint32_t b, uint32_t round) {
  return AgreeSeed(mine, theirs, a, b, fmt::format("corridor/secagg/mask/v1/{}", round));
}

struct PublicKeys {
  std::array<uint8_t, 32> c{}, s{};
};

// A client's two public keys, c then s.
Result<PublicKeys> ReadKeyPair(Reader& r) {
  PublicKeys keys;
  const std::string c = CORRIDOR_TRY(r.Bytes("c", kKeyBytes));
  const std::string s = CORRIDOR_TRY(r.Bytes("s", kKeyBytes));
  if (c.size() != kKeyBytes || s.size() != kKeyBytes) return Fail(Bad("keys", "are 32 bytes"));
  std::copy(c.begin(), c.end(), keys.c.begin());
  std::copy(s.begin(), s.end(), keys.s.begin());
  return keys;
}

// The server's list of keys: count, then (id, c, s) for each client that sent them.
Result<std::map<uint32_t, PublicKeys>> ReadKeys(std::string_view body, uint32_t clients) {
  Reader r(body);
  const uint32_t count = CORRIDOR_TRY(r.U32("count"));
  if (count > clients) return Fail(Bad("count", "more keys than clients"));
  std::map<uint32_t, PublicKeys> out;
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t id = CORRIDOR_TRY(r.U32("id"));
    if (id >= clients || out.contains(id)) return Fail(Bad("id", "unknown or repeated client"));
    out.emplace(id, CORRIDOR_TRY(ReadKeyPair(r)));
  }
  CORRIDOR_TRY_STATUS(r.End());
  return out;
}

Result<std::vector<uint32_t>> ReadIds(Reader& r, std::string_view what, uint32_t clients) {
  const uint32_t count = CORRIDOR_TRY(r.U32(what));
  if (count > clients) return Fail(Bad(what, "more ids than clients"));
  std::vector<uint32_t> ids(count);
  for (auto& id : ids) {
    id = CORRIDOR_TRY(r.U32(what));
    if (id >= clients) return Fail(Bad(what, "names no client"));
  }
  return ids;
}

}  // namespace

// --- Shamir ---

std::vector<Big> ShamirSplit(const Big& secret, uint32_t threshold, uint32_t count,
                             Randomness& random) {
  const Big& p = FieldPrime();
  std::vector<Big> coef{secret};
  for (uint32_t k = 1; k < threshold; ++k) coef.push_back(random.Below(p));
  std::vector<Big> shares;
  for (uint32_t x = 1; x <= count; ++x) {
    Big y = 0;
    for (size_t k = coef.size(); k-- > 0;) y = (y * x + coef[k]) % p;  // Horner
    shares.push_back(y);
  }
  return shares;
}

Result<Big> ShamirJoin(std::span<const std::pair<uint32_t, Big>> shares) {
  const Big& p = FieldPrime();
  Big secret = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    // The Lagrange basis at 0: Π_{j≠i} x_j / (x_j − x_i).
    Big num = 1, den = 1;
    for (size_t j = 0; j < shares.size(); ++j) {
      if (j == i) continue;
      if (shares[j].first == shares[i].first) {
        return Fail(Error::Invalid("/shares", "two shares at the same point"));
      }
      num = num * shares[j].first % p;
      den = den * ((Big(shares[j].first) - shares[i].first) % p + p) % p;
    }
    Big inv;
    mpz_invert(inv.get_mpz_t(), den.get_mpz_t(), p.get_mpz_t());
    secret = (secret + shares[i].second * num % p * inv) % p;
  }
  return secret;
}

// --- the client ---

struct SecAggClient::State {
  State(uint32_t i, uint32_t n, uint32_t t, uint32_t r, Randomness& rng)
      : id(i), clients(n), threshold(t), round(r), random(rng) {}
  uint32_t id, clients, threshold, round;
  Randomness& random;
  AgreementKey c, s;
  std::array<uint8_t, 32> b{};  // the self-mask seed
  std::map<uint32_t, PublicKeys> keys;
  std::vector<uint32_t> u1;                      // the clients that shared (round 1)
  std::map<uint32_t, std::pair<Big, Big>> held;  // shares others gave me: (of s, of b)
  bool masked = false, unmasked = false;
};

SecAggClient::SecAggClient(uint32_t id, uint32_t clients, uint32_t threshold, uint32_t round,
                           Randomness& random)
    : s_(std::make_unique<State>(id, clients, threshold, round, random)) {}
SecAggClient::~SecAggClient() {
  if (s_) {
    sodium_memzero(s_->c.secret.data(), 32);
    sodium_memzero(s_->s.secret.data(), 32);
    sodium_memzero(s_->b.data(), 32);
  }
}
SecAggClient::SecAggClient(SecAggClient&&) noexcept = default;

std::string SecAggClient::Keys() {
  std::array<uint8_t, 32> secret{};
  s_->random.Fill(secret);
  s_->c = AgreementKey::FromSecret(secret);
  s_->random.Fill(secret);
  s_->s = AgreementKey::FromSecret(secret);
  s_->random.Fill(s_->b);
  sodium_memzero(secret.data(), secret.size());
  return Writer().Bytes(AsChars(s_->c.public_key)).Bytes(AsChars(s_->s.public_key)).Take();
}

Result<std::string> SecAggClient::Shares(std::string_view keys_body) {
  State& st = *s_;
  st.keys = CORRIDOR_TRY(ReadKeys(keys_body, st.clients));
  if (!st.keys.contains(st.id) || st.keys.at(st.id).c != st.c.public_key ||
      st.keys.at(st.id).s != st.s.public_key) {
    return Fail(Bad("keys", "do not hold this client's own keys"));
  }
  if (st.keys.size() < st.threshold) {
    return Fail(Bad("keys", fmt::format("{} clients, fewer than the threshold {}", st.keys.size(),
                                        st.threshold)));
  }
  // Shares at x = id + 1 for every client of the list.
  const auto n = static_cast<uint32_t>(st.clients);
  const auto s_shares = ShamirSplit(FromBytes(AsChars(st.s.secret)), st.threshold, n, st.random);
  const auto b_shares = ShamirSplit(FromBytes(AsChars(st.b)), st.threshold, n, st.random);
  Writer out;
  out.U32(static_cast<uint32_t>(st.keys.size() - 1));
  for (const auto& [v, pk] : st.keys) {
    if (v == st.id) {
      st.held[st.id] = {s_shares[v], b_shares[v]};
      continue;
    }
    const std::string plain =
        Writer().U32(st.id).U32(v).Number(s_shares[v]).Number(b_shares[v]).Take();
    const MaskSeed key = CORRIDOR_TRY(ShareKey(st.c, pk.c, st.id, v, st.round));
    std::string box(plain.size() + crypto_secretbox_MACBYTES, '\0');
    const auto nonce = ShareNonce(st.id, v);
    crypto_secretbox_easy(reinterpret_cast<uint8_t*>(box.data()),
                          reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
                          nonce.data(), key.data());
    out.U32(v).Bytes(box);
  }
  return out.Take();
}

Result<std::string> SecAggClient::Masked(std::string_view shares_body,
                                         std::span<const UInt128> input) {
  State& st = *s_;
  Reader r(shares_body);
  const uint32_t count = CORRIDOR_TRY(r.U32("count"));
  if (count + 1 > st.keys.size()) return Fail(Bad("count", "more shares than clients"));
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t from = CORRIDOR_TRY(r.U32("from"));
    const std::string box = CORRIDOR_TRY(r.Bytes("share", 4096));
    if (!st.keys.contains(from) || from == st.id || st.held.contains(from)) {
      return Fail(Bad("from", "names no other client of round 0, or one twice"));
    }
    const MaskSeed key = CORRIDOR_TRY(ShareKey(st.c, st.keys.at(from).c, st.id, from, st.round));
    if (box.size() < crypto_secretbox_MACBYTES) return Fail(Bad("share", "is too short"));
    std::string plain(box.size() - crypto_secretbox_MACBYTES, '\0');
    const auto nonce = ShareNonce(from, st.id);
    if (crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(plain.data()),
                                   reinterpret_cast<const uint8_t*>(box.data()), box.size(),
                                   nonce.data(), key.data()) != 0) {
      return Fail(Bad("share", fmt::format("from client {} does not decrypt", from)));
    }
    Reader p(plain);
    const uint32_t u = CORRIDOR_TRY(p.U32("share/from"));
    const uint32_t v = CORRIDOR_TRY(p.U32("share/to"));
    if (u != from || v != st.id) return Fail(Bad("share", "is addressed to someone else"));
    Big s_share = CORRIDOR_TRY(p.Number("share/s", kMaxShareBytes));
    Big b_share = CORRIDOR_TRY(p.Number("share/b", kMaxShareBytes));
    CORRIDOR_TRY_STATUS(p.End());
    st.held[from] = {std::move(s_share), std::move(b_share)};
  }
  CORRIDOR_TRY_STATUS(r.End());
  st.u1.clear();
  for (const auto& [v, shares] : st.held) st.u1.push_back(v);
  if (st.u1.size() < st.threshold) {
    return Fail(Bad("count", "fewer clients shared than the threshold"));
  }
  // y = x + PRG(b) ± the pairwise masks with every client of round 1.
  std::vector<UInt128> y(input.begin(), input.end());
  const auto self = MaskStream(st.b, kSelfMask, st.round, y.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] += self[i];
  for (uint32_t v : st.u1) {
    if (v == st.id) continue;
    const MaskSeed seed = CORRIDOR_TRY(PairSeed(st.s, st.keys.at(v).s, st.id, v, st.round));
    const auto m = MaskStream(seed, kPairMask, st.round, y.size());
    for (size_t i = 0; i < y.size(); ++i) y[i] += v > st.id ? m[i] : -m[i];
  }
  Writer out;
  out.U32(static_cast<uint32_t>(y.size()));
  for (UInt128 v : y) out.I128(static_cast<Int128>(v));
  st.masked = true;
  return out.Take();
}

Result<std::string> SecAggClient::Unmask(std::string_view survivors_body) {
  State& st = *s_;
  if (!st.masked || st.unmasked) return Fail(Bad("survivors", "asked out of turn"));
  Reader r(survivors_body);
  const auto alive = CORRIDOR_TRY(ReadIds(r, "survivors", st.clients));
  CORRIDOR_TRY_STATUS(r.End());
  const std::set<uint32_t> alive_set(alive.begin(), alive.end());
  if (alive_set.size() != alive.size()) return Fail(Bad("survivors", "names a client twice"));
  if (!alive_set.contains(st.id)) return Fail(Bad("survivors", "leaves out this client"));
  if (alive.size() < st.threshold) {
    return Fail(Bad("survivors", "fewer than the threshold: unmasking would reveal inputs"));
  }
  // b-shares for the survivors, s-shares for the rest of round 1: one or the other, never both.
  Writer out;
  out.U32(static_cast<uint32_t>(st.u1.size()));
  for (uint32_t v : st.u1) {
    const bool survivor = alive_set.contains(v);
    out.U32(v).U8(survivor ? 1 : 0).Number(survivor ? st.held[v].second : st.held[v].first);
  }
  for (uint32_t v : alive) {
    if (!st.held.contains(v)) return Fail(Bad("survivors", "names a client that never shared"));
  }
  st.unmasked = true;
  return out.Take();
}

// --- the server ---

struct SecAggServer::State {
  State(uint32_t n, uint32_t t, uint32_t r, size_t l)
      : clients(n), threshold(t), round(r), length(l) {}
  uint32_t clients, threshold, round;
  size_t length;
  std::map<uint32_t, PublicKeys> keys;
  std::map<uint32_t, std::map<uint32_t, std::string>> boxes;  // to → from → box
  std::set<uint32_t> shared;
  std::map<uint32_t, std::vector<UInt128>> masked;
  // from each unmasking survivor: client → (is b, share)
  std::map<uint32_t, std::map<uint32_t, std::pair<bool, Big>>> unmask;
};

SecAggServer::SecAggServer(uint32_t clients, uint32_t threshold, uint32_t round, size_t length)
    : s_(std::make_unique<State>(clients, threshold, round, length)) {}
SecAggServer::~SecAggServer() = default;

Status SecAggServer::AddKeys(uint32_t from, std::string_view body) {
  if (from >= s_->clients || s_->keys.contains(from)) return Fail(Bad("from", "unknown or again"));
  Reader r(body);
  const PublicKeys k = CORRIDOR_TRY(ReadKeyPair(r));
  CORRIDOR_TRY_STATUS(r.End());
  s_->keys.emplace(from, k);
  return {};
}

std::string SecAggServer::KeysList() const {
  Writer w;
  w.U32(static_cast<uint32_t>(s_->keys.size()));
  for (const auto& [id, k] : s_->keys) w.U32(id).Bytes(AsChars(k.c)).Bytes(AsChars(k.s));
  return w.Take();
}

Status SecAggServer::AddShares(uint32_t from, std::string_view body) {
  if (!s_->keys.contains(from) || s_->shared.contains(from)) {
    return Fail(Bad("from", "sent no keys, or shares again"));
  }
  Reader r(body);
  const uint32_t count = CORRIDOR_TRY(r.U32("count"));
  if (count + 1 != s_->keys.size()) return Fail(Bad("count", "one share for every other client"));
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t to = CORRIDOR_TRY(r.U32("to"));
    std::string box = CORRIDOR_TRY(r.Bytes("share", 4096));
    if (!s_->keys.contains(to) || to == from || s_->boxes[to].contains(from)) {
      return Fail(Bad("to", "names no other client, or one twice"));
    }
    s_->boxes[to][from] = std::move(box);
  }
  CORRIDOR_TRY_STATUS(r.End());
  s_->shared.insert(from);
  return {};
}

std::string SecAggServer::SharesFor(uint32_t to) const {
  Writer w;
  std::vector<std::pair<uint32_t, const std::string*>> list;
  if (s_->boxes.contains(to)) {
    for (const auto& [from, box] : s_->boxes.at(to)) {
      if (s_->shared.contains(from)) list.emplace_back(from, &box);
    }
  }
  w.U32(static_cast<uint32_t>(list.size()));
  for (const auto& [from, box] : list) w.U32(from).Bytes(*box);
  return w.Take();
}

Status SecAggServer::AddMasked(uint32_t from, std::string_view body) {
  if (!s_->shared.contains(from) || s_->masked.contains(from)) {
    return Fail(Bad("from", "did not share, or sent its input again"));
  }
  Reader r(body);
  const uint32_t count = CORRIDOR_TRY(r.U32("count"));
  if (count != s_->length) {
    return Fail(Bad("count", fmt::format("is {}, expected {}", count, s_->length)));
  }
  std::vector<UInt128> y(count);
  for (auto& v : y) v = static_cast<UInt128>(CORRIDOR_TRY(r.I128("masked")));
  CORRIDOR_TRY_STATUS(r.End());
  s_->masked.emplace(from, std::move(y));
  return {};
}

std::vector<uint32_t> SecAggServer::survivors() const {
  std::vector<uint32_t> out;
  for (const auto& [id, y] : s_->masked) out.push_back(id);
  return out;
}

Result<std::string> SecAggServer::Survivors() const {
  const auto alive = survivors();
  if (alive.size() < s_->threshold) {
    return Fail(Error{ErrorCode::kUnavailable,
                      fmt::format("{} clients remain, fewer than the threshold {}: the sum cannot "
                                  "be recovered",
                                  alive.size(), s_->threshold),
                      {}});
  }
  Writer w;
  w.U32(static_cast<uint32_t>(alive.size()));
  for (uint32_t id : alive) w.U32(id);
  return w.Take();
}

Status SecAggServer::AddUnmask(uint32_t from, std::string_view body) {
  if (!s_->masked.contains(from) || s_->unmask.contains(from)) {
    return Fail(Bad("from", "is no survivor, or unmasked again"));
  }
  Reader r(body);
  const uint32_t count = CORRIDOR_TRY(r.U32("count"));
  if (count != s_->shared.size()) return Fail(Bad("count", "one share for every sharing client"));
  std::map<uint32_t, std::pair<bool, Big>> got;
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t v = CORRIDOR_TRY(r.U32("client"));
    const uint8_t is_b = CORRIDOR_TRY(r.U8("kind"));
    Big share = CORRIDOR_TRY(r.Number("share", kMaxShareBytes));
    if (!s_->shared.contains(v) || got.contains(v)) return Fail(Bad("client", "unknown or twice"));
    if ((is_b != 0) != s_->masked.contains(v)) {
      return Fail(Bad("kind", "a self-mask share for a survivor, a key share for the dropped"));
    }
    got.emplace(v, std::pair{is_b != 0, std::move(share)});
  }
  CORRIDOR_TRY_STATUS(r.End());
  s_->unmask.emplace(from, std::move(got));
  return {};
}

Result<std::vector<UInt128>> SecAggServer::Sum() const {
  const State& st = *s_;
  if (st.unmask.size() < st.threshold) {
    return Fail(Error{ErrorCode::kUnavailable,
                      fmt::format("{} survivors unmasked, fewer than the threshold {}",
                                  st.unmask.size(), st.threshold),
                      {}});
  }
  std::vector<UInt128> sum(st.length, 0);
  for (const auto& [id, y] : st.masked) {
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += y[i];
  }
  auto secret_of = [&](uint32_t v) -> Result<std::array<uint8_t, 32>> {
    std::vector<std::pair<uint32_t, Big>> shares;
    for (const auto& [holder, got] : st.unmask) {
      shares.emplace_back(holder + 1, got.at(v).second);
      if (shares.size() == st.threshold) break;
    }
    const Big secret = CORRIDOR_TRY(ShamirJoin(shares));
    if (secret >= Big(1) << 256) return Fail(Bad("share", "the shares rebuild no secret"));
    return ToKey(secret);
  };
  for (uint32_t v : st.shared) {
    const auto secret = CORRIDOR_TRY(secret_of(v));
    if (st.masked.contains(v)) {
      // A survivor: its self-mask.
      const auto m = MaskStream(secret, kSelfMask, st.round, sum.size());
      for (size_t i = 0; i < sum.size(); ++i) sum[i] -= m[i];
      continue;
    }
    // A client that dropped: the pairwise masks the survivors added with it.
    const auto dropped = AgreementKey::FromSecret(secret);
    if (dropped.public_key != st.keys.at(v).s) {
      return Fail(Bad("share", fmt::format("the shares of client {} rebuild another key", v)));
    }
    for (const auto& [u, y] : st.masked) {
      const MaskSeed seed = CORRIDOR_TRY(PairSeed(dropped, st.keys.at(u).s, v, u, st.round));
      const auto m = MaskStream(seed, kPairMask, st.round, sum.size());
      // Survivor u added +m toward a higher id, −m toward a lower one.
      for (size_t i = 0; i < sum.size(); ++i) sum[i] -= v > u ? m[i] : -m[i];
    }
  }
  return sum;
}

// --- in one process ---

Result<SecureSumResult> SecureSum(std::span<const std::vector<UInt128>> inputs, uint32_t threshold,
                                  uint32_t round, Randomness& random,
                                  std::span<const uint32_t> drop) {
  const auto n = static_cast<uint32_t>(inputs.size());
  if (n < 2 || n > kMaxClients) return Fail(Error::Invalid("/clients", "from 2 to 10,000"));
  if (threshold < 2 || threshold > n) {
    return Fail(Error::Invalid("/threshold", "must be from 2 to the number of clients"));
  }
  const size_t length = inputs[0].size();
  for (uint32_t k = 0; k < n; ++k) {
    if (inputs[k].size() != length) {
      return Fail(Error::Invalid(fmt::format("/inputs/{}", k), "must be as long as the first"));
    }
  }
  const std::set<uint32_t> dropping(drop.begin(), drop.end());
  SecureSumResult out;
  out.masked.assign(n, "");
  std::vector<Randomness> rng;
  std::vector<SecAggClient> clients;
  for (uint32_t k = 0; k < n; ++k) {
    std::array<uint8_t, 8> seed{};
    random.Fill(seed);
    uint64_t s = 0;
    for (uint8_t b : seed) s = (s << 8) | b;
    rng.push_back(Randomness::FromSeed(s, fmt::format("secagg client {}", k)));
  }
  for (uint32_t k = 0; k < n; ++k) clients.emplace_back(k, n, threshold, round, rng[k]);
  SecAggServer server(n, threshold, round, length);
  auto carry = [&](const std::string& m) -> const std::string& {
    out.bytes += m.size();
    return m;
  };
  for (uint32_t k = 0; k < n; ++k) CORRIDOR_TRY_STATUS(server.AddKeys(k, carry(clients[k].Keys())));
  const std::string keys = server.KeysList();
  for (uint32_t k = 0; k < n; ++k) {
    carry(keys);
    CORRIDOR_TRY_STATUS(server.AddShares(k, carry(CORRIDOR_TRY(clients[k].Shares(keys)))));
  }
  for (uint32_t k = 0; k < n; ++k) {
    const std::string mine = carry(server.SharesFor(k));
    const std::string y = CORRIDOR_TRY(clients[k].Masked(mine, inputs[k]));
    if (dropping.contains(k)) continue;  // gone before its input reached the server
    out.masked[k] = y;
    CORRIDOR_TRY_STATUS(server.AddMasked(k, carry(y)));
  }
  const std::string alive = CORRIDOR_TRY(server.Survivors());
  for (uint32_t k : server.survivors()) {
    carry(alive);
    CORRIDOR_TRY_STATUS(server.AddUnmask(k, carry(CORRIDOR_TRY(clients[k].Unmask(alive)))));
  }
  out.sum = CORRIDOR_TRY(server.Sum());
  out.survivors = server.survivors();
  return out;
}

}  // namespace corridor::risk::federated
