#include "risk/credit/irb.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "risk/credit/normal.hpp"

namespace corridor::risk {

Result<AssetClass> ParseAssetClass(std::string_view name) {
  if (name == "corporate") return AssetClass::kCorporate;
  if (name == "sme_corporate") return AssetClass::kSmeCorporate;
  if (name == "residential_mortgage") return AssetClass::kResidentialMortgage;
  if (name == "qualifying_revolving") return AssetClass::kQualifyingRevolving;
  if (name == "other_retail") return AssetClass::kOtherRetail;
  return Fail(Error::Invalid("/asset_class",
                             "must be corporate, sme_corporate, residential_mortgage, "
                             "qualifying_revolving or other_retail"));
}

Result<IrbResult> IrbCapital(const IrbInput& in) {
  if (!(in.pd >= 0 && in.pd <= 1)) return Fail(Error::Invalid("/pd", "must be in [0, 1]"));
  if (!(in.lgd >= 0 && in.lgd <= 1)) return Fail(Error::Invalid("/lgd", "must be in [0, 1]"));
  if (!(in.pd_floor >= 0 && in.pd_floor < 1)) {
    return Fail(Error::Invalid("/pd_floor", "must be in [0, 1)"));
  }
  if (!(in.scaling_factor > 0 && in.scaling_factor <= 2)) {
    return Fail(Error::Invalid("/scaling_factor", "must be in (0, 2]"));
  }
  if (!(in.maturity_years > 0 && in.maturity_years <= 30)) {
    return Fail(Error::Invalid("/maturity_years", "must be in (0, 30]"));
  }
  if (in.asset_class == AssetClass::kSmeCorporate && !(in.sales_eur_m > 0)) {
    return Fail(Error::Invalid("/sales_eur_m", "must be positive for sme_corporate"));
  }
  IrbResult r;
  const double pd = std::max(in.pd, in.pd_floor);
  if (pd >= 1) {
    // A defaulted exposure: the framework's K is max(0, LGD - EL best estimate); with no
    // separate best estimate it is 0 here and the loss is provisioned, not capitalised.
    r.correlation = 0;
    return r;
  }
  const bool corporate =
      in.asset_class == AssetClass::kCorporate || in.asset_class == AssetClass::kSmeCorporate;
  switch (in.asset_class) {
    case AssetClass::kCorporate:
    case AssetClass::kSmeCorporate: {
      const double f = (1 - std::exp(-50 * pd)) / (1 - std::exp(-50.0));
      r.correlation = 0.12 * f + 0.24 * (1 - f);
      if (in.asset_class == AssetClass::kSmeCorporate) {
        const double s = std::clamp(in.sales_eur_m, 5.0, 50.0);
        r.correlation -= 0.04 * (1 - (s - 5) / 45);
      }
      break;
    }
    case AssetClass::kResidentialMortgage:
      r.correlation = 0.15;
      break;
    case AssetClass::kQualifyingRevolving:
      r.correlation = 0.04;
      break;
    case AssetClass::kOtherRetail: {
      const double g = (1 - std::exp(-35 * pd)) / (1 - std::exp(-35.0));
      r.correlation = 0.03 * g + 0.16 * (1 - g);
      break;
    }
  }
  const double rho = r.correlation;
  const double conditional =
      NormalCdf((NormalQuantile(pd) + std::sqrt(rho) * NormalQuantile(0.999)) / std::sqrt(1 - rho));
  if (corporate) {
    const double b = std::pow(0.11852 - 0.05478 * std::log(pd), 2);
    r.maturity_adjustment = (1 + (in.maturity_years - 2.5) * b) / (1 - 1.5 * b);
  }
  r.capital_k = std::max(0.0, in.lgd * conditional - pd * in.lgd) * r.maturity_adjustment;
  r.risk_weight = 12.5 * in.scaling_factor * r.capital_k;
  return r;
}

}  // namespace corridor::risk
