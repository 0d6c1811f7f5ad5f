// The JSON input readers of every calc model: "MODEL\n{...}" (a name that is no model picks one
// by its first byte), the rest is the input. Any outcome but a crash, a sanitizer report or an
// answer that is not an object is fine; inputs are kept small so that each run stays within
// milliseconds.
#include <string_view>

#include "calc/calc.hpp"
#include "fuzz.hpp"

CORRIDOR_FUZZ_TARGET(calc) {
  if (size < 2 || size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  const auto& models = corridor::calc::CalcModels();
  const corridor::calc::CalcModel* model = &models[data[0] % models.size()];
  for (const auto& m : models) {
    if (m.name == text.substr(0, newline)) model = &m;
  }
  const auto input = nlohmann::json::parse(text.substr(newline + 1), nullptr, false);
  if (input.is_discarded() || !input.is_object()) return 0;
  // The expensive knobs are capped so that a run stays short; their validation still runs.
  for (const char* knob : {"scenarios", "obligors", "permutations"}) {
    if (input.contains(knob) && input[knob].is_number() && input[knob].get<double>() > 2000)
      return 0;
  }
  const auto out = corridor::calc::RunCalc(model->name, input);
  if (out) CORRIDOR_FUZZ_CHECK(out->is_object());
  if (!out) CORRIDOR_FUZZ_CHECK(!out.error().message.empty());
  return 0;
}
