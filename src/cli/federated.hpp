#pragma once
// `corridor federated`: one data holder's party in a joint model (docs/federated.md), a process
// of its own that reads only its own data and talks to the other parties over HTTP.
//
//   corridor federated keygen --out FILE
//       a party's Ed25519 key: the secret seed written to FILE (0600, never overwritten), the
//       public key printed as {"public_key": HEX} for the session file.
//   corridor federated train --session FILE --party NAME --key FILE --data FILE.csv --out FILE
//       align the parties' enterprises by private set intersection, then fit the vertical
//       logistic regression; each party writes its own part of the model to --out.
//   corridor federated score --session FILE --party NAME --key FILE --model FILE --data FILE.csv
//                            --out FILE
//       score the label holder's applicants with a trained model: the label holder writes the
//       scores and each party's reasons, the others learn nothing of them.
//   corridor federated pool --session FILE --party NAME --key FILE [--data FILE.csv] --out FILE
//       horizontal pooling: banks holding the same columns of different borrowers fit one
//       logistic regression by secure aggregation; the session names a "coordinator" (no data,
//       no --data) instead of a label party. Each bank writes the model to --out, the coordinator
//       the model with the banks in it and those dropped. --drop-after S: how long the
//       coordinator waits for a bank in a round before counting it dropped (default 60, below
//       --timeout); --silent-at ROUND (drills): a bank stops without a word in that round, after
//       its masks are fixed.
//
// The session file is shared by all parties (nothing in it is secret):
//   {"session": "a fresh name for each run", "label_party": "NAME", "key_bits": 2048,
//    "max_iterations": 500,
//    "parties": [{"name": "NAME", "listen": "127.0.0.1:7401", "public_key": HEX}, ...]}
// The data is a CSV: a column "uscc" (the enterprise's id), numeric feature columns, and for the
// label party (and every bank of a pool) a column "label" (1: defaulted).
//
// Exit 0 done; 2 invalid input (a problem document on stdout); 1 a file that cannot be read or
// written, or the protocol stopped (a party unreachable, silent or refused).
#include <cstdint>
#include <optional>
#include <string>

namespace corridor::cli {

struct FederatedOptions {
  std::string command;  // keygen | train | score | pool
  std::string session, party, key, data, model, out;
  std::optional<uint64_t> seed;  // reproducible randomness (tests); default: the system's
  int timeout_s = 600;           // the longest wait for a peer's message
  int drop_after_s = 60;         // pool: the coordinator's wait for a bank in a round
  int silent_at = 0;             // pool, drills: the round in which this bank goes silent
};

int Federated(const FederatedOptions& options);

}  // namespace corridor::cli
