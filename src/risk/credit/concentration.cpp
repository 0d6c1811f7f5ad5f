#include "risk/credit/concentration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "risk/credit/irb.hpp"
#include "risk/credit/normal.hpp"

namespace corridor::risk {

bool IsNewEnergy(const std::string& sector) {
  return sector == "new_energy" || sector == "wind" || sector == "solar" ||
         sector == "photovoltaic";
}

Result<ConcentrationResult> Concentration(const std::vector<Exposure>& exposures) {
  if (exposures.empty()) return Fail(Error::Invalid("/exposures", "needs at least one exposure"));
  ConcentrationResult r;
  std::map<std::string, double> by_sector;
  bool all_risk = true;
  for (size_t i = 0; i < exposures.size(); ++i) {
    const auto& e = exposures[i];
    if (!(e.ead >= 0 && std::isfinite(e.ead))) {
      return Fail(Error::Invalid(fmt::format("/exposures/{}/ead", i), "must be non-negative"));
    }
    if (e.pd && !(*e.pd > 0 && *e.pd < 1)) {
      return Fail(Error::Invalid(fmt::format("/exposures/{}/pd", i), "must be in (0, 1)"));
    }
    if (e.lgd && !(*e.lgd >= 0 && *e.lgd <= 1)) {
      return Fail(Error::Invalid(fmt::format("/exposures/{}/lgd", i), "must be in [0, 1]"));
    }
    all_risk = all_risk && e.pd && e.lgd;
    r.total_ead += e.ead;
    by_sector[e.sector] += e.ead;
  }
  if (r.total_ead <= 0) return Fail(Error::Invalid("/exposures", "total EAD must be positive"));
  for (const auto& [sector, ead] : by_sector) {
    const double share = ead / r.total_ead;
    r.sectors.push_back({sector, ead, share});
    r.sector_hhi += share * share;
    if (IsNewEnergy(sector)) r.new_energy_share += share;
  }
  std::stable_sort(r.sectors.begin(), r.sectors.end(),
                   [](const SectorShare& a, const SectorShare& b) { return a.ead > b.ead; });
  for (const auto& e : exposures) {
    const double s = e.ead / r.total_ead;
    r.name_hhi += s * s;
  }
  r.effective_sectors = 1 / r.sector_hhi;
  r.effective_names = 1 / r.name_hhi;
  r.new_energy_over_limit = r.new_energy_share > 0.6;

  if (all_risk) {
    struct Name {
      double w, lgd, c, rho;
    };
    std::vector<Name> names;
    for (const auto& e : exposures) {
      IrbInput irb;
      irb.pd = *e.pd;
      irb.pd_floor = 0;
      auto k = CORRIDOR_TRY(IrbCapital(irb));
      names.push_back({e.ead / r.total_ead, *e.lgd, NormalQuantile(*e.pd), k.correlation});
    }
    // Losses rise with x: pᵢ(x) = Φ((cᵢ + √ρᵢ x)/√(1 - ρᵢ)).
    auto p = [](const Name& n, double x) {
      return NormalCdf((n.c + std::sqrt(n.rho) * x) / std::sqrt(1 - n.rho));
    };
    auto mean_slope = [&](double x) {  // μ'(x)
      double s = 0;
      for (const auto& n : names) {
        const double t = (n.c + std::sqrt(n.rho) * x) / std::sqrt(1 - n.rho);
        s += n.w * n.lgd * NormalPdf(t) * std::sqrt(n.rho / (1 - n.rho));
      }
      return s;
    };
    auto variance = [&](double x) {
      double s = 0;
      for (const auto& n : names) {
        const double pi = p(n, x);
        s += n.w * n.w * n.lgd * n.lgd * pi * (1 - pi);
      }
      return s;
    };
    auto inner = [&](double x) { return NormalPdf(x) * variance(x) / mean_slope(x); };
    const double x = NormalQuantile(0.999), h = 1e-4;
    const double derivative = (inner(x + h) - inner(x - h)) / (2 * h);
    r.granularity_adjustment = -derivative / (2 * NormalPdf(x));
  }
  return r;
}

}  // namespace corridor::risk
