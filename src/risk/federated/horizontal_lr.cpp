#include "risk/federated/horizontal_lr.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <thread>

#include "risk/federated/masking.hpp"
#include "risk/federated/random.hpp"
#include "risk/federated/secagg.hpp"

namespace corridor::risk::federated {

namespace {

// Message kinds: bank → coordinator each its own; coordinator → bank one kind with a type byte.
enum Kind : uint8_t {
  kHello = 121,
  kKeys,
  kShares,
  kMasked,
  kUnmask,
  kToBank,
};
enum ToBank : uint8_t { kStep = 1, kKeyList, kShareBoxes, kSurvivors, kRestart, kDone };

constexpr size_t kMaxBanks = 1000;
constexpr size_t kMaxColumns = 200;
constexpr size_t kMaxColumnName = 256;
constexpr size_t kMaxBody = 64 << 20;
constexpr double kMaxFixed = 4.0e18;  // below 2^62: sums of a few banks stay below 2^63

// One bank's sums at β: [log-likelihood, gradient (p + 1), information's upper triangle].
std::vector<double> LocalSums(const BankData& bank, const std::vector<double>& beta) {
  const size_t q = beta.size();
  std::vector<double> out(1 + q + q * (q + 1) / 2, 0.0);
  std::vector<double> x(q);
  for (size_t i = 0; i < bank.features.size(); ++i) {
    x[0] = 1;
    std::copy(bank.features[i].begin(), bank.features[i].end(), x.begin() + 1);
    double eta = 0;
    for (size_t j = 0; j < q; ++j) eta += beta[j] * x[j];
    const double p = eta >= 0 ? 1 / (1 + std::exp(-eta)) : std::exp(eta) / (1 + std::exp(eta));
    const int y = bank.labels[i];
    out[0] += y * eta - (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)));
    const double w = p * (1 - p);
    for (size_t j = 0; j < q; ++j) out[1 + j] += (y - p) * x[j];
    size_t t = 1 + q;
    for (size_t a = 0; a < q; ++a) {
      for (size_t b = a; b < q; ++b) out[t++] += w * x[a] * x[b];
    }
  }
  return out;
}

// Solves H δ = g by Cholesky; H symmetric positive definite (upper triangle given).
Result<std::vector<double>> Solve(std::span<const double> upper, std::span<const double> g) {
  const size_t q = g.size();
  std::vector<std::vector<double>> l(q, std::vector<double>(q, 0.0));
  size_t t = 0;
  std::vector<std::vector<double>> h(q, std::vector<double>(q));
  for (size_t a = 0; a < q; ++a) {
    for (size_t b = a; b < q; ++b) h[a][b] = h[b][a] = upper[t++];
  }
  for (size_t j = 0; j < q; ++j) {
    double d = h[j][j];
    for (size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (!(d > 1e-12 * std::max(1.0, h[j][j]))) {
      return Fail(Error::Invalid(
          "/banks", fmt::format("the pooled design is singular at column {}", j == 0 ? 0 : j - 1)));
    }
    l[j][j] = std::sqrt(d);
    for (size_t i = j + 1; i < q; ++i) {
      double s = h[i][j];
      for (size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  std::vector<double> z(q), x(q);
  for (size_t i = 0; i < q; ++i) {
    double s = g[i];
    for (size_t k = 0; k < i; ++k) s -= l[i][k] * z[k];
    z[i] = s / l[i][i];
  }
  for (size_t i = q; i-- > 0;) {
    double s = z[i];
    for (size_t k = i + 1; k < q; ++k) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

// The Newton iteration on pooled sums, with step halving (as glm) and a fresh comparison when the
// set of banks changes.
class PooledNewton {
 public:
  PooledNewton(size_t q, double tolerance)
      : q_(q), tolerance_(tolerance), beta_(q, 0.0), base_(q, 0.0), step_(q, 0.0) {}

  const std::vector<double>& beta() const { return beta_; }
  double log_likelihood() const { return log_likelihood_; }

  // The pooled sums at beta(); true once converged.
  Result<bool> Take(std::span<const double> total, bool banks_changed) {
    if (banks_changed) accepted_ = -std::numeric_limits<double>::infinity();
    if (total[0] < accepted_ - 1e-12 * std::fabs(accepted_) && halvings_ < 40) {
      // The full step lowered the likelihood: halve it and aggregate again.
      ++halvings_;
      for (size_t j = 0; j < q_; ++j) {
        step_[j] /= 2;
        beta_[j] = base_[j] + step_[j];
      }
      return false;
    }
    halvings_ = 0;
    accepted_ = total[0];
    log_likelihood_ = total[0];
    const auto delta = CORRIDOR_TRY(Solve(total.subspan(1 + q_), total.subspan(1, q_)));
    bool small = true;
    for (size_t j = 0; j < q_; ++j) {
      if (std::fabs(delta[j]) > tolerance_ * (1 + std::fabs(beta_[j]))) small = false;
    }
    if (small && !banks_changed) return true;
    base_ = beta_;
    step_ = delta;
    for (size_t j = 0; j < q_; ++j) beta_[j] += delta[j];
    return false;
  }

 private:
  size_t q_;
  double tolerance_;
  std::vector<double> beta_, base_, step_;
  double accepted_ = -std::numeric_limits<double>::infinity();
  double log_likelihood_ = 0;
  int halvings_ = 0;
};

// A bank's borrowers: p columns, labels 0 or 1, values whose sums stay in the fixed-point range.
Status CheckBank(const BankData& b, size_t p, const std::string& at) {
  if (b.features.empty() || b.features.size() != b.labels.size()) {
    return Fail(Error::Invalid(at + "/labels", "one label for every row, and at least one row"));
  }
  for (size_t i = 0; i < b.features.size(); ++i) {
    if (b.features[i].size() != p) {
      return Fail(Error::Invalid(fmt::format("{}/features/{}", at, i),
                                 fmt::format("must have {} values like every bank's", p)));
    }
    for (double v : b.features[i]) {
      // The information matrix's sums must stay inside the fixed-point range.
      if (!std::isfinite(v) ||
          std::fabs(v) * std::fabs(v) * static_cast<double>(b.features.size()) > kMaxFixed / 4) {
        return Fail(Error::Invalid(fmt::format("{}/features/{}", at, i),
                                   "must be finite and of a size whose squares sum below 1e18"));
      }
    }
    if (b.labels[i] != 0 && b.labels[i] != 1) {
      return Fail(Error::Invalid(fmt::format("{}/labels/{}", at, i), "must be 0 or 1"));
    }
  }
  return {};
}

Error Malformed(std::string_view what, std::string_view why) {
  return Error::Invalid(fmt::format("/message/{}", what), std::string(why));
}

std::string Payload(ToBank type, std::string_view body) {
  return Writer().U8(type).Bytes(body).Take();
}

std::string ModelBody(const HorizontalLrFit& fit) {
  Writer w;
  w.U8(kDone).F64(fit.intercept).U32(static_cast<uint32_t>(fit.coefficients.size()));
  for (double c : fit.coefficients) w.F64(c);
  w.F64(fit.log_likelihood).U32(static_cast<uint32_t>(fit.iterations)).U8(fit.converged ? 1 : 0);
  w.U32(static_cast<uint32_t>(fit.banks.size()));
  for (size_t b : fit.banks) w.U32(static_cast<uint32_t>(b));
  return w.Take();
}

// The coordinator's view of the active banks in one round.
struct Round {
  std::span<Channel* const> banks;
  std::vector<size_t> active;  // bank indices; secure-aggregation client i is active[i]
  uint32_t number = 0;
  std::vector<HorizontalLrFit::Dropped>* dropped = nullptr;
  std::set<size_t> lost = {};  // clients lost in this round

  void Send(size_t i, std::string body) {
    banks[active[i]]->Send(kToBank, number, std::move(body));
  }
  // Each client's message of `kind` into `add`; a client whose message fails is lost.
  template <typename Add>
  void Collect(uint8_t kind, std::span<const uint32_t> clients, Add add) {
    for (uint32_t i : clients) {
      auto body = banks[active[i]]->Expect(kind, number);
      const Status st = body ? add(i, *body) : Status(Fail(body.error()));
      if (!st) {
        lost.insert(i);
        dropped->push_back({.bank = active[i], .round = number, .reason = st.error().message});
      }
    }
  }
  std::vector<uint32_t> All() const {
    std::vector<uint32_t> out(active.size());
    for (uint32_t i = 0; i < out.size(); ++i) out[i] = i;
    return out;
  }
};

}  // namespace

Result<HorizontalLrFit> RunPoolCoordinator(std::span<Channel* const> banks,
                                           const PoolOptions& options) {
  HorizontalLrFit fit;
  auto abort_all = [&](const std::vector<size_t>& to, const Error& e) {
    for (size_t k : to) banks[k]->Abort(e.message);
    return e;
  };
  std::vector<size_t> everyone(banks.size());
  for (size_t k = 0; k < banks.size(); ++k) everyone[k] = k;
  if (banks.size() < 2 || banks.size() > kMaxBanks) {
    return Fail(abort_all(everyone, Error::Invalid("/banks", "from 2 to 1,000 banks")));
  }
  if (options.threshold == 1) {
    return Fail(abort_all(everyone, Error::Invalid("/threshold", "must be at least 2")));
  }
  // Hello: the same columns at every bank.
  for (size_t k = 0; k < banks.size(); ++k) {
    auto body = banks[k]->Expect(kHello, 0);
    if (!body) {
      return Fail(abort_all(
          everyone, Error{body.error().code,
                          fmt::format("bank {} did not say hello: {}", k, body.error().message),
                          body.error().fields}));
    }
    Reader r(*body);
    std::vector<std::string> columns;
    Status read = [&]() -> Status {
      const uint32_t count = CORRIDOR_TRY(r.U32("columns"));
      if (count == 0 || count > kMaxColumns) return Fail(Malformed("columns", "1 to 200"));
      for (uint32_t c = 0; c < count; ++c) {
        columns.push_back(CORRIDOR_TRY(r.Bytes("column", kMaxColumnName)));
      }
      return r.End();
    }();
    if (!read) return Fail(abort_all(everyone, read.error()));
    if (k == 0) {
      fit.columns = columns;
    } else if (columns != fit.columns) {
      return Fail(abort_all(
          everyone,
          Error::Invalid(fmt::format("/banks/{}/columns", k),
                         fmt::format("bank {} has columns {}, bank 0 has {}", k,
                                     fmt::join(columns, ","), fmt::join(fit.columns, ",")))));
    }
  }
  const size_t q = fit.columns.size() + 1;
  const size_t length = 1 + q + q * (q + 1) / 2;
  PooledNewton newton(q, options.tolerance);
  std::vector<size_t> active = everyone, previous = everyone;
  uint32_t number = 0;
  for (int completed = 0; completed < options.max_iterations;) {
    ++number;
    if (active.size() < 2) {
      return Fail(abort_all(active, Error{ErrorCode::kUnavailable,
                                          "one bank remains: its sums would be its own, so the "
                                          "fit stops",
                                          {}}));
    }
    const auto n = static_cast<uint32_t>(active.size());
    const uint32_t threshold =
        options.threshold != 0 ? std::min(options.threshold, n) : std::max<uint32_t>(2, n / 2 + 1);
    Round round{.banks = banks, .active = active, .number = number, .dropped = &fit.dropped};
    SecAggServer server(n, threshold, number, length);
    auto restart_without_lost = [&] {
      std::vector<size_t> kept;
      for (uint32_t i = 0; i < n; ++i) {
        if (round.lost.contains(i)) continue;
        kept.push_back(active[i]);
        round.Send(i, Writer().U8(kRestart).Take());
      }
      active = kept;
    };
    // Round 0 and 1 of the aggregation: keys, then shares; a loss restarts the round.
    for (uint32_t i = 0; i < n; ++i) {
      Writer w;
      w.U8(kStep).U32(i).U32(n).U32(threshold).U32(static_cast<uint32_t>(q));
      for (double b : newton.beta()) w.F64(b);
      round.Send(i, w.Take());
    }
    const auto all = round.All();
    round.Collect(kKeys, all,
                  [&](uint32_t i, const std::string& b) { return server.AddKeys(i, b); });
    if (!round.lost.empty()) {
      restart_without_lost();
      continue;
    }
    const std::string keys = server.KeysList();
    for (uint32_t i = 0; i < n; ++i) round.Send(i, Payload(kKeyList, keys));
    round.Collect(kShares, all,
                  [&](uint32_t i, const std::string& b) { return server.AddShares(i, b); });
    if (!round.lost.empty()) {
      restart_without_lost();
      continue;
    }
    for (uint32_t i = 0; i < n; ++i) round.Send(i, Payload(kShareBoxes, server.SharesFor(i)));
    // Round 2 and 3: masked inputs, then the survivors unmask their sum.
    round.Collect(kMasked, all,
                  [&](uint32_t i, const std::string& b) { return server.AddMasked(i, b); });
    const auto alive = server.Survivors();
    std::vector<size_t> remaining;
    for (uint32_t i : server.survivors()) remaining.push_back(active[i]);
    if (!alive) return Fail(abort_all(remaining, alive.error()));
    const auto survivors = server.survivors();
    for (uint32_t i : survivors) round.Send(i, Payload(kSurvivors, *alive));
    round.Collect(kUnmask, survivors,
                  [&](uint32_t i, const std::string& b) { return server.AddUnmask(i, b); });
    const auto sum = server.Sum();
    std::vector<size_t> contributed, next;
    for (uint32_t i : survivors) {
      contributed.push_back(active[i]);
      if (!round.lost.contains(i)) next.push_back(active[i]);
    }
    if (!sum) return Fail(abort_all(next, sum.error()));
    std::vector<double> total(sum->size());
    for (size_t i = 0; i < total.size(); ++i) total[i] = FromFixed((*sum)[i]);
    ++completed;
    fit.trace.push_back(total[0]);
    if (options.on_round) options.on_round(number, total[0], contributed.size());
    const bool changed = contributed != previous;
    previous = contributed;
    active = next;
    const auto done = newton.Take(total, changed);
    if (!done) return Fail(abort_all(active, done.error()));
    if (*done && next == contributed) {
      fit.converged = true;
      break;
    }
  }
  fit.iterations = static_cast<int>(number);
  const auto& beta = newton.beta();
  fit.intercept = beta[0];
  fit.coefficients.assign(beta.begin() + 1, beta.end());
  fit.log_likelihood = newton.log_likelihood();
  fit.banks = active;
  const std::string model = ModelBody(fit);
  for (size_t k : active) banks[k]->Send(kToBank, number + 1, model);
  return fit;
}

Result<HorizontalLrFit> RunPoolBank(Channel& coordinator, const BankData& data,
                                    const std::vector<std::string>& columns, Randomness& random,
                                    const PoolBankOptions& options) {
  const size_t p = columns.size();
  if (p == 0 || p > kMaxColumns) return Fail(Error::Invalid("/columns", "1 to 200 columns"));
  CORRIDOR_TRY_STATUS(CheckBank(data, p, "/data"));
  {
    Writer w;
    w.U32(static_cast<uint32_t>(p));
    for (const auto& c : columns) {
      if (c.empty() || c.size() > kMaxColumnName) {
        return Fail(Error::Invalid("/columns", "each name 1 to 256 bytes"));
      }
      w.Bytes(c);
    }
    coordinator.Send(kHello, 0, w.Take());
  }
  std::unique_ptr<SecAggClient> client;
  std::vector<UInt128> input;
  for (uint32_t number = 1;;) {
    const std::string body = CORRIDOR_TRY(coordinator.Expect(kToBank, number));
    Reader r(body);
    const uint8_t type = CORRIDOR_TRY(r.U8("type"));
    switch (type) {
      case kStep: {
        const uint32_t id = CORRIDOR_TRY(r.U32("client"));
        const uint32_t n = CORRIDOR_TRY(r.U32("clients"));
        const uint32_t threshold = CORRIDOR_TRY(r.U32("threshold"));
        const uint32_t q = CORRIDOR_TRY(r.U32("q"));
        if (q != p + 1) return Fail(Malformed("q", fmt::format("is {}, expected {}", q, p + 1)));
        if (n < 2 || n > kMaxBanks || id >= n || threshold < 2 || threshold > n) {
          return Fail(Malformed("clients", "client, clients and threshold disagree"));
        }
        std::vector<double> beta(q);
        for (auto& b : beta) b = CORRIDOR_TRY(r.F64("beta"));
        CORRIDOR_TRY_STATUS(r.End());
        if (options.on_step) options.on_step(number);
        const auto sums = LocalSums(data, beta);
        input.resize(sums.size());
        for (size_t i = 0; i < sums.size(); ++i) input[i] = ToFixed(sums[i]);
        client = std::make_unique<SecAggClient>(id, n, threshold, number, random);
        coordinator.Send(kKeys, number, client->Keys());
        break;
      }
      case kRestart:
        CORRIDOR_TRY_STATUS(r.End());
        client.reset();
        ++number;
        break;
      case kKeyList:
      case kShareBoxes:
      case kSurvivors: {
        const std::string payload = CORRIDOR_TRY(r.Bytes("payload", kMaxBody));
        CORRIDOR_TRY_STATUS(r.End());
        if (!client) return Fail(Malformed("type", "a round's message before its step"));
        if (type == kKeyList) {
          coordinator.Send(kShares, number, CORRIDOR_TRY(client->Shares(payload)));
        } else if (type == kShareBoxes) {
          std::string masked = CORRIDOR_TRY(client->Masked(payload, input));
          if (options.silent_at == number) {
            return Fail(Error{ErrorCode::kUnavailable,
                              fmt::format("this bank went silent in round {}, as asked", number),
                              {}});
          }
          coordinator.Send(kMasked, number, std::move(masked));
        } else {
          coordinator.Send(kUnmask, number, CORRIDOR_TRY(client->Unmask(payload)));
          client.reset();
          ++number;  // the next step, or the model
        }
        break;
      }
      case kDone: {
        HorizontalLrFit fit;
        fit.columns = columns;
        fit.intercept = CORRIDOR_TRY(r.F64("intercept"));
        const uint32_t count = CORRIDOR_TRY(r.U32("coefficients"));
        if (count != p) return Fail(Malformed("coefficients", "one for every column"));
        for (uint32_t j = 0; j < count; ++j) fit.coefficients.push_back(CORRIDOR_TRY(r.F64("b")));
        fit.log_likelihood = CORRIDOR_TRY(r.F64("log_likelihood"));
        fit.iterations = static_cast<int>(CORRIDOR_TRY(r.U32("iterations")));
        fit.converged = CORRIDOR_TRY(r.U8("converged")) != 0;
        const uint32_t banks = CORRIDOR_TRY(r.U32("banks"));
        if (banks > kMaxBanks) return Fail(Malformed("banks", "at most 1,000"));
        for (uint32_t k = 0; k < banks; ++k) fit.banks.push_back(CORRIDOR_TRY(r.U32("bank")));
        CORRIDOR_TRY_STATUS(r.End());
        return fit;
      }
      default:
        return Fail(Malformed("type", fmt::format("{} is no message of the pool", type)));
    }
  }
}

Result<HorizontalLrFit> FitHorizontalLr(std::span<const BankData> banks,
                                        const HorizontalLrOptions& options) {
  if (banks.size() < 2 || banks.size() > kMaxBanks) {
    return Fail(Error::Invalid("/banks", "from 2 to 1,000 banks"));
  }
  const size_t p = banks[0].features.empty() ? 0 : banks[0].features[0].size();
  if (p == 0 || p > kMaxColumns)
    return Fail(Error::Invalid("/banks/0/features", "1 to 200 columns"));
  for (size_t k = 0; k < banks.size(); ++k) {
    CORRIDOR_TRY_STATUS(CheckBank(banks[k], p, fmt::format("/banks/{}", k)));
  }
  if (options.drop && options.drop->bank >= banks.size()) {
    return Fail(Error::Invalid("/drop/bank", "must be the index of a bank"));
  }
  if (options.threshold == 1) return Fail(Error::Invalid("/threshold", "must be at least 2"));
  std::vector<std::string> columns;
  for (size_t j = 0; j < p; ++j) columns.push_back(fmt::format("x{}", j + 1));
  // Links both ways between the coordinator and each bank.
  const size_t n = banks.size();
  std::vector<std::unique_ptr<QueueLink>> up(n), down(n);
  std::vector<std::unique_ptr<Channel>> to_bank(n), to_coordinator(n);
  std::vector<Channel*> channels(n);
  for (size_t k = 0; k < n; ++k) {
    up[k] = std::make_unique<QueueLink>();
    down[k] = std::make_unique<QueueLink>();
    to_bank[k] = std::make_unique<Channel>(*down[k], *up[k]);
    to_coordinator[k] = std::make_unique<Channel>(*up[k], *down[k]);
    channels[k] = to_bank[k].get();
  }
  std::vector<std::thread> threads;
  for (size_t k = 0; k < n; ++k) {
    threads.emplace_back([&, k] {
      auto random = Randomness::FromSeed(options.seed, fmt::format("horizontal-lr bank {}", k));
      std::optional<uint32_t> silent;
      if (options.drop && options.drop->bank == k) {
        silent = static_cast<uint32_t>(options.drop->iteration);
      }
      const auto r =
          RunPoolBank(*to_coordinator[k], banks[k], columns, random, {.silent_at = silent});
      if (!r && r.error().code != ErrorCode::kUnavailable)
        to_coordinator[k]->Abort(r.error().message);
      up[k]->Close();  // a bank that ends says no more
    });
  }
  auto fit = RunPoolCoordinator(channels, {.max_iterations = options.max_iterations,
                                           .tolerance = options.tolerance,
                                           .threshold = options.threshold});
  for (auto& d : down) d->Close();
  for (auto& t : threads) t.join();
  if (!fit) return fit;
  for (size_t k = 0; k < n; ++k) fit->bytes_exchanged += up[k]->bytes() + down[k]->bytes();
  return fit;
}

}  // namespace corridor::risk::federated
