#pragma once
// What parties in separate processes do together, over channels (wire.hpp) to one another:
// align their rows by private set intersection, and score applicants with a vertical model.
//
// Alignment: the guest (the label holder) runs ECDH-PSI (psi.hpp) with each host on its own; it
// learns each host's common ids, each host its common ids with the guest. The ids common to all
// are the guest's intersection of those; it sends them, sorted, to every host, which thereby
// learns which of its common ids the other hosts hold too (docs/federated.md). Every party then
// takes its rows in that order.
//
// Scoring (after training, each party keeping its own coefficients and column means): for each
// applicant every host computes its share of the linear predictor, Σⱼ βⱼ xⱼ over its columns, and
// its reasons — its columns whose value pushes the risk up most against its training mean,
// βⱼ (xⱼ − x̄ⱼ) > 0 — and sends both to the guest; the guest adds its intercept and share and
// alone knows the score. Hosts learn nothing of it.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "risk/federated/random.hpp"
#include "risk/federated/transport.hpp"
#include "risk/federated/wire.hpp"

namespace corridor::risk::federated {

// A run's parties as its session file names them (shared by all parties, nothing secret):
//   {"session": "a fresh name for each run", "label_party": "NAME", "key_bits": 2048,
//    "max_iterations": 500,
//    "parties": [{"name": "NAME", "listen": "HOST:PORT", "public_key": HEX}, ...]}
// key_bits: from 2048 (kMinKeyBits) to 4096, even; 2 to 64 parties with distinct names.
// A session of horizontal pooling (horizontal_lr.hpp) names "coordinator" instead of
// "label_party"; every other party is a bank, and max_iterations bounds its Newton steps.
struct SessionConfig {
  std::string name;
  std::vector<PartyAddress> parties;
  size_t label_party = 0;
  std::optional<size_t> coordinator = std::nullopt;
  size_t key_bits = 2048;
  int max_iterations = 500;
};
// Errors name the field (/session, /parties/k/listen, /label_party, /key_bits, ...).
Result<SessionConfig> ParseSession(const nlohmann::json& session);

// Party `me`'s ids (unique) → the ids common to all parties, sorted. Errors: a malformed or
// out-of-turn message, a host whose list holds an id it does not have.
Result<std::vector<std::string>> AlignIds(std::span<Channel* const> channels, size_t me,
                                          size_t guest, const std::vector<std::string>& ids,
                                          Randomness& random);

// One party's part of a trained vertical model.
struct PartyModel {
  std::vector<std::string> columns;
  std::vector<double> coefficients, means;
  double intercept = 0;  // the guest's
};

struct Reason {
  size_t party = 0;
  std::string column;
  double contribution = 0;  // βⱼ (xⱼ − x̄ⱼ), in log-odds
};

struct FederatedScore {
  double linear = 0;           // the log-odds of default
  double probability = 0;      // σ(linear)
  std::vector<double> shares;  // each party's part of `linear` (the guest's includes the intercept)
  std::vector<Reason> reasons;  // up to `reasons` per party, largest first within each party
};

// Party `me`'s part of scoring the applicants `rows` (its columns, in the aligned order): the
// guest gets every score, a host an empty list. `reasons`: how many each party reports.
Result<std::vector<FederatedScore>> ScoreParty(std::span<Channel* const> channels, size_t me,
                                               size_t guest, const PartyModel& model,
                                               const std::vector<std::vector<double>>& rows,
                                               size_t reasons = 3);

}  // namespace corridor::risk::federated
