#pragma once
// Credit-risk analyses of a loan book on the platform, run in the background.
//
// A portfolio is a tenant's book: a bank's loans (portfolio id = the bank's tenant id), or every
// loan on the platform (the bureau's tenant id, bureau roles only). A bank's officers and risk
// analysts may analyse their own bank's book; the bureau's admin and risk analysts any book;
// auditors read. POST stores the request as `queued` (in the caller's transaction) and a worker
// thread picks it up, marks it `running`, reports progress, and stores the result or the error.
// Requests survive restarts: queued ones run after the next start, running ones are failed as
// interrupted.
//
// The book becomes the portfolio-mc model (risk/credit/portfolio_mc.hpp): one line per loan with
// EAD = its unpaid principal, PD from the borrower's shared-data profile, LGD 45% on the part
// not covered by a guarantee, a loading √R (IRB corporate correlation of its PD) on its
// industry's factor, industry factors correlated 0.5. docs/risk.md states the calibration.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

class RiskAnalyses {
 public:
  RiskAnalyses(store::Store& store, const Clock& clock, int threads);
  ~RiskAnalyses();
  RiskAnalyses(const RiskAnalyses&) = delete;
  RiskAnalyses& operator=(const RiskAnalyses&) = delete;

  // The worker: Start() fails what a stopped process left running and starts working the queue;
  // Stop() interrupts the analysis under way (it is marked failed at the next start) and joins.
  void Start();
  void Stop();

  // --- writes (inside Transactions::Mutate) ---
  Result<Response> Request(store::Connection& c, const Caller& caller, int64_t portfolio,
                           const Json& body);
  // --- reads ---
  Result<Json> Get(const Caller& caller, int64_t portfolio, int64_t id);
  Result<Json> List(const Caller& caller, int64_t portfolio, const Page& page);

 private:
  // Wakes the worker (after a request's transaction committed).
  void Notify();
  void Work();
  Status RunOne();

  store::Store& store_;
  const Clock& clock_;
  int threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

}  // namespace corridor::service
