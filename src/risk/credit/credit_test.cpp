// The credit risk engine against published values and closed forms; each source is named.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"
#include "risk/credit/calibration.hpp"
#include "risk/credit/concentration.hpp"
#include "risk/credit/creditriskplus.hpp"
#include "risk/credit/irb.hpp"
#include "risk/credit/mc_kernel.hpp"
#include "risk/credit/normal.hpp"
#include "risk/credit/philox_batch.hpp"
#include "risk/credit/portfolio_mc.hpp"
#include "risk/credit/testing.hpp"
#include "risk/credit/vasicek.hpp"

namespace corridor::risk {
namespace {

double RiskWeightPct(AssetClass ac, double pd, double lgd = 0.45) {
  IrbInput in;
  in.asset_class = ac;
  in.pd = pd;
  in.lgd = lgd;
  auto r = IrbCapital(in);
  EXPECT_TRUE(r);
  return r ? 100 * r->risk_weight : -1;
}

TEST(Philox, BatchedBlocksEqualRandom123) {
  // The vectorized generator against Random123's reference philox4x32 (whose own known-answer
  // vectors core/rng_test.cpp checks), across the 2^32 boundary of the low counter word.
  for (uint64_t first : {uint64_t{0}, uint64_t{0xFFFFFFF0}, uint64_t{123456789012}}) {
    std::vector<uint32_t> out(4 * 37);
    PhiloxBlocks(first, 0xDEADBEEF, 0x01000005, 0x243F6A88, 0x85A308D3, out.data(), 37);
    r123::Philox4x32 philox;
    uint64_t below = 0;
    for (uint64_t b = 0; b < 37; ++b) {
      const uint64_t c = first + b;
      const auto ref = philox(
          {{static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32), 0xDEADBEEF, 0x01000005}},
          {{0x243F6A88, 0x85A308D3}});
      for (int w = 0; w < 4; ++w) {
        ASSERT_EQ(out[4 * b + w], ref[w]) << first << " " << b;
        below += ref[w] < 0x40000000u;
      }
    }
    EXPECT_EQ(
        PhiloxCountBelow(first, 0xDEADBEEF, 0x01000005, 0x243F6A88, 0x85A308D3, 37, 0x40000000u),
        below);
  }
}

// The analyses' calibration of the platform's book (risk/credit/calibration.hpp).
TEST(Calibration, ProfilePdBySizeRecordAndOverdue) {
  EXPECT_DOUBLE_EQ(ProfilePd("large", "clean", false), 0.008);
  EXPECT_DOUBLE_EQ(ProfilePd("medium", "clean", false), 0.012);
  EXPECT_DOUBLE_EQ(ProfilePd("small", "clean", false), 0.02);
  EXPECT_DOUBLE_EQ(ProfilePd("micro", "clean", false), 0.03);
  EXPECT_DOUBLE_EQ(ProfilePd("", "clean", false), 0.03);  // no profile: as a micro firm
  EXPECT_DOUBLE_EQ(ProfilePd("small", "minor_late", false), 0.04);
  EXPECT_DOUBLE_EQ(ProfilePd("small", "defaulted", false), 0.1);
  EXPECT_DOUBLE_EQ(ProfilePd("small", "clean", true), 0.06);
  // 3% x 5 x 3 = 45% stays; nothing passes the 50% cap.
  EXPECT_DOUBLE_EQ(ProfilePd("micro", "defaulted", true), 0.45);
  EXPECT_LE(ProfilePd("micro", "defaulted", true), kMaxProfilePd);
}

TEST(Calibration, UnsecuredLgdIsTheFoundationIrbValueLessTheGuarantee) {
  EXPECT_DOUBLE_EQ(kUnsecuredLgd, 0.45);  // Basel Framework CRE32.6
  EXPECT_DOUBLE_EQ(GuaranteedLgd(0), 0.45);
  EXPECT_DOUBLE_EQ(GuaranteedLgd(7'000), 0.45 * 0.3);
  EXPECT_DOUBLE_EQ(GuaranteedLgd(10'000), 0.0);
}

TEST(Irb, BaselAnnex5RiskWeights) {
  // Basel II (June 2006) Annex 5, illustrative IRB risk weights: corporate exposures with
  // LGD 45% and M = 2.5 years, in percent.
  const double pds[] = {0.0003, 0.0005, 0.001, 0.0025, 0.004, 0.005, 0.0075, 0.01, 0.013, 0.015,
                        0.02,   0.025,  0.03,  0.04,   0.05,  0.06,  0.1,    0.15, 0.2};
  const double corporate[] = {14.44,  19.65,  29.65,  49.47,  62.72,  69.61,  82.78,
                              92.32,  100.95, 105.59, 114.86, 122.16, 128.44, 139.58,
                              149.86, 159.61, 193.09, 221.54, 238.23};
  for (size_t k = 0; k < std::size(pds); ++k) {
    EXPECT_NEAR(RiskWeightPct(AssetClass::kCorporate, pds[k]), corporate[k], 0.011) << pds[k];
  }
  // Residential mortgages, LGD 45%, the first eight rows of the same table.
  const double mortgage[] = {4.15, 6.23, 10.69, 21.30, 29.94, 35.08, 46.46, 56.40};
  for (size_t k = 0; k < std::size(mortgage); ++k) {
    EXPECT_NEAR(RiskWeightPct(AssetClass::kResidentialMortgage, pds[k]), mortgage[k], 0.011);
  }
}

TEST(Irb, FormulaPieces) {
  IrbInput in;
  in.pd = 0.01;
  auto r = IrbCapital(in);
  ASSERT_TRUE(r);
  // R = 0.12 f + 0.24 (1 - f), f = (1 - e^-0.5)/(1 - e^-50); b = (0.11852 - 0.05478 ln 0.01)².
  const double f = (1 - std::exp(-0.5)) / (1 - std::exp(-50.0));
  EXPECT_NEAR(r->correlation, 0.12 * f + 0.24 * (1 - f), 1e-15);
  const double b = std::pow(0.11852 - 0.05478 * std::log(0.01), 2);
  EXPECT_NEAR(r->maturity_adjustment, 1 / (1 - 1.5 * b), 1e-15);  // M = 2.5
  EXPECT_NEAR(r->risk_weight, 12.5 * r->capital_k, 1e-15);
  // SME: sales of €5m lower R by 0.04; €50m or more not at all; the 1.06 scaling multiplies RW.
  in.asset_class = AssetClass::kSmeCorporate;
  in.sales_eur_m = 5;
  EXPECT_NEAR(IrbCapital(in)->correlation, r->correlation - 0.04, 1e-15);
  in.sales_eur_m = 80;
  EXPECT_NEAR(IrbCapital(in)->correlation, r->correlation, 1e-15);
  in.asset_class = AssetClass::kCorporate;
  in.scaling_factor = 1.06;
  EXPECT_NEAR(IrbCapital(in)->risk_weight, 1.06 * r->risk_weight, 1e-14);
  // The PD floor: 0.01% is treated as 0.03%.
  in.scaling_factor = 1;
  in.pd = 0.0001;
  EXPECT_NEAR(100 * IrbCapital(in)->risk_weight, 14.44, 0.011);
  // Retail has no maturity adjustment; QRR R = 0.04.
  in.asset_class = AssetClass::kQualifyingRevolving;
  in.maturity_years = 5;
  EXPECT_EQ(IrbCapital(in)->maturity_adjustment, 1.0);
  EXPECT_EQ(IrbCapital(in)->correlation, 0.04);
  in.pd = 1.5;
  auto bad = IrbCapital(in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/pd");
}

TEST(Normal, QuantilesAndBivariate) {
  // Standard normal quantiles (Abramowitz & Stegun table 26.5 values to 15 digits).
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.999), 3.090232306167813, 1e-14);
  // Φ₂(0, 0; r) = 1/4 + arcsin(r)/(2π) (Sheppard).
  for (double r : {-0.7, 0.3, 0.9}) {
    EXPECT_NEAR(BivariateNormalCdf(0, 0, r), 0.25 + std::asin(r) / (2 * M_PI), 1e-12) << r;
  }
}

TEST(Vasicek, LargePortfolioClosedForm) {
  // The quantile is the IRB conditional PD: K/(LGD·MA) + PD for a corporate exposure.
  auto v = VasicekLargePortfolio(0.01, 0.2, 0.999, 1.0);
  ASSERT_TRUE(v);
  EXPECT_NEAR(
      v->quantile_loss_rate,
      NormalCdf((NormalQuantile(0.01) + std::sqrt(0.2) * NormalQuantile(0.999)) / std::sqrt(0.8)),
      1e-15);
  // ES = (1/(1-α)) ∫_α^1 VaR_u du, integrated here independently by the midpoint rule in the
  // factor's quantile (substituting u = Φ(t)).
  double integral = 0;
  const double lo = NormalQuantile(0.999), hi = 12, steps = 200000;
  for (int k = 0; k < steps; ++k) {
    const double t = lo + (hi - lo) * (k + 0.5) / steps;
    integral += NormalPdf(t) *
                NormalCdf((NormalQuantile(0.01) + std::sqrt(0.2) * t) / std::sqrt(0.8)) *
                (hi - lo) / steps;
  }
  EXPECT_NEAR(v->expected_shortfall_rate, integral / 0.001, 1e-7);
  EXPECT_NEAR(v->expected_loss_rate, 0.01, 1e-15);
  EXPECT_FALSE(VasicekLargePortfolio(0.01, 1.0, 0.999, 1));
}

TEST(Vasicek, FiniteDistributionAgainstMonteCarlo) {
  // 100 obligors, PD 2%, ρ = 0.15. Monte Carlo of D with the same model; the exact CDF at the
  // exact 99% quantile must agree with the simulated one within 4 standard errors.
  const int64_t n = 100;
  auto v = VasicekFinitePortfolio(n, 0.02, 0.15, 0.99);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_GE(v->cdf_at_quantile, 0.99);
  EXPECT_LT(VasicekFiniteCdf(n, 0.02, 0.15, v->quantile_defaults - 1), 0.99);
  CounterRng rng(11);
  const int scenarios = 20000;
  const double c = NormalQuantile(0.02);
  int at_most = 0;
  for (int s = 0; s < scenarios; ++s) {
    const double z = rng.Normal(0, s);
    const double p = NormalCdf((c - std::sqrt(0.15) * z) / std::sqrt(0.85));
    int64_t d = 0;
    for (int64_t i = 0; i < n; ++i) d += rng.Uniform(1 + static_cast<uint64_t>(s), i) < p;
    at_most += d <= v->quantile_defaults;
  }
  const double f = static_cast<double>(at_most) / scenarios;
  const double se = std::sqrt(v->cdf_at_quantile * (1 - v->cdf_at_quantile) / scenarios);
  EXPECT_NEAR(f, v->cdf_at_quantile, 4 * se);
  // ES lies above the quantile rate, and the large-portfolio limit is close for large N.
  EXPECT_GT(v->expected_shortfall_default_rate, static_cast<double>(v->quantile_defaults) / n);
  auto big = VasicekFinitePortfolio(100'000, 0.02, 0.15, 0.99);
  auto lhp = VasicekLargePortfolio(0.02, 0.15, 0.99, 1);
  ASSERT_TRUE(big && lhp);
  EXPECT_NEAR(static_cast<double>(big->quantile_defaults) / 100'000, lhp->quantile_loss_rate, 2e-3);
}

TEST(CreditRiskPlus, BurgisserEtAl1999) {
  // Bürgisser, Kurth, Wagner, Wolf, "Integrating correlations", Risk (July 1999), tables A and
  // B and figure 1, as pinned by QuantLib's test suite: two sectors of 1,000 obligors (exposure
  // 1 at PD 4%; exposure 2 at PD 2%), σ = 0.75 each, sector correlation 0.5, unit 0.1.
  CreditRiskPlusInput in;
  in.unit_loss = 0.1;
  in.sector_volatilities = {0.75, 0.75};
  in.sector_correlation = {{1, 0.5}, {0.5, 1}};
  in.obligors = {{1.0, 0.04, 0, 1000}, {2.0, 0.02, 1, 1000}};
  in.quantiles = {0.99};
  auto r = CreditRiskPlus(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(r->expected_loss, 80, 1e-9);
  EXPECT_NEAR(r->sector_expected_loss[0], 40, 1e-9);
  EXPECT_NEAR(r->sector_unexpected_loss[0], 30.7, 0.05);
  EXPECT_NEAR(r->sector_unexpected_loss[1], 31.3, 0.05);
  EXPECT_NEAR(r->unexpected_loss, 53.1, 0.01);
  EXPECT_NEAR(r->relative_default_variance, 0.65 * 0.65, 0.001);
  EXPECT_NEAR(r->quantile_losses[0], 250, 0.5);
}

TEST(CreditRiskPlus, PoissonLimitAndUnderflow) {
  // Without sector variance the defaults are Poisson: 100 obligors at 1% and exposure 1 give a
  // Poisson(1) count; its 99% quantile is 4 (P(N ≤ 3) = 0.98101, P(N ≤ 4) = 0.99634).
  CreditRiskPlusInput in;
  in.sector_volatilities = {0};
  in.obligors = {{1.0, 0.01, 0, 100}};
  in.quantiles = {0.5, 0.99};
  auto r = CreditRiskPlus(in);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->quantile_losses[1], 4);
  EXPECT_EQ(r->quantile_losses[0], 1);  // P(N ≤ 0) = 0.368, P(N ≤ 1) = 0.736
  // 2,000,000 obligors: g₀ = e^{-μ} underflows a double; the rescaled recursion still gives
  // the mean in the middle of the distribution.
  in.obligors = {{1.0, 0.001, 0, 2'000'000}};
  in.quantiles = {0.5};
  auto big = CreditRiskPlus(in);
  ASSERT_TRUE(big) << big.error().message;
  EXPECT_NEAR(big->quantile_losses[0], 2000, 1);  // Poisson(2000) median
  in.obligors[0].sector = 3;
  auto bad = CreditRiskPlus(in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/obligors/0/sector");
}

TEST(Concentration, SharesHhiAndNewEnergyLimit) {
  std::vector<Exposure> e = {
      {50, "new_energy", {}, {}}, {20, "solar", {}, {}}, {30, "agriculture", {}, {}}};
  auto r = Concentration(e);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->new_energy_share, 0.7, 1e-15);
  EXPECT_TRUE(r->new_energy_over_limit);
  EXPECT_NEAR(r->name_hhi, 0.25 + 0.04 + 0.09, 1e-15);
  EXPECT_NEAR(r->sector_hhi, 0.25 + 0.04 + 0.09, 1e-15);
  EXPECT_EQ(r->sectors[0].sector, "new_energy");
  EXPECT_FALSE(r->granularity_adjustment.has_value());
  e[0].ead = 20;  // 40% wind and solar
  EXPECT_FALSE(Concentration(e)->new_energy_over_limit);
}

TEST(Concentration, GranularityAdjustmentShrinksAsOneOverN) {
  // N equal names: the adjustment is proportional to the name HHI = 1/N.
  auto ga = [](int n) {
    std::vector<Exposure> e(n, Exposure{1.0, "x", 0.01, 0.45});
    return *Concentration(e)->granularity_adjustment;
  };
  const double g100 = ga(100), g400 = ga(400);
  EXPECT_GT(g100, 0);
  EXPECT_NEAR(g100 / g400, 4.0, 1e-6);
}

McInput Homogeneous(int64_t n, double pd, double rho, int64_t scenarios) {
  McInput in;
  in.obligors = {{1.0, pd, 1.0, {std::sqrt(rho)}, "all", "", n}};
  in.scenarios = scenarios;
  in.seed = 7;
  in.confidence_levels = {0.99};
  return in;
}

TEST(PortfolioMc, MatchesTheFiniteVasicekDistribution) {
  // One factor, 100 obligors alike: the simulated CDF at the exact quantile agrees with the
  // integral within 4 standard errors, and EL with PD·N.
  auto exact = VasicekFinitePortfolio(100, 0.02, 0.15, 0.99);
  auto r = PortfolioMonteCarlo(Homogeneous(100, 0.02, 0.15, 20'000));
  ASSERT_TRUE(exact && r) << (r ? "" : r.error().message);
  EXPECT_NEAR(r->expected_loss, 2.0, 4 * r->loss_std / std::sqrt(20'000.0));
  EXPECT_NEAR(r->analytic_expected_loss, 2.0, 1e-12);
  // VaR is the exact quantile or a neighbour (the CDF is flat between integers).
  EXPECT_NEAR(r->var[0], static_cast<double>(exact->quantile_defaults), 1.0);
  // The histogram is the same distribution: its masses sum to one, and the bins that lie wholly
  // above the 99% VaR hold at most 1% of the probability.
  ASSERT_EQ(r->histogram.size(), static_cast<size_t>(McResult::kHistogramBins));
  double total = 0, above = 0;
  for (size_t b = 0; b < r->histogram.size(); ++b) {
    total += r->histogram[b];
    if (r->histogram_bin_width * static_cast<double>(b) > r->var[0]) above += r->histogram[b];
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_LE(above, 0.01 + 1e-12);
  EXPECT_GT(above, 0.0);
}

TEST(PortfolioMc, DeterministicAcrossThreadsAndContributionsAddUp) {
  McInput in;
  for (int i = 0; i < 40; ++i) {
    const double a = 0.2 + 0.01 * i;
    in.obligors.push_back({100.0 + i,
                           0.005 + 0.001 * i,
                           0.45,
                           {a, i % 2 ? 0.3 : 0.1},
                           i % 3 ? "agriculture" : "new_energy",
                           i % 2 ? "bank_a" : "bank_b",
                           1 + i % 5});
  }
  in.factor_correlation = {{1, 0.4}, {0.4, 1}};
  in.scenarios = 20'000;
  in.seed = 99;
  in.confidence_levels = {0.99, 0.999};
  auto one = PortfolioMonteCarlo(in);
  in.threads = 3;
  auto three = PortfolioMonteCarlo(in);
  ASSERT_TRUE(one && three) << (one ? "" : one.error().message);
  EXPECT_EQ(one->var, three->var);
  EXPECT_EQ(one->es, three->es);
  EXPECT_EQ(one->contributions, three->contributions);
  EXPECT_EQ(one->expected_loss, three->expected_loss);
  double sum = 0;
  for (double c : one->contributions) sum += c;
  EXPECT_NEAR(sum, one->es[1], 1e-9 * one->es[1]);
  double sectors = 0;
  for (const auto& s : one->sector_contributions) sectors += s.es_contribution;
  EXPECT_NEAR(sectors, one->es[1], 1e-9 * one->es[1]);
  EXPECT_EQ(one->bank_contributions.size(), 2u);
  EXPECT_GE(one->es[1], one->var[1]);
  EXPECT_GE(one->var[1], one->var[0]);
  // Another seed, another sample.
  in.seed = 100;
  EXPECT_NE(PortfolioMonteCarlo(in)->expected_loss, one->expected_loss);
}

TEST(PortfolioMc, ImportanceSamplingReducesVarianceInTheFarTail) {
  McInput in = Homogeneous(1'000, 0.001, 0.2, 20'000);
  in.confidence_levels = {0.9999};
  auto plain = PortfolioMonteCarlo(in);
  in.importance_sampling = true;
  auto is = PortfolioMonteCarlo(in);
  ASSERT_TRUE(plain && is);
  ASSERT_TRUE(is->variance_reduction.has_value());
  EXPECT_GT(*is->variance_reduction, 5);
  EXPECT_EQ(is->shift.size(), 1u);
  EXPECT_LT(is->shift[0], 0);  // losses rise as the factor falls
  // The exact 99.99% quantile of the finite model sits within the two estimates' reach.
  auto exact = VasicekFinitePortfolio(1'000, 0.001, 0.2, 0.9999);
  ASSERT_TRUE(exact);
  EXPECT_NEAR(is->var[0], static_cast<double>(exact->quantile_defaults),
              0.1 * static_cast<double>(exact->quantile_defaults));
}

// Pass 1 as the CUDA backend decomposes it (src/gpu/mc_cuda.cu): per scenario the factors, then a
// threshold per class, then the obligor stream cut into chunks of `chunk` Philox blocks, each
// chunk's loss from mc::ChunkLoss, the chunks added in order. Run on the host, it pins the
// decomposition against the CPU simulator.
class ChunkedHostEngine final : public ScenarioEngine {
 public:
  explicit ChunkedHostEngine(uint64_t chunk) : chunk_(chunk) {}
  std::string Name() const override { return "host-chunks"; }
  Status Load(const McModel& m) override {
    loaded_ = &m;
    return {};
  }
  Status Losses(const McModel& m, uint64_t seed, std::span<const double> shift,
                uint32_t stream_base, uint64_t first, int64_t count, double* loss,
                double* weight) override {
    EXPECT_EQ(&m, loaded_);
    const mc::LinesView v{static_cast<int64_t>(m.Lines()), m.draws, m.klass.data(), m.loss.data(),
                          m.offset.data()};
    std::vector<double> z(m.k);
    std::vector<uint64_t> threshold(m.Classes());
    const uint64_t blocks = (m.draws + 3) / 4;
    for (int64_t i = 0; i < count; ++i) {
      const uint64_t s = first + static_cast<uint64_t>(i);
      mc::FactorNormals(seed, s, stream_base + mc::kFactorStream, m.k, z.data());
      weight[i] = shift.empty() ? 1.0 : mc::ShiftFactors(shift.data(), m.k, z.data());
      for (size_t c = 0; c < m.Classes(); ++c) {
        threshold[c] = mc::ConditionalThreshold(m.class_c[c], m.class_inv_s[c],
                                                m.Row(m.class_row[c]), z.data(), m.k);
      }
      double total = 0;
      for (uint64_t b = 0; b < blocks; b += chunk_) {
        total += mc::ChunkLoss(v, threshold.data(), seed, s, stream_base + mc::kObligorStream, b,
                               std::min(b + chunk_, blocks));
      }
      loss[i] = total;
    }
    ++calls_;
    return {};
  }
  int calls() const { return calls_; }

 private:
  uint64_t chunk_;
  const McModel* loaded_ = nullptr;
  int calls_ = 0;
};

TEST(PortfolioMc, ChunkedKernelDecompositionEqualsTheCpu) {
  // Integer losses, so every sum is exact whatever its order: the chunked pass must give the
  // CPU's numbers bit for bit, lines of one obligor and lines of many, a line cut by chunk
  // edges, classes shared by lines, two correlated factors, with and without the IS shift.
  McInput in = testing::IntegerLossBook();
  in.scenarios = 3'000;
  for (bool is : {false, true}) {
    in.importance_sampling = is;
    in.engine = nullptr;
    auto cpu = PortfolioMonteCarlo(in);
    ASSERT_TRUE(cpu) << cpu.error().message;
    EXPECT_EQ(cpu->backend, "cpu");
    for (uint64_t chunk : {1u, 3u, 64u}) {
      ChunkedHostEngine engine(chunk);
      in.engine = &engine;
      auto chunked = PortfolioMonteCarlo(in);
      ASSERT_TRUE(chunked) << chunked.error().message;
      EXPECT_EQ(chunked->backend, "host-chunks");
      EXPECT_GE(engine.calls(), is ? 2 : 1);
      EXPECT_EQ(chunked->expected_loss, cpu->expected_loss) << chunk;
      EXPECT_EQ(chunked->loss_std, cpu->loss_std);
      EXPECT_EQ(chunked->var, cpu->var);
      EXPECT_EQ(chunked->es, cpu->es);
      EXPECT_EQ(chunked->shift, cpu->shift);
      EXPECT_EQ(chunked->contributions, cpu->contributions);
      EXPECT_EQ(chunked->variance_reduction, cpu->variance_reduction);
    }
  }
}

TEST(PortfolioMc, RejectsLoadingsOfNormOne) {
  McInput in = Homogeneous(10, 0.01, 0.2, 1'000);
  in.obligors[0].loadings = {1.0};
  auto r = PortfolioMonteCarlo(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/obligors/0/loadings");
}

}  // namespace
}  // namespace corridor::risk
