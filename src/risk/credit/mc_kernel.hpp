#pragma once
// The arithmetic of one Monte Carlo scenario, written once for the CPU and for CUDA kernels
// (every function is __host__ __device__ under nvcc): the Philox counter layout, the factor
// normals, the conditional-default thresholds and the default count over a run of draws.
// The CPU simulator and the CUDA backend both call these, so both draw the same random numbers
// for the same (seed, scenario, stream) and compare them with the same integer thresholds.
//
// Counter layout: Philox4x32-10 keyed by the seed (low word, high word); counter (block index
// low, block index high, scenario low, scenario high XOR stream << 24). The k-th draw of a
// stream is lane k mod 4 of block k / 4.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define CORRIDOR_HD __host__ __device__
#else
#define CORRIDOR_HD
#endif

namespace corridor::risk::mc {

constexpr uint32_t kFactorStream = 0;
constexpr uint32_t kObligorStream = 1;
constexpr uint32_t kPilotOffset = 2;  // pilot scenarios use streams 2 and 3

CORRIDOR_HD inline r123::Philox4x32::ctr_type Block(uint64_t seed, uint64_t scenario,
                                                    uint32_t stream, uint64_t index) {
  const r123::Philox4x32::key_type key = {
      {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type ctr = {
      {static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32),
       static_cast<uint32_t>(scenario), static_cast<uint32_t>(scenario >> 32) ^ (stream << 24)}};
  return r123::Philox4x32()(ctr, key);
}

// K standard normals for a scenario (Box-Muller, two per block: a 53-bit and a 32-bit uniform,
// both strictly inside (0, 1)).
CORRIDOR_HD inline void FactorNormals(uint64_t seed, uint64_t scenario, uint32_t stream, int k,
                                      double* z) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  for (int j = 0; j < k; j += 2) {
    const auto b = Block(seed, scenario, stream, static_cast<uint64_t>(j / 2));
    const double u1 =
        (static_cast<double>((static_cast<uint64_t>(b[0]) << 21) ^ b[1]) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(b[2]) + 0.5) * 0x1.0p-32;
    const double r = sqrt(-2.0 * log(u1));
    z[j] = r * cos(kTwoPi * u2);
    if (j + 1 < k) z[j + 1] = r * sin(kTwoPi * u2);
  }
}

// Importance sampling: shifts the factors by mu and returns the likelihood ratio
// exp(-mu·z - |mu|²/2) of the draw.
CORRIDOR_HD inline double ShiftFactors(const double* mu, int k, double* z) {
  double dot = 0, norm = 0;
  for (int j = 0; j < k; ++j) {
    dot += mu[j] * z[j];
    norm += mu[j] * mu[j];
    z[j] += mu[j];
  }
  return exp(-dot - 0.5 * norm);
}

// An obligor defaults when its 32-bit uniform is below ⌊p·2³²⌋; p = 1 gives 2³², always.
CORRIDOR_HD inline uint64_t Threshold(double p) {
  return static_cast<uint64_t>(floor(p * 4294967296.0));
}

// The systematic part b·z of a loading row.
CORRIDOR_HD inline double RowDot(const double* row, const double* z, int k) {
  double sys = 0;
  for (int j = 0; j < k; ++j) sys += row[j] * z[j];
  return sys;
}

// Φ((c - sys)/s) as a threshold: c = Φ⁻¹(PD) (±∞ for PD 0 or 1), sys = b·z, inv_s = 1/s.
CORRIDOR_HD inline uint64_t ThresholdGiven(double c, double inv_s, double sys) {
  const double x = (c - sys) * inv_s;
  return Threshold(0.5 * erfc(-x / 1.4142135623730950488016887242097));  // NormalCdf(x)
}

CORRIDOR_HD inline uint64_t ConditionalThreshold(double c, double inv_s, const double* row,
                                                 const double* z, int k) {
  return ThresholdGiven(c, inv_s, RowDot(row, z, k));
}

// The obligor lines of a model as flat arrays, as kernels read them. Line i covers the draws
// [offset[i], offset[i] + count[i]) of a scenario's obligor stream.
struct LinesView {
  int64_t lines = 0;
  uint64_t draws = 0;                // Σ count
  const int32_t* klass = nullptr;    // threshold class per line
  const double* loss = nullptr;      // EAD × LGD per obligor of the line
  const uint64_t* offset = nullptr;  // first draw of the line
};

// The line holding draw d: the last i with offset[i] ≤ d.
CORRIDOR_HD inline int64_t LineOf(const LinesView& v, uint64_t d) {
  int64_t lo = 0, hi = v.lines;  // offset[lo] ≤ d < offset[hi] (offset[lines] = draws)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (v.offset[mid] <= d) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// The loss of the draws in Philox blocks [first_block, last_block) of a scenario's obligor
// stream, given that scenario's threshold per class. Defaults are counted per line in integers
// and each line's count multiplied by its loss once, in line order, so a chunk's sum does not
// depend on how the blocks are read.
CORRIDOR_HD inline double ChunkLoss(const LinesView& v, const uint64_t* threshold, uint64_t seed,
                                    uint64_t scenario, uint32_t stream, uint64_t first_block,
                                    uint64_t last_block) {
  const uint64_t end = last_block * 4 < v.draws ? last_block * 4 : v.draws;
  if (first_block * 4 >= end) return 0.0;
  int64_t line = LineOf(v, first_block * 4);
  auto line_end = [&](int64_t i) { return i + 1 < v.lines ? v.offset[i + 1] : v.draws; };
  uint64_t stop = line_end(line);
  uint64_t t = threshold[v.klass[line]];
  int64_t defaults = 0;
  double total = 0;
  for (uint64_t b = first_block; b * 4 < end; ++b) {
    const auto r = Block(seed, scenario, stream, b);
    const uint64_t d0 = b * 4;
    if (d0 + 4 <= stop) {  // the whole block lies in the current line
      defaults += (r[0] < t) + (r[1] < t) + (r[2] < t) + (r[3] < t);
      continue;
    }
    for (uint64_t lane = 0; lane < 4 && d0 + lane < end; ++lane) {
      while (d0 + lane >= stop) {
        if (defaults) total += static_cast<double>(defaults) * v.loss[line];
        defaults = 0;
        ++line;
        stop = line_end(line);
        t = threshold[v.klass[line]];
      }
      defaults += r[lane] < t;
    }
  }
  if (defaults) total += static_cast<double>(defaults) * v.loss[line];
  return total;
}

}  // namespace corridor::risk::mc
