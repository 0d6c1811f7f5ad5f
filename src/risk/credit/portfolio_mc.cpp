#include "risk/credit/portfolio_mc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>
#include <thread>
#include <tuple>

#include "risk/credit/mc_kernel.hpp"
#include "risk/credit/normal.hpp"
#include "risk/credit/philox_batch.hpp"

namespace corridor::risk {
namespace {

using mc::kFactorStream;
using mc::kObligorStream;
using mc::kPilotOffset;

// The obligor uniforms of one scenario, consumed in draw order from a buffer refilled 256
// Philox blocks at a time.
class UniformStream {
 public:
  static constexpr size_t kBlocks = 256;
  static constexpr size_t kWords = 4 * kBlocks;

  UniformStream(uint64_t seed, uint64_t scenario, uint32_t stream)
      : k0_(static_cast<uint32_t>(seed)),
        k1_(static_cast<uint32_t>(seed >> 32)),
        c2_(static_cast<uint32_t>(scenario)),
        c3_(static_cast<uint32_t>(scenario >> 32) ^ (stream << 24)) {}

  // The next draw.
  uint32_t Next() {
    if (pos_ == kWords) Refill();
    return buf_[pos_++];
  }

  // Defaults among the next n draws for a threshold: a draw u defaults when u < threshold
  // (threshold 2³² means always).
  int64_t CountBelow(int64_t n, uint64_t threshold) {
    int64_t defaults = 0;
    auto take_buffered = [&](int64_t want) {
      while (want > 0) {
        if (pos_ == kWords) Refill();
        const size_t take =
            static_cast<size_t>(std::min<int64_t>(want, static_cast<int64_t>(kWords - pos_)));
        if (threshold > 0xffffffffull) {
          defaults += static_cast<int64_t>(take);
        } else if (threshold > 0) {
          const uint32_t t = static_cast<uint32_t>(threshold);
          const uint32_t* u = buf_ + pos_;
          uint32_t c = 0;
          for (size_t j = 0; j < take; ++j) c += u[j] < t;
          defaults += c;
        }
        pos_ += take;
        want -= static_cast<int64_t>(take);
        n -= static_cast<int64_t>(take);
      }
    };
    // Finish the buffer, then count whole blocks without storing them, then buffer the rest.
    take_buffered(std::min<int64_t>(n, static_cast<int64_t>(kWords - pos_)));
    const uint64_t blocks = static_cast<uint64_t>(n) / 4;
    if (blocks >= 64) {
      if (threshold > 0xffffffffull) {
        defaults += static_cast<int64_t>(4 * blocks);
      } else if (threshold > 0) {
        defaults += static_cast<int64_t>(PhiloxCountBelow(next_block_, c2_, c3_, k0_, k1_, blocks,
                                                          static_cast<uint32_t>(threshold)));
      }
      next_block_ += blocks;
      n -= static_cast<int64_t>(4 * blocks);
    }
    take_buffered(n);
    return defaults;
  }

 private:
  void Refill() {
    PhiloxBlocks(next_block_, c2_, c3_, k0_, k1_, buf_, kBlocks);
    next_block_ += kBlocks;
    pos_ = 0;
  }

  uint32_t k0_, k1_, c2_, c3_;
  uint64_t next_block_ = 0;
  size_t pos_ = kWords;  // empty: filled when first read
  alignas(64) uint32_t buf_[kWords];
};

// One scenario: the factor draw (shifted by mu), its likelihood ratio and the loss; when
// `per_line` is given, each line's loss too.
struct Scenario {
  double loss = 0;
  double weight = 1;
};

class Simulator {
 public:
  Simulator(const McModel& m, uint64_t seed, std::span<const double> shift)
      : m_(m),
        seed_(seed),
        shift_(shift.begin(), shift.end()),
        z_(m.k),
        sys_(m.Rows()),
        threshold_(m.Classes()) {}

  Scenario Run(uint64_t scenario, uint32_t stream_base, double* per_line) {
    mc::FactorNormals(seed_, scenario, stream_base + kFactorStream, m_.k, z_.data());
    Scenario out;
    if (!shift_.empty()) out.weight = mc::ShiftFactors(shift_.data(), m_.k, z_.data());
    // b·z once per distinct loading row, then a threshold per class.
    for (size_t r = 0; r < sys_.size(); ++r) sys_[r] = mc::RowDot(m_.Row(r), z_.data(), m_.k);
    for (size_t k = 0; k < m_.Classes(); ++k) {
      threshold_[k] = mc::ThresholdGiven(m_.class_c[k], m_.class_inv_s[k], sys_[m_.class_row[k]]);
    }
    UniformStream u(seed_, scenario, stream_base + kObligorStream);
    const size_t lines = m_.Lines();
    const int64_t* count = m_.count.data();
    const int32_t* klass = m_.klass.data();
    const double* loss = m_.loss.data();
    const uint64_t* threshold = threshold_.data();
    if (per_line) {
      for (size_t i = 0; i < lines; ++i) {
        const int64_t defaults = u.CountBelow(count[i], threshold[klass[i]]);
        per_line[i] = defaults ? static_cast<double>(defaults) * loss[i] : 0.0;
        out.loss += per_line[i];
      }
    } else {
      for (size_t i = 0; i < lines; ++i) {
        // Single obligors, the common case, take one draw inline; defaults are rare, so the
        // sum is only touched when there is one.
        const int64_t defaults = count[i] == 1 ? (u.Next() < threshold[klass[i]])
                                               : u.CountBelow(count[i], threshold[klass[i]]);
        if (defaults) out.loss += static_cast<double>(defaults) * loss[i];
      }
    }
    return out;
  }

 private:
  const McModel& m_;
  uint64_t seed_;
  std::vector<double> shift_;
  std::vector<double> z_;
  std::vector<double> sys_;  // per loading row
  std::vector<uint64_t> threshold_;
};

template <typename Body>
void Parallel(int64_t count, int threads, Body body) {
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, count)));
  if (threads == 1) {
    body(0, 0, count);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    const int64_t lo = count * t / threads, hi = count * (t + 1) / threads;
    pool.emplace_back(body, t, lo, hi);
  }
  for (auto& th : pool) th.join();
}

Result<std::vector<std::vector<double>>> Cholesky(const std::vector<std::vector<double>>& a) {
  const size_t n = a.size();
  std::vector<std::vector<double>> l(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) {
    if (a[i].size() != n) {
      return Fail(Error::Invalid(fmt::format("/factor_correlation/{}", i),
                                 fmt::format("needs {} entries", n)));
    }
    for (size_t j = 0; j <= i; ++j) {
      if (a[i][j] != a[j][i] || !(std::abs(a[i][j]) <= 1) || (i == j && a[i][j] != 1)) {
        return Fail(Error::Invalid(fmt::format("/factor_correlation/{}/{}", i, j),
                                   "must be a symmetric correlation (1 on the diagonal)"));
      }
      double s = a[i][j];
      for (size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      if (i == j) {
        if (s <= 1e-12) {
          return Fail(Error::Invalid("/factor_correlation", "must be positive definite"));
        }
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return l;
}

// E[L | Z = z].
double ConditionalLoss(const McModel& m, const std::vector<double>& z) {
  std::vector<double> p(m.Classes());
  for (size_t c = 0; c < p.size(); ++c) {
    const double s = mc::RowDot(m.Row(m.class_row[c]), z.data(), m.k);
    p[c] = NormalCdf((m.class_c[c] - s) * m.class_inv_s[c]);
  }
  double total = 0;
  for (size_t i = 0; i < m.Lines(); ++i) {
    total += static_cast<double>(m.count[i]) * m.loss[i] * p[m.klass[i]];
  }
  return total;
}

struct Tail {
  double var = 0;
  double es = 0;
  double tail_weight = 0;
};

// Weighted VaR and ES at level alpha over scenarios sorted by loss. VaR is the least loss v
// with P̂(L > v) = (1/n)Σ w·1{L > v} ≤ 1 - α, scanned from the top, so it rests on the tail
// estimator that importance sampling makes precise (with w = 1 it is the usual empirical
// quantile); ES is the weighted mean of the losses ≥ VaR.
Tail TailAt(const std::vector<double>& loss, const std::vector<double>& weight,
            const std::vector<int64_t>& order, double alpha) {
  const double budget = (1 - alpha) * static_cast<double>(loss.size());
  double above = 0;
  size_t j = order.size() - 1;
  for (;;) {
    const double v = loss[order[j]];
    size_t first = j;
    double tie = weight[order[j]];
    while (first > 0 && loss[order[first - 1]] == v) tie += weight[order[--first]];
    if (first == 0 || above + tie > budget) {
      j = first;
      break;
    }
    above += tie;
    j = first - 1;
  }
  Tail t;
  t.var = loss[order[j]];
  double wsum = 0, lsum = 0;
  for (size_t k = j; k < order.size(); ++k) {
    wsum += weight[order[k]];
    lsum += weight[order[k]] * loss[order[k]];
  }
  t.es = wsum > 0 ? lsum / wsum : t.var;
  t.tail_weight = wsum;
  return t;
}

}  // namespace

Result<McModel> BuildMcModel(const McInput& in) {
  if (in.obligors.empty()) return Fail(Error::Invalid("/obligors", "needs at least one obligor"));
  const size_t k = in.obligors[0].loadings.size();
  if (k == 0 || k > 256) {
    return Fail(Error::Invalid("/obligors/0/loadings", "needs 1 to 256 factor loadings"));
  }
  std::vector<std::vector<double>> sigma = in.factor_correlation;
  if (sigma.empty()) {
    sigma.assign(k, std::vector<double>(k, 0.0));
    for (size_t j = 0; j < k; ++j) sigma[j][j] = 1;
  }
  if (sigma.size() != k) {
    return Fail(
        Error::Invalid("/factor_correlation", fmt::format("needs {} rows, one per factor", k)));
  }
  const auto l = CORRIDOR_TRY(Cholesky(sigma));
  McModel m;
  m.k = static_cast<int>(k);
  std::map<std::vector<double>, int32_t> rows;
  std::map<std::tuple<int32_t, double, double>, int32_t> classes;
  for (size_t i = 0; i < in.obligors.size(); ++i) {
    const auto& o = in.obligors[i];
    auto field = [&](const char* name) { return fmt::format("/obligors/{}/{}", i, name); };
    if (!(o.ead >= 0 && std::isfinite(o.ead))) {
      return Fail(Error::Invalid(field("ead"), "must be a non-negative number"));
    }
    if (!(o.pd >= 0 && o.pd <= 1)) return Fail(Error::Invalid(field("pd"), "must be in [0, 1]"));
    if (!(o.lgd >= 0 && o.lgd <= 1)) return Fail(Error::Invalid(field("lgd"), "must be in [0, 1]"));
    if (o.count < 1 || o.count > 1'000'000'000) {
      return Fail(Error::Invalid(field("count"), "must be 1 to 1,000,000,000"));
    }
    if (o.loadings.size() != k) {
      return Fail(Error::Invalid(field("loadings"), fmt::format("needs {} loadings", k)));
    }
    double norm = 0;
    for (double a : o.loadings) {
      if (!std::isfinite(a)) return Fail(Error::Invalid(field("loadings"), "must be numbers"));
      norm += a * a;
    }
    // b = Lᵀa, so a·F = b·Z and the systematic variance is aᵀΣa = |b|².
    std::vector<double> b(k, 0.0);
    for (size_t j = 0; j < k; ++j) {
      for (size_t r = j; r < k; ++r) b[j] += l[r][j] * o.loadings[r];
    }
    double var = 0;
    for (double v : b) var += v * v;
    if (!(norm < 1) || !(var < 1)) {
      return Fail(
          Error::Invalid(field("loadings"), "squared norm (systematic variance) must be below 1"));
    }
    auto [it, inserted] = rows.emplace(b, static_cast<int32_t>(rows.size()));
    if (inserted) m.rows.insert(m.rows.end(), b.begin(), b.end());
    const double c = o.pd <= 0   ? -std::numeric_limits<double>::infinity()
                     : o.pd >= 1 ? std::numeric_limits<double>::infinity()
                                 : NormalQuantile(o.pd);
    const double inv_s = 1 / std::sqrt(1 - var);
    auto [cit, cnew] =
        classes.emplace(std::make_tuple(it->second, c, inv_s), static_cast<int32_t>(m.Classes()));
    if (cnew) {
      m.class_row.push_back(it->second);
      m.class_c.push_back(c);
      m.class_inv_s.push_back(inv_s);
    }
    m.klass.push_back(cit->second);
    m.loss.push_back(o.ead * o.lgd);
    m.count.push_back(o.count);
    m.offset.push_back(m.draws);
    m.draws += static_cast<uint64_t>(o.count);
  }
  if (m.draws > (uint64_t{1} << 40)) {
    return Fail(Error::Invalid("/obligors", "at most 2^40 obligors in all"));
  }
  return m;
}

namespace {

// The input's bounds, each error naming its field.
Status ValidateMcInput(const McInput& in) {
  if (in.scenarios < 100 || in.scenarios > 1'000'000'000) {
    return Fail(Error::Invalid("/scenarios", "must be 100 to 1,000,000,000"));
  }
  if (in.threads < 1 || in.threads > 256) {
    return Fail(Error::Invalid("/threads", "must be 1 to 256"));
  }
  if (in.confidence_levels.empty()) {
    return Fail(Error::Invalid("/confidence_levels", "needs at least one level"));
  }
  for (size_t j = 0; j < in.confidence_levels.size(); ++j) {
    const double a = in.confidence_levels[j];
    if (!(a > 0 && a < 1)) {
      return Fail(Error::Invalid(fmt::format("/confidence_levels/{}", j), "must be in (0, 1)"));
    }
  }
  return {};
}

// Importance sampling's mean shift of the systematic factors (Glasserman & Li 2005, one
// direction): a pilot run finds the VaR at the top level, and the shift is the point along the
// direction in which E[L | z] rises fastest where the conditional loss reaches it. Empty when
// the book has no such direction.
Result<std::vector<double>> ImportanceShift(const McModel& m, const McInput& in, double top) {
  std::vector<double> shift;
  // Pilot: plain scenarios on their own streams, VaR at the top level.
  const int64_t pilot = std::max<int64_t>(1'000, in.scenarios / 10);
  std::vector<double> ploss(pilot), pweight(pilot, 1.0);
  if (in.engine) {
    CORRIDOR_TRY_STATUS(
        in.engine->Losses(m, in.seed, {}, kPilotOffset, 0, pilot, ploss.data(), pweight.data()));
  } else {
    Parallel(pilot, in.threads, [&](int, int64_t lo, int64_t hi) {
      Simulator sim(m, in.seed, {});
      for (int64_t s = lo; s < hi; ++s) {
        ploss[s] = sim.Run(static_cast<uint64_t>(s), kPilotOffset, nullptr).loss;
      }
    });
  }
  std::vector<int64_t> porder(pilot);
  std::iota(porder.begin(), porder.end(), 0);
  std::stable_sort(porder.begin(), porder.end(),
                   [&](int64_t a, int64_t b) { return ploss[a] < ploss[b]; });
  const double x = TailAt(ploss, pweight, porder, top).var;
  // Direction in which E[L | z] rises fastest at the origin: -Σ nᵢ lossᵢ φ(tᵢ) bᵢ/sᵢ.
  std::vector<double> dir(m.k, 0.0);
  for (size_t i = 0; i < m.Lines(); ++i) {
    const int32_t c = m.klass[i];
    const double inv_s = m.class_inv_s[c];
    const double w =
        static_cast<double>(m.count[i]) * m.loss[i] * NormalPdf(m.class_c[c] * inv_s) * inv_s;
    const double* row = m.Row(m.class_row[c]);
    for (int j = 0; j < m.k; ++j) dir[j] -= w * row[j];
  }
  double norm = 0;
  for (double v : dir) norm += v * v;
  norm = std::sqrt(norm);
  if (norm > 0 && x > 0) {
    for (double& v : dir) v /= norm;
    auto at = [&](double t) {
      std::vector<double> z(m.k);
      for (int j = 0; j < m.k; ++j) z[j] = t * dir[j];
      return ConditionalLoss(m, z);
    };
    double lo = 0, hi = 1;
    while (at(hi) < x && hi < 40) hi *= 2;
    for (int it = 0; it < 100; ++it) {
      const double mid = 0.5 * (lo + hi);
      (at(mid) < x ? lo : hi) = mid;
    }
    shift.resize(m.k);
    for (int j = 0; j < m.k; ++j) shift[j] = 0.5 * (lo + hi) * dir[j];
  }
  return shift;
}

}  // namespace

Result<McResult> PortfolioMonteCarlo(const McInput& in) {
  CORRIDOR_TRY_STATUS(ValidateMcInput(in));
  const McModel m = CORRIDOR_TRY(BuildMcModel(in));
  const double top = *std::max_element(in.confidence_levels.begin(), in.confidence_levels.end());
  McResult r;
  r.scenarios = in.scenarios;
  for (size_t i = 0; i < m.Lines(); ++i) {
    r.analytic_expected_loss += static_cast<double>(m.count[i]) * m.loss[i] * in.obligors[i].pd;
  }

  if (in.engine) CORRIDOR_TRY_STATUS(in.engine->Load(m));
  std::vector<double> shift;
  if (in.importance_sampling) {
    shift = CORRIDOR_TRY(ImportanceShift(m, in, top));
    r.shift = shift;
  }

  // Pass 1: every scenario's loss (and weight).
  std::vector<double> loss(in.scenarios), weight(in.scenarios, 1.0);
  std::atomic<int64_t> done{0};
  const int64_t total_work = in.scenarios + (in.contributions ? in.scenarios / 50 : 0);
  if (in.engine) {
    // Batches of about a hundredth of the run, for progress and cancellation.
    r.backend = in.engine->Name();
    const int64_t batch = std::max<int64_t>(65'536, in.scenarios / 100);
    for (int64_t lo = 0; lo < in.scenarios; lo += batch) {
      if (in.cancel && in.cancel->load(std::memory_order_relaxed)) break;
      const int64_t count = std::min(batch, in.scenarios - lo);
      CORRIDOR_TRY_STATUS(in.engine->Losses(m, in.seed, shift, 0, static_cast<uint64_t>(lo), count,
                                            loss.data() + lo, weight.data() + lo));
      if (in.progress) {
        in.progress(static_cast<double>(lo + count) / static_cast<double>(total_work));
      }
    }
  } else {
    Parallel(in.scenarios, in.threads, [&](int t, int64_t lo, int64_t hi) {
      Simulator sim(m, in.seed, shift);
      int64_t reported = 0;
      for (int64_t s = lo; s < hi; ++s) {
        const auto sc = sim.Run(static_cast<uint64_t>(s), 0, nullptr);
        loss[s] = sc.loss;
        weight[s] = sc.weight;
        if (((s - lo) & 1023) == 1023) {
          if (in.cancel && in.cancel->load(std::memory_order_relaxed)) return;
          const int64_t now = done.fetch_add(1024) + 1024;
          if (t == 0 && in.progress && now - reported >= total_work / 100) {
            in.progress(static_cast<double>(now) / static_cast<double>(total_work));
            reported = now;
          }
        }
      }
    });
  }
  if (in.cancel && in.cancel->load()) return Fail(Error::Internal("cancelled"));
  const double n = static_cast<double>(in.scenarios);
  double mean = 0, second = 0;
  for (int64_t s = 0; s < in.scenarios; ++s) {
    mean += weight[s] * loss[s];
    second += weight[s] * loss[s] * loss[s];
  }
  mean /= n;
  second /= n;
  r.expected_loss = mean;
  r.loss_std = std::sqrt(std::max(0.0, second - mean * mean));
  std::vector<int64_t> order(in.scenarios);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return loss[a] < loss[b]; });
  for (double a : in.confidence_levels) {
    const Tail t = TailAt(loss, weight, order, a);
    r.var.push_back(t.var);
    r.es.push_back(t.es);
  }
  const Tail top_tail = TailAt(loss, weight, order, top);
  r.contribution_level = top;
  {
    const double largest = in.scenarios > 0 ? loss[order.back()] : 0.0;
    r.histogram.assign(McResult::kHistogramBins, 0.0);
    r.histogram_bin_width = largest > 0 ? largest / McResult::kHistogramBins : 1.0;
    for (int64_t s = 0; s < in.scenarios; ++s) {
      const auto bin = std::min<int64_t>(McResult::kHistogramBins - 1,
                                         static_cast<int64_t>(loss[s] / r.histogram_bin_width));
      r.histogram[bin] += weight[s] / n;
    }
  }
  if (in.importance_sampling) {
    // Plain estimator variance p(1-p) against the weighted one, for P(L > VaR).
    double p = 0, m2 = 0;
    for (int64_t s = 0; s < in.scenarios; ++s) {
      if (loss[s] > top_tail.var) {
        p += weight[s];
        m2 += weight[s] * weight[s];
      }
    }
    p /= n;
    m2 /= n;
    const double var_is = m2 - p * p;
    if (var_is > 0 && p > 0) r.variance_reduction = p * (1 - p) / var_is;
  }

  // Pass 2: the tail scenarios again, per line.
  std::vector<int64_t> tail;
  for (int64_t s = 0; s < in.scenarios; ++s) {
    if (loss[s] >= top_tail.var) tail.push_back(s);
  }
  r.tail_scenarios = static_cast<int64_t>(tail.size());
  if (in.contributions && !tail.empty()) {
    const size_t lines = m.Lines();
    const int threads = static_cast<int>(
        std::max<int64_t>(1, std::min<int64_t>(in.threads, static_cast<int64_t>(tail.size()))));
    // Tail scenarios are summed in fixed blocks of 64 and the blocks added in order, so the sums
    // do not depend on the thread count.
    constexpr int64_t kBlock = 64;
    const int64_t blocks = (static_cast<int64_t>(tail.size()) + kBlock - 1) / kBlock;
    std::vector<std::vector<double>> partial(blocks, std::vector<double>(lines, 0.0));
    std::vector<double> wsum(blocks, 0.0);
    Parallel(blocks, threads, [&](int, int64_t lo, int64_t hi) {
      Simulator sim(m, in.seed, shift);
      std::vector<double> per_line(lines);
      for (int64_t b = lo; b < hi; ++b) {
        const int64_t end = std::min<int64_t>(static_cast<int64_t>(tail.size()), (b + 1) * kBlock);
        for (int64_t t = b * kBlock; t < end; ++t) {
          const auto sc = sim.Run(static_cast<uint64_t>(tail[t]), 0, per_line.data());
          for (size_t i = 0; i < lines; ++i) partial[b][i] += sc.weight * per_line[i];
          wsum[b] += sc.weight;
        }
      }
    });
    r.contributions.assign(lines, 0.0);
    double wtotal = 0;
    for (int64_t b = 0; b < blocks; ++b) {
      for (size_t i = 0; i < lines; ++i) r.contributions[i] += partial[b][i];
      wtotal += wsum[b];
    }
    for (double& c : r.contributions) c /= wtotal;
    std::map<std::string, double> sectors, banks;
    for (size_t i = 0; i < lines; ++i) {
      sectors[in.obligors[i].sector] += r.contributions[i];
      if (!in.obligors[i].bank.empty()) banks[in.obligors[i].bank] += r.contributions[i];
    }
    for (const auto& [name, v] : sectors) r.sector_contributions.push_back({name, v});
    for (const auto& [name, v] : banks) r.bank_contributions.push_back({name, v});
  }
  if (in.progress) in.progress(1.0);
  return r;
}

}  // namespace corridor::risk
