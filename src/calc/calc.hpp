#pragma once
// The calc models: Corridor's scripting interface. Each model maps one JSON object to one JSON
// object and is a pure function. The same registry answers `corridor calc MODEL` (stdin/stdout)
// and `POST /api/v1/calc/{model}`. Invalid input yields an Error naming fields as JSON pointers.
// Thread-safe.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::calc {

using Json = nlohmann::json;

// What a long model may tell its caller while it runs: how many of its units (DMUs, ...) are
// done, from any of its threads. `corridor calc` prints it on stderr; the API passes none.
struct CalcContext {
  std::function<void(int64_t done, int64_t total)> progress;
};

struct CalcModel {
  std::string name;
  std::string summary;
  std::function<Result<Json>(const Json&)> run;
  // Set for the models that report progress; RunCalc with a context prefers it.
  std::function<Result<Json>(const Json&, const CalcContext&)> run_with_context = nullptr;
};

// Every model, sorted by name.
const std::vector<CalcModel>& CalcModels();
// Runs a model by name; unknown names fail with kNotFound.
Result<Json> RunCalc(std::string_view name, const Json& input);
Result<Json> RunCalc(std::string_view name, const Json& input, const CalcContext& context);

}  // namespace corridor::calc
