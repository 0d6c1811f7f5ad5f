// The build without CUDA: the backend reports why it cannot run.
#include "gpu/gpu.hpp"

namespace corridor::gpu {

bool Built() { return false; }

Result<DeviceInfo> Device() {
  return Fail(Error::Internal("this build has no CUDA backend (nvcc was not found at build time)"));
}

Result<std::unique_ptr<risk::ScenarioEngine>> MakeMcEngine() { return Fail(Device().error()); }

}  // namespace corridor::gpu
