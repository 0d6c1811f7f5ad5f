#pragma once
// Concentration of a portfolio: sector shares of exposure, the Herfindahl-Hirschman index of
// sectors and of names (Σ share²), the effective numbers (1/HHI), a flag when new-energy (wind
// and solar) exposure exceeds 60% of the portfolio (seed 000's limit), and, when every exposure
// carries PD and LGD, the granularity adjustment of the one-factor model at 99.9%
// (Gordy 2004; Martin & Wilde 2002):
//   GA = -1/(2φ(x)) · d/dx [φ(x)·σ²(x)/μ'(x)] at x = Φ⁻¹(0.999),
// with the factor x oriented so that losses rise with it, μ(x) = Σ wᵢ LGDᵢ pᵢ(x) and
// σ²(x) = Σ wᵢ² LGDᵢ² pᵢ(x)(1 - pᵢ(x)) (exposure weights wᵢ, deterministic LGD), pᵢ(x) the
// Vasicek conditional PD with the IRB corporate correlation of pᵢ. The derivative is taken by
// central differences.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::risk {

struct Exposure {
  double ead = 0;
  std::string sector;
  std::optional<double> pd;
  std::optional<double> lgd;
};

struct SectorShare {
  std::string sector;
  double ead = 0;
  double share = 0;
};

struct ConcentrationResult {
  double total_ead = 0;
  std::vector<SectorShare> sectors;  // largest first
  double sector_hhi = 0;
  double name_hhi = 0;
  double effective_sectors = 0;
  double effective_names = 0;
  double new_energy_share = 0;
  bool new_energy_over_limit = false;            // > 60%
  std::optional<double> granularity_adjustment;  // as a fraction of total EAD
};

// Sectors counted as new energy (wind and solar): new_energy, wind, solar, photovoltaic.
bool IsNewEnergy(const std::string& sector);

Result<ConcentrationResult> Concentration(const std::vector<Exposure>& exposures);

}  // namespace corridor::risk
