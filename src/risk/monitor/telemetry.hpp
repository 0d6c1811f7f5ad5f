#pragma once
// Telemetry of the wind and solar projects financed on the platform: the 20 core indicators
// (seed 000 §三(三); defined in docs/early-warning.md), and the validation of readings that arrive
// by HTTP batch or CSV upload. Pure; a ReadingValidator is used by one thread at a time.
//
// A reading is (project, indicator, time, value). Values are kept as integers in the indicator's
// resolution (value × 10^scale: a ratio to 10⁻⁶, energy to the kWh, money in whole fen), so that
// storage is compact and exact; a measurement given with more decimals is rounded half away from
// zero to its resolution, while money and counts with a fraction are refused. Times are whole
// seconds since the Unix epoch (UTC), written in RFC 3339 ("2026-03-01T08:00:00+08:00").
//
// Each bad row is refused with its row and the reason, naming the field; the good rows of the same
// batch are kept:
//   unknown project; unknown indicator, or one that does not apply to the project's type (wind
//   speed of a solar plant); a unit that is not the indicator's; a time that is not RFC 3339,
//   before 2000, or more than five minutes ahead of the platform's clock; a value that is not a
//   number, outside the indicator's range, or above 110% of the project's capacity (active power);
//   a second reading of the same project, indicator and time in the batch (an exact repeat says
//   "duplicate of row n", a different value "conflicts with row n").
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::monitor {

enum class ProjectType : uint8_t { kWind, kSolar };
std::string_view ProjectTypeName(ProjectType type);  // "wind", "solar"
std::optional<ProjectType> ParseProjectType(std::string_view name);

enum class Applies : uint8_t { kBoth, kWind, kSolar };

struct IndicatorSpec {
  std::string_view code;     // "curtailment_rate"
  std::string_view unit;     // "ratio", "MWh", "MW", "h", "Hz", "m/s", "W/m2", "fen", "days", ...
  std::string_view name_zh;  // 弃电率
  int scale = 0;             // stored value = value × 10^scale
  int64_t min_stored = 0;    // the valid range, in stored units, inclusive
  int64_t max_stored = 0;
  Applies applies = Applies::kBoth;
  bool exact = false;  // money, counts and flags: a fraction beyond the scale is refused
};

inline constexpr int kIndicatorCount = 20;
const std::array<IndicatorSpec, kIndicatorCount>& Indicators();
// The indicator's index in Indicators(), or none.
std::optional<uint8_t> IndicatorIndex(std::string_view code);
// Indices of the indicators the detectors and views use by name.
inline constexpr uint8_t kActivePower = 0;
inline constexpr uint8_t kGeneration = 1;
inline constexpr uint8_t kCurtailed = 2;
inline constexpr uint8_t kCurtailmentRate = 3;
inline constexpr uint8_t kEquipmentUtilization = 4;

// A stored value back in the indicator's unit, for the detectors.
double ValueOf(uint8_t indicator, int64_t stored);

struct Reading {
  uint32_t project = 0;
  uint8_t indicator = 0;
  int64_t t_s = 0;    // Unix seconds, UTC
  int64_t value = 0;  // stored units (IndicatorSpec::scale)
};

struct ProjectInfo {
  uint32_t id = 0;
  ProjectType type = ProjectType::kWind;
  int64_t capacity_kw = 0;  // installed capacity; 0 when unknown (no capacity check)
};

// One row as text, the way both the CSV reader and the JSON batch give it. `unit` may be empty.
struct RawReading {
  std::string_view project;
  std::string_view indicator;
  std::string_view time;
  std::string_view value;
  std::string_view unit;
};

struct RowProblem {
  size_t row = 0;     // the caller's row number (CSV: the file's line; JSON: the array index)
  std::string field;  // "project", "indicator", "time", "value", "unit", or "" for the whole row
  std::string reason;
};

struct ValidatedBatch {
  std::vector<Reading> readings;  // the good rows, in input order
  std::vector<size_t> rows;       // each kept reading's row number
  std::vector<RowProblem> refused;
};

// RFC 3339 with seconds and a zone ("Z" or ±hh:mm), fractional seconds refused; Unix seconds.
std::optional<int64_t> ParseRfc3339(std::string_view text);
std::string FormatRfc3339Utc(int64_t t_s);

class ReadingValidator {
 public:
  using Projects = std::unordered_map<std::string, ProjectInfo>;
  // Hashes a (series, time) key: series = project << 8 | indicator.
  struct KeyHash {
    size_t operator()(const std::pair<uint64_t, int64_t>& k) const {
      uint64_t h = k.first * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(k.second);
      h ^= h >> 32;
      h *= 0xD6E8FEB86659FD93ULL;
      return h ^ (h >> 32);
    }
  };
  // `projects` by the code a row names them with; must outlive the validator. `now_s` is the
  // platform clock's time, for the five-minute bound on future readings.
  ReadingValidator(const Projects& projects, int64_t now_s);

  // Sizes the duplicate table for about `rows` rows (optional; it grows as needed).
  void Reserve(size_t rows);
  // Checks `row` and appends it to `batch` as a reading or as a refusal. A validator serves one
  // batch (its duplicate check refers to the batch's readings).
  void Add(const RawReading& row, size_t row_number, ValidatedBatch& batch);

 private:
  std::optional<int64_t> StoredValue(const IndicatorSpec& spec, std::string_view text,
                                     std::string& reason) const;
  const Projects& projects_;
  int64_t now_s_;
  // (project, indicator, time) → the batch's reading that first gave it: an open-addressing table
  // of reading indices + 1 (0: empty; linear probing, at most half full), 4 bytes a slot.
  const Reading* FindOrInsert(const Reading& reading, ValidatedBatch& batch, bool& fresh);
  std::vector<uint32_t> seen_;
  size_t seen_count_ = 0;
};

// Adds a curtailment_rate reading, curtailed / (generated + curtailed) rounded half up to 10⁻⁶,
// for every (project, time) of the batch that has both energies and no rate of its own. Returns
// the number added.
size_t DeriveCurtailmentRates(ValidatedBatch& batch);

// Reads a CSV upload (RFC 4180: a header row naming project, indicator, time and value, and
// optionally unit, in any order; quoted fields; LF or CRLF), calling `each(line, row)` for every
// data row in order as it goes (the row's views live until `each` returns). Problems of the file
// itself (no header, a missing column, a row of the wrong width, more than `max_rows` rows) are
// errors naming the line, reported when met; bad values are left to the validator.
Status ReadTelemetryCsv(std::string_view text, size_t max_rows,
                        const std::function<void(size_t line, const RawReading& row)>& each);

}  // namespace corridor::risk::monitor
