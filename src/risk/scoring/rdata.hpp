#pragma once
// Reads a data frame out of an R data file (what R's save() writes: "RDX2" or "RDX3", XDR
// serialization version 2 or 3, compressed with gzip or bzip2 or not at all; R Internals, §1.8
// "Serialization formats"), so that the published datasets Debian's R packages ship — the UCI
// Statlog German credit data in r-cran-caret's GermanCredit.RData — are read without R. Numeric,
// integer and logical columns and factors; NA becomes NaN (a factor's NA: code −1). Anything else
// in the file (functions, environments, ALTREP objects) is refused by name.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::scoring {

struct RColumn {
  std::string name;
  bool factor = false;
  std::vector<double> numbers;      // numeric columns
  std::vector<int> codes;           // factors: 0-based level, −1 for NA
  std::vector<std::string> levels;  // factors
};

struct RDataFrame {
  size_t rows = 0;
  std::vector<RColumn> columns;
  const RColumn* Find(std::string_view name) const;
};

// The data frame bound to `object` in the file at `path`.
Result<RDataFrame> ReadRDataFrame(const std::string& path, std::string_view object);

}  // namespace corridor::risk::scoring
