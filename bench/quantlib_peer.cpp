// The peer for the credit Monte Carlo: QuantLib's RandomDefaultLM (Gaussian copula, one factor)
// on a homogeneous basket, timed beside Corridor's portfolio Monte Carlo on the same book.
//
//   quantlib_peer NAMES SCENARIOS [PD] [RHO] [LGD]
//
// Both value the one-year loss of NAMES obligors with notional 1: QuantLib through flat hazard
// rates h = -ln(1 - PD) (so P(default within a year) = PD), factor weight √ρ and recovery
// 1 - LGD; Corridor with the same PD, loading √ρ and LGD. Prints time, EL and the 99% and 99.9%
// quantiles of each.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ql/currencies/europe.hpp>
#include <ql/experimental/credit/basket.hpp>
#include <ql/experimental/credit/constantlosslatentmodel.hpp>
#include <ql/experimental/credit/defaultprobabilitykey.hpp>
#include <ql/experimental/credit/pool.hpp>
#include <ql/experimental/credit/randomdefaultlatentmodel.hpp>
#include <ql/termstructures/credit/flathazardrate.hpp>
#include <ql/time/calendars/target.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

#include "risk/credit/portfolio_mc.hpp"

using namespace QuantLib;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: quantlib_peer NAMES SCENARIOS [PD] [RHO] [LGD]\n");
    return 2;
  }
  const Size names = std::atoi(argv[1]);
  const Size sims = std::atoi(argv[2]);
  const double pd = argc > 3 ? std::atof(argv[3]) : 0.01;
  const double rho = argc > 4 ? std::atof(argv[4]) : 0.2;
  const double lgd = argc > 5 ? std::atof(argv[5]) : 0.45;

  const Date today(20, November, 2025);
  Settings::instance().evaluationDate() = today;
  const Date horizon = today + Period(365, Days);
  const double hazard = -std::log(1 - pd);
  auto pool = ext::make_shared<Pool>();
  std::vector<std::string> ids;
  const NorthAmericaCorpDefaultKey key(EURCurrency(), SeniorSec, Period(), 1.);
  for (Size i = 0; i < names; ++i) {
    Handle<DefaultProbabilityTermStructure> curve(
        ext::make_shared<FlatHazardRate>(today, hazard, Actual365Fixed()));
    std::vector<Issuer::key_curve_pair> curves(1, std::make_pair(key, curve));
    ids.push_back("N" + std::to_string(i));
    pool->add(ids.back(), Issuer(curves), key);
  }
  auto basket = ext::make_shared<Basket>(today, ids, std::vector<Real>(names, 1.0), pool, 0.0, 1.0);
  std::vector<std::vector<Real>> weights(names, std::vector<Real>(1, std::sqrt(rho)));
  auto latent = ext::make_shared<GaussianConstantLossLM>(
      weights, std::vector<Real>(names, 1 - lgd), LatentModelIntegrationType::GaussianQuadrature,
      GaussianCopulaPolicy::initTraits());
  auto model = ext::make_shared<RandomDefaultLM<GaussianCopulaPolicy>>(latent, sims, 1e-6, 42);
  basket->setLossModel(model);
  auto t0 = std::chrono::steady_clock::now();
  const Real ql_el = basket->expectedTrancheLoss(horizon);
  const Real ql_q99 = basket->percentile(horizon, 0.99);
  const Real ql_q999 = basket->percentile(horizon, 0.999);
  const double ql_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  corridor::risk::McInput in;
  in.obligors = {{1.0, pd, lgd, {std::sqrt(rho)}, "all", "", static_cast<int64_t>(names)}};
  in.scenarios = static_cast<int64_t>(sims);
  in.seed = 42;
  in.confidence_levels = {0.99, 0.999};
  in.threads = 1;
  t0 = std::chrono::steady_clock::now();
  auto r = corridor::risk::PortfolioMonteCarlo(in);
  const double c_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("names=%zu scenarios=%zu PD=%g rho=%g LGD=%g\n", names, sims, pd, rho, lgd);
  std::printf("QuantLib RandomDefaultLM: %.2f s  EL %.4f  q99 %.4f  q99.9 %.4f\n", ql_secs, ql_el,
              ql_q99, ql_q999);
  std::printf(
      "Corridor (1 thread):      %.4f s  EL %.4f  q99 %.4f  q99.9 %.4f  (EL std err %.4f)\n",
      c_secs, r->expected_loss, r->var[0], r->var[1],
      r->loss_std / std::sqrt(static_cast<double>(sims)));
  std::printf("speed-up %.0fx\n", ql_secs / c_secs);
  return 0;
}
