// Early-warning telemetry at province scale: CSV uploads of a day of 15-minute readings of every
// indicator of 1,000 wind and solar projects (1.9 million readings), read, validated and run
// through a CUSUM, an EWMA and a debounced threshold per series, on one thread and on two (the
// batch split by project). The floor: finding the line ends of the same bytes once.
// Run: build/release/bench/monitor_bench (docs/perf/early-warning.md).
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "risk/monitor/detectors.hpp"
#include "risk/monitor/series_block.hpp"
#include "risk/monitor/telemetry.hpp"

namespace corridor::risk::monitor {
namespace {

constexpr int kProjects = 1'000;
constexpr int kSlots = 96;  // a day of 15-minute readings

ReadingValidator::Projects MakeProjects() {
  ReadingValidator::Projects projects;
  for (int p = 0; p < kProjects; ++p) {
    const bool wind = p % 3 != 0;
    projects.emplace((wind ? "WF-" : "PV-") + std::to_string(10'000 + p),
                     ProjectInfo{static_cast<uint32_t>(p + 1),
                                 wind ? ProjectType::kWind : ProjectType::kSolar, 200'000});
  }
  return projects;
}

// One CSV per half of the projects, the way two collectors would upload them.
std::vector<std::string> MakeCsv(int parts) {
  std::vector<std::string> csv(static_cast<size_t>(parts), "project,indicator,time,value,unit\n");
  const auto& specs = Indicators();
  char line[160];
  for (int p = 0; p < kProjects; ++p) {
    const bool wind = p % 3 != 0;
    const std::string code = (wind ? "WF-" : "PV-") + std::to_string(10'000 + p);
    std::string& out = csv[static_cast<size_t>(p % parts)];
    for (int s = 0; s < kSlots; ++s) {
      for (size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        if ((spec.applies == Applies::kWind && !wind) ||
            (spec.applies == Applies::kSolar && wind)) {
          continue;
        }
        // A value inside the range, varying with the slot.
        const int64_t span = spec.max_stored - spec.min_stored;
        const int64_t stored =
            i == kActivePower
                ? 1'000 * ((p * 31 + s * 7) % 200)  // within the 200 MW capacity
                : spec.min_stored + (span / 97) * ((p * 31 + s * 7 + static_cast<int>(i)) % 60);
        const int64_t scale = spec.scale == 0 ? 1
                                              : (spec.scale == 1   ? 10
                                                 : spec.scale == 2 ? 100
                                                 : spec.scale == 3 ? 1'000
                                                 : spec.scale == 4 ? 10'000
                                                                   : 1'000'000);
        const int64_t whole = stored / scale;
        const int64_t frac = (stored < 0 ? -stored : stored) % scale;
        const int n =
            spec.scale == 0
                ? std::snprintf(line, sizeof line,
                                "%s,%.*s,2026-05-01T%02d:%02d:00+08:00,%lld,%.*s\n", code.c_str(),
                                static_cast<int>(spec.code.size()), spec.code.data(), s / 4,
                                s % 4 * 15, static_cast<long long>(whole),
                                static_cast<int>(spec.unit.size()), spec.unit.data())
                : std::snprintf(line, sizeof line,
                                "%s,%.*s,2026-05-01T%02d:%02d:00+08:00,%s%lld.%0*lld,%.*s\n",
                                code.c_str(), static_cast<int>(spec.code.size()), spec.code.data(),
                                s / 4, s % 4 * 15, stored < 0 && whole == 0 ? "-" : "",
                                static_cast<long long>(whole), spec.scale,
                                static_cast<long long>(frac), static_cast<int>(spec.unit.size()),
                                spec.unit.data());
        out.append(line, static_cast<size_t>(n));
      }
    }
  }
  return csv;
}

// The detectors of one series.
struct SeriesState {
  CusumDetector cusum{CusumParams{.target = 0.3, .sigma = 0.1, .k = 0.5, .h = 5}};
  EwmaDetector ewma{EwmaParams{.target = 0.3, .sigma = 0.1, .lambda = 0.1, .l = 2.7}};
  ThresholdDetector threshold{{.direction = Direction::kAbove, .trigger = 0.2, .clear = 0.15}};
  Debouncer cusum_alert{0, 3'600}, ewma_alert{0, 3'600}, threshold_alert{900, 3'600};
};

struct Outcome {
  size_t kept = 0, refused = 0, events = 0;
};

// An upload read and validated.
ValidatedBatch Validate(const std::string& csv, const ReadingValidator::Projects& projects) {
  ReadingValidator validator(projects, 1'780'000'000);
  ValidatedBatch batch;
  // An upload's rows, estimated from its size (a row is 60 to 70 bytes).
  validator.Reserve(csv.size() / 60);
  batch.readings.reserve(csv.size() / 60);
  batch.rows.reserve(csv.size() / 60);
  (void)ReadTelemetryCsv(csv, 10'000'000, [&](size_t line, const RawReading& row) {
    validator.Add(row, line, batch);
  });
  return batch;
}

// Every reading through its series' detectors; the number of alert events.
size_t Chart(const std::vector<Reading>& readings) {
  std::unordered_map<uint64_t, SeriesState> series;
  series.reserve(static_cast<size_t>(kProjects) * kIndicatorCount);
  size_t events = 0;
  for (const Reading& r : readings) {
    SeriesState& s = series[(static_cast<uint64_t>(r.project) << 8) | r.indicator];
    const double x = ValueOf(r.indicator, r.value);
    events += s.cusum_alert.Step(r.t_s, s.cusum.Step(x)) != Debouncer::Event::kNone;
    events += s.ewma_alert.Step(r.t_s, s.ewma.Step(x)) != Debouncer::Event::kNone;
    events += s.threshold_alert.Step(r.t_s, s.threshold.Step(x)) != Debouncer::Event::kNone;
  }
  return events;
}

// CSV → validated readings → detectors: what the monitor does with an upload.
Outcome Ingest(const std::string& csv, const ReadingValidator::Projects& projects) {
  Outcome out;
  const ValidatedBatch batch = Validate(csv, projects);
  out.events = Chart(batch.readings);
  if (!batch.refused.empty()) {
    std::fprintf(stderr, "row %zu: %s %s\n", batch.refused[0].row, batch.refused[0].field.c_str(),
                 batch.refused[0].reason.c_str());
  }
  out.kept = batch.readings.size();
  out.refused = batch.refused.size();
  return out;
}

size_t Readings(const std::vector<std::string>& csv) {
  size_t n = 0;
  for (const auto& c : csv) n += static_cast<size_t>(std::count(c.begin(), c.end(), '\n')) - 1;
  return n;
}

void BM_Ingest_OneThread(benchmark::State& state) {
  const auto projects = MakeProjects();
  const auto csv = MakeCsv(1);
  for (auto _ : state) {
    const Outcome o = Ingest(csv[0], projects);
    if (o.refused != 0) {
      state.SkipWithError("rows refused");
      break;
    }
    benchmark::DoNotOptimize(o.events);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Readings(csv)));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(csv[0].size()));
}
BENCHMARK(BM_Ingest_OneThread)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Ingest_TwoThreads(benchmark::State& state) {
  const auto projects = MakeProjects();
  const auto csv = MakeCsv(2);
  for (auto _ : state) {
    Outcome a, b;
    std::thread other([&] { b = Ingest(csv[1], projects); });
    a = Ingest(csv[0], projects);
    other.join();
    if (a.refused + b.refused != 0) state.SkipWithError("rows refused");
    benchmark::DoNotOptimize(a.events + b.events);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Readings(csv)));
}
BENCHMARK(BM_Ingest_TwoThreads)->Unit(benchmark::kMillisecond)->UseRealTime();

// Parts of the path alone, on one thread.
void BM_ReadCsv(benchmark::State& state) {
  const auto csv = MakeCsv(1);
  for (auto _ : state) {
    size_t rows = 0;
    benchmark::DoNotOptimize(
        ReadTelemetryCsv(csv[0], 10'000'000, [&](size_t, const RawReading&) { ++rows; }));
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Readings(csv)));
}
BENCHMARK(BM_ReadCsv)->Unit(benchmark::kMillisecond);

void BM_Detectors(benchmark::State& state) {
  const ValidatedBatch batch = Validate(MakeCsv(1)[0], MakeProjects());
  for (auto _ : state) benchmark::DoNotOptimize(Chart(batch.readings));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.readings.size()));
}
BENCHMARK(BM_Detectors)->Unit(benchmark::kMillisecond);

// Storage: the validated readings cut into one block per series and day (docs/formats/
// telemetry-block.md); the counter is the bytes a reading costs.
void BM_EncodeBlocks(benchmark::State& state) {
  const ValidatedBatch batch = Validate(MakeCsv(1)[0], MakeProjects());
  size_t bytes = 0;
  for (auto _ : state) {
    std::unordered_map<uint64_t, std::vector<Point>> series;
    series.reserve(static_cast<size_t>(kProjects) * kIndicatorCount);
    for (const Reading& r : batch.readings) {
      series[(static_cast<uint64_t>(r.project) << 8) | r.indicator].push_back({r.t_s, r.value});
    }
    bytes = 0;
    for (const auto& [key, points] : series) bytes += EncodeBlock(points).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.readings.size()));
  state.counters["bytes_per_reading"] =
      static_cast<double>(bytes) / static_cast<double>(batch.readings.size());
}
BENCHMARK(BM_EncodeBlocks)->Unit(benchmark::kMillisecond);

// The floor: finding each line of the upload once (memchr), which any reader must do.
void BM_Floor_FindLines(benchmark::State& state) {
  const auto csv = MakeCsv(1);
  for (auto _ : state) {
    size_t lines = 0;
    const char* p = csv[0].data();
    const char* end = p + csv[0].size();
    while (const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p))) {
      p = static_cast<const char*>(nl) + 1;
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Readings(csv)));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(csv[0].size()));
}
BENCHMARK(BM_Floor_FindLines)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace corridor::risk::monitor

BENCHMARK_MAIN();
