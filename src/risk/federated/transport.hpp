#pragma once
// The federated parties' transport between processes: HTTP/1.1 (Boost.Beast). Each party listens
// on its own address and receives the frames (wire.hpp) the others POST to it at
//   POST /federated/v1/frames   Corridor-Session, Corridor-From, Corridor-Signature; body: a frame
// and sends its own by POSTing to theirs, one kept-alive connection per peer, in order.
//
// Every frame is signed by its sender with Ed25519 over
//   "corridor/federated/v1" ‖ 0 ‖ session ‖ 0 ‖ from (u32) ‖ to (u32) ‖ frame
// and the receiver, before anything else, checks the signature against the sender's public key in
// the session's configuration: a party is authenticated by its key, not by its address, and a
// frame signed for another session, another receiver or another sender does not verify. Then
// the frame itself (header and length) and its sequence number, the next from that sender: a
// forged (401), foreign (403), malformed (400) or replayed or reordered (409) frame is answered
// with a problem document and never reaches the protocol.
//
// Plain HTTP: between parties on one host (127.0.0.1, the tests) that is all. Across hosts the
// signatures still authenticate every frame, but what travels in the clear (docs/federated.md
// lists it) wants confidentiality: run each party's listener behind TLS (a terminating proxy such
// as stunnel or nginx) and give the peers https addresses of the proxies; the frames and their
// signatures are the same.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/wire.hpp"

namespace corridor::risk::federated {

// A party's Ed25519 identity: the 32-byte seed is the secret kept in its key file.
struct PartyKey {
  std::array<uint8_t, 32> seed{};
  std::array<uint8_t, 32> public_key{};
  std::array<uint8_t, 64> secret{};  // libsodium's form: seed ‖ public key
  static PartyKey Generate();
  static PartyKey FromSeed(const std::array<uint8_t, 32>& seed);
};

std::string ToHex(std::span<const uint8_t> bytes);
// 2·N hex digits into N bytes; `field` names the value in the error.
Result<std::array<uint8_t, 32>> ParseKeyHex(std::string_view hex, std::string_view field);

struct PartyAddress {
  std::string name;
  std::string host = "127.0.0.1";
  int port = 0;
  std::array<uint8_t, 32> public_key{};
};

struct TransportOptions {
  std::string session;  // a fresh name for each run: frames of another session do not verify
  std::vector<PartyAddress> parties;
  size_t me = 0;
  PartyKey key;
  // How long to wait for a peer to come up, and then for each of its messages.
  int connect_timeout_ms = 60'000;
  int receive_timeout_ms = 600'000;
  size_t max_frame_bytes = 256 << 20;
  // A peer that cannot be sent to ends only the conversation with it (a pool's coordinator,
  // which goes on without a bank that dropped out), not every conversation.
  bool independent_peers = false;
};

class HttpTransport {
 public:
  // Binds this party's address (parties[me]; port 0 picks a free one, for tests) and starts
  // receiving. Errors: the key does not match parties[me]'s public key, the address is taken.
  static Result<std::unique_ptr<HttpTransport>> Start(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  int port() const;
  // Used before the peers know the port: where party k listens.
  void SetPeerPort(size_t k, int port);
  // channels()[k] leads to party k; null at me. Valid until the transport is destroyed.
  std::span<Channel* const> channels();
  uint64_t bytes_sent() const;
  uint64_t frames_sent() const;
  // Frames refused so far, by reason ("signature", "session", "seq", "frame", ...).
  std::vector<std::string> refusals() const;
  void Stop();

  struct Impl;

 private:
  HttpTransport() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor::risk::federated
