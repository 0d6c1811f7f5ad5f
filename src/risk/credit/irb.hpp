#pragma once
// Basel IRB capital (Basel Framework CRE31; BCBS, "An Explanatory Note on the Basel II IRB Risk
// Weight Functions", 2005):
//   K = [LGD·Φ((Φ⁻¹(PD) + √R·Φ⁻¹(0.999))/√(1 - R)) - PD·LGD] · MA,
//   RW = 12.5 · scaling · K.
// Correlation: corporate R = 0.12·f + 0.24·(1 - f), f = (1 - e^{-50 PD})/(1 - e^{-50}); SME
// corporate subtracts 0.04·(1 - (S - 5)/45), S = sales in EUR million clamped to [5, 50];
// residential mortgage R = 0.15; qualifying revolving R = 0.04; other retail
// R = 0.03·g + 0.16·(1 - g), g = (1 - e^{-35 PD})/(1 - e^{-35}).
// Maturity adjustment (corporate only): b = (0.11852 - 0.05478·ln PD)²,
// MA = (1 + (M - 2.5)·b)/(1 - 1.5·b); retail MA = 1. PD is floored (default 0.03%).
#include <string_view>

#include "core/result.hpp"

namespace corridor::risk {

enum class AssetClass {
  kCorporate,
  kSmeCorporate,
  kResidentialMortgage,
  kQualifyingRevolving,
  kOtherRetail
};

Result<AssetClass> ParseAssetClass(std::string_view name);

struct IrbInput {
  AssetClass asset_class = AssetClass::kCorporate;
  double pd = 0;
  double lgd = 0.45;
  double maturity_years = 2.5;
  double sales_eur_m = 50;  // SME corporate only
  double scaling_factor = 1.0;
  double pd_floor = 0.0003;
};

struct IrbResult {
  double correlation = 0;
  double maturity_adjustment = 1;
  double capital_k = 0;
  double risk_weight = 0;  // a fraction: 0.9232 is 92.32%
};

Result<IrbResult> IrbCapital(const IrbInput& in);

}  // namespace corridor::risk
