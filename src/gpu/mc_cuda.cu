// Pass 1 of the credit portfolio Monte Carlo on a CUDA device.
//
// A batch of scenarios runs as four kernels on the default stream:
//   1. factors:    one thread per scenario draws its K factor normals (and the IS shift and
//                  likelihood ratio);
//   2. thresholds: one thread per (scenario, class) turns them into the class's integer default
//                  threshold ⌊Φ((c - b·z)/s)·2³²⌋;
//   3. draws:      the fused kernel; one thread per (scenario, chunk of kChunkBlocks Philox
//                  blocks) generates its obligors' uniforms in registers, compares each with its
//                  line's threshold and adds the losses (mc::ChunkLoss); a CUDA block's threads
//                  (one scenario) add their chunks in shared memory and write one sum;
//   4. sums:       one thread per scenario adds its blocks' sums in order.
// Every sum has a fixed order, so a run gives the same numbers every time on a device; against
// the CPU the random numbers and thresholds are the same (the device's erfc and fused
// multiply-adds may move a threshold by one in 2³², and chunk sums associate differently), so
// results agree to floating-point tolerance. The host-side decomposition of the same kernels is
// pinned bit for bit against the CPU simulator in risk/credit/credit_test.cpp.
#include <cuda_runtime.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gpu/gpu.hpp"
#include "risk/credit/mc_kernel.hpp"

namespace corridor::gpu {
namespace {

namespace mc = risk::mc;

constexpr uint64_t kChunkBlocks = 64;  // Philox blocks (256 draws) per thread of the draw kernel
constexpr int kThreads = 256;          // threads per CUDA block
constexpr int64_t kMaxDrawThreads = int64_t{1} << 24;
constexpr int64_t kMaxThresholdBytes = int64_t{1} << 29;

Error CudaError(const char* what, cudaError_t e) {
  return Error::Internal(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

#define CORRIDOR_CUDA_TRY(call)                        \
  do {                                                 \
    const cudaError_t corridor_cuda_e_ = (call);       \
    if (corridor_cuda_e_ != cudaSuccess) {             \
      return Fail(CudaError(#call, corridor_cuda_e_)); \
    }                                                  \
  } while (false)

// Device memory for n values of T, freed with the object.
template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() { Release(); }

  Status Resize(size_t n) {
    if (n <= size_) return {};
    Release();
    void* p = nullptr;
    CORRIDOR_CUDA_TRY(cudaMalloc(&p, std::max<size_t>(1, n) * sizeof(T)));
    data_ = static_cast<T*>(p);
    size_ = n;
    return {};
  }

  Status Upload(const std::vector<T>& v) {
    CORRIDOR_TRY_STATUS(Resize(v.size()));
    if (!v.empty()) {
      CORRIDOR_CUDA_TRY(cudaMemcpy(data_, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
    }
    return {};
  }

  T* data() const { return data_; }

 private:
  void Release() {
    if (data_) cudaFree(data_);
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
};

unsigned Grid(int64_t threads) {
  return static_cast<unsigned>((threads + kThreads - 1) / kThreads);
}

__global__ void FactorKernel(uint64_t seed, uint32_t stream, uint64_t first, int64_t count, int k,
                             const double* shift, double* z, double* weight) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count) return;
  double* zi = z + i * k;
  mc::FactorNormals(seed, first + static_cast<uint64_t>(i), stream, k, zi);
  weight[i] = shift ? mc::ShiftFactors(shift, k, zi) : 1.0;
}

__global__ void ThresholdKernel(int64_t count, int k, int64_t classes, const double* rows,
                                const int32_t* class_row, const double* class_c,
                                const double* class_inv_s, const double* z, uint64_t* threshold) {
  const int64_t idx = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (idx >= count * classes) return;
  const int64_t i = idx / classes, c = idx % classes;
  threshold[idx] = mc::ConditionalThreshold(
      class_c[c], class_inv_s[c], rows + static_cast<int64_t>(class_row[c]) * k, z + i * k, k);
}

// Grid (chunk groups, scenarios): the threads of a CUDA block share a scenario, so they add
// their chunks in shared memory by a fixed tree and write one sum per block.
__global__ void DrawKernel(mc::LinesView v, const uint64_t* threshold, int64_t classes,
                           uint64_t seed, uint32_t stream, uint64_t first, uint64_t blocks,
                           int64_t chunks, double* partial) {
  extern __shared__ double part[];
  const int64_t i = blockIdx.y;
  const int64_t j = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  double loss = 0;
  if (j < chunks) {
    const uint64_t b0 = static_cast<uint64_t>(j) * kChunkBlocks;
    const uint64_t b1 = b0 + kChunkBlocks < blocks ? b0 + kChunkBlocks : blocks;
    loss = mc::ChunkLoss(v, threshold + i * classes, seed, first + static_cast<uint64_t>(i), stream,
                         b0, b1);
  }
  part[threadIdx.x] = loss;
  __syncthreads();
  for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[i * gridDim.x + blockIdx.x] = part[0];
}

__global__ void SumKernel(int64_t count, int64_t groups, const double* partial, double* loss) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count) return;
  double s = 0;
  for (int64_t g = 0; g < groups; ++g) s += partial[i * groups + g];
  loss[i] = s;
}

class CudaMcEngine final : public risk::ScenarioEngine {
 public:
  explicit CudaMcEngine(DeviceInfo device) : device_(std::move(device)) {}

  std::string Name() const override { return "cuda"; }

  Status Load(const risk::McModel& m) override {
    CORRIDOR_TRY_STATUS(rows_.Upload(m.rows));
    CORRIDOR_TRY_STATUS(class_row_.Upload(m.class_row));
    CORRIDOR_TRY_STATUS(class_c_.Upload(m.class_c));
    CORRIDOR_TRY_STATUS(class_inv_s_.Upload(m.class_inv_s));
    CORRIDOR_TRY_STATUS(klass_.Upload(m.klass));
    CORRIDOR_TRY_STATUS(loss_.Upload(m.loss));
    CORRIDOR_TRY_STATUS(offset_.Upload(m.offset));
    loaded_ = &m;
    return {};
  }

  Status Losses(const risk::McModel& m, uint64_t seed, std::span<const double> shift,
                uint32_t stream_base, uint64_t first, int64_t count, double* loss,
                double* weight) override {
    if (&m != loaded_) return Fail(Error::Internal("CUDA engine: Losses before Load of the model"));
    if (count <= 0) return {};
    const int64_t classes = static_cast<int64_t>(m.Classes());
    const uint64_t blocks = (m.draws + 3) / 4;
    const int64_t chunks = static_cast<int64_t>((blocks + kChunkBlocks - 1) / kChunkBlocks);
    // Threads per CUDA block of the draw kernel: a power of two (for the tree), 32 to 256.
    int draw_threads = 32;
    while (draw_threads < kThreads && draw_threads < chunks) draw_threads *= 2;
    const int64_t groups = (chunks + draw_threads - 1) / draw_threads;
    // Scenarios per launch: enough threads to fill the device, bounded memory, and within the
    // grid's 65,535 rows.
    const int64_t batch = std::max<int64_t>(
        1, std::min({count, int64_t{65'535}, kMaxDrawThreads / (groups * draw_threads),
                     kMaxThresholdBytes / (classes * static_cast<int64_t>(sizeof(uint64_t)))}));
    CORRIDOR_TRY_STATUS(z_.Resize(static_cast<size_t>(batch * m.k)));
    CORRIDOR_TRY_STATUS(weight_.Resize(static_cast<size_t>(batch)));
    CORRIDOR_TRY_STATUS(sum_.Resize(static_cast<size_t>(batch)));
    CORRIDOR_TRY_STATUS(threshold_.Resize(static_cast<size_t>(batch * classes)));
    CORRIDOR_TRY_STATUS(partial_.Resize(static_cast<size_t>(batch * groups)));
    const double* d_shift = nullptr;
    if (!shift.empty()) {
      CORRIDOR_TRY_STATUS(shift_.Upload(std::vector<double>(shift.begin(), shift.end())));
      d_shift = shift_.data();
    }
    const mc::LinesView v{static_cast<int64_t>(m.Lines()), m.draws, klass_.data(), loss_.data(),
                          offset_.data()};
    for (int64_t lo = 0; lo < count; lo += batch) {
      const int64_t n = std::min(batch, count - lo);
      const uint64_t s0 = first + static_cast<uint64_t>(lo);
      FactorKernel<<<Grid(n), kThreads>>>(seed, stream_base + mc::kFactorStream, s0, n, m.k,
                                          d_shift, z_.data(), weight_.data());
      ThresholdKernel<<<Grid(n * classes), kThreads>>>(
          n, m.k, classes, rows_.data(), class_row_.data(), class_c_.data(), class_inv_s_.data(),
          z_.data(), threshold_.data());
      const dim3 draw_grid(static_cast<unsigned>(groups), static_cast<unsigned>(n));
      DrawKernel<<<draw_grid, draw_threads, draw_threads * sizeof(double)>>>(
          v, threshold_.data(), classes, seed, stream_base + mc::kObligorStream, s0, blocks, chunks,
          partial_.data());
      SumKernel<<<Grid(n), kThreads>>>(n, groups, partial_.data(), sum_.data());
      CORRIDOR_CUDA_TRY(cudaGetLastError());
      CORRIDOR_CUDA_TRY(
          cudaMemcpy(loss + lo, sum_.data(), n * sizeof(double), cudaMemcpyDeviceToHost));
      CORRIDOR_CUDA_TRY(
          cudaMemcpy(weight + lo, weight_.data(), n * sizeof(double), cudaMemcpyDeviceToHost));
    }
    return {};
  }

 private:
  DeviceInfo device_;
  const risk::McModel* loaded_ = nullptr;
  DeviceBuffer<double> rows_, class_c_, class_inv_s_, loss_;
  DeviceBuffer<int32_t> class_row_, klass_;
  DeviceBuffer<uint64_t> offset_;
  DeviceBuffer<double> z_, weight_, sum_, partial_, shift_;
  DeviceBuffer<uint64_t> threshold_;
};

}  // namespace

bool Built() { return true; }

Result<DeviceInfo> Device() {
  int n = 0;
  if (const cudaError_t e = cudaGetDeviceCount(&n); e != cudaSuccess) {
    return Fail(
        Error::Internal(std::string("no usable CUDA device (") + cudaGetErrorString(e) + ")"));
  }
  if (n == 0) return Fail(Error::Internal("no CUDA device is present"));
  cudaDeviceProp p{};
  CORRIDOR_CUDA_TRY(cudaGetDeviceProperties(&p, 0));
  DeviceInfo d;
  d.name = p.name;
  d.compute_major = p.major;
  d.compute_minor = p.minor;
  d.multiprocessors = p.multiProcessorCount;
  d.memory_bytes = p.totalGlobalMem;
  return d;
}

Result<std::unique_ptr<risk::ScenarioEngine>> MakeMcEngine() {
  auto d = CORRIDOR_TRY(Device());
  CORRIDOR_CUDA_TRY(cudaSetDevice(0));
  return std::unique_ptr<risk::ScenarioEngine>(new CudaMcEngine(std::move(d)));
}

}  // namespace corridor::gpu
