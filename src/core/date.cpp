#include "core/date.hpp"

#include <fmt/format.h>

namespace corridor {
namespace {

struct Ymd {
  int year;
  int month;
  int day;
};

// Days from 1970-01-01 for a civil date: count whole 400-year eras of 146097 days, with the year
// starting on 1 March so that the leap day falls at the end.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                   // [0, 399]
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1900 || year > 9999) return Fail(Error::Invalid("", "year out of range 1900-9999"));
  if (month < 1 || month > 12) return Fail(Error::Invalid("", "month out of range"));
  if (day < 1 || day > DaysInMonth(year, month)) return Fail(Error::Invalid("", "no such day"));
  return Date(DaysFromCivil(year, month, day));
}

Result<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return Fail(Error::Invalid("", "expected a date as YYYY-MM-DD"));
  }
  auto number = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 0 || m < 0 || d < 0) return Fail(Error::Invalid("", "expected a date as YYYY-MM-DD"));
  return FromYmd(y, m, d);
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

Date Date::AddMonths(int months) const {
  const Ymd ymd = CivilFromDays(days_);
  const int total = ymd.year * 12 + (ymd.month - 1) + months;
  const int y = total / 12;
  const int m = total % 12 + 1;
  const int d = std::min(ymd.day, DaysInMonth(y, m));
  return Date(DaysFromCivil(y, m, d));
}

std::string Date::ToString() const {
  const Ymd ymd = CivilFromDays(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", ymd.year, ymd.month, ymd.day);
}

}  // namespace corridor
