#include "risk/monitor/telemetry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <utility>

#include "core/date.hpp"
#include "core/int128.hpp"

namespace corridor::risk::monitor {
namespace {

constexpr int64_t kE3 = 1'000;
constexpr int64_t kE6 = 1'000'000;
constexpr int64_t kMaxEnergyMwh = 10'000'000;  // a year of a 1 GW plant is 8.8 million MWh
constexpr int64_t kMaxPowerMw = 20'000;
constexpr int64_t kMaxFen = 1'000'000'000'000'000;
// Readings may be at most this far ahead of the platform's clock (meters' clocks drift).
constexpr int64_t kFutureSkewS = 300;
constexpr int64_t kEarliestS = 946'684'800;  // 2000-01-01T00:00:00Z

// The 20 core indicators (docs/early-warning.md gives each one's definition and source).
constexpr std::array<IndicatorSpec, kIndicatorCount> kIndicators = {{
    {"active_power_mw", "MW", "有功功率", 3, 0, kMaxPowerMw* kE3, Applies::kBoth, false},
    {"generation_mwh", "MWh", "发电量", 3, 0, kMaxEnergyMwh* kE3, Applies::kBoth, false},
    {"curtailed_mwh", "MWh", "弃电量", 3, 0, kMaxEnergyMwh* kE3, Applies::kBoth, false},
    {"curtailment_rate", "ratio", "弃电率", 6, 0, kE6, Applies::kBoth, false},
    {"equipment_utilization", "ratio", "设备利用率", 6, 0, kE6, Applies::kBoth, false},
    {"availability", "ratio", "可利用率", 6, 0, kE6, Applies::kBoth, false},
    {"capacity_factor", "ratio", "容量系数", 6, 0, kE6, Applies::kBoth, false},
    {"equivalent_hours", "h", "等效利用小时数", 2, 0, int64_t{8'784} * 100, Applies::kBoth, false},
    {"generation_vs_forecast", "ratio", "发电量预测完成率", 6, 0, 10 * kE6, Applies::kBoth, false},
    {"grid_connected", "flag", "并网状态", 0, 0, 1, Applies::kBoth, true},
    {"grid_frequency_hz", "Hz", "并网点频率", 3, 45 * kE3, 55 * kE3, Applies::kBoth, false},
    {"wind_speed_ms", "m/s", "轮毂高度风速", 2, 0, int64_t{80} * 100, Applies::kWind, false},
    {"irradiance_wm2", "W/m2", "辐照度", 1, 0, int64_t{1'500} * 10, Applies::kSolar, false},
    {"performance_ratio", "ratio", "系统效率(PR)", 6, 0, 3 * kE6 / 2, Applies::kSolar, false},
    {"fault_count", "count", "故障次数", 0, 0, 100'000, Applies::kBoth, true},
    {"om_cost_fen", "fen", "运维成本", 0, 0, kMaxFen, Applies::kBoth, true},
    {"revenue_collection_rate", "ratio", "电费回收率", 6, 0, 2 * kE6, Applies::kBoth, false},
    {"subsidy_receivable_age_days", "days", "补贴应收账龄", 0, 0, 7'300, Applies::kBoth, true},
    {"dscr", "ratio", "偿债备付率", 4, int64_t{-100} * 10'000, int64_t{100} * 10'000,
     Applies::kBoth, false},
    {"auxiliary_consumption_rate", "ratio", "厂用电率", 6, 0, kE6, Applies::kBoth, false},
}};

constexpr std::array<int64_t, 10> kPow10 = {
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000, 1'000'000'000};

bool Digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

// Days from 1970-01-01 to the civil date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146'097 + doe - 719'468;
}

bool Applicable(Applies applies, ProjectType type) {
  return applies == Applies::kBoth || (applies == Applies::kWind && type == ProjectType::kWind) ||
         (applies == Applies::kSolar && type == ProjectType::kSolar);
}

}  // namespace

std::string_view ProjectTypeName(ProjectType type) {
  return type == ProjectType::kWind ? "wind" : "solar";
}

std::optional<ProjectType> ParseProjectType(std::string_view name) {
  if (name == "wind") return ProjectType::kWind;
  if (name == "solar") return ProjectType::kSolar;
  return std::nullopt;
}

const std::array<IndicatorSpec, kIndicatorCount>& Indicators() { return kIndicators; }

std::optional<uint8_t> IndicatorIndex(std::string_view code) {
  for (size_t i = 0; i < kIndicators.size(); ++i) {
    if (kIndicators[i].code == code) return static_cast<uint8_t>(i);
  }
  return std::nullopt;
}

double ValueOf(uint8_t indicator, int64_t stored) {
  return static_cast<double>(stored) /
         static_cast<double>(kPow10[static_cast<size_t>(kIndicators[indicator].scale)]);
}

std::optional<int64_t> ParseRfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS then Z or ±HH:MM.
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (t.size() < 20 || !Digits(t, 0, 4, year) || t[4] != '-' || !Digits(t, 5, 2, month) ||
      t[7] != '-' || !Digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
      !Digits(t, 11, 2, hour) || t[13] != ':' || !Digits(t, 14, 2, minute) || t[16] != ':' ||
      !Digits(t, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  int64_t offset_s = 0;
  const std::string_view zone = t.substr(19);
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else {
    int oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2, oh) ||
        zone[3] != ':' || !Digits(zone, 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (zone[0] == '-' ? -1 : 1) * (int64_t{oh} * 3600 + int64_t{om} * 60);
  }
  return DaysFromCivil(year, month, day) * 86'400 + int64_t{hour} * 3600 + int64_t{minute} * 60 +
         second - offset_s;
}

std::string FormatRfc3339Utc(int64_t t_s) {
  const int64_t days = t_s >= 0 ? t_s / 86'400 : (t_s - 86'399) / 86'400;
  const int64_t secs = t_s - days * 86'400;
  const Date date = Date::FromDays(static_cast<int32_t>(days));
  return fmt::format("{}T{:02}:{:02}:{:02}Z", date.ToString(), secs / 3600, secs / 60 % 60,
                     secs % 60);
}

ReadingValidator::ReadingValidator(const Projects& projects, int64_t now_s)
    : projects_(projects), now_s_(now_s) {}

void ReadingValidator::Reserve(size_t rows) {
  size_t capacity = 16;
  while (capacity < 2 * rows) capacity *= 2;
  if (capacity > seen_.size()) seen_.assign(capacity, 0);  // refilled by the next FindOrInsert
}

const Reading* ReadingValidator::FindOrInsert(const Reading& reading, ValidatedBatch& batch,
                                              bool& fresh) {
  const size_t count = batch.readings.size();
  if (2 * (count + 1) > seen_.size()) {
    Reserve(std::max<size_t>(count + 1, seen_.size()));
    // Put back every reading of the batch (they are all distinct).
    for (size_t k = 0; k < count; ++k) {
      const Reading& r = batch.readings[k];
      const size_t mask = seen_.size() - 1;
      for (size_t i = KeyHash()({(uint64_t{r.project} << 8) | r.indicator, r.t_s}) & mask;;
           i = (i + 1) & mask) {
        if (seen_[i] == 0) {
          seen_[i] = static_cast<uint32_t>(k + 1);
          break;
        }
      }
    }
  }
  const size_t mask = seen_.size() - 1;
  for (size_t i =
           KeyHash()({(uint64_t{reading.project} << 8) | reading.indicator, reading.t_s}) & mask;
       ; i = (i + 1) & mask) {
    if (seen_[i] == 0) {
      seen_[i] = static_cast<uint32_t>(count + 1);
      batch.readings.push_back(reading);
      fresh = true;
      return &batch.readings.back();
    }
    const Reading& other = batch.readings[seen_[i] - 1];
    if (other.project == reading.project && other.indicator == reading.indicator &&
        other.t_s == reading.t_s) {
      fresh = false;
      return &other;
    }
  }
}

std::optional<int64_t> ReadingValidator::StoredValue(const IndicatorSpec& spec,
                                                     std::string_view text,
                                                     std::string& reason) const {
  // An exact decimal with an optional sign, scaled to the indicator's resolution.
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  Int128 whole = 0;
  int64_t fraction = 0;
  int fraction_digits = 0;
  bool beyond_nonzero = false, round_up = false, any = false, point = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '.' && !point) {
      point = true;
      continue;
    }
    if (ch < '0' || ch > '9') break;
    any = true;
    const int d = ch - '0';
    if (!point) {
      whole = whole * 10 + d;
      if (whole > kMaxFen) {
        reason = "is out of range";
        return std::nullopt;
      }
    } else if (fraction_digits < spec.scale) {
      fraction = fraction * 10 + d;
      ++fraction_digits;
    } else {
      // The first digit beyond the resolution decides (half away from zero).
      if (fraction_digits == spec.scale) round_up = d >= 5;
      if (d != 0) beyond_nonzero = true;
      ++fraction_digits;
    }
  }
  if (!any || i != text.size()) {
    reason = "must be a decimal number";
    return std::nullopt;
  }
  if (beyond_nonzero && spec.exact) {
    reason = spec.scale == 0 ? fmt::format("must be a whole number of {}", spec.unit)
                             : fmt::format("has more than {} decimals", spec.scale);
    return std::nullopt;
  }
  const int kept = std::min(fraction_digits, spec.scale);
  Int128 stored = whole * kPow10[static_cast<size_t>(spec.scale)] +
                  static_cast<Int128>(fraction) * kPow10[static_cast<size_t>(spec.scale - kept)];
  if (round_up) stored += 1;
  if (negative) stored = -stored;
  if (stored < spec.min_stored || stored > spec.max_stored) {
    const double scale = static_cast<double>(kPow10[static_cast<size_t>(spec.scale)]);
    reason = fmt::format("must be from {} to {} {}", static_cast<double>(spec.min_stored) / scale,
                         static_cast<double>(spec.max_stored) / scale, spec.unit);
    return std::nullopt;
  }
  return static_cast<int64_t>(stored);
}

void ReadingValidator::Add(const RawReading& row, size_t row_number, ValidatedBatch& batch) {
  const auto refuse = [&](std::string field, std::string reason) {
    batch.refused.push_back({row_number, std::move(field), std::move(reason)});
  };
  const auto project = projects_.find(std::string(row.project));
  if (project == projects_.end()) {
    refuse("project", row.project.empty() ? "is required" : "is not a monitored project");
    return;
  }
  const auto indicator = IndicatorIndex(row.indicator);
  if (!indicator) {
    refuse("indicator", row.indicator.empty() ? "is required" : "is not one of the 20 indicators");
    return;
  }
  const IndicatorSpec& spec = kIndicators[*indicator];
  if (!Applicable(spec.applies, project->second.type)) {
    refuse("indicator",
           fmt::format("does not apply to a {} project", ProjectTypeName(project->second.type)));
    return;
  }
  if (!row.unit.empty() && row.unit != spec.unit) {
    refuse("unit", fmt::format("must be {} for {}", spec.unit, spec.code));
    return;
  }
  const auto t_s = ParseRfc3339(row.time);
  if (!t_s) {
    refuse("time",
           "must be an RFC 3339 time with seconds and a zone, e.g. 2026-03-01T08:00:00+08:00");
    return;
  }
  if (*t_s < kEarliestS) {
    refuse("time", "must not be before 2000");
    return;
  }
  if (*t_s > now_s_ + kFutureSkewS) {
    refuse("time", "is more than five minutes ahead of the platform's clock");
    return;
  }
  std::string reason;
  const auto value = StoredValue(spec, row.value, reason);
  if (!value) {
    refuse("value", std::move(reason));
    return;
  }
  if (*indicator == kActivePower && project->second.capacity_kw > 0 &&
      static_cast<Int128>(*value) * 10 > static_cast<Int128>(project->second.capacity_kw) * 11) {
    // value is in kW (MW to 3 decimals); at most 110% of the installed capacity.
    refuse("value", fmt::format("is above 110% of the project's {} kW capacity",
                                project->second.capacity_kw));
    return;
  }
  bool fresh = false;
  const Reading* first = FindOrInsert({project->second.id, *indicator, *t_s, *value}, batch, fresh);
  if (!fresh) {
    const size_t first_row = batch.rows[static_cast<size_t>(first - batch.readings.data())];
    refuse("", first->value == *value ? fmt::format("duplicate of row {}", first_row)
                                      : fmt::format("conflicts with row {}", first_row));
    return;
  }
  batch.rows.push_back(row_number);
}

size_t DeriveCurtailmentRates(ValidatedBatch& batch) {
  struct Energies {
    std::optional<int64_t> generated, curtailed;
    bool has_rate = false;
    size_t row = 0;
  };
  std::unordered_map<std::pair<uint64_t, int64_t>, Energies, ReadingValidator::KeyHash> by_time;
  std::vector<std::pair<uint64_t, int64_t>> order;  // first seen first: the output is deterministic
  for (size_t i = 0; i < batch.readings.size(); ++i) {
    const Reading& r = batch.readings[i];
    if (r.indicator != kGeneration && r.indicator != kCurtailed &&
        r.indicator != kCurtailmentRate) {
      continue;
    }
    const std::pair<uint64_t, int64_t> key{r.project, r.t_s};
    const auto [it, fresh] = by_time.try_emplace(key);
    if (fresh) order.push_back(key);
    Energies& e = it->second;
    if (r.indicator == kGeneration) e.generated = r.value;
    if (r.indicator == kCurtailed) e.curtailed = r.value;
    if (r.indicator == kCurtailmentRate) e.has_rate = true;
    e.row = batch.rows[i];
  }
  size_t added = 0;
  for (const auto& key : order) {
    const Energies& e = by_time.at(key);
    if (e.has_rate || !e.generated || !e.curtailed) continue;
    const Int128 total = static_cast<Int128>(*e.generated) + *e.curtailed;
    if (total == 0) continue;
    const Int128 rate = (static_cast<Int128>(*e.curtailed) * kE6 * 2 + total) / (2 * total);
    batch.readings.push_back({static_cast<uint32_t>(key.first), kCurtailmentRate, key.second,
                              static_cast<int64_t>(rate)});
    batch.rows.push_back(e.row);
    ++added;
  }
  return added;
}

Status ReadTelemetryCsv(std::string_view text, size_t max_rows,
                        const std::function<void(size_t line, const RawReading& row)>& each) {
  size_t pos = 0, line = 1, rows = 0;
  std::deque<std::string> unescaped;  // the quoted fields with "" of the current record (stable)
  // Reads one record's fields; false at the end of the text. A quoted field may span lines.
  std::vector<std::string_view> fields;
  std::string problem;
  const auto next_record = [&]() -> bool {
    fields.clear();
    unescaped.clear();
    if (pos >= text.size()) return false;
    while (true) {
      if (pos < text.size() && text[pos] == '"') {
        const size_t start = ++pos;
        bool escaped = false;
        while (true) {
          const size_t q = text.find('"', pos);
          if (q == std::string_view::npos) {
            problem = "a quoted field is not closed";
            return false;
          }
          if (q + 1 < text.size() && text[q + 1] == '"') {
            escaped = true;
            pos = q + 2;
            continue;
          }
          std::string_view raw = text.substr(start, q - start);
          for (char ch : raw) line += ch == '\n' ? 1 : 0;
          if (escaped) {
            std::string& owned = unescaped.emplace_back();
            for (size_t k = 0; k < raw.size(); ++k) {
              owned.push_back(raw[k]);
              if (raw[k] == '"') ++k;
            }
            raw = owned;
          }
          fields.push_back(raw);
          pos = q + 1;
          break;
        }
      } else {
        size_t stop = pos;
        while (stop < text.size() && text[stop] != ',' && text[stop] != '\n' &&
               text[stop] != '\r') {
          ++stop;
        }
        fields.push_back(text.substr(pos, stop - pos));
        pos = stop;
      }
      if (pos >= text.size()) return true;
      if (text[pos] == ',') {
        ++pos;
        continue;
      }
      if (text[pos] == '\r') ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      return true;
    }
  };
  const auto fail = [&](size_t at, std::string what) {
    return Fail(Error::Invalid("/csv", fmt::format("line {}: {}", at, what)));
  };
  size_t header_line = line;
  if (!next_record()) return fail(header_line, problem.empty() ? "no header row" : problem);
  int col_project = -1, col_indicator = -1, col_time = -1, col_value = -1, col_unit = -1;
  for (size_t c = 0; c < fields.size(); ++c) {
    const std::string_view name = fields[c];
    int* slot = name == "project"     ? &col_project
                : name == "indicator" ? &col_indicator
                : name == "time"      ? &col_time
                : name == "value"     ? &col_value
                : name == "unit"      ? &col_unit
                                      : nullptr;
    if (slot == nullptr) return fail(header_line, fmt::format("unknown column '{}'", name));
    if (*slot >= 0) return fail(header_line, fmt::format("column '{}' twice", name));
    *slot = static_cast<int>(c);
  }
  for (auto [col, name] : {std::pair{col_project, "project"}, std::pair{col_indicator, "indicator"},
                           std::pair{col_time, "time"}, std::pair{col_value, "value"}}) {
    if (col < 0) return fail(header_line, fmt::format("no '{}' column", name));
  }
  const size_t width = fields.size();
  while (true) {
    const size_t record_line = line;
    if (!next_record()) {
      if (!problem.empty()) return fail(record_line, problem);
      break;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (fields.size() != width) {
      return fail(record_line,
                  fmt::format("{} fields where the header has {}", fields.size(), width));
    }
    if (rows == max_rows) {
      return fail(record_line, fmt::format("more than {} rows; split the upload", max_rows));
    }
    const auto at = [&](int col) {
      return col < 0 ? std::string_view() : fields[static_cast<size_t>(col)];
    };
    ++rows;
    each(record_line,
         RawReading{at(col_project), at(col_indicator), at(col_time), at(col_value), at(col_unit)});
  }
  return {};
}

}  // namespace corridor::risk::monitor
