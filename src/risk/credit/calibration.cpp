#include "risk/credit/calibration.hpp"

#include <algorithm>

namespace corridor::risk {

double ProfilePd(std::string_view scale, std::string_view credit_record, bool overdue) {
  double pd = scale == "large" ? 0.008 : scale == "medium" ? 0.012 : scale == "small" ? 0.02 : 0.03;
  if (credit_record == "minor_late") pd *= 2;
  if (credit_record == "defaulted") pd *= 5;
  if (overdue) pd *= 3;
  return std::min(pd, kMaxProfilePd);
}

double GuaranteedLgd(int cover_bps) {
  return kUnsecuredLgd * (1 - static_cast<double>(std::clamp(cover_bps, 0, 10'000)) / 10'000);
}

}  // namespace corridor::risk
