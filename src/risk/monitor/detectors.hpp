#pragma once
// The early-warning detectors over one indicator's readings, as whole-series charts (for
// `corridor calc`) and as streaming steps (one reading at a time, for the monitor). Pure
// computation; a detector object is a value owned by one thread at a time.
//
//  - Tabular CUSUM (Page 1954; Montgomery, Introduction to Statistical Quality Control, §9.1):
//      C⁺ᵢ = max(0, xᵢ − (μ₀ + K) + C⁺ᵢ₋₁),  C⁻ᵢ = max(0, (μ₀ − K) − xᵢ + C⁻ᵢ₋₁),  C⁺₀ = C⁻₀ = 0,
//    K = kσ and H = hσ; it signals when C⁺ᵢ > H ("upper") or C⁻ᵢ > H ("lower"). The sums are not
//    reset after a signal (Montgomery's table goes on accumulating).
//  - EWMA with exact time-varying limits (Roberts 1959; Montgomery §9.2):
//      zᵢ = λxᵢ + (1 − λ)zᵢ₋₁,  z₀ = μ₀,
//      UCLᵢ, LCLᵢ = μ₀ ± Lσ·√(λ/(2 − λ)·(1 − (1 − λ)^{2i})),
//    signalling when zᵢ > UCLᵢ or zᵢ < LCLᵢ.
//  - A threshold with hysteresis: in breach beyond `trigger`, clear only back past `clear`
//    (between the two the state is held), so a value hovering at the limit does not flap.
//  - Rate of change: the change from the previous reading per hour, against a limit.
// Every streaming detector answers a `Breach` for each reading; a `Debouncer` turns those into
// alerts that fire only after a minimum duration in breach and resolve only after a quiet period.
// Units: values in the indicator's own unit; times in seconds (UTC epoch).
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::monitor {

// ---- whole-series charts -------------------------------------------------------------------

struct CusumParams {
  double target = 0;
  double sigma = 1;
  double k = 0.5;  // in σ
  double h = 5;    // in σ
};

enum class SignalSide { kNone, kUpper, kLower, kBoth };
std::string_view SideName(SignalSide side);  // "upper", "lower", "both"; "" for none

struct CusumChart {
  std::vector<double> c_plus;
  std::vector<double> c_minus;
  std::optional<size_t> first_signal_index;
  SignalSide side = SignalSide::kNone;  // of the first signal
};

// Errors name sigma (> 0, finite), k (≥ 0), h (> 0) or target (finite).
Result<CusumChart> RunCusum(std::span<const double> values, const CusumParams& params);

struct EwmaParams {
  double target = 0;
  double sigma = 1;
  double lambda = 0.1;  // in (0, 1]
  double l = 3;         // limit width in σ of z
};

struct EwmaChart {
  std::vector<double> z;
  std::vector<double> ucl;
  std::vector<double> lcl;
  std::optional<size_t> first_signal_index;
  SignalSide side = SignalSide::kNone;
};

Result<EwmaChart> RunEwma(std::span<const double> values, const EwmaParams& params);

// ---- streaming detectors --------------------------------------------------------------------

// What one reading says: clearly in breach, clearly back to normal, or inside a hysteresis band
// (keep whatever state the alert is in).
enum class Breach : uint8_t { kClear, kHold, kBreach };

class CusumDetector {
 public:
  explicit CusumDetector(const CusumParams& params, double c_plus = 0, double c_minus = 0);
  // The sums after x, and whether either exceeds H. CUSUM has no hysteresis band: once a sum
  // falls back to H or below, the reading is clear.
  Breach Step(double x);
  double c_plus() const { return c_plus_; }
  double c_minus() const { return c_minus_; }

 private:
  double upper_ref_, lower_ref_, limit_;
  double c_plus_ = 0, c_minus_ = 0;
};

class EwmaDetector {
 public:
  explicit EwmaDetector(const EwmaParams& params);
  // Resumed at z after readings that left (1 − λ)^{2i} = decay.
  EwmaDetector(const EwmaParams& params, double z, double decay);
  Breach Step(double x);
  double z() const { return z_; }
  double decay() const { return decay_; }
  double ucl() const;
  double lcl() const;

 private:
  double target_, lambda_, width_;  // width_ = Lσ√(λ/(2−λ))
  double z_;
  double decay_ = 1;  // (1 − λ)^{2i}
};

// Which way a detector watches: up, down, or (CUSUM and EWMA rules) both.
enum class Direction : uint8_t { kAbove, kBelow, kBoth };

struct ThresholdParams {
  Direction direction = Direction::kAbove;
  double trigger = 0;  // in breach beyond it (strictly)
  double clear = 0;  // back to normal only past it: ≤ trigger when above, ≥ trigger when below
};
Status CheckThreshold(const ThresholdParams& params);

class ThresholdDetector {
 public:
  explicit ThresholdDetector(const ThresholdParams& params) : p_(params) {}
  Breach Step(double x) const;

 private:
  ThresholdParams p_;
};

struct RateParams {
  Direction direction = Direction::kAbove;  // kAbove: a rise faster than the limit; kBelow: a fall
  double limit_per_hour = 0;                // > 0, in the indicator's unit per hour
};

class RateDetector {
 public:
  explicit RateDetector(const RateParams& params, std::optional<int64_t> last_t_s = {},
                        double last_x = 0)
      : p_(params), last_t_s_(last_t_s), last_x_(last_x) {}
  // The first reading, and a reading at the same second as the previous one, are held.
  Breach Step(int64_t t_s, double x);
  // The change per hour the last Step measured (0 when it held).
  double per_hour() const { return per_hour_; }
  double last_x() const { return last_x_; }

 private:
  RateParams p_;
  std::optional<int64_t> last_t_s_;
  double last_x_ = 0;
  double per_hour_ = 0;
};

// Turns breaches into alert events: fires once the readings have been in breach for at least
// `min_duration_s` (0: at the first breach), and resolves once they have been clear for at least
// `quiet_s` (0: at the first clear reading). A hold keeps the state and its timers; a breach
// while resolving cancels the resolution.
class Debouncer {
 public:
  enum class Event : uint8_t { kNone, kFired, kResolved };
  Debouncer(int64_t min_duration_s, int64_t quiet_s)
      : min_duration_s_(min_duration_s), quiet_s_(quiet_s) {}
  Event Step(int64_t t_s, Breach breach);
  bool firing() const { return firing_; }
  // In breach since (not firing) or clear since (firing); none when neither timer runs.
  std::optional<int64_t> since_s() const { return firing_ ? clear_since_s_ : breach_since_s_; }
  // Resumes from what firing() and since_s() said.
  void Restore(bool firing, std::optional<int64_t> since_s) {
    firing_ = firing;
    (firing ? clear_since_s_ : breach_since_s_) = since_s;
  }

 private:
  int64_t min_duration_s_, quiet_s_;
  bool firing_ = false;
  std::optional<int64_t> breach_since_s_;  // while not firing
  std::optional<int64_t> clear_since_s_;   // while firing
};

}  // namespace corridor::risk::monitor
