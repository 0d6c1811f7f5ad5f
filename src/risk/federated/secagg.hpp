#pragma once
// Secure aggregation (Bonawitz et al., "Practical Secure Aggregation for Privacy-Preserving
// Machine Learning", CCS 2017, the protocol for an honest-but-curious server): clients (banks)
// give a server (the coordinator) vectors masked so that it learns their sum and nothing else,
// and the sum is still recovered when clients drop out after the masks are fixed, as long as at
// least `threshold` clients remain.
//
//   round 0, keys:    each client u sends two X25519 public keys: cᵤ (to encrypt its shares)
//                     and sᵤ (to agree masks); the server sends everyone the list;
//   round 1, shares:  u draws a self-mask seed bᵤ and splits bᵤ and the secret of sᵤ into Shamir
//                     shares, `threshold` of them needed (over GF(2^521 − 1)); the share for v
//                     travels through the server encrypted under KA(cᵤ, c_v) (XSalsa20-Poly1305);
//   round 2, input:   yᵤ = xᵤ + PRG(bᵤ) + Σ_{v>u} PRG(s_uv) − Σ_{v<u} PRG(s_uv) in Z_{2^128}
//                     (masking.hpp), v over the clients of round 1; a client that drops out
//                     sends nothing;
//   round 3, unmask:  the server names the survivors; each survivor sends its shares of bᵤ for
//                     every survivor u and of sᵤ for every client that dropped, never both for
//                     one client; the server rebuilds the survivors' self-masks and the dropped
//                     clients' pairwise masks, removes them, and has Σ_{survivors} xᵤ exactly.
//
// Every message is a wire body (wire.hpp); every value received is checked, and a malformed one
// is refused naming it. Keys are fresh for each aggregation (`round` is bound into every key and
// stream). Pure computation: the caller carries the messages.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/int128.hpp"
#include "core/result.hpp"
#include "risk/federated/masking.hpp"
#include "risk/federated/random.hpp"

namespace corridor::risk::federated {

class SecAggClient {
 public:
  SecAggClient(uint32_t id, uint32_t clients, uint32_t threshold, uint32_t round,
               Randomness& random);
  ~SecAggClient();
  SecAggClient(SecAggClient&&) noexcept;

  // Round 0: this client's public keys.
  std::string Keys();
  // Round 1: from the server's list of every client's keys, the encrypted shares for each.
  Result<std::string> Shares(std::string_view keys);
  // Round 2: from the shares the others sent this client, its masked input.
  Result<std::string> Masked(std::string_view shares, std::span<const UInt128> input);
  // Round 3: from the server's list of survivors, the shares that unmask their sum.
  Result<std::string> Unmask(std::string_view survivors);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

class SecAggServer {
 public:
  SecAggServer(uint32_t clients, uint32_t threshold, uint32_t round, size_t length);
  ~SecAggServer();

  Status AddKeys(uint32_t from, std::string_view body);
  std::string KeysList() const;  // to every client
  Status AddShares(uint32_t from, std::string_view body);
  std::string SharesFor(uint32_t to) const;
  Status AddMasked(uint32_t from, std::string_view body);
  // The survivors (who sent masked input), to each of them. Fails below the threshold.
  Result<std::string> Survivors() const;
  Status AddUnmask(uint32_t from, std::string_view body);
  // The survivors' sum, once `threshold` survivors have sent their shares.
  Result<std::vector<UInt128>> Sum() const;
  std::vector<uint32_t> survivors() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Shamir's secret sharing over GF(2^521 − 1) (exposed for tests): shares of a secret under 2^256
// at x = 1..count, any `threshold` of which rebuild it.
std::vector<Big> ShamirSplit(const Big& secret, uint32_t threshold, uint32_t count,
                             Randomness& random);
Result<Big> ShamirJoin(std::span<const std::pair<uint32_t, Big>> shares);  // (x, y)

// The whole protocol in one process (tests, the horizontal fit): the clients' inputs summed by
// the server, client `drop` (if any) going silent after round 1. Counts the bytes of every
// message.
struct SecureSumResult {
  std::vector<UInt128> sum;
  std::vector<uint32_t> survivors;
  uint64_t bytes = 0;
  std::vector<std::string> masked;  // what the server received in round 2, per client ("" if none)
};
Result<SecureSumResult> SecureSum(std::span<const std::vector<UInt128>> inputs, uint32_t threshold,
                                  uint32_t round, Randomness& random,
                                  std::span<const uint32_t> drop = {});

}  // namespace corridor::risk::federated
