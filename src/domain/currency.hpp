#pragma once
// Amounts in any ISO 4217 currency, held in the currency's own minor unit (fen for CNY, cents for
// USD, yen for JPY, fils for KWD), and their conversion by a dated table of rates. Rates are exact
// decimals ("7.1186"), never binary floating point; a conversion is rounded once, half away from
// zero, to the target's minor unit. Pure; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace corridor::domain {

// The number of decimals of a currency's minor unit (ISO 4217): CNY 2, JPY 0, KWD 3, ...; none for
// a code this table does not hold.
std::optional<int> MinorUnitDigits(std::string_view currency);

// An exact positive decimal rate: value = mantissa / 10^scale.
struct DecimalRate {
  int64_t mantissa = 0;
  int scale = 0;
  std::string ToString() const;
};
// Parses "7.1186" (at most 18 significant digits and 12 decimals, positive).
Result<DecimalRate> ParseDecimalRate(std::string_view text, std::string_view field);

// One row of the table: on `date`, one unit of `from` is `rate` units of `to` (major units), as
// `source` published it.
struct FxRate {
  Date date;
  std::string from;
  std::string to;
  DecimalRate rate;
  std::string source;
};

struct Conversion {
  int64_t amount_minor = 0;  // in the target's minor unit
  std::string currency;
  const FxRate* used = nullptr;  // the row applied; none when from == to
  bool inverted = false;         // the row quoted the pair the other way round
  int from_digits = 0, to_digits = 0;
};

// Converts `amount_minor` of `from` into `to` at the latest rate of the pair dated on or before
// `date` (the row for from→to, or else the row for to→from, divided). Errors name /currency, /to
// (unknown code) or /rates (no rate for the pair on or before the date).
Result<Conversion> Convert(int64_t amount_minor, std::string_view from, std::string_view to,
                           Date date, const std::vector<FxRate>& rates);

}  // namespace corridor::domain
