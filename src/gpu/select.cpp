#include "gpu/gpu.hpp"

namespace corridor::gpu {

Result<std::unique_ptr<risk::ScenarioEngine>> SelectMcEngine(const std::string& backend,
                                                             double obligor_draws) {
  if (backend == "cpu") return std::unique_ptr<risk::ScenarioEngine>();
  if (backend == "cuda") {
    auto e = MakeMcEngine();
    if (!e) return Fail(Error::Invalid("/backend", "cuda cannot run here: " + e.error().message));
    return e;
  }
  if (backend == "auto") {
    if (obligor_draws < kAutoMinDraws) return std::unique_ptr<risk::ScenarioEngine>();
    auto e = MakeMcEngine();
    if (!e) return std::unique_ptr<risk::ScenarioEngine>();
    return e;
  }
  return Fail(Error::Invalid("/backend", "must be cpu, cuda or auto"));
}

}  // namespace corridor::gpu
