#pragma once
// The optional CUDA backend. Built when CMake finds nvcc (CORRIDOR_CUDA=AUTO, the default) or
// when asked (ON); otherwise the same functions report that this build has no CUDA backend, so
// callers need no #ifdef. At run time it uses the first CUDA device.
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "risk/credit/portfolio_mc.hpp"

namespace corridor::gpu {

struct DeviceInfo {
  std::string name;
  int compute_major = 0;
  int compute_minor = 0;
  int multiprocessors = 0;
  uint64_t memory_bytes = 0;
};

// Whether this build carries the CUDA backend at all.
bool Built();

// The first CUDA device, or why there is none (not built, no driver, no device).
Result<DeviceInfo> Device();

// Pass 1 of the credit portfolio Monte Carlo on the first CUDA device: one fused kernel draws
// each obligor's uniform by its Philox counter, tests it against the scenario's threshold and
// adds the loss, without writing random numbers to memory (risk/credit/mc_kernel.hpp holds the
// arithmetic, shared with the CPU).
Result<std::unique_ptr<risk::ScenarioEngine>> MakeMcEngine();

// The engine for a Monte Carlo run by its `backend` request: "cpu" gives none (the CPU
// threads); "cuda" the device engine or an error naming the field `backend` with the reason;
// "auto" the device engine when one can run and the run is worth a launch (at least
// kAutoMinDraws obligor-draws), else none.
constexpr double kAutoMinDraws = 1e8;
Result<std::unique_ptr<risk::ScenarioEngine>> SelectMcEngine(const std::string& backend,
                                                             double obligor_draws);

}  // namespace corridor::gpu
