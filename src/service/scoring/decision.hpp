#pragma once
// A risk analyst's decision on a pending model (a scorecard version, a joint model):
// {"decision": "approve" | "reject", "note"}, every problem named at once.
#include <string>

#include "service/kernel/input.hpp"

namespace corridor::service::scoring {

struct ModelDecision {
  std::string status;  // approved | rejected
  std::string note;
};

inline Result<ModelDecision> ReadModelDecision(const Json& body) {
  Input in(body);
  const std::string decision = in.Str("decision", 20);
  ModelDecision d{.status = decision == "approve" ? "approved" : "rejected",
                  .note = in.Str("note", 1'000)};
  if (decision != "approve" && decision != "reject") {
    in.Problem("decision", "must be approve or reject");
  }
  if (d.note.empty()) in.Problem("note", "must say why");
  CORRIDOR_TRY_STATUS(in.Finish());
  return d;
}

}  // namespace corridor::service::scoring
