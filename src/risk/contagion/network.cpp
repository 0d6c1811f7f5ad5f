#include "risk/contagion/network.hpp"

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

Result<SparseMatrix> SparseFromDense(const std::vector<std::vector<double>>& dense,
                                     const char* field) {
  SparseMatrix m;
  m.n = static_cast<int>(dense.size());
  m.rows.resize(dense.size());
  for (size_t i = 0; i < dense.size(); ++i) {
    if (dense[i].size() != dense.size()) {
      return Fail(Error::Invalid(fmt::format("/{}/{}", field, i),
                                 fmt::format("needs {} entries (a square matrix)", dense.size())));
    }
    for (size_t j = 0; j < dense.size(); ++j) {
      const double v = dense[i][j];
      if (!std::isfinite(v) || v < 0) {
        return Fail(Error::Invalid(fmt::format("/{}/{}/{}", field, i, j),
                                   "must be a finite non-negative number"));
      }
      if (i == j && v != 0) {
        return Fail(Error::Invalid(fmt::format("/{}/{}/{}", field, i, j),
                                   "must be 0 (no claim on oneself)"));
      }
      if (v > 0) m.rows[i].emplace_back(static_cast<int>(j), v);
    }
  }
  return m;
}

}  // namespace corridor::risk
