#include "domain/currency.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "core/int128.hpp"
#include "core/money.hpp"

namespace corridor::domain {
namespace {

// ISO 4217 minor units of the currencies the platform's cross-border business meets (the Belt and
// Road neighbours of Inner Mongolia among them), from the ISO 4217 list maintained by SIX.
constexpr std::array<std::pair<std::string_view, int>, 40> kMinorUnits = {{
    {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2},
    {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2}, {"INR", 2},
    {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"KZT", 2}, {"LYD", 3},
    {"MNT", 2}, {"MOP", 2}, {"MYR", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PLN", 2}, {"RUB", 2},
    {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"USD", 2}, {"VND", 0},
}};

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<int> MinorUnitDigits(std::string_view currency) {
  for (const auto& [code, digits] : kMinorUnits) {
    if (code == currency) return digits;
  }
  return std::nullopt;
}

std::string DecimalRate::ToString() const {
  std::string digits = std::to_string(mantissa);
  if (scale == 0) return digits;
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<size_t>(scale + 1) - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  return digits;
}

Result<DecimalRate> ParseDecimalRate(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Fail(Error::Invalid(std::string(field),
                               "must be a positive decimal such as \"7.1186\" (at most 18 digits, "
                               "12 after the point)"));
  };
  DecimalRate r;
  bool point = false;
  int digits = 0;
  for (char ch : text) {
    if (ch == '.') {
      if (point) return bad();
      point = true;
      continue;
    }
    if (ch < '0' || ch > '9') return bad();
    if (++digits > 18) return bad();
    r.mantissa = r.mantissa * 10 + (ch - '0');
    if (point) ++r.scale;
  }
  if (digits == 0 || r.scale > 12 || r.mantissa == 0 || text.back() == '.') return bad();
  return r;
}

Result<Conversion> Convert(int64_t amount_minor, std::string_view from, std::string_view to,
                           Date date, const std::vector<FxRate>& rates) {
  constexpr int64_t kMaxMinor = 10'000'000'000'000'000;  // 10^16: the products below fit 128 bits
  if (amount_minor < -kMaxMinor || amount_minor > kMaxMinor) {
    return Fail(Error::Invalid("/amount_minor", "must be within ±10^16 minor units"));
  }
  const auto from_digits = MinorUnitDigits(from);
  if (!from_digits) {
    return Fail(
        Error::Invalid("/currency", fmt::format("{} is not an ISO 4217 code held here", from)));
  }
  const auto to_digits = MinorUnitDigits(to);
  if (!to_digits) {
    return Fail(Error::Invalid("/to", fmt::format("{} is not an ISO 4217 code held here", to)));
  }
  Conversion c;
  c.currency = std::string(to);
  c.from_digits = *from_digits;
  c.to_digits = *to_digits;
  if (from == to) {
    c.amount_minor = amount_minor;
    return c;
  }
  const FxRate* best = nullptr;
  bool inverted = false;
  for (const FxRate& r : rates) {
    if (r.date > date) continue;
    const bool direct = r.from == from && r.to == to;
    const bool reverse = r.from == to && r.to == from;
    if (!direct && !reverse) continue;
    // The latest date wins; on the same date the direct quote wins.
    if (best == nullptr || r.date > best->date || (r.date == best->date && direct && inverted)) {
      best = &r;
      inverted = reverse;
    }
  }
  if (best == nullptr) {
    return Fail(Error::Invalid(
        "/rates", fmt::format("no {}/{} rate on or before {}", from, to, date.ToString())));
  }
  // target_minor = amount_minor / 10^fd × rate × 10^td, rate = m / 10^s (or its inverse).
  const Int128 m = best->rate.mantissa;
  const Int128 s = Pow10(best->rate.scale);
  Int128 num = static_cast<Int128>(amount_minor) * Pow10(*to_digits);
  Int128 den = Pow10(*from_digits);
  if (inverted) {
    num *= s;
    den *= m;
  } else {
    num *= m;
    den *= s;
  }
  const Int128 out = DivRoundHalfAway(num, den);
  if (out > INT64_MAX || out < INT64_MIN) {
    return Fail(Error::Invalid("/amount_minor", "the converted amount is out of range"));
  }
  c.amount_minor = static_cast<int64_t>(out);
  c.used = best;
  c.inverted = inverted;
  return c;
}

}  // namespace corridor::domain
