#pragma once
// Private set intersection of identifiers (USCCs) by Diffie–Hellman blinding over ristretto255
// (the ECDH-PSI of Meadows 1986 / Huberman–Franklin–Hogg 1999, on the prime-order group of
// RFC 9496 through libsodium):
//
//   each party P holds ids X_P and a secret scalar a_P;
//   H(x) = ristretto255_from_hash(SHA-512("corridor/psi/v1" ‖ x))
//   round 1: A → B  { a·H(x) : x ∈ X_A }          B → A  { b·H(y) : y ∈ X_B }
//   round 2: B → A  { b·(a·H(x)) } in A's order   A → B  { a·(b·H(y)) } in B's order
//   each side matches the doubly blinded sets (a·b·H(x) = b·a·H(y) iff x = y) and learns which
//   of its own ids are common, and the other side's count, nothing else: without a scalar a
//   blinded point is, under the decisional Diffie–Hellman assumption, a random group element.
//
// Each party sends its blinded set sorted by the encoding (no order leaks which id is which);
// the doubly blinded set goes back in the order received. Every point received is checked to
// be a canonical encoding of a group element other than the identity (else the message is
// malformed and refused, naming the index).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/random.hpp"

namespace corridor::risk::federated {

using Point = std::array<uint8_t, 32>;  // a ristretto255 encoding

class PsiParty {
 public:
  // The party's ids (duplicates are kept once) and its secret scalar, drawn from `random`.
  PsiParty(std::vector<std::string> ids, Randomness& random);

  // Round 1: the blinded ids, sorted by their encoding.
  std::vector<Point> Blinded() const;
  // Round 2: the other party's blinded ids raised by this party's scalar, in the order given.
  // Errors name /points/k for an encoding that is not a valid non-identity element.
  Result<std::vector<Point>> Reblind(std::span<const Point> theirs) const;
  // The common ids, in this party's id order, from its own blinded ids as the other party
  // returned them doubly blinded (in Blinded()'s order) and the other's ids doubly blinded here.
  Result<std::vector<std::string>> Intersect(std::span<const Point> mine_doubled,
                                             std::span<const Point> theirs_doubled) const;

  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::vector<std::string> ids_;
  std::array<uint8_t, 32> scalar_{};
  std::vector<Point> blinded_;      // sorted
  std::vector<size_t> blinded_id_;  // the id of each blinded point
};

// H(x), the point an id hashes to (exposed for tests).
Point HashToPoint(std::string_view id);

}  // namespace corridor::risk::federated
