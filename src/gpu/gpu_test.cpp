// The CUDA backend against the CPU simulator. Without a CUDA device (or without CUDA in the
// build) the comparisons skip, and the backend must say why it cannot run.
#include "gpu/gpu.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "risk/credit/testing.hpp"

namespace corridor::gpu {
namespace {

using risk::McInput;
using risk::PortfolioMonteCarlo;

TEST(Gpu, ExplainsWhenItCannotRun) {
  auto device = Device();
  auto engine = MakeMcEngine();
  EXPECT_EQ(device.has_value(), engine.has_value());
  if (device) {
    EXPECT_FALSE(device->name.empty());
    EXPECT_GT(device->multiprocessors, 0);
    GTEST_SKIP() << "a CUDA device is present: " << device->name;
  }
  EXPECT_FALSE(device.error().message.empty());
  if (!Built()) {
    EXPECT_NE(device.error().message.find("no CUDA backend"), std::string::npos);
  }
  EXPECT_EQ(engine.error().message, device.error().message);
}

McInput Book() {
  McInput in = risk::testing::IntegerLossBook();
  in.scenarios = 20'000;
  return in;
}

class GpuMc : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = MakeMcEngine();
    if (!e) GTEST_SKIP() << e.error().message;
    engine_ = std::move(*e);
  }
  std::unique_ptr<risk::ScenarioEngine> engine_;
};

// The device draws the CPU's random numbers; its erfc and fused multiply-adds may move a
// threshold by one part in 2³², so results agree to a tolerance rather than bit for bit.
void ExpectClose(const risk::McResult& gpu, const risk::McResult& cpu, double unit) {
  EXPECT_NEAR(gpu.expected_loss, cpu.expected_loss, 1e-9 * cpu.expected_loss);
  EXPECT_NEAR(gpu.loss_std, cpu.loss_std, 1e-9 * cpu.loss_std);
  ASSERT_EQ(gpu.var.size(), cpu.var.size());
  for (size_t j = 0; j < cpu.var.size(); ++j) {
    EXPECT_NEAR(gpu.var[j], cpu.var[j], unit) << j;
    EXPECT_NEAR(gpu.es[j], cpu.es[j], unit) << j;
  }
}

TEST_F(GpuMc, MatchesTheCpuOnAnInhomogeneousBook) {
  McInput in = Book();
  auto cpu = PortfolioMonteCarlo(in);
  in.engine = engine_.get();
  auto gpu = PortfolioMonteCarlo(in);
  ASSERT_TRUE(cpu && gpu) << (gpu ? "" : gpu.error().message);
  EXPECT_EQ(gpu->backend, "cuda");
  ExpectClose(*gpu, *cpu, 14);
  double sum = 0;
  for (double c : gpu->contributions) sum += c;
  EXPECT_NEAR(sum, gpu->es[1], 1e-6 * gpu->es[1]);
  // The same run again on the device: the same numbers.
  auto again = PortfolioMonteCarlo(in);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->expected_loss, gpu->expected_loss);
  EXPECT_EQ(again->var, gpu->var);
  EXPECT_EQ(again->es, gpu->es);
}

TEST_F(GpuMc, MatchesTheCpuWithImportanceSampling) {
  McInput in = Book();
  in.importance_sampling = true;
  in.confidence_levels = {0.9999};
  auto cpu = PortfolioMonteCarlo(in);
  in.engine = engine_.get();
  auto gpu = PortfolioMonteCarlo(in);
  ASSERT_TRUE(cpu && gpu) << (gpu ? "" : gpu.error().message);
  ASSERT_EQ(gpu->shift.size(), 2u);
  EXPECT_NEAR(gpu->shift[0], cpu->shift[0], 1e-9);
  ExpectClose(*gpu, *cpu, 14);
}

TEST_F(GpuMc, MatchesTheCpuOnALargeHomogeneousBook) {
  // One factor, 200,000 obligors alike in one line: chunks of the one line across many threads.
  McInput in;
  in.obligors = {{1.0, 0.01, 1.0, {std::sqrt(0.2)}, "all", "", 200'000}};
  in.scenarios = 2'000;
  in.seed = 11;
  in.confidence_levels = {0.99};
  in.contributions = false;
  auto cpu = PortfolioMonteCarlo(in);
  in.engine = engine_.get();
  auto gpu = PortfolioMonteCarlo(in);
  ASSERT_TRUE(cpu && gpu) << (gpu ? "" : gpu.error().message);
  ExpectClose(*gpu, *cpu, 1);
}

}  // namespace
}  // namespace corridor::gpu
