#pragma once
// Money: an amount of Chinese yuan held as a signed 64-bit count of fen (0.01 yuan).
// No binary floating point touches a balance. Arithmetic that could overflow is checked and
// returns a Result; ratios (rates, shares) are applied with explicit half-up rounding to the fen.
// Value type; thread-compatible.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/int128.hpp"
#include "core/result.hpp"

namespace corridor {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromFen(int64_t fen) { return Money(fen); }
  // Whole yuan; checked, since yuan * 100 can overflow.
  static Result<Money> FromYuan(int64_t yuan);
  // Parses "1234.5", "-0.01", "4,228,000,000.00" or "¥12.30"; at most two decimals.
  static Result<Money> Parse(std::string_view text);

  constexpr int64_t fen() const { return fen_; }
  constexpr bool IsZero() const { return fen_ == 0; }
  constexpr bool IsNegative() const { return fen_ < 0; }

  Result<Money> Plus(Money other) const;
  Result<Money> Minus(Money other) const;
  Result<Money> Times(int64_t factor) const;
  // this * numerator / denominator, rounded half away from zero to the fen. Exact: computed in
  // 128-bit integers. denominator must be positive.
  Result<Money> MulDiv(int64_t numerator, int64_t denominator) const;
  // this * bps / 10000, rounded half away from zero.
  Result<Money> ApplyBps(int64_t bps) const { return MulDiv(bps, 10000); }

  // "¥4,228,000,000.00"; negative amounts as "-¥1.50".
  std::string FormatYuan() const;
  // "4228000000.00": plain decimal yuan without grouping or symbol.
  std::string FormatPlain() const;

  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

// Rounds numerator / denominator half away from zero. denominator > 0.
Int128 DivRoundHalfAway(Int128 numerator, Int128 denominator);

// Splits `amount` (fen, or any indivisible unit) by non-negative integer weights with the largest
// remainder method (Hamilton's method): part k is ⌊amount·wₖ/W⌋, and the units left over go one
// each to the largest remainders, ties to the earlier weight. The parts always sum to `amount`.
// Exact (128-bit products). Errors name /amount_fen (negative) or /weights (negative, all zero).
Result<std::vector<int64_t>> SplitLargestRemainder(int64_t amount,
                                                   const std::vector<int64_t>& weights);

}  // namespace corridor
