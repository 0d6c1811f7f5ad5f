#pragma once
// The ecosystem health index and its alert rule (seed 002 §5.4.1: an alert when the index has
// fallen 15% week over week in each of two consecutive weeks). Pure; thread-safe.
//
// "At least 15%" is compared exactly: the index values are exact decimals (a JSON number is taken
// as the shortest decimal that reads back as the same double, i.e. what its writer typed, so 0.51
// is 51/100, not the binary fraction nearest it), and week t's fall counts when
//     index[t−1] > 0  and  (index[t−1] − index[t]) · 100 ≥ drop_pct · index[t−1]
// in integer arithmetic: a fall from 0.60 to 0.51 is exactly 15% and counts; to 0.5100001 it does
// not. The rule fires at week t when the falls of weeks t−c+1 … t all count (c = `consecutive`),
// and again at each further week the run goes on (the alert layer keeps one alert per run).
// A missing week (no index) breaks the run: a week is compared only with the week just before it,
// so neither the missing week nor the week after it has a fall, and counting starts again after
// the gap. A recovery (any week whose fall does not count) breaks it the same way.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::monitor {

// An exact decimal: digits × 10^exponent.
struct Decimal {
  int64_t digits = 0;
  int exponent = 0;
  std::string ToString() const;  // plain notation: "0.51", "15", "-0.002"
};

// "0.51", "-1.5", "2e-3" (at most 18 significant digits, exponent within ±400). Errors name
// `field`.
Result<Decimal> ParseDecimal(std::string_view text, std::string_view field);
// The shortest decimal that reads back as x (finite x).
Decimal DecimalOfDouble(double x);
// −1, 0 or 1 as a < b, a = b, a > b, exactly.
int Compare(const Decimal& a, const Decimal& b);

// Whether the fall from `previous` to `current` is at least `drop_pct` percent of `previous`
// (false when previous ≤ 0).
bool FellAtLeast(const Decimal& previous, const Decimal& current, const Decimal& drop_pct);

struct HealthRule {
  Decimal drop_pct{15, 0};
  int consecutive = 2;  // ≥ 1
};

// The weeks (0-based) at which the rule fires; nullopt entries are missing weeks. Errors name
// drop_pct (0 < drop_pct ≤ 100), consecutive (1 to 52) or index/k (negative).
Result<std::vector<size_t>> HealthAlertWeeks(std::span<const std::optional<Decimal>> index,
                                             const HealthRule& rule);

// One component of a firm's or an ecosystem's weekly index: a score in parts per million
// (0 = worst, 1,000,000 = sound) and its integer weight.
struct HealthComponent {
  std::string_view name;
  int64_t score_ppm = 0;
  int64_t weight = 0;
};
// The weighted mean Σ wᵢsᵢ / Σ wᵢ in ppm, rounded half up: an exact integer, so that the 15% rule
// compares what was stored. Errors name components/k (score outside 0 … 10⁶, negative weight) or
// components (no positive weight).
Result<int64_t> HealthIndexPpm(std::span<const HealthComponent> components);

// The five components' scores of a firm's week (docs/early-warning.md, "The ecosystem health
// index"), each in ppm, exact (floored), or nullopt where the week gives nothing to score.
namespace health {
// The five components in their fixed order, with their default weights (they sum to 100).
enum Component : uint8_t { kOrder, kPayment, kCapacity, kInventory, kFinancing };
inline constexpr std::string_view kComponentNames[] = {"order", "payment", "capacity", "inventory",
                                                       "financing"};
inline constexpr int64_t kDefaultWeights[] = {25, 25, 20, 15, 15};
// Utilization at or above this scores 1 (basis points).
inline constexpr int64_t kFullUtilizationBps = 8'000;

// This week's new orders against the mean of the weeks before (baseline_sum over baseline_weeks),
// capped at 1; none without a baseline, or when both are zero.
std::optional<int64_t> OrderScore(int64_t orders_fen, int64_t baseline_sum_fen,
                                  int64_t baseline_weeks);
// Receivables collected over receivables due this week, capped at 1; none when nothing was due.
std::optional<int64_t> PaymentScore(int64_t collected_fen, int64_t due_fen);
// Utilization over kFullUtilizationBps, capped at 1 (capacity > 0).
int64_t CapacityScore(int64_t used_units, int64_t capacity_units);
// Stock against the stock the open orders need: min/max of the two, so short stock and hoarding
// both lower it; none when nothing is needed.
std::optional<int64_t> InventoryScore(int64_t inventory_units, int64_t need_units);
// 1 − overdue / outstanding principal on the platform's loans; none without an outstanding loan.
std::optional<int64_t> FinancingScore(int64_t overdue_fen, int64_t outstanding_fen);
}  // namespace health

}  // namespace corridor::risk::monitor
