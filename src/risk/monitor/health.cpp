#include "risk/monitor/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>

#include "core/int128.hpp"

namespace corridor::risk::monitor {
namespace {

using BigInt = boost::multiprecision::cpp_int;

constexpr int kMaxExponent = 400;
constexpr int kMaxDigits = 18;

BigInt Pow10(int n) {
  BigInt p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// A term digits × 10^exponent as an integer on the common scale 10^floor.
BigInt Scaled(const BigInt& digits, int exponent, int floor) {
  return digits * Pow10(exponent - floor);
}

}  // namespace

std::string Decimal::ToString() const {
  std::string text = std::to_string(digits < 0 ? -digits : digits);  // |digits| < 10¹⁸
  if (exponent >= 0) {
    if (digits != 0) text.append(static_cast<size_t>(exponent), '0');
  } else {
    const auto places = static_cast<size_t>(-exponent);
    if (text.size() <= places) text.insert(0, places - text.size() + 1, '0');
    text.insert(text.size() - places, ".");
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return digits < 0 ? "-" + text : text;
}

Result<Decimal> ParseDecimal(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Fail(Error::Invalid(std::string(field),
                               "must be a decimal number such as 0.51 (at most 18 digits)"));
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int64_t digits = 0;
  int significant = 0, exponent = 0, seen = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '.' && !point) {
      point = true;
      continue;
    }
    if (ch < '0' || ch > '9') break;
    ++seen;
    if (digits == 0 && ch == '0') {  // a leading zero
      if (point) --exponent;
      continue;
    }
    if (++significant > kMaxDigits) return bad();
    digits = digits * 10 + (ch - '0');
    if (point) --exponent;
  }
  if (seen == 0) return bad();
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    int e = 0, exp_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++exp_digits) {
      e = e * 10 + (text[i] - '0');
      if (e > kMaxExponent) return bad();
    }
    if (exp_digits == 0) return bad();
    exponent += exp_negative ? -e : e;
  }
  if (i != text.size()) return bad();
  if (digits == 0) return Decimal{0, 0};
  while (digits % 10 == 0) {
    digits /= 10;
    ++exponent;
  }
  if (std::abs(exponent) > kMaxExponent) return bad();
  return Decimal{negative ? -digits : digits, exponent};
}

Decimal DecimalOfDouble(double x) {
  // fmt writes the shortest representation that reads back as x (Ryu-like), e.g. "0.51", "1e-05".
  auto parsed = ParseDecimal(fmt::format("{}", x), "value");
  return parsed ? *parsed : Decimal{};
}

int Compare(const Decimal& a, const Decimal& b) {
  const int floor = std::min(a.exponent, b.exponent);
  const BigInt x = Scaled(a.digits, a.exponent, floor);
  const BigInt y = Scaled(b.digits, b.exponent, floor);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool FellAtLeast(const Decimal& previous, const Decimal& current, const Decimal& drop_pct) {
  if (previous.digits <= 0) return false;
  // (p − c)·100 − d·p ≥ 0, every term on the scale of the smallest exponent.
  const int dp_exponent = drop_pct.exponent + previous.exponent;
  const int floor = std::min({previous.exponent, current.exponent, dp_exponent});
  const BigInt p = Scaled(previous.digits, previous.exponent, floor);
  const BigInt c = Scaled(current.digits, current.exponent, floor);
  const BigInt dp = Scaled(BigInt(drop_pct.digits) * BigInt(previous.digits), dp_exponent, floor);
  return (p - c) * 100 >= dp;
}

Result<std::vector<size_t>> HealthAlertWeeks(std::span<const std::optional<Decimal>> index,
                                             const HealthRule& rule) {
  std::vector<FieldError> problems;
  if (rule.drop_pct.digits <= 0 || Compare(rule.drop_pct, Decimal{100, 0}) > 0) {
    problems.push_back({"/drop_pct", "must be greater than 0 and at most 100"});
  }
  if (rule.consecutive < 1 || rule.consecutive > 52) {
    problems.push_back({"/consecutive", "must be from 1 to 52"});
  }
  for (size_t t = 0; t < index.size(); ++t) {
    if (index[t] && index[t]->digits < 0) {
      problems.push_back({fmt::format("/index/{}", t), "must not be negative"});
    }
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  std::vector<size_t> weeks;
  int run = 0;
  for (size_t t = 1; t < index.size(); ++t) {
    const bool fell =
        index[t] && index[t - 1] && FellAtLeast(*index[t - 1], *index[t], rule.drop_pct);
    run = fell ? run + 1 : 0;
    if (run >= rule.consecutive) weeks.push_back(t);
  }
  return weeks;
}

Result<int64_t> HealthIndexPpm(std::span<const HealthComponent> components) {
  constexpr int64_t kOne = 1'000'000;
  constexpr int64_t kMaxWeight = 1'000'000;
  std::vector<FieldError> problems;
  Int128 weighted = 0;
  int64_t total_weight = 0;
  for (size_t k = 0; k < components.size(); ++k) {
    const auto& c = components[k];
    if (c.score_ppm < 0 || c.score_ppm > kOne) {
      problems.push_back({fmt::format("/components/{}/score_ppm", k), "must be 0 to 1000000"});
    }
    if (c.weight < 0 || c.weight > kMaxWeight) {
      problems.push_back({fmt::format("/components/{}/weight", k), "must be 0 to 1000000"});
    }
    if (!problems.empty()) continue;
    weighted += static_cast<Int128>(c.weight) * c.score_ppm;
    total_weight += c.weight;
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  if (total_weight <= 0) {
    return Fail(Error::Invalid("/components", "must hold a component of positive weight"));
  }
  return static_cast<int64_t>((2 * weighted + total_weight) / (Int128{2} * total_weight));
}

namespace health {
namespace {

constexpr int64_t kOne = 1'000'000;

// min(1, num / den) in ppm, floored (num ≥ 0, den > 0).
int64_t CappedRatio(Int128 num, Int128 den) {
  const Int128 ppm = num * kOne / den;
  return ppm >= kOne ? kOne : static_cast<int64_t>(ppm);
}

}  // namespace

std::optional<int64_t> OrderScore(int64_t orders_fen, int64_t baseline_sum_fen,
                                  int64_t baseline_weeks) {
  if (baseline_weeks <= 0) return std::nullopt;
  if (baseline_sum_fen <= 0) {
    return orders_fen > 0 ? std::optional<int64_t>(kOne) : std::nullopt;
  }
  // orders / (sum / weeks) = orders · weeks / sum
  return CappedRatio(Int128{orders_fen} * baseline_weeks, baseline_sum_fen);
}

std::optional<int64_t> PaymentScore(int64_t collected_fen, int64_t due_fen) {
  if (due_fen <= 0) return std::nullopt;
  return CappedRatio(collected_fen, due_fen);
}

int64_t CapacityScore(int64_t used_units, int64_t capacity_units) {
  // (used / capacity) / (bps / 10⁴)
  return CappedRatio(Int128{used_units} * 10'000, Int128{capacity_units} * kFullUtilizationBps);
}

std::optional<int64_t> InventoryScore(int64_t inventory_units, int64_t need_units) {
  if (need_units <= 0) return std::nullopt;
  if (inventory_units <= 0) return 0;
  return CappedRatio(std::min(inventory_units, need_units), std::max(inventory_units, need_units));
}

std::optional<int64_t> FinancingScore(int64_t overdue_fen, int64_t outstanding_fen) {
  if (outstanding_fen <= 0) return std::nullopt;
  const int64_t sound = std::max<int64_t>(outstanding_fen - overdue_fen, 0);
  return CappedRatio(sound, outstanding_fen);
}

}  // namespace health

}  // namespace corridor::risk::monitor
