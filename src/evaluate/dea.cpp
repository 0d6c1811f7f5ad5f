#include "evaluate/dea.hpp"

#include <fmt/format.h>
#include <glpk.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

namespace corridor::evaluate {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A λ column enters when its reduced cost is below -kPriceTolerance (GLPK's own dual tolerance
// is 1e-7 on the same scale).
constexpr double kPriceTolerance = 1e-7;
constexpr double kEfficientTolerance = 1e-7;

// DMU data divided by a per-dimension scale (the mean magnitude), one row per DMU: inputs, then
// outputs, then undesirable outputs.
struct Technology {
  int n = 0, m = 0, s = 0, b = 0;
  std::vector<double> data;
  int Width() const { return m + s + b; }
  const double* Row(int j) const { return data.data() + static_cast<size_t>(j) * Width(); }
};

std::vector<double> Scales(const std::vector<const Matrix*>& blocks, int width) {
  std::vector<double> sum(width, 0.0);
  std::vector<size_t> count(width, 0);
  for (size_t k = 0; k < blocks.size(); k += 3) {
    int offset = 0;
    for (size_t part = 0; part < 3; ++part) {
      const Matrix& mtx = *blocks[k + part];
      int w = mtx.empty() ? 0 : static_cast<int>(mtx[0].size());
      for (const auto& row : mtx) {
        for (int d = 0; d < w; ++d) {
          sum[offset + d] += std::abs(row[d]);
          ++count[offset + d];
        }
      }
      offset += w;
    }
  }
  std::vector<double> scale(width, 1.0);
  for (int d = 0; d < width; ++d) {
    if (count[d] && sum[d] > 0) scale[d] = sum[d] / static_cast<double>(count[d]);
  }
  return scale;
}

Technology Build(const Matrix& x, const Matrix& y, const Matrix& bad,
                 const std::vector<double>& scale) {
  Technology t;
  t.n = static_cast<int>(x.size());
  t.m = static_cast<int>(x[0].size());
  t.s = static_cast<int>(y[0].size());
  t.b = bad.empty() ? 0 : static_cast<int>(bad[0].size());
  t.data.reserve(static_cast<size_t>(t.n) * t.Width());
  for (int j = 0; j < t.n; ++j) {
    int d = 0;
    for (double v : x[j]) t.data.push_back(v / scale[d++]);
    for (double v : y[j]) t.data.push_back(v / scale[d++]);
    if (t.b) {
      for (double v : bad[j]) t.data.push_back(v / scale[d++]);
    }
  }
  return t;
}

// Rows >= 1, all the same width >= 1, finite and non-negative.
Status CheckBlock(const Matrix& x, const std::string& field, size_t rows, bool allow_empty) {
  if (x.empty() && allow_empty) return {};
  if (x.size() != rows) {
    return Fail(Error::Invalid("/" + field, fmt::format("needs one row per DMU ({})", rows)));
  }
  if (x[0].empty()) return Fail(Error::Invalid("/" + field, "rows need at least one column"));
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].size() != x[0].size()) {
      return Fail(
          Error::Invalid(fmt::format("/{}/{}", field, i), "has a different number of columns"));
    }
    for (size_t j = 0; j < x[i].size(); ++j) {
      if (!std::isfinite(x[i][j]) || x[i][j] < 0) {
        return Fail(Error::Invalid(fmt::format("/{}/{}/{}", field, i, j),
                                   "must be a finite non-negative number"));
      }
    }
  }
  return {};
}

Status CheckThreads(int threads) {
  if (threads < 1 || threads > 256) return Fail(Error::Invalid("/threads", "must be 1 to 256"));
  return {};
}

// Where the λ columns put their coefficients: the first row of each block (0-based), -1 when
// the block is absent.
struct Layout {
  int inputs = -1, outputs = -1, undesirable = -1, convexity = -1;
};

// A restricted master program: model-specific columns plus λ columns on reference DMUs, added
// by pricing. One per thread; reset for each DMU.
class Master {
 public:
  Master() : lp_(glp_create_prob()) {
    glp_init_smcp(&parm_);
    parm_.msg_lev = GLP_MSG_OFF;
    parm_.presolve = GLP_OFF;
  }
  ~Master() { glp_delete_prob(lp_); }
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  void Reset(const Technology& tech, int rows, Layout layout, int exclude) {
    glp_erase_prob(lp_);
    glp_set_obj_dir(lp_, GLP_MIN);
    glp_add_rows(lp_, rows);
    tech_ = &tech;
    layout_ = layout;
    exclude_ = exclude;
    fixed_ = 0;
    lambda_dmu_.clear();
    in_.assign(tech.n, 0);
    duals_.assign(rows, 0.0);
  }

  // Row r (0-based): lo <= row <= hi; infinite bounds are free.
  void SetRow(int r, double lo, double hi) {
    int type = lo == hi                           ? GLP_FX
               : std::isinf(lo) && std::isinf(hi) ? GLP_FR
               : std::isinf(lo)                   ? GLP_UP
               : std::isinf(hi)                   ? GLP_LO
                                                  : GLP_DB;
    glp_set_row_bnds(lp_, r + 1, type, std::isinf(lo) ? 0 : lo, std::isinf(hi) ? 0 : hi);
  }

  // A model column (θ, t, a slack); returns its index for Value(). Add them before any λ.
  int AddColumn(double lo, double hi, double cost, const std::vector<std::pair<int, double>>& a) {
    int col = glp_add_cols(lp_, 1);
    glp_set_col_bnds(lp_, col, std::isinf(hi) ? GLP_LO : (lo == hi ? GLP_FX : GLP_DB), lo,
                     std::isinf(hi) ? 0 : hi);
    glp_set_obj_coef(lp_, col, cost);
    SetColumn(col, a);
    ++fixed_;
    return col;
  }

  void SetCost(int col, double cost) { glp_set_obj_coef(lp_, col, cost); }
  void Fix(int col, double value) { glp_set_col_bnds(lp_, col, GLP_FX, value, value); }

  void AddLambda(int j) {
    if (in_[j] || j == exclude_) return;
    in_[j] = 1;
    int col = glp_add_cols(lp_, 1);
    glp_set_col_bnds(lp_, col, GLP_LO, 0, 0);
    const double* row = tech_->Row(j);
    std::vector<std::pair<int, double>> a;
    a.reserve(static_cast<size_t>(tech_->m + tech_->s + tech_->b) + 1);
    for (int i = 0; i < tech_->m; ++i) a.emplace_back(layout_.inputs + i, row[i]);
    for (int r = 0; r < tech_->s; ++r) a.emplace_back(layout_.outputs + r, row[tech_->m + r]);
    for (int k = 0; k < tech_->b; ++k) {
      a.emplace_back(layout_.undesirable + k, row[tech_->m + tech_->s + k]);
    }
    if (layout_.convexity >= 0) a.emplace_back(layout_.convexity, 1.0);
    SetColumn(col, a);
    lambda_dmu_.push_back(j);
  }

  // Deterministic starting columns: the DMU itself, and for each dimension the reference DMU
  // best on it (smallest input, largest output).
  void AddStartColumns(int self) {
    if (self >= 0 && self < tech_->n) AddLambda(self);
    const int w = tech_->Width();
    for (int d = 0; d < w; ++d) {
      int best = -1;
      for (int j = 0; j < tech_->n; ++j) {
        if (j == exclude_) continue;
        double v = tech_->Row(j)[d];
        bool input_like = d < tech_->m || d >= tech_->m + tech_->s;
        if (best < 0 || (input_like ? v < tech_->Row(best)[d] : v > tech_->Row(best)[d])) {
          best = j;
        }
      }
      if (best >= 0) AddLambda(best);
    }
  }

  void AddAllColumns() { AddAll(); }

  enum class Outcome { kOptimal, kInfeasible };

  Result<Outcome> Optimize() {
    for (;;) {
      int rc = glp_simplex(lp_, &parm_);
      if (rc != 0) {
        glp_std_basis(lp_);
        rc = glp_simplex(lp_, &parm_);
      }
      if (rc != 0) return Fail(Error::Internal(fmt::format("simplex failed (glpk code {})", rc)));
      int status = glp_get_status(lp_);
      if (status == GLP_NOFEAS || status == GLP_INFEAS || status == GLP_UNDEF) {
        if (!AddAll()) return Outcome::kInfeasible;
        continue;
      }
      if (status == GLP_UNBND) return Fail(Error::Internal("unbounded DEA program"));
      if (!Price()) return Outcome::kOptimal;
    }
  }

  double Objective() const { return glp_get_obj_val(lp_); }
  double Value(int col) const { return glp_get_col_prim(lp_, col); }

  std::vector<Peer> Lambdas(double divisor) const {
    std::vector<Peer> out;
    for (size_t k = 0; k < lambda_dmu_.size(); ++k) {
      double v = glp_get_col_prim(lp_, fixed_ + 1 + static_cast<int>(k)) / divisor;
      if (v > 1e-10) out.push_back({lambda_dmu_[k], v});
    }
    std::sort(out.begin(), out.end(), [](const Peer& a, const Peer& b) { return a.dmu < b.dmu; });
    return out;
  }

 private:
  void SetColumn(int col, const std::vector<std::pair<int, double>>& a) {
    ind_.assign(1, 0);
    val_.assign(1, 0.0);
    for (auto [r, v] : a) {
      if (v == 0) continue;
      ind_.push_back(r + 1);
      val_.push_back(v);
    }
    glp_set_mat_col(lp_, col, static_cast<int>(ind_.size()) - 1, ind_.data(), val_.data());
  }

  bool AddAll() {
    bool added = false;
    for (int j = 0; j < tech_->n; ++j) {
      if (!in_[j] && j != exclude_) {
        AddLambda(j);
        added = true;
      }
    }
    return added;
  }

  // Adds the λ columns with the most negative reduced costs; false when there are none.
  bool Price() {
    for (size_t r = 0; r < duals_.size(); ++r) {
      duals_[r] = glp_get_row_dual(lp_, static_cast<int>(r) + 1);
    }
    const int m = tech_->m, s = tech_->s, b = tech_->b;
    const double conv = layout_.convexity >= 0 ? duals_[layout_.convexity] : 0.0;
    const double* pi_in = duals_.data() + layout_.inputs;
    const double* pi_out = duals_.data() + layout_.outputs;
    const double* pi_bad = b ? duals_.data() + layout_.undesirable : nullptr;
    candidates_.clear();
    for (int j = 0; j < tech_->n; ++j) {
      if (in_[j] || j == exclude_) continue;
      const double* row = tech_->Row(j);
      double a = conv;
      for (int i = 0; i < m; ++i) a += pi_in[i] * row[i];
      for (int r = 0; r < s; ++r) a += pi_out[r] * row[m + r];
      for (int k = 0; k < b; ++k) a += pi_bad[k] * row[m + s + k];
      double reduced = -a;
      if (reduced < -kPriceTolerance) candidates_.emplace_back(reduced, j);
    }
    if (candidates_.empty()) return false;
    const size_t take = std::min(candidates_.size(), static_cast<size_t>(24));
    std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<long>(take),
                      candidates_.end());
    for (size_t k = 0; k < take; ++k) AddLambda(candidates_[k].second);
    return true;
  }

  glp_prob* lp_;
  glp_smcp parm_{};
  const Technology* tech_ = nullptr;
  Layout layout_;
  int exclude_ = -1;
  int fixed_ = 0;
  std::vector<int> lambda_dmu_;
  std::vector<char> in_;
  std::vector<double> duals_;
  std::vector<std::pair<double, int>> candidates_;
  std::vector<int> ind_;
  std::vector<double> val_;
};

// Runs body(master, o) for o in [0, count) on `threads` threads, each with its own Master and
// GLPK environment, telling `progress` (when set) after each DMU. The first error wins.
template <typename Body>
Status ForEachDmu(int count, int threads, const DeaProgress& progress, Body inner) {
  std::atomic<int64_t> done{0};
  auto body = [&](Master& lp, int o) -> Status {
    Status st = inner(lp, o);
    if (progress) progress(done.fetch_add(1) + 1, count);
    return st;
  };
  threads = std::max(1, std::min(threads, count));
  std::vector<Status> status(threads);
  auto work = [&](int t) {
    {
      Master master;
      for (int o = t; o < count; o += threads) {
        Status st = body(master, o);
        if (!st) {
          status[t] = st;
          break;
        }
      }
    }
    glp_free_env();  // GLPK keeps one environment per thread
  };
  if (threads == 1) {
    Status st;
    {
      Master master;
      for (int o = 0; o < count && st; ++o) st = body(master, o);
    }
    glp_free_env();
    return st;
  }
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& th : pool) th.join();
  for (auto& st : status) CORRIDOR_TRY_STATUS(st);
  return {};
}

struct RadialOutcome {
  std::optional<double> score;  // θ, or 1/φ
  std::vector<Peer> peers;
  std::vector<double> input_slacks, output_slacks;  // scaled back to data units
};

// Radial efficiency of the point (x0, y0), a row of `point` technology, against `ref`.
// `exclude` drops one reference DMU (super-efficiency); `self` is the point's index in `ref`
// when it belongs to it, else -1.
Result<RadialOutcome> Radial(Master& lp, const Technology& ref, const double* point, int self,
                             int exclude, Returns returns, Orientation orientation, bool slacks,
                             const std::vector<double>& scale, bool all_columns = false) {
  const int m = ref.m, s = ref.s;
  const bool vrs = returns == Returns::kVariable;
  const int rows = m + s + (vrs ? 1 : 0);
  lp.Reset(ref, rows, {.inputs = 0, .outputs = m, .convexity = vrs ? m + s : -1}, exclude);
  const bool input = orientation == Orientation::kInput;
  // input:  Xλ + s⁻ - θx₀ = 0,  Yλ - s⁺ = y₀;   output: Xλ + s⁻ = x₀,  Yλ - s⁺ - φy₀ = 0.
  for (int i = 0; i < m; ++i) lp.SetRow(i, input ? 0 : point[i], input ? 0 : point[i]);
  for (int r = 0; r < s; ++r) lp.SetRow(m + r, input ? point[m + r] : 0, input ? point[m + r] : 0);
  if (vrs) lp.SetRow(m + s, 1, 1);
  std::vector<std::pair<int, double>> a;
  if (input) {
    for (int i = 0; i < m; ++i) a.emplace_back(i, -point[i]);
  } else {
    for (int r = 0; r < s; ++r) a.emplace_back(m + r, -point[m + r]);
  }
  const int radial = lp.AddColumn(0, kInf, input ? 1.0 : -1.0, a);
  std::vector<int> slack_cols;
  slack_cols.reserve(static_cast<size_t>(m) + static_cast<size_t>(s));
  for (int i = 0; i < m; ++i) slack_cols.push_back(lp.AddColumn(0, kInf, 0, {{i, 1.0}}));
  for (int r = 0; r < s; ++r) slack_cols.push_back(lp.AddColumn(0, kInf, 0, {{m + r, -1.0}}));
  lp.AddStartColumns(self);
  if (all_columns) lp.AddAllColumns();
  RadialOutcome out;
  auto outcome = CORRIDOR_TRY(lp.Optimize());
  if (outcome == Master::Outcome::kInfeasible) return out;
  const double value = lp.Value(radial);
  if (!input && value <= 0) return Fail(Error::Internal("output-oriented score is zero"));
  out.score = input ? value : 1.0 / value;
  if (slacks) {
    lp.Fix(radial, value);
    lp.SetCost(radial, 0);
    for (int col : slack_cols) lp.SetCost(col, -1.0);
    outcome = CORRIDOR_TRY(lp.Optimize());
    if (outcome == Master::Outcome::kInfeasible) {
      return Fail(Error::Internal("max-slack stage lost feasibility"));
    }
  }
  out.peers = lp.Lambdas(1.0);
  for (int i = 0; i < m; ++i) out.input_slacks.push_back(lp.Value(slack_cols[i]) * scale[i]);
  for (int r = 0; r < s; ++r) {
    out.output_slacks.push_back(lp.Value(slack_cols[m + r]) * scale[m + r]);
  }
  return out;
}

Status CheckDmus(const Matrix& inputs, const Matrix& outputs, size_t min_rows) {
  if (inputs.size() < min_rows) {
    return Fail(Error::Invalid("/inputs", fmt::format("needs at least {} DMUs", min_rows)));
  }
  CORRIDOR_TRY_STATUS(CheckBlock(inputs, "inputs", inputs.size(), false));
  CORRIDOR_TRY_STATUS(CheckBlock(outputs, "outputs", inputs.size(), false));
  return {};
}

// The evaluated DMU needs something to scale: a positive input (input orientation) or output.
Status CheckScalable(const Matrix& inputs, const Matrix& outputs, Orientation orientation) {
  for (size_t o = 0; o < inputs.size(); ++o) {
    const auto& v = orientation == Orientation::kInput ? inputs[o] : outputs[o];
    if (std::none_of(v.begin(), v.end(), [](double x) { return x > 0; })) {
      return Fail(Error::Invalid(
          fmt::format("/{}/{}", orientation == Orientation::kInput ? "inputs" : "outputs", o),
          "needs at least one positive value"));
    }
  }
  return {};
}

}  // namespace

Result<DeaResult> Dea(const Matrix& inputs, const Matrix& outputs, const DeaOptions& options) {
  CORRIDOR_TRY_STATUS(CheckDmus(inputs, outputs, 1));
  CORRIDOR_TRY_STATUS(CheckThreads(options.threads));
  CORRIDOR_TRY_STATUS(CheckScalable(inputs, outputs, options.orientation));
  const Matrix none;
  const auto scale =
      Scales({&inputs, &outputs, &none}, static_cast<int>(inputs[0].size() + outputs[0].size()));
  const Technology tech = Build(inputs, outputs, none, scale);
  const int n = tech.n;
  DeaResult out;
  out.efficiency.resize(n);
  out.peers.resize(n);
  out.input_slacks.resize(n);
  out.output_slacks.resize(n);
  CORRIDOR_TRY_STATUS(
      ForEachDmu(n, options.threads, options.progress, [&](Master& lp, int o) -> Status {
        auto r = CORRIDOR_TRY(Radial(lp, tech, tech.Row(o), options.super_efficiency ? -1 : o,
                                     options.super_efficiency ? o : -1, options.returns,
                                     options.orientation, options.slacks, scale,
                                     !options.column_generation));
        out.efficiency[o] = r.score;
        out.peers[o] = std::move(r.peers);
        out.input_slacks[o] = std::move(r.input_slacks);
        out.output_slacks[o] = std::move(r.output_slacks);
        return {};
      }));
  return out;
}

namespace {

struct SbmOutcome {
  std::optional<double> score;
  std::vector<Peer> peers;
  std::vector<double> input_slacks, output_slacks, undesirable_slacks;
};

// Tone (2001, 2003) SBM by the Charnes-Cooper transformation, variables t, S⁻, S⁺, Sᵇ, Λ:
// min t - (1/m)ΣS⁻ᵢ/x₀ᵢ  s.t.  t + (1/(s+b))(ΣS⁺/y₀ + ΣSᵇ/b₀) = 1,  XΛ + S⁻ - t x₀ = 0,
// YΛ - S⁺ - t y₀ = 0,  BΛ + Sᵇ - t b₀ = 0,  (VRS) ΣΛ - t = 0.
Result<SbmOutcome> SbmProgram(Master& lp, const Technology& tech, int o, Returns returns,
                              const std::vector<double>& scale) {
  const int m = tech.m, s = tech.s, b = tech.b;
  const bool vrs = returns == Returns::kVariable;
  const double* p = tech.Row(o);
  const int norm = 0, in0 = 1, out0 = 1 + m, bad0 = 1 + m + s, conv = 1 + m + s + b;
  lp.Reset(
      tech, conv + (vrs ? 1 : 0),
      {.inputs = in0, .outputs = out0, .undesirable = b ? bad0 : -1, .convexity = vrs ? conv : -1},
      -1);
  lp.SetRow(norm, 1, 1);
  for (int k = 1; k < conv + (vrs ? 1 : 0); ++k) lp.SetRow(k, 0, 0);
  std::vector<std::pair<int, double>> t_col{{norm, 1.0}};
  for (int i = 0; i < m; ++i) t_col.emplace_back(in0 + i, -p[i]);
  for (int r = 0; r < s; ++r) t_col.emplace_back(out0 + r, -p[m + r]);
  for (int k = 0; k < b; ++k) t_col.emplace_back(bad0 + k, -p[m + s + k]);
  if (vrs) t_col.emplace_back(conv, -1.0);
  const int t = lp.AddColumn(0, kInf, 1.0, t_col);
  std::vector<int> cols;
  cols.reserve(static_cast<size_t>(m) + static_cast<size_t>(s) + static_cast<size_t>(b));
  for (int i = 0; i < m; ++i) {
    cols.push_back(lp.AddColumn(0, kInf, -1.0 / (m * p[i]), {{in0 + i, 1.0}}));
  }
  const double share = 1.0 / (s + b);
  for (int r = 0; r < s; ++r) {
    cols.push_back(lp.AddColumn(0, kInf, 0, {{norm, share / p[m + r]}, {out0 + r, -1.0}}));
  }
  for (int k = 0; k < b; ++k) {
    cols.push_back(lp.AddColumn(0, kInf, 0, {{norm, share / p[m + s + k]}, {bad0 + k, 1.0}}));
  }
  lp.AddStartColumns(o);
  auto outcome = CORRIDOR_TRY(lp.Optimize());
  if (outcome == Master::Outcome::kInfeasible) return Fail(Error::Internal("SBM infeasible"));
  const double tv = lp.Value(t);
  SbmOutcome out;
  out.score = lp.Objective();
  out.peers = lp.Lambdas(tv);
  for (int i = 0; i < m; ++i) out.input_slacks.push_back(lp.Value(cols[i]) / tv * scale[i]);
  for (int r = 0; r < s; ++r) {
    out.output_slacks.push_back(lp.Value(cols[m + r]) / tv * scale[m + r]);
  }
  for (int k = 0; k < b; ++k) {
    out.undesirable_slacks.push_back(lp.Value(cols[m + s + k]) / tv * scale[m + s + k]);
  }
  return out;
}

// Tone (2002) super-SBM for an SBM-efficient DMU o, variables t, Φ, Ψ, Λ (j ≠ o):
// min t + (1/m)ΣΦᵢ/x₀ᵢ  s.t.  t - (1/s)ΣΨᵣ/y₀ᵣ = 1,  XΛ - Φ - t x₀ ≤ 0,  YΛ + Ψ - t y₀ ≥ 0,
// Ψ - t y₀ ≤ 0,  (VRS) ΣΛ - t = 0.  Φ/t and Ψ/t are the input increase and output decrease.
Result<SbmOutcome> SuperSbmProgram(Master& lp, const Technology& tech, int o, Returns returns,
                                   const std::vector<double>& scale) {
  const int m = tech.m, s = tech.s;
  const bool vrs = returns == Returns::kVariable;
  const double* p = tech.Row(o);
  const int norm = 0, in0 = 1, out0 = 1 + m, cap0 = 1 + m + s, conv = 1 + m + 2 * s;
  lp.Reset(tech, conv + (vrs ? 1 : 0),
           {.inputs = in0, .outputs = out0, .convexity = vrs ? conv : -1}, o);
  lp.SetRow(norm, 1, 1);
  for (int i = 0; i < m; ++i) lp.SetRow(in0 + i, -kInf, 0);
  for (int r = 0; r < s; ++r) lp.SetRow(out0 + r, 0, kInf);
  for (int r = 0; r < s; ++r) lp.SetRow(cap0 + r, -kInf, 0);
  if (vrs) lp.SetRow(conv, 0, 0);
  std::vector<std::pair<int, double>> t_col{{norm, 1.0}};
  for (int i = 0; i < m; ++i) t_col.emplace_back(in0 + i, -p[i]);
  for (int r = 0; r < s; ++r) t_col.emplace_back(out0 + r, -p[m + r]);
  for (int r = 0; r < s; ++r) t_col.emplace_back(cap0 + r, -p[m + r]);
  if (vrs) t_col.emplace_back(conv, -1.0);
  const int t = lp.AddColumn(0, kInf, 1.0, t_col);
  std::vector<int> cols;
  cols.reserve(static_cast<size_t>(m) + 2 * static_cast<size_t>(s));
  for (int i = 0; i < m; ++i) {
    cols.push_back(lp.AddColumn(0, kInf, 1.0 / (m * p[i]), {{in0 + i, -1.0}}));
  }
  for (int r = 0; r < s; ++r) {
    cols.push_back(lp.AddColumn(0, kInf, 0,
                                {{norm, -1.0 / (s * p[m + r])}, {out0 + r, 1.0}, {cap0 + r, 1.0}}));
  }
  lp.AddStartColumns(-1);
  SbmOutcome out;
  auto outcome = CORRIDOR_TRY(lp.Optimize());
  if (outcome == Master::Outcome::kInfeasible) return out;
  const double tv = lp.Value(t);
  out.score = lp.Objective();
  out.peers = lp.Lambdas(tv);
  // Reported as the excess over the DMU's own data: input increase Φ/t and output decrease Ψ/t.
  for (int i = 0; i < m; ++i) out.input_slacks.push_back(lp.Value(cols[i]) / tv * scale[i]);
  for (int r = 0; r < s; ++r) {
    out.output_slacks.push_back(lp.Value(cols[m + r]) / tv * scale[m + r]);
  }
  return out;
}

}  // namespace

Result<SbmResult> Sbm(const Matrix& inputs, const Matrix& outputs, const Matrix& undesirable,
                      const SbmOptions& options) {
  CORRIDOR_TRY_STATUS(CheckDmus(inputs, outputs, 1));
  CORRIDOR_TRY_STATUS(CheckBlock(undesirable, "undesirable_outputs", inputs.size(), true));
  CORRIDOR_TRY_STATUS(CheckThreads(options.threads));
  if (options.super && !undesirable.empty()) {
    return Fail(Error::Invalid("/super",
                               "super-SBM with undesirable outputs is not supported; "
                               "run it without `undesirable_outputs` or without `super`"));
  }
  // The SBM ratios divide by every value of the evaluated DMU (Tone 2001 assumes positive data).
  auto positive = [](const Matrix& x, const char* field) -> Status {
    for (size_t o = 0; o < x.size(); ++o) {
      for (size_t d = 0; d < x[o].size(); ++d) {
        if (!(x[o][d] > 0)) {
          return Fail(
              Error::Invalid(fmt::format("/{}/{}/{}", field, o, d), "must be positive for SBM"));
        }
      }
    }
    return {};
  };
  CORRIDOR_TRY_STATUS(positive(inputs, "inputs"));
  CORRIDOR_TRY_STATUS(positive(outputs, "outputs"));
  CORRIDOR_TRY_STATUS(positive(undesirable, "undesirable_outputs"));
  const int width = static_cast<int>(inputs[0].size() + outputs[0].size() +
                                     (undesirable.empty() ? 0 : undesirable[0].size()));
  const auto scale = Scales({&inputs, &outputs, &undesirable}, width);
  const Technology tech = Build(inputs, outputs, undesirable, scale);
  const int n = tech.n;
  SbmResult out;
  out.efficiency.resize(n);
  out.peers.resize(n);
  out.input_slacks.resize(n);
  out.output_slacks.resize(n);
  out.undesirable_slacks.resize(n);
  CORRIDOR_TRY_STATUS(
      ForEachDmu(n, options.threads, options.progress, [&](Master& lp, int o) -> Status {
        auto r = CORRIDOR_TRY(SbmProgram(lp, tech, o, options.returns, scale));
        if (options.super && *r.score >= 1 - kEfficientTolerance && n > 1) {
          r = CORRIDOR_TRY(SuperSbmProgram(lp, tech, o, options.returns, scale));
        }
        out.efficiency[o] = r.score;
        out.peers[o] = std::move(r.peers);
        out.input_slacks[o] = std::move(r.input_slacks);
        out.output_slacks[o] = std::move(r.output_slacks);
        out.undesirable_slacks[o] = std::move(r.undesirable_slacks);
        return {};
      }));
  return out;
}

Result<std::vector<MalmquistEntry>> Malmquist(const std::vector<Period>& periods, Returns returns,
                                              Orientation orientation, int threads) {
  if (periods.size() < 2) return Fail(Error::Invalid("/periods", "needs at least two periods"));
  CORRIDOR_TRY_STATUS(CheckThreads(threads));
  const size_t n = periods[0].inputs.size();
  std::vector<const Matrix*> blocks;
  const Matrix none;
  for (size_t p = 0; p < periods.size(); ++p) {
    auto field = [&](const char* name) { return fmt::format("periods/{}/{}", p, name); };
    if (periods[p].inputs.size() != n || n == 0) {
      return Fail(Error::Invalid("/" + field("inputs"),
                                 fmt::format("needs the same DMUs in every period ({})", n)));
    }
    CORRIDOR_TRY_STATUS(CheckBlock(periods[p].inputs, field("inputs"), n, false));
    CORRIDOR_TRY_STATUS(CheckBlock(periods[p].outputs, field("outputs"), n, false));
    if (periods[p].inputs[0].size() != periods[0].inputs[0].size() ||
        periods[p].outputs[0].size() != periods[0].outputs[0].size()) {
      return Fail(Error::Invalid("/" + field("inputs"),
                                 "needs the same inputs and outputs in every period"));
    }
    CORRIDOR_TRY_STATUS(CheckScalable(periods[p].inputs, periods[p].outputs, orientation));
    blocks.insert(blocks.end(), {&periods[p].inputs, &periods[p].outputs, &none});
  }
  const int width = static_cast<int>(periods[0].inputs[0].size() + periods[0].outputs[0].size());
  const auto scale = Scales(blocks, width);
  std::vector<Technology> tech;
  tech.reserve(periods.size());
  for (const auto& p : periods) tech.push_back(Build(p.inputs, p.outputs, none, scale));
  const int pairs = static_cast<int>(periods.size()) - 1;
  std::vector<MalmquistEntry> out(static_cast<size_t>(pairs) * n);
  CORRIDOR_TRY_STATUS(ForEachDmu(
      static_cast<int>(out.size()), threads, DeaProgress(), [&](Master& lp, int k) -> Status {
        const int t = k / static_cast<int>(n), o = k % static_cast<int>(n);
        // D^a(b): the period-b point against the period-a frontier.
        auto d = [&](int a, int b) -> Result<std::optional<double>> {
          auto r = CORRIDOR_TRY(Radial(lp, tech[a], tech[b].Row(o), a == b ? o : -1, -1, returns,
                                       orientation, false, scale));
          return r.score;
        };
        auto tt = CORRIDOR_TRY(d(t, t));
        auto t1 = CORRIDOR_TRY(d(t, t + 1));
        auto ut = CORRIDOR_TRY(d(t + 1, t));
        auto uu = CORRIDOR_TRY(d(t + 1, t + 1));
        MalmquistEntry& e = out[k];
        e.dmu = o;
        e.from_period = t;
        if (tt && uu && *tt > 0) e.efficiency_change = *uu / *tt;
        if (tt && t1 && ut && uu && *tt > 0 && *ut > 0) {
          e.malmquist = std::sqrt((*t1 / *tt) * (*uu / *ut));
          if (e.efficiency_change && *e.efficiency_change > 0) {
            e.technical_change = *e.malmquist / *e.efficiency_change;
          }
        }
        return {};
      }));
  return out;
}

}  // namespace corridor::evaluate
