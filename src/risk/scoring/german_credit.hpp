#pragma once
// The UCI Statlog German credit data as Debian's r-cran-caret ships it (GermanCredit.RData: 1,000
// applicants, 300 bad, 61 columns, the categorical attributes one-hot coded), as the design the
// scoring and federated tests fit against. The design: every column that is not all zeros
// (Purpose.Vacation and Personal.Female.Single are), less the last column of each one-hot group
// (its reference level): 48 columns.
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk::scoring {

inline constexpr const char* kGermanCreditPath =
    "/usr/lib/R/site-library/caret/data/GermanCredit.RData";

struct GermanCredit {
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;
  std::vector<int> bad;  // 1: Class = Bad
};

// Errors: NotFound when the file is missing (scripts/setup installs r-cran-caret).
Result<GermanCredit> LoadGermanCredit(const std::string& path = kGermanCreditPath);

}  // namespace corridor::risk::scoring
