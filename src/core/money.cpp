#include "core/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/check.hpp"

namespace corridor {
namespace {

Result<Money> FromWide(Int128 fen) {
  if (fen > std::numeric_limits<int64_t>::max() || fen < std::numeric_limits<int64_t>::min()) {
    return Fail(Error::Invalid("", "amount out of range"));
  }
  return Money::FromFen(static_cast<int64_t>(fen));
}

std::string Group(uint64_t whole) {
  const std::string digits = std::to_string(whole);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

Int128 DivRoundHalfAway(Int128 numerator, Int128 denominator) {
  CORRIDOR_CHECK(denominator > 0);
  const bool negative = numerator < 0;
  const Int128 magnitude = negative ? -numerator : numerator;
  const Int128 q = (magnitude + denominator / 2) / denominator;
  // For odd denominators, adding d/2 (floored) still rounds exact halves correctly because an
  // exact half cannot occur; for even ones, d/2 is exact.
  return negative ? -q : q;
}

Result<Money> Money::FromYuan(int64_t yuan) { return FromWide(static_cast<Int128>(yuan) * 100); }

Result<Money> Money::Parse(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  constexpr std::string_view kYuanSign = "\xC2\xA5";  // U+00A5
  if (s.starts_with(kYuanSign)) s.remove_prefix(kYuanSign.size());
  if (s.empty()) return Fail(Error::Invalid("", "empty amount"));
  Int128 whole = 0;
  int decimals = -1;
  int64_t frac = 0;
  bool any_digit = false;
  for (char c : s) {
    if (c == ',' && decimals < 0) continue;
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return Fail(Error::Invalid("", "not a decimal amount"));
    any_digit = true;
    if (decimals >= 0) {
      if (++decimals > 2) return Fail(Error::Invalid("", "more than two decimals (fen)"));
      frac = frac * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
      if (whole > std::numeric_limits<int64_t>::max()) {
        return Fail(Error::Invalid("", "amount out of range"));
      }
    }
  }
  if (!any_digit) return Fail(Error::Invalid("", "not a decimal amount"));
  if (decimals == 1) frac *= 10;
  const Int128 fen = whole * 100 + frac;
  return FromWide(negative ? -fen : fen);
}

Result<Money> Money::Plus(Money other) const {
  return FromWide(static_cast<Int128>(fen_) + other.fen_);
}
Result<Money> Money::Minus(Money other) const {
  return FromWide(static_cast<Int128>(fen_) - other.fen_);
}
Result<Money> Money::Times(int64_t factor) const {
  return FromWide(static_cast<Int128>(fen_) * factor);
}
Result<Money> Money::MulDiv(int64_t numerator, int64_t denominator) const {
  if (denominator <= 0) return Fail(Error::Invalid("", "denominator must be positive"));
  return FromWide(DivRoundHalfAway(static_cast<Int128>(fen_) * numerator, denominator));
}

std::string Money::FormatPlain() const {
  const bool negative = fen_ < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(fen_) : static_cast<uint64_t>(fen_);
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string Money::FormatYuan() const {
  const bool negative = fen_ < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(fen_) : static_cast<uint64_t>(fen_);
  return fmt::format("{}\xC2\xA5{}.{:02d}", negative ? "-" : "", Group(magnitude / 100),
                     magnitude % 100);
}

Result<std::vector<int64_t>> SplitLargestRemainder(int64_t amount,
                                                   const std::vector<int64_t>& weights) {
  if (amount < 0) return Fail(Error::Invalid("/amount_fen", "must not be negative"));
  Int128 total = 0;
  for (const int64_t w : weights) {
    if (w < 0) return Fail(Error::Invalid("/weights", "must not be negative"));
    total += w;
  }
  if (total <= 0) return Fail(Error::Invalid("/weights", "must not all be zero"));
  std::vector<int64_t> parts(weights.size());
  std::vector<std::pair<Int128, size_t>> remainders;
  remainders.reserve(weights.size());
  int64_t given = 0;
  for (size_t k = 0; k < weights.size(); ++k) {
    const Int128 product = static_cast<Int128>(amount) * weights[k];
    parts[k] = static_cast<int64_t>(product / total);
    given += parts[k];
    remainders.emplace_back(product % total, k);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (int64_t left = amount - given, k = 0; left > 0; --left, ++k) {
    parts[remainders[static_cast<size_t>(k)].second] += 1;
  }
  return parts;
}

}  // namespace corridor
