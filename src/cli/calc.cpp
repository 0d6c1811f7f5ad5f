#include "cli/calc.hpp"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "api/http.hpp"
#include "calc/calc.hpp"
#include "cli/csv.hpp"

namespace corridor::cli {
namespace {

using calc::Json;

// dea and sbm: in:/out:/bad: columns, the rest labels.
Result<Json> DeaInput(const Table& t) {
  Json inputs = Json::array(), outputs = Json::array(), bad = Json::array(), labels = Json::array();
  bool has_bad = false, has_label = false;
  for (const auto& h : t.header) {
    has_bad = has_bad || h.starts_with("bad:");
    has_label =
        has_label || !(h.starts_with("in:") || h.starts_with("out:") || h.starts_with("bad:"));
  }
  for (size_t r = 0; r < t.rows.size(); ++r) {
    Json x = Json::array(), y = Json::array(), u = Json::array();
    std::string label;
    for (size_t c = 0; c < t.header.size(); ++c) {
      const std::string& h = t.header[c];
      Json* target = h.starts_with("in:")    ? &x
                     : h.starts_with("out:") ? &y
                     : h.starts_with("bad:") ? &u
                                             : nullptr;
      if (target == nullptr) {
        if (label.empty()) label = Trim(t.rows[r][c]);
        continue;
      }
      const auto v = Number(t.rows[r][c]);
      if (!v) return Fail(CsvError(static_cast<int>(r) + 2, h, "must be a number"));
      target->push_back(*v);
    }
    inputs.push_back(std::move(x));
    outputs.push_back(std::move(y));
    if (has_bad) bad.push_back(std::move(u));
    labels.push_back(label);
  }
  if (inputs[0].empty() || outputs[0].empty()) {
    return Fail(Error::Invalid("/csv", "needs columns named in:NAME and out:NAME"));
  }
  Json out{{"inputs", std::move(inputs)}, {"outputs", std::move(outputs)}};
  if (has_bad) out["undesirable_outputs"] = std::move(bad);
  if (has_label) out["dmu_labels"] = std::move(labels);
  return out;
}

// The MCDM models: a matrix of every numeric column.
Result<Json> MatrixInput(const Table& t) {
  std::vector<size_t> numeric;
  std::optional<size_t> label;
  for (size_t c = 0; c < t.header.size(); ++c) {
    if (Number(t.rows[0][c])) {
      numeric.push_back(c);
    } else if (!label) {
      label = c;
    }
  }
  if (numeric.empty()) return Fail(Error::Invalid("/csv", "has no numeric column"));
  Json matrix = Json::array(), labels = Json::array(), criteria = Json::array();
  for (size_t c : numeric) criteria.push_back(t.header[c]);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    Json row = Json::array();
    for (size_t c : numeric) {
      const auto v = Number(t.rows[r][c]);
      if (!v) return Fail(CsvError(static_cast<int>(r) + 2, t.header[c], "must be a number"));
      row.push_back(*v);
    }
    matrix.push_back(std::move(row));
    if (label) labels.push_back(Trim(t.rows[r][*label]));
  }
  Json out{{"matrix", std::move(matrix)}, {"criteria", std::move(criteria)}};
  if (label) out["alternative_labels"] = std::move(labels);
  return out;
}

// portfolio-mc: one obligor per row.
Result<Json> BookInput(const Table& t) {
  Json obligors = Json::array();
  for (size_t r = 0; r < t.rows.size(); ++r) {
    Json o = Json::object();
    Json loadings = Json::array();
    for (size_t c = 0; c < t.header.size(); ++c) {
      const std::string& h = t.header[c];
      const std::string cell = Trim(t.rows[r][c]);
      if (h == "sector" || h == "bank" || h == "name" || h == "id") {
        if (h == "sector" || h == "bank") o[h] = cell;
        continue;
      }
      const auto v = Number(cell);
      if (!v) return Fail(CsvError(static_cast<int>(r) + 2, h, "must be a number"));
      if (h.starts_with("loading:")) {
        loadings.push_back(*v);
      } else if (h == "count") {
        o[h] = static_cast<int64_t>(*v);
      } else {
        o[h] = *v;
      }
    }
    if (!loadings.empty()) o["loadings"] = std::move(loadings);
    obligors.push_back(std::move(o));
  }
  return Json{{"obligors", std::move(obligors)}};
}

Result<Json> CsvInput(const std::string& model, std::istream& in) {
  const Table t = CORRIDOR_TRY(ReadTable(in));
  if (model == "dea" || model == "sbm") return DeaInput(t);
  if (model == "topsis" || model == "entropy-weights" || model == "gra") return MatrixInput(t);
  if (model == "portfolio-mc") return BookInput(t);
  return Fail(Error::Invalid("/csv",
                             "CSV input is for dea, sbm, topsis, entropy-weights, gra "
                             "and portfolio-mc; give this model JSON"));
}

int Problem(const Error& e) {
  std::cout << api::ProblemJson(e) << "\n";
  return 2;
}

// Prints a progress line on stderr each second once the run has taken one.
class Heartbeat {
 public:
  explicit Heartbeat(std::string model)
      : model_(std::move(model)),
        start_(std::chrono::steady_clock::now()),
        thread_([this] { Run(); }) {}
  ~Heartbeat() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Report(int64_t done, int64_t total) {
    done_.store(done, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
  }
  void Stage(const char* stage) { stage_.store(stage); }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    auto next = start_ + std::chrono::seconds(1);
    while (!cv_.wait_until(lock, next, [this] { return stop_; })) {
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - start_)
                            .count();
      const int64_t total = total_.load(std::memory_order_relaxed);
      if (total > 0) {
        const int64_t done = done_.load(std::memory_order_relaxed);
        std::cerr << fmt::format(
            "corridor calc {}: {} of {} done ({:.1f}%), {} s\n", model_, done, total,
            100.0 * static_cast<double>(done) / static_cast<double>(total), secs);
      } else {
        std::cerr << fmt::format("corridor calc {}: {}, {} s\n", model_, stage_.load(), secs);
      }
      next += std::chrono::seconds(1);
    }
  }

  std::string model_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> done_{0}, total_{0};
  std::atomic<const char*> stage_{"reading the input"};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace

int Calc(const CalcOptions& o) {
  if (o.list) {
    for (const auto& m : calc::CalcModels()) std::cout << m.name << "\t" << m.summary << "\n";
    return 0;
  }
  // An unknown model is reported before the input is read.
  bool known = false;
  for (const auto& m : calc::CalcModels()) known = known || m.name == o.model;
  if (!known) {
    return Problem(Error{ErrorCode::kNotFound,
                         "unknown model '" + o.model + "'; `corridor calc --list` lists them",
                         {}});
  }
  std::ifstream file;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) {
      std::cerr << "corridor calc: cannot read " << o.input << "\n";
      return 1;
    }
  }
  std::istream& in = o.input == "-" ? std::cin : file;
  const std::string format =
      !o.input_format.empty() ? o.input_format : (o.input.ends_with(".csv") ? "csv" : "json");
  if (format != "json" && format != "csv") {
    return Problem(Error::Invalid("/input-format", "must be json or csv"));
  }
  Heartbeat heartbeat(o.model);
  Json input;
  if (format == "csv") {
    auto table = CsvInput(o.model, in);
    if (!table) return Problem(table.error());
    input = std::move(*table);
  } else {
    // Parsed from the stream as it arrives: the text is never held whole.
    input = Json::parse(in, nullptr, false);
    if (input.is_discarded() || !input.is_object()) {
      return Problem(Error::Invalid("", "the input is not a JSON object"));
    }
  }
  for (const auto& kv : o.set) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Problem(Error::Invalid("/set", "expected KEY=VALUE, got '" + kv + "'"));
    }
    const std::string text = kv.substr(eq + 1);
    Json value = Json::parse(text, nullptr, false);
    input[kv.substr(0, eq)] = value.is_discarded() ? Json(text) : std::move(value);
  }
  Json labels;
  for (const char* key : {"dmu_labels", "alternative_labels", "criteria"}) {
    if (input.contains(key)) {
      labels[key] = std::move(input[key]);
      input.erase(key);
    }
  }
  heartbeat.Stage("computing");
  calc::CalcContext context;
  context.progress = [&](int64_t done, int64_t total) { heartbeat.Report(done, total); };
  auto out = calc::RunCalc(o.model, input, context);
  if (!out) return Problem(out.error());
  if (labels.is_object()) {
    for (auto& [key, value] : labels.items()) (*out)[key] = std::move(value);
  }
  heartbeat.Stage("writing the answer");
  std::cout << out->dump() << "\n";
  return 0;
}

}  // namespace corridor::cli
