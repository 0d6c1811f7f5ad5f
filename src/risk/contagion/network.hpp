#pragma once
// Exposure networks as the contagion algorithms read them. Nodes are 0..n-1.
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

// Sparse square matrix by rows: (column, value) with value > 0.
struct SparseMatrix {
  int n = 0;
  std::vector<std::vector<std::pair<int, double>>> rows;
};

Result<SparseMatrix> SparseFromDense(const std::vector<std::vector<double>>& dense,
                                     const char* field);

}  // namespace corridor::risk
