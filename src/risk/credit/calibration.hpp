#pragma once
// The platform's illustrative calibration of a loan book for the credit-risk analyses: what PD
// and LGD a loan gets from the borrower's shared-data credit profile (service/analyses/ reads the
// book, this decides the numbers). A bank that brings its own rating model replaces these; the
// analyses' engines (portfolio_mc, irb, concentration) take any PD and LGD.
#include <string_view>

namespace corridor::risk {

// LGD of a senior unsecured exposure without recognised collateral: 45%, the foundation IRB
// value (Basel Framework CRE32.6); a guarantee's cover takes its share off.
inline constexpr double kUnsecuredLgd = 0.45;
// The asset correlation between two industries' systematic factors in the analyses' model.
inline constexpr double kIndustryCorrelation = 0.5;
// No calibrated PD exceeds this.
inline constexpr double kMaxProfilePd = 0.5;

// PD from the profile: a base by firm size (large 0.8%, medium 1.2%, small 2%, micro or unknown
// 3%), times 2 for a minor late record and 5 for a default on record, times 3 while an
// installment is overdue; capped at kMaxProfilePd.
double ProfilePd(std::string_view scale, std::string_view credit_record, bool overdue);

// LGD of a loan whose guarantee covers `cover_bps` of the principal (0 to 10,000).
double GuaranteedLgd(int cover_bps);

}  // namespace corridor::risk
