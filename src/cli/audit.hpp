#pragma once
// corridor audit: the auditor's client for the registry's transparency log.
//
//   corridor audit --url http://127.0.0.1:8080 --verifier-key KEY --checkpoint FILE
//                  [--entry N ... | --all-entries] [--token TOKEN]
//
// Fetches the current checkpoint and verifies its signature; when FILE holds an earlier
// checkpoint, verifies that one's signature and the consistency proof from it to the current one;
// for each --entry, fetches the entry's leaf data, hashes it locally and verifies its inclusion
// proof against the current root; --all-entries does so for every entry of the log the token may
// read (the others answer 404 and are counted). Only when everything verifies does it save the
// current checkpoint to FILE (trust on first use when FILE does not exist yet). Exit status: 0 all
// verified, 1 a verification failed (the log or an entry was rewritten, a signature is bad, the log
// shrank), 2 usage or connection errors.
#include <string>
#include <vector>

namespace corridor::cli {

struct AuditOptions {
  std::string url = "http://127.0.0.1:8080";
  std::string verifier_key;
  std::string checkpoint_file;
  std::vector<uint64_t> entries;
  bool all_entries = false;  // every entry the token may read
  std::string token;
};

int Audit(const AuditOptions& options);

}  // namespace corridor::cli
