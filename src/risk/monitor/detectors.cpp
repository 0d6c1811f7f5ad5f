#include "risk/monitor/detectors.hpp"

#include <cmath>

namespace corridor::risk::monitor {
namespace {

bool Finite(double x) { return std::isfinite(x); }

SignalSide SideOf(bool upper, bool lower) {
  if (upper && lower) return SignalSide::kBoth;
  if (upper) return SignalSide::kUpper;
  if (lower) return SignalSide::kLower;
  return SignalSide::kNone;
}

Status CheckSeries(std::span<const double> values, double target, double sigma) {
  std::vector<FieldError> problems;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!Finite(values[i])) {
      problems.push_back({"/values/" + std::to_string(i), "must be a finite number"});
      break;
    }
  }
  if (!Finite(target)) problems.push_back({"/target", "must be a finite number"});
  if (!Finite(sigma) || sigma <= 0) problems.push_back({"/sigma", "must be greater than 0"});
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  return {};
}

}  // namespace

std::string_view SideName(SignalSide side) {
  switch (side) {
    case SignalSide::kUpper:
      return "upper";
    case SignalSide::kLower:
      return "lower";
    case SignalSide::kBoth:
      return "both";
    case SignalSide::kNone:
      break;
  }
  return "";
}

Result<CusumChart> RunCusum(std::span<const double> values, const CusumParams& params) {
  CORRIDOR_TRY_STATUS(CheckSeries(values, params.target, params.sigma));
  if (!Finite(params.k) || params.k < 0) return Fail(Error::Invalid("/k", "must be at least 0"));
  if (!Finite(params.h) || params.h <= 0) {
    return Fail(Error::Invalid("/h", "must be greater than 0"));
  }
  CusumChart chart;
  chart.c_plus.reserve(values.size());
  chart.c_minus.reserve(values.size());
  CusumDetector detector(params);
  const double limit = params.h * params.sigma;
  for (size_t i = 0; i < values.size(); ++i) {
    const Breach breach = detector.Step(values[i]);
    chart.c_plus.push_back(detector.c_plus());
    chart.c_minus.push_back(detector.c_minus());
    if (breach == Breach::kBreach && !chart.first_signal_index) {
      chart.first_signal_index = i;
      chart.side = SideOf(detector.c_plus() > limit, detector.c_minus() > limit);
    }
  }
  return chart;
}

Result<EwmaChart> RunEwma(std::span<const double> values, const EwmaParams& params) {
  CORRIDOR_TRY_STATUS(CheckSeries(values, params.target, params.sigma));
  if (!Finite(params.lambda) || params.lambda <= 0 || params.lambda > 1) {
    return Fail(Error::Invalid("/lambda", "must be in (0, 1]"));
  }
  if (!Finite(params.l) || params.l <= 0) {
    return Fail(Error::Invalid("/l", "must be greater than 0"));
  }
  EwmaChart chart;
  chart.z.reserve(values.size());
  chart.ucl.reserve(values.size());
  chart.lcl.reserve(values.size());
  EwmaDetector detector(params);
  for (size_t i = 0; i < values.size(); ++i) {
    const Breach breach = detector.Step(values[i]);
    chart.z.push_back(detector.z());
    chart.ucl.push_back(detector.ucl());
    chart.lcl.push_back(detector.lcl());
    if (breach == Breach::kBreach && !chart.first_signal_index) {
      chart.first_signal_index = i;
      chart.side = detector.z() > detector.ucl() ? SignalSide::kUpper : SignalSide::kLower;
    }
  }
  return chart;
}

CusumDetector::CusumDetector(const CusumParams& params, double c_plus, double c_minus)
    : upper_ref_(params.target + params.k * params.sigma),
      lower_ref_(params.target - params.k * params.sigma),
      limit_(params.h * params.sigma),
      c_plus_(c_plus),
      c_minus_(c_minus) {}

Breach CusumDetector::Step(double x) {
  c_plus_ = std::max(0.0, x - upper_ref_ + c_plus_);
  c_minus_ = std::max(0.0, lower_ref_ - x + c_minus_);
  return c_plus_ > limit_ || c_minus_ > limit_ ? Breach::kBreach : Breach::kClear;
}

EwmaDetector::EwmaDetector(const EwmaParams& params)
    : target_(params.target),
      lambda_(params.lambda),
      width_(params.l * params.sigma * std::sqrt(params.lambda / (2 - params.lambda))),
      z_(params.target) {}

EwmaDetector::EwmaDetector(const EwmaParams& params, double z, double decay)
    : EwmaDetector(params) {
  z_ = z;
  decay_ = decay;
}

Breach EwmaDetector::Step(double x) {
  z_ = lambda_ * x + (1 - lambda_) * z_;
  decay_ *= (1 - lambda_) * (1 - lambda_);
  return z_ > ucl() || z_ < lcl() ? Breach::kBreach : Breach::kClear;
}

double EwmaDetector::ucl() const { return target_ + width_ * std::sqrt(1 - decay_); }
double EwmaDetector::lcl() const { return target_ - width_ * std::sqrt(1 - decay_); }

Status CheckThreshold(const ThresholdParams& params) {
  if (!Finite(params.trigger)) return Fail(Error::Invalid("/trigger", "must be a finite number"));
  if (!Finite(params.clear)) return Fail(Error::Invalid("/clear", "must be a finite number"));
  if (params.direction == Direction::kAbove && params.clear > params.trigger) {
    return Fail(Error::Invalid("/clear", "must be at most the trigger for an upper threshold"));
  }
  if (params.direction == Direction::kBelow && params.clear < params.trigger) {
    return Fail(Error::Invalid("/clear", "must be at least the trigger for a lower threshold"));
  }
  return {};
}

Breach ThresholdDetector::Step(double x) const {
  if (p_.direction == Direction::kAbove) {
    if (x > p_.trigger) return Breach::kBreach;
    return x < p_.clear || p_.clear == p_.trigger ? Breach::kClear : Breach::kHold;
  }
  if (x < p_.trigger) return Breach::kBreach;
  return x > p_.clear || p_.clear == p_.trigger ? Breach::kClear : Breach::kHold;
}

Breach RateDetector::Step(int64_t t_s, double x) {
  Breach breach = Breach::kHold;
  per_hour_ = 0;
  if (last_t_s_ && t_s > *last_t_s_) {
    per_hour_ = (x - last_x_) * 3600.0 / static_cast<double>(t_s - *last_t_s_);
    const double per_hour = per_hour_;
    const bool beyond = p_.direction == Direction::kAbove ? per_hour > p_.limit_per_hour
                                                          : per_hour < -p_.limit_per_hour;
    breach = beyond ? Breach::kBreach : Breach::kClear;
  }
  if (!last_t_s_ || t_s > *last_t_s_) {
    last_t_s_ = t_s;
    last_x_ = x;
  }
  return breach;
}

Debouncer::Event Debouncer::Step(int64_t t_s, Breach breach) {
  if (breach == Breach::kHold) return Event::kNone;
  if (!firing_) {
    if (breach == Breach::kClear) {
      breach_since_s_.reset();
      return Event::kNone;
    }
    if (!breach_since_s_) breach_since_s_ = t_s;
    if (t_s - *breach_since_s_ < min_duration_s_) return Event::kNone;
    firing_ = true;
    breach_since_s_.reset();
    clear_since_s_.reset();
    return Event::kFired;
  }
  if (breach == Breach::kBreach) {
    clear_since_s_.reset();
    return Event::kNone;
  }
  if (!clear_since_s_) clear_since_s_ = t_s;
  if (t_s - *clear_since_s_ < quiet_s_) return Event::kNone;
  firing_ = false;
  clear_since_s_.reset();
  return Event::kResolved;
}

}  // namespace corridor::risk::monitor
