#pragma once
// Date: a proleptic Gregorian calendar day, held as days since 1970-01-01. Value type.
// Month arithmetic clamps to the end of the month (2024-01-31 + 1 month = 2024-02-29), the
// convention Chinese banks use for monthly due dates.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace corridor {

class Date {
 public:
  constexpr Date() = default;
  static Result<Date> FromYmd(int year, int month, int day);
  // Strict "YYYY-MM-DD".
  static Result<Date> Parse(std::string_view text);
  static constexpr Date FromDays(int32_t days_since_epoch) { return Date(days_since_epoch); }

  constexpr int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;
  int day() const;

  Date AddDays(int32_t days) const { return Date(days_ + days); }
  Date AddMonths(int months) const;
  std::string ToString() const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace corridor
