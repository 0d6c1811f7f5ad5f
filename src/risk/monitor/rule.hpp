#pragma once
// A monitoring rule: one detector (threshold, CUSUM, EWMA or rate of change) on one indicator,
// with the debouncer that turns its breaches into alerts, and the platform's default rules. A
// rule's detector keeps a few numbers of state per series (RuleState), which the monitor stores
// between uploads, so a series is charted across batches exactly as if it had come in one.
// Pure; a RuleDetector is a value owned by one thread at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "risk/monitor/detectors.hpp"
#include "risk/monitor/telemetry.hpp"

namespace corridor::risk::monitor {

enum class RuleKind : uint8_t { kThreshold, kCusum, kEwma, kRate };
std::string_view RuleKindName(RuleKind kind);  // "threshold", "cusum", "ewma", "rate"
std::optional<RuleKind> ParseRuleKind(std::string_view name);

enum class Severity : uint8_t { kInfo, kWarning, kCritical };
std::string_view SeverityName(Severity severity);  // "info", "warning", "critical"
std::optional<Severity> ParseSeverity(std::string_view name);

// The parameters of every kind; each kind reads its own (docs/early-warning.md).
struct RuleParams {
  RuleKind kind = RuleKind::kThreshold;
  // Threshold and rate: above or below. CUSUM and EWMA: the side that signals, above (C⁺, the
  // upper limit), below (C⁻, the lower limit) or both.
  Direction direction = Direction::kAbove;
  double trigger = 0, clear = 0;  // threshold
  double target = 0, sigma = 1;   // CUSUM and EWMA, in the indicator's unit
  double k = 0.5, h = 5;          // CUSUM
  double lambda = 0.1, l = 2.7;   // EWMA
  double limit_per_hour = 0;      // rate
  int64_t min_duration_s = 0;     // in breach this long before it fires
  int64_t quiet_s = 0;            // clear this long before it resolves
};
// Errors name the field of the rule that is wrong (/trigger, /sigma, /lambda, ...).
Status CheckRule(const RuleParams& params);

// A rule's parameters as stored and served: a JSON object with the fields its kind reads, e.g.
// {"direction":"above","trigger":0.1,"clear":0.08,"min_duration_s":10800,"quiet_s":43200}.
std::string RuleParamsJson(const RuleParams& params);
// Reads the fields of `kind` from a JSON object (absent fields keep their defaults); errors name
// the field (/params/trigger) or say the text is not a JSON object.
Result<RuleParams> ParseRuleParams(RuleKind kind, std::string_view json);

// What a detector carries from one reading to the next.
struct RuleState {
  double s1 = 0, s2 = 0;            // C⁺ and C⁻; z and (1 − λ)^{2i}; the last value (rate)
  std::optional<int64_t> last_t_s;  // the last reading charted
  bool firing = false;
  std::optional<int64_t> since_s;  // in breach since (not firing) or clear since (firing)
};

class RuleDetector {
 public:
  // A fresh series (EWMA from its target, sums at zero).
  explicit RuleDetector(const RuleParams& params);
  RuleDetector(const RuleParams& params, const RuleState& state);

  struct Step {
    Debouncer::Event event = Debouncer::Event::kNone;
    double statistic = 0;  // the value, C⁺ or C⁻ (the larger), z, or the rate per hour
    bool charted = false;  // false for a reading at or before the last one charted (late data)
  };
  // Readings must come in time order; one at or before the last charted one is not charted.
  Step Next(int64_t t_s, double x);
  RuleState state() const;

 private:
  RuleParams p_;
  RuleState s_;
};

// The platform's rules before the bureau changes any: one set per indicator and project type
// (docs/early-warning.md gives each one's reason).
struct DefaultRule {
  std::string_view indicator;
  std::string_view project_type;  // "wind", "solar" or "any"
  Severity severity;
  RuleParams params;
  std::string_view description;
};
const std::vector<DefaultRule>& DefaultRules();

}  // namespace corridor::risk::monitor
