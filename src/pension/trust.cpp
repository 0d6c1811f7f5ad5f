#include "pension/trust.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/rng.hpp"
#include "pension/actuarial.hpp"

namespace corridor::pension {

namespace {

constexpr size_t kMaxMembers = 200'000;
constexpr int kMaxScenarios = 100'000;
constexpr int64_t kMaxYearlyFen = 100'000'000'000;  // 1,000,000,000 yuan

// Deaths among n lives with one-year death probability q: by inversion of the binomial while its
// variance is small, else by its normal approximation (rounded, within [0, n]).
int64_t Deaths(int64_t n, double q, const CounterRng& rng, uint64_t stream, uint64_t index) {
  if (n <= 0 || q <= 0) return 0;
  if (q >= 1) return n;
  const auto nd = static_cast<double>(n);
  if (nd * q * (1 - q) > 50) {
    const double d = std::round(nd * q + std::sqrt(nd * q * (1 - q)) * rng.Normal(stream, index));
    return static_cast<int64_t>(std::clamp(d, 0.0, nd));
  }
  // Count the rarer outcome, so that its zero term (1 − r)^n stays far from underflow.
  const bool survivors = q > 0.5;
  const double r = survivors ? 1 - q : q;
  const double u = rng.Uniform(stream, index);
  double pmf = std::exp(nd * std::log1p(-r));
  double cdf = pmf;
  int64_t k = 0;
  while (cdf < u && k < n) {
    pmf *= static_cast<double>(n - k) / static_cast<double>(k + 1) * r / (1 - r);
    ++k;
    cdf += pmf;
  }
  return survivors ? n - k : k;
}

double Quantile(std::vector<double>& v, double f) {
  const auto at = static_cast<size_t>(std::floor(f * static_cast<double>(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
  return v[at];
}

}  // namespace

Result<TrustProjection> ProjectTrust(const LifeTable& table, std::span<const TrustMember> members,
                                     const TrustOptions& o) {
  if (members.empty() || members.size() > kMaxMembers) {
    return Fail(Error::Invalid("/members", "1 to 200,000 member groups"));
  }
  if (o.years < 1 || o.years > 150) return Fail(Error::Invalid("/years", "1 to 150"));
  if (o.assets_fen < 0 || o.assets_fen > 1'000'000'000'000'000) {
    return Fail(Error::Invalid("/assets_fen", "0 to 10,000,000,000,000 yuan"));
  }
  const double rate = o.scenarios ? o.scenarios->mean_return : o.interest;
  if (!std::isfinite(rate) || rate <= -0.5 || rate > 1) {
    return Fail(Error::Invalid(o.scenarios ? "/scenarios/mean_return" : "/interest",
                               "must be an annual rate above −0.5 and at most 1"));
  }
  if (o.scenarios) {
    if (!(o.scenarios->volatility >= 0 && o.scenarios->volatility <= 1)) {
      return Fail(Error::Invalid("/scenarios/volatility", "0 to 1"));
    }
    if (o.scenarios->count < 1 || o.scenarios->count > kMaxScenarios) {
      return Fail(Error::Invalid("/scenarios/count", "1 to 100,000"));
    }
  }
  for (size_t k = 0; k < members.size(); ++k) {
    const auto& m = members[k];
    const auto at = [&](std::string_view f) { return fmt::format("/members/{}/{}", k, f); };
    if (m.age < table.start_age() || m.age > table.last_age()) {
      return Fail(Error::Invalid(at("age"), "must be an age of the table"));
    }
    if (m.lives < 1 || m.lives > 10'000'000)
      return Fail(Error::Invalid(at("lives"), "1 to 10,000,000"));
    if (m.retirement_age < 40 || m.retirement_age > 80) {
      return Fail(Error::Invalid(at("retirement_age"), "40 to 80"));
    }
    for (const auto& [v, f] : {std::pair{m.contribution_fen, "contribution_fen"},
                               {m.benefit_fen, "benefit_fen"},
                               {m.grassland_service_fen, "grassland_service_fen"},
                               {m.beijing_service_fen, "beijing_service_fen"}}) {
      if (v < 0 || v > kMaxYearlyFen) {
        return Fail(Error::Invalid(at(f), "0 to 1,000,000,000 yuan a year"));
      }
    }
  }
  TrustProjection out;
  const size_t groups = members.size();
  const auto years = static_cast<size_t>(o.years);

  // The closed form of the liability at the rate.
  long double liability = 0;
  for (const auto& m : members) {
    const int wait = std::max(0, m.retirement_age - m.age);
    const auto paid =
        CORRIDOR_TRY(Value(table, {.age = m.age, .interest = rate, .deferral = wait}));
    double contributions = 0;
    if (wait > 0) {
      contributions =
          CORRIDOR_TRY(Value(table, {.age = m.age, .interest = rate, .term = wait})).annuity;
    }
    const auto out_a_year =
        static_cast<long double>(m.benefit_fen + m.grassland_service_fen + m.beijing_service_fen);
    liability +=
        static_cast<long double>(m.lives) *
        (out_a_year * paid.annuity - static_cast<long double>(m.contribution_fen) * contributions);
  }
  out.liability_fen = static_cast<int64_t>(std::llround(static_cast<double>(liability)));
  if (liability > 0) out.funding_ratio = static_cast<double>(o.assets_fen / liability);

  // The deterministic projection of the expected cash flows.
  std::vector<double> alive(groups);
  for (size_t g = 0; g < groups; ++g) alive[g] = static_cast<double>(members[g].lives);
  long double assets = static_cast<long double>(o.assets_fen);
  for (size_t t = 0; t < years; ++t) {
    TrustYear y;
    y.year = static_cast<int>(t) + 1;
    long double in = 0, benefits = 0, grass = 0, beijing = 0;
    for (size_t g = 0; g < groups; ++g) {
      const auto& m = members[g];
      const int age = m.age + static_cast<int>(t);
      y.lives += alive[g];
      if (age < m.retirement_age) {
        in += alive[g] * static_cast<long double>(m.contribution_fen);
      } else {
        benefits += alive[g] * static_cast<long double>(m.benefit_fen);
        grass += alive[g] * static_cast<long double>(m.grassland_service_fen);
        beijing += alive[g] * static_cast<long double>(m.beijing_service_fen);
      }
      alive[g] *= 1 - table.q(age);
    }
    assets = (assets + in - benefits - grass - beijing) * (1 + static_cast<long double>(rate));
    y.contributions_fen = std::llround(static_cast<double>(in));
    y.benefits_fen = std::llround(static_cast<double>(benefits));
    y.grassland_fen = std::llround(static_cast<double>(grass));
    y.beijing_fen = std::llround(static_cast<double>(beijing));
    y.assets_end_fen = std::llround(static_cast<double>(assets));
    out.years.push_back(y);
  }
  if (!o.scenarios) return out;

  // The scenarios: deaths by the table, returns log-normal; scenario s on streams of s alone.
  const TrustScenarios& sc = *o.scenarios;
  const auto count = static_cast<size_t>(sc.count);
  const double sigma = sc.volatility;
  const double mu = std::log1p(sc.mean_return) - sigma * sigma / 2;  // E[1 + r] = 1 + mean
  const CounterRng rng(o.seed);
  std::vector<double> end(count * years);  // scenario-major
  std::vector<uint8_t> short_of(count, 0);
  auto run = [&](size_t from, size_t to) {
    std::vector<int64_t> lives(groups);
    for (size_t s = from; s < to; ++s) {
      for (size_t g = 0; g < groups; ++g) lives[g] = members[g].lives;
      double a = static_cast<double>(o.assets_fen);
      for (size_t t = 0; t < years; ++t) {
        double flow = 0;
        for (size_t g = 0; g < groups; ++g) {
          const auto& m = members[g];
          const int age = m.age + static_cast<int>(t);
          const auto n = static_cast<double>(lives[g]);
          if (age < m.retirement_age) {
            flow += n * static_cast<double>(m.contribution_fen);
          } else {
            flow -= n * static_cast<double>(m.benefit_fen + m.grassland_service_fen +
                                            m.beijing_service_fen);
          }
          lives[g] -= Deaths(lives[g], table.q(age), rng, 2 * s + 1, t * groups + g);
        }
        const double growth = std::exp(mu + sigma * rng.Normal(2 * s, t));
        a = (a + flow) * growth;
        end[s * years + t] = a;
        if (a < 0) short_of[s] = 1;
      }
    }
  };
  size_t threads = o.threads > 0 ? static_cast<size_t>(o.threads)
                                 : std::max<size_t>(1, std::thread::hardware_concurrency());
  threads = std::min(threads, count);
  std::vector<std::thread> pool;
  for (size_t k = 0; k < threads; ++k) {
    pool.emplace_back(run, count * k / threads, count * (k + 1) / threads);
  }
  for (auto& t : pool) t.join();
  std::vector<double> column(count);
  for (size_t t = 0; t < years; ++t) {
    long double sum = 0;
    for (size_t s = 0; s < count; ++s) {
      column[s] = end[s * years + t];
      sum += column[s];
    }
    out.years[t].assets_mean_fen = std::llround(static_cast<double>(sum / count));
    out.years[t].assets_p5_fen = std::llround(Quantile(column, 0.05));
    out.years[t].assets_median_fen = std::llround(Quantile(column, 0.5));
  }
  size_t shortfalls = 0;
  for (uint8_t f : short_of) shortfalls += f;
  out.shortfall_probability = static_cast<double>(shortfalls) / static_cast<double>(count);
  out.scenarios = sc.count;
  return out;
}

}  // namespace corridor::pension
