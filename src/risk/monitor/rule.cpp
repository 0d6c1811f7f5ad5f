#include "risk/monitor/rule.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace corridor::risk::monitor {
namespace {

bool Finite(double x) { return std::isfinite(x); }
constexpr int64_t kMaxDurationS = int64_t{366} * 86'400;

}  // namespace

std::string_view RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kThreshold:
      return "threshold";
    case RuleKind::kCusum:
      return "cusum";
    case RuleKind::kEwma:
      return "ewma";
    case RuleKind::kRate:
      return "rate";
  }
  return "threshold";
}

std::optional<RuleKind> ParseRuleKind(std::string_view name) {
  for (RuleKind k : {RuleKind::kThreshold, RuleKind::kCusum, RuleKind::kEwma, RuleKind::kRate}) {
    if (RuleKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

Status CheckRule(const RuleParams& p) {
  std::vector<FieldError> problems;
  const auto problem = [&](const char* field, const char* message) {
    problems.push_back({field, message});
  };
  if (p.min_duration_s < 0 || p.min_duration_s > kMaxDurationS) {
    problem("/min_duration_s", "must be from 0 to a year of seconds");
  }
  if (p.quiet_s < 0 || p.quiet_s > kMaxDurationS) {
    problem("/quiet_s", "must be from 0 to a year of seconds");
  }
  switch (p.kind) {
    case RuleKind::kThreshold:
      if (p.direction == Direction::kBoth) problem("/direction", "must be above or below");
      if (auto s = CheckThreshold({p.direction, p.trigger, p.clear}); !s) {
        for (auto& f : s.error().fields) problems.push_back(f);
      }
      break;
    case RuleKind::kCusum:
    case RuleKind::kEwma:
      if (!Finite(p.target)) problem("/target", "must be a finite number");
      if (!Finite(p.sigma) || p.sigma <= 0) problem("/sigma", "must be greater than 0");
      if (p.kind == RuleKind::kCusum) {
        if (!Finite(p.k) || p.k < 0 || p.k > 100) problem("/k", "must be from 0 to 100");
        if (!Finite(p.h) || p.h <= 0 || p.h > 1000) problem("/h", "must be greater than 0");
      } else {
        if (!Finite(p.lambda) || p.lambda <= 0 || p.lambda > 1) {
          problem("/lambda", "must be in (0, 1]");
        }
        if (!Finite(p.l) || p.l <= 0 || p.l > 100) problem("/l", "must be greater than 0");
      }
      break;
    case RuleKind::kRate:
      if (p.direction == Direction::kBoth) problem("/direction", "must be above or below");
      if (!Finite(p.limit_per_hour) || p.limit_per_hour <= 0) {
        problem("/limit_per_hour", "must be greater than 0");
      }
      break;
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  return {};
}

std::string RuleParamsJson(const RuleParams& p) {
  nlohmann::json j{{"min_duration_s", p.min_duration_s}, {"quiet_s", p.quiet_s}};
  const char* direction = p.direction == Direction::kAbove   ? "above"
                          : p.direction == Direction::kBelow ? "below"
                                                             : "both";
  switch (p.kind) {
    case RuleKind::kThreshold:
      j.update({{"direction", direction}, {"trigger", p.trigger}, {"clear", p.clear}});
      break;
    case RuleKind::kCusum:
      j.update({{"direction", direction},
                {"target", p.target},
                {"sigma", p.sigma},
                {"k", p.k},
                {"h", p.h}});
      break;
    case RuleKind::kEwma:
      j.update({{"direction", direction},
                {"target", p.target},
                {"sigma", p.sigma},
                {"lambda", p.lambda},
                {"l", p.l}});
      break;
    case RuleKind::kRate:
      j.update({{"direction", direction}, {"limit_per_hour", p.limit_per_hour}});
      break;
  }
  return j.dump();
}

Result<RuleParams> ParseRuleParams(RuleKind kind, std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Error::Invalid("/params", "must be a JSON object"));
  }
  RuleParams p;
  p.kind = kind;
  std::vector<FieldError> problems;
  const auto number = [&](const char* name, double& out) {
    if (!j.contains(name)) return;
    if (!j.at(name).is_number()) {
      problems.push_back({std::string("/params/") + name, "must be a number"});
      return;
    }
    out = j.at(name).get<double>();
  };
  const auto seconds = [&](const char* name, int64_t& out) {
    if (!j.contains(name)) return;
    if (!j.at(name).is_number_integer()) {
      problems.push_back({std::string("/params/") + name, "must be a whole number of seconds"});
      return;
    }
    out = j.at(name).get<int64_t>();
  };
  if (j.contains("direction")) {
    const auto& d = j.at("direction");
    if (d == "above") {
      p.direction = Direction::kAbove;
    } else if (d == "below") {
      p.direction = Direction::kBelow;
    } else if (d == "both") {
      p.direction = Direction::kBoth;
    } else {
      problems.push_back({"/params/direction", "must be above, below or both"});
    }
  }
  number("trigger", p.trigger);
  number("clear", p.clear);
  if (kind == RuleKind::kThreshold && j.contains("trigger") && !j.contains("clear")) {
    p.clear = p.trigger;  // no hysteresis band unless one is given
  }
  number("target", p.target);
  number("sigma", p.sigma);
  number("k", p.k);
  number("h", p.h);
  number("lambda", p.lambda);
  number("l", p.l);
  number("limit_per_hour", p.limit_per_hour);
  seconds("min_duration_s", p.min_duration_s);
  seconds("quiet_s", p.quiet_s);
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  if (auto checked = CheckRule(p); !checked) {
    Error e = checked.error();
    for (auto& f : e.fields) f.field = "/params" + f.field;
    return Fail(std::move(e));
  }
  return p;
}

RuleDetector::RuleDetector(const RuleParams& params) : p_(params) {
  if (p_.kind == RuleKind::kEwma) {
    s_.s1 = p_.target;
    s_.s2 = 1;
  }
}

RuleDetector::RuleDetector(const RuleParams& params, const RuleState& state)
    : p_(params), s_(state) {}

RuleState RuleDetector::state() const { return s_; }

RuleDetector::Step RuleDetector::Next(int64_t t_s, double x) {
  Step step;
  if (s_.last_t_s && t_s <= *s_.last_t_s) return step;
  step.charted = true;
  Breach breach = Breach::kHold;
  switch (p_.kind) {
    case RuleKind::kThreshold:
      breach = ThresholdDetector({p_.direction, p_.trigger, p_.clear}).Step(x);
      step.statistic = x;
      break;
    case RuleKind::kCusum: {
      CusumDetector cusum({p_.target, p_.sigma, p_.k, p_.h}, s_.s1, s_.s2);
      (void)cusum.Step(x);
      s_.s1 = cusum.c_plus();
      s_.s2 = cusum.c_minus();
      const double limit = p_.h * p_.sigma;
      const bool up = p_.direction != Direction::kBelow && s_.s1 > limit;
      const bool down = p_.direction != Direction::kAbove && s_.s2 > limit;
      breach = up || down ? Breach::kBreach : Breach::kClear;
      step.statistic = p_.direction == Direction::kAbove   ? s_.s1
                       : p_.direction == Direction::kBelow ? s_.s2
                                                           : std::max(s_.s1, s_.s2);
      break;
    }
    case RuleKind::kEwma: {
      EwmaDetector ewma({p_.target, p_.sigma, p_.lambda, p_.l}, s_.s1, s_.s2);
      (void)ewma.Step(x);
      s_.s1 = ewma.z();
      s_.s2 = ewma.decay();
      const bool up = p_.direction != Direction::kBelow && ewma.z() > ewma.ucl();
      const bool down = p_.direction != Direction::kAbove && ewma.z() < ewma.lcl();
      breach = up || down ? Breach::kBreach : Breach::kClear;
      step.statistic = s_.s1;
      break;
    }
    case RuleKind::kRate: {
      RateDetector rate({p_.direction, p_.limit_per_hour}, s_.last_t_s, s_.s1);
      breach = rate.Step(t_s, x);
      s_.s1 = rate.last_x();
      step.statistic = rate.per_hour();
      break;
    }
  }
  s_.last_t_s = t_s;
  // The debouncer, restored from and saved to the state.
  Debouncer d(p_.min_duration_s, p_.quiet_s);
  d.Restore(s_.firing, s_.since_s);
  step.event = d.Step(t_s, breach);
  s_.firing = d.firing();
  s_.since_s = d.since_s();
  return step;
}

const std::vector<DefaultRule>& DefaultRules() {
  static const std::vector<DefaultRule> kRules = [] {
    std::vector<DefaultRule> rules;
    const auto threshold = [](Direction d, double trigger, double clear, int64_t min_s,
                              int64_t quiet_s) {
      RuleParams p;
      p.kind = RuleKind::kThreshold;
      p.direction = d;
      p.trigger = trigger;
      p.clear = clear;
      p.min_duration_s = min_s;
      p.quiet_s = quiet_s;
      return p;
    };
    constexpr int64_t kHour = 3'600;
    constexpr int64_t kDay = 86'400;
    rules.push_back({"curtailment_rate", "any", Severity::kWarning,
                     threshold(Direction::kAbove, 0.10, 0.08, 3 * kHour, 12 * kHour),
                     "curtailment above 10% for three hours (the national target is a 95% "
                     "utilization rate of wind and solar output, i.e. at most 5% curtailed)"});
    RuleParams cusum;
    cusum.kind = RuleKind::kCusum;
    cusum.direction = Direction::kAbove;
    cusum.target = 0.05;
    cusum.sigma = 0.02;
    cusum.quiet_s = kDay;
    rules.push_back({"curtailment_rate", "any", Severity::kWarning, cusum,
                     "a sustained rise of curtailment above the 5% target (upper CUSUM, k 0.5σ, "
                     "h 5σ)"});
    rules.push_back({"equipment_utilization", "any", Severity::kCritical,
                     threshold(Direction::kBelow, 0.60, 0.65, 0, kDay),
                     "equipment utilization below 60%: new financing is restricted (seed 002 "
                     "§5.4)"});
    rules.push_back({"availability", "any", Severity::kWarning,
                     threshold(Direction::kBelow, 0.95, 0.97, 6 * kHour, 12 * kHour),
                     "availability below 95% for six hours"});
    rules.push_back({"grid_connected", "any", Severity::kCritical,
                     threshold(Direction::kBelow, 0.5, 0.5, int64_t{15} * 60, kHour),
                     "disconnected from the grid for 15 minutes"});
    RuleParams ewma;
    ewma.kind = RuleKind::kEwma;
    ewma.direction = Direction::kBoth;
    ewma.target = 1.0;
    ewma.sigma = 0.15;
    ewma.lambda = 0.1;
    ewma.l = 2.7;
    ewma.quiet_s = kDay;
    rules.push_back({"generation_vs_forecast", "any", Severity::kInfo, ewma,
                     "generation drifting from the day-ahead forecast (EWMA λ 0.1, L 2.7)"});
    rules.push_back({"dscr", "any", Severity::kCritical,
                     threshold(Direction::kBelow, 1.2, 1.25, 0, 0),
                     "debt-service coverage below 1.2"});
    rules.push_back({"revenue_collection_rate", "any", Severity::kWarning,
                     threshold(Direction::kBelow, 0.90, 0.92, 0, 0),
                     "less than 90% of billed revenue collected"});
    rules.push_back({"subsidy_receivable_age_days", "any", Severity::kWarning,
                     threshold(Direction::kAbove, 730, 700, 0, 0),
                     "renewable subsidy unpaid for more than two years"});
    rules.push_back({"performance_ratio", "solar", Severity::kWarning,
                     threshold(Direction::kBelow, 0.70, 0.75, 2 * kDay, kDay),
                     "performance ratio below 70% for two days (soiling, inverter faults)"});
    return rules;
  }();
  return kRules;
}

}  // namespace corridor::risk::monitor
