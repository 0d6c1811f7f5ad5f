#include "risk/contagion/clearing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <thread>

#include "core/int128.hpp"

namespace corridor::risk {

namespace {

// Solves A x = b in place (dense, partial pivoting); false when singular.
bool SolveDense(std::vector<std::vector<double>>& a, std::vector<double>& b) {
  const size_t n = b.size();
  for (size_t c = 0; c < n; ++c) {
    size_t pivot = c;
    for (size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    }
    if (std::abs(a[pivot][c]) < 1e-12) return false;
    std::swap(a[c], a[pivot]);
    std::swap(b[c], b[pivot]);
    for (size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      if (f == 0) continue;
      for (size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  for (size_t c = n; c-- > 0;) {
    double s = b[c];
    for (size_t k = c + 1; k < n; ++k) s -= a[c][k] * b[k];
    b[c] = s / a[c][c];
  }
  return true;
}

}  // namespace

Result<ClearingResult> EisenbergNoe(const SparseMatrix& liabilities,
                                    const std::vector<double>& external, double alpha,
                                    double beta) {
  const int n = liabilities.n;
  if (n < 1) return Fail(Error::Invalid("/liabilities", "needs at least one node"));
  if (external.size() != static_cast<size_t>(n)) {
    return Fail(
        Error::Invalid("/external_assets", fmt::format("needs one value per node ({})", n)));
  }
  for (int i = 0; i < n; ++i) {
    if (!(external[i] >= 0) || !std::isfinite(external[i])) {
      return Fail(Error::Invalid(fmt::format("/external_assets/{}", i), "must be non-negative"));
    }
  }
  if (!(alpha >= 0 && alpha <= 1)) return Fail(Error::Invalid("/alpha", "must be in [0, 1]"));
  if (!(beta >= 0 && beta <= 1)) return Fail(Error::Invalid("/beta", "must be in [0, 1]"));
  std::vector<double> pbar(n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (auto [j, l] : liabilities.rows[i]) pbar[i] += l;
  }
  // in[i]: (j, Πⱼᵢ) — the share of j's payments that goes to i.
  std::vector<std::vector<std::pair<int, double>>> in(n);
  for (int j = 0; j < n; ++j) {
    for (auto [i, l] : liabilities.rows[j]) in[i].emplace_back(j, l / pbar[j]);
  }
  ClearingResult r;
  std::vector<double> p = pbar;
  std::vector<bool> d(n, false);
  auto inflow = [&](int i) {
    double s = 0;
    for (auto [j, pi] : in[i]) s += pi * p[j];
    return s;
  };
  for (;;) {
    ++r.rounds;
    // New defaults under the current payments.
    bool grew = false;
    for (int i = 0; i < n; ++i) {
      if (!d[i] && external[i] + inflow(i) < pbar[i] * (1 - 1e-14)) {
        d[i] = true;
        grew = true;
      }
    }
    if (!grew) break;
    // Solve for the defaulted payments with everyone else paying in full:
    // pᵢ = α eᵢ + β (Σ_{j∈D} Πⱼᵢ pⱼ + Σ_{j∉D} Πⱼᵢ p̄ⱼ), i ∈ D.
    std::vector<int> ds;
    std::vector<int> index(n, -1);
    for (int i = 0; i < n; ++i) {
      if (d[i]) {
        index[i] = static_cast<int>(ds.size());
        ds.push_back(i);
      }
    }
    const size_t k = ds.size();
    bool solved = false;
    if (k <= 1500) {
      std::vector<std::vector<double>> a(k, std::vector<double>(k, 0.0));
      std::vector<double> b(k, 0.0);
      for (size_t r0 = 0; r0 < k; ++r0) {
        const int i = ds[r0];
        a[r0][r0] = 1;
        b[r0] = alpha * external[i];
        for (auto [j, pi] : in[i]) {
          if (d[j]) {
            a[r0][index[j]] -= beta * pi;
          } else {
            b[r0] += beta * pi * pbar[j];
          }
        }
      }
      if (SolveDense(a, b)) {
        for (size_t r0 = 0; r0 < k; ++r0) p[ds[r0]] = std::clamp(b[r0], 0.0, pbar[ds[r0]]);
        solved = true;
      }
    }
    if (!solved) {
      // Large or singular systems: Gauss–Seidel from above, which descends monotonically to the
      // greatest solution of the restricted system.
      for (int sweep = 0; sweep < 100'000; ++sweep) {
        double change = 0;
        for (int i : ds) {
          double s = alpha * external[i];
          for (auto [j, pi] : in[i]) s += beta * pi * p[j];
          s = std::clamp(s, 0.0, pbar[i]);
          change = std::max(change, std::abs(s - p[i]));
          p[i] = s;
        }
        if (change <= 1e-13 * (1 + *std::max_element(pbar.begin(), pbar.end()))) break;
      }
    }
  }
  r.payments = p;
  r.defaulted = d;
  r.inflows.resize(n);
  r.equity.assign(n, 0.0);
  for (int i = 0; i < n; ++i) {
    r.inflows[i] = inflow(i);
    if (!d[i]) {
      r.equity[i] = external[i] + r.inflows[i] - p[i];
    } else {
      r.default_costs += external[i] + r.inflows[i] - p[i];
    }
  }
  return r;
}

}  // namespace corridor::risk
