#include "service/analyses/risk_analyses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "core/date.hpp"
#include "gpu/gpu.hpp"
#include "risk/credit/calibration.hpp"
#include "risk/credit/concentration.hpp"
#include "risk/credit/irb.hpp"
#include "risk/credit/portfolio_mc.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "store/db.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;

namespace {

// One worker runs the analyses in request order; a tenant may have at most this many queued or
// running at once, so that one tenant's requests cannot hold the queue for everyone else.
constexpr int64_t kMaxInFlightPerTenant = 4;

int64_t Fen(double yuan_fen) { return std::llround(yuan_fen); }

struct Params {
  int64_t scenarios = 100'000;
  uint64_t seed = 1;
  std::vector<double> confidence_levels = {0.99, 0.999};
  bool importance_sampling = false;
  std::string backend = "auto";  // cpu | cuda | auto
};

Result<Params> ParseParams(const Json& request) {
  static const Json kEmpty = Json::object();
  const Json& body = request.is_null() ? kEmpty : request;  // Input keeps a reference
  Input in(body);
  Params p;
  p.scenarios = in.OptInt("scenarios", 1'000, 5'000'000).value_or(100'000);
  p.seed = static_cast<uint64_t>(in.OptInt("seed", 0, INT64_MAX).value_or(1));
  p.importance_sampling = in.Bool("importance_sampling", false);
  p.backend = in.OptStr("backend", 10).value_or("auto");
  if (p.backend != "cpu" && p.backend != "cuda" && p.backend != "auto") {
    in.Problem("backend", "must be cpu, cuda or auto");
  } else if (p.backend == "cuda") {
    // Refused now rather than failing the stored analysis later.
    if (auto e = gpu::SelectMcEngine(p.backend, 0); !e) {
      in.Problem("backend", e.error().fields.at(0).message);
    }
  }
  if (in.Has("confidence_levels")) {
    const Json& a = body.at("confidence_levels");
    p.confidence_levels.clear();
    if (!a.is_array() || a.empty() || a.size() > 10) {
      in.Problem("confidence_levels", "must be an array of 1 to 10 levels in (0, 1)");
    } else {
      for (size_t j = 0; j < a.size(); ++j) {
        if (!a[j].is_number() || !(a[j].get<double>() > 0 && a[j].get<double>() < 1)) {
          in.Problem(fmt::format("confidence_levels/{}", j), "must be a number in (0, 1)");
        } else {
          p.confidence_levels.push_back(a[j].get<double>());
        }
      }
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  return p;
}

Json ParamsJson(const Params& p) {
  return Json{{"scenarios", p.scenarios},
              {"seed", p.seed},
              {"confidence_levels", p.confidence_levels},
              {"importance_sampling", p.importance_sampling},
              {"backend", p.backend}};
}

// May the caller see (read) or run analyses on this portfolio? Banks their own book; the
// bureau's roles any bank's book and the whole platform (the bureau's own tenant id).
Result<bool> Allowed(Connection& c, const Caller& caller, int64_t portfolio, bool run) {
  auto q = CORRIDOR_TRY(Query::Make(c, "SELECT kind FROM tenants WHERE id = ?", portfolio));
  if (!CORRIDOR_TRY(q.Next())) return false;
  const std::string kind = q.Text(0);
  if (kind != "bank" && kind != "bureau") return false;
  if (caller.tenant_kind == TenantKind::kBank) {
    if (portfolio != caller.tenant_id) return false;
    return caller.role == Role::kBankOfficer || caller.role == Role::kRiskAnalyst;
  }
  if (caller.tenant_kind == TenantKind::kBureau) {
    if (caller.role == Role::kAuditor) return !run;
    return caller.role == Role::kBureauAdmin || caller.role == Role::kRiskAnalyst;
  }
  return false;
}

struct BookLine {
  int64_t loan_id = 0;
  int64_t ead_fen = 0;
  double pd = 0, lgd = 0;
  std::string industry, bank, enterprise;
};

Result<std::vector<BookLine>> LoadBook(Connection& c, int64_t portfolio, bool whole_platform,
                                       const std::string& today) {
  const std::string sql = fmt::format(
      "SELECT l.id, e.industry, e.name, coalesce(p.scale, 'micro'), "
      "coalesce(p.credit_record, 'clean'), coalesce(g.cover_bps, 0), t.name, {}, "
      "EXISTS (SELECT 1 FROM installments i WHERE i.loan_id = l.id AND {} AND i.due_date < ?) "
      "FROM loans l JOIN enterprises e ON e.id = l.enterprise_id "
      "LEFT JOIN credit_profiles p ON p.enterprise_id = e.id "
      "LEFT JOIN guarantees g ON g.loan_id = l.id "
      "JOIN tenants t ON t.id = l.bank_tenant_id {} ORDER BY l.id",
      internal::kOutstandingPrincipalSql, internal::kUnpaidInstallmentSql,
      whole_platform ? "" : "WHERE l.bank_tenant_id = ?");
  auto q = whole_platform ? CORRIDOR_TRY(Query::Make(c, sql, today))
                          : CORRIDOR_TRY(Query::Make(c, sql, today, portfolio));
  std::vector<BookLine> book;
  while (CORRIDOR_TRY(q.Next())) {
    BookLine b;
    b.loan_id = q.Int(0);
    b.industry = q.Text(1);
    b.enterprise = q.Text(2);
    b.bank = q.Text(6);
    b.ead_fen = q.Int(7);
    if (b.ead_fen <= 0) continue;  // repaid
    b.pd = risk::ProfilePd(q.View(3), q.View(4), q.Int(8) != 0);
    b.lgd = risk::GuaranteedLgd(static_cast<int>(q.Int(5)));
    book.push_back(std::move(b));
  }
  return book;
}

Result<Json> Analyse(const std::vector<BookLine>& book, const Params& p, int threads,
                     const std::function<void(double)>& progress, const std::atomic<bool>* cancel) {
  if (book.empty()) return Fail(Error::Invalid("/portfolio", "has no outstanding loans"));
  std::map<std::string, int> industries;
  for (const auto& b : book) industries.emplace(b.industry, 0);
  int k = 0;
  for (auto& [name, index] : industries) index = k++;
  risk::McInput in;
  in.scenarios = p.scenarios;
  in.seed = p.seed;
  in.confidence_levels = p.confidence_levels;
  in.importance_sampling = p.importance_sampling;
  in.threads = threads;
  in.progress = progress;
  in.cancel = cancel;
  in.factor_correlation.assign(k, std::vector<double>(k, risk::kIndustryCorrelation));
  for (int j = 0; j < k; ++j) in.factor_correlation[j][j] = 1;
  std::vector<risk::Exposure> exposures;
  double ead = 0, irb_k = 0;
  std::map<std::string, double> el_sector, el_bank;  // PD × LGD × EAD
  for (const auto& b : book) {
    const double el = b.pd * b.lgd * static_cast<double>(b.ead_fen);
    el_sector[b.industry] += el;
    el_bank[b.bank] += el;
    risk::IrbInput irb;
    irb.pd = b.pd;
    irb.lgd = b.lgd;
    const auto cap = CORRIDOR_TRY(risk::IrbCapital(irb));
    std::vector<double> loadings(k, 0.0);
    loadings[industries[b.industry]] = std::sqrt(cap.correlation);
    in.obligors.push_back(
        {static_cast<double>(b.ead_fen), b.pd, b.lgd, std::move(loadings), b.industry, b.bank, 1});
    exposures.push_back({static_cast<double>(b.ead_fen), b.industry, b.pd, b.lgd});
    ead += static_cast<double>(b.ead_fen);
    irb_k += cap.capital_k * static_cast<double>(b.ead_fen);
  }
  const auto engine = CORRIDOR_TRY(gpu::SelectMcEngine(
      p.backend, static_cast<double>(book.size()) * static_cast<double>(p.scenarios)));
  in.engine = engine.get();
  const auto mc = CORRIDOR_TRY(risk::PortfolioMonteCarlo(in));
  const auto conc = CORRIDOR_TRY(risk::Concentration(exposures));

  Json var = Json::object(), es = Json::object();
  for (size_t j = 0; j < p.confidence_levels.size(); ++j) {
    var[fmt::format("{}", p.confidence_levels[j])] = Fen(mc.var[j]);
    es[fmt::format("{}", p.confidence_levels[j])] = Fen(mc.es[j]);
  }
  auto groups = [](const std::vector<risk::GroupContribution>& g, const char* key) {
    Json out = Json::array();
    for (const auto& c : g) {
      out.push_back({{key, c.name}, {"es_contribution_fen", Fen(c.es_contribution)}});
    }
    return out;
  };
  std::vector<size_t> order(book.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return mc.contributions[a] > mc.contributions[b]; });
  Json top = Json::array();
  for (size_t r = 0; r < std::min<size_t>(20, order.size()); ++r) {
    const auto& b = book[order[r]];
    top.push_back({{"loan_id", b.loan_id},
                   {"enterprise", b.enterprise},
                   {"industry", b.industry},
                   {"ead_fen", b.ead_fen},
                   {"pd", b.pd},
                   {"lgd", b.lgd},
                   {"es_contribution_fen", Fen(mc.contributions[order[r]])}});
  }
  Json sectors = Json::array();
  for (const auto& s : conc.sectors) {
    sectors.push_back({{"sector", s.sector}, {"ead_fen", Fen(s.ead)}, {"share", s.share}});
  }
  auto el_json = [](const std::map<std::string, double>& m, const char* key) {
    Json out = Json::array();
    for (const auto& [name, v] : m) out.push_back({{key, name}, {"expected_loss_fen", Fen(v)}});
    return out;
  };
  Json out{{"portfolio",
            {{"loans", book.size()},
             {"ead_fen", Fen(ead)},
             {"expected_loss_fen", Fen(mc.analytic_expected_loss)},
             {"expected_loss_by_sector", el_json(el_sector, "sector")},
             {"expected_loss_by_bank", el_json(el_bank, "bank")},
             {"irb_capital_fen", Fen(irb_k)},
             {"irb_rwa_fen", Fen(12.5 * irb_k)}}},
           {"monte_carlo",
            {{"expected_loss_fen", Fen(mc.expected_loss)},
             {"loss_std_fen", Fen(mc.loss_std)},
             {"var_fen", std::move(var)},
             {"es_fen", std::move(es)},
             {"contribution_level", mc.contribution_level},
             {"sector_contributions", groups(mc.sector_contributions, "sector")},
             {"bank_contributions", groups(mc.bank_contributions, "bank")},
             {"top_contributors", std::move(top)},
             {"scenarios", mc.scenarios},
             {"tail_scenarios", mc.tail_scenarios},
             {"backend_used", mc.backend}}},
           {"concentration",
            {{"sectors", std::move(sectors)},
             {"sector_hhi", conc.sector_hhi},
             {"name_hhi", conc.name_hhi},
             {"new_energy_share", conc.new_energy_share},
             {"new_energy_over_limit", conc.new_energy_over_limit}}}};
  if (conc.granularity_adjustment) {
    out["concentration"]["granularity_adjustment"] = *conc.granularity_adjustment;
  }
  if (mc.variance_reduction) out["monte_carlo"]["variance_reduction"] = *mc.variance_reduction;
  {
    Json bins = Json::array();
    for (size_t b = 0; b < mc.histogram.size(); ++b) {
      bins.push_back({{"from_fen", Fen(mc.histogram_bin_width * static_cast<double>(b))},
                      {"to_fen", Fen(mc.histogram_bin_width * static_cast<double>(b + 1))},
                      {"probability", mc.histogram[b]}});
    }
    out["monte_carlo"]["loss_histogram"] = std::move(bins);
  }
  return out;
}

Json RowJson(const Query& q) {
  Json row{{"id", q.Int(0)},
           {"portfolio_id", q.Int(1)},
           {"status", q.Text(2)},
           {"progress", static_cast<double>(q.Int(3)) / 10'000},
           {"params", Json::parse(q.View(4), nullptr, false)},
           {"created_at_us", q.Int(7)}};
  if (!q.IsNull(5)) row["result"] = Json::parse(q.View(5), nullptr, false);
  if (!q.IsNull(6)) row["error"] = q.Text(6);
  if (!q.IsNull(8)) row["finished_at_us"] = q.Int(8);
  return row;
}

constexpr std::string_view kColumns =
    "id, portfolio_tenant_id, status, progress_bp, params, result, error, created_at, "
    "finished_at";

}  // namespace

RiskAnalyses::RiskAnalyses(store::Store& store, const Clock& clock, int threads)
    : store_(store), clock_(clock), threads_(std::max(1, threads)) {}

RiskAnalyses::~RiskAnalyses() { Stop(); }

void RiskAnalyses::Start() {
  if (worker_.joinable()) return;
  // Whatever was running when the process stopped will not finish.
  (void)store_.Write([&](Connection& c) -> Result<int64_t> {
    return Execute(c,
                   "UPDATE risk_analyses SET status = 'failed', error = 'interrupted by a "
                   "restart', finished_at = ? WHERE status = 'running'",
                   clock_.NowMicros());
  });
  stop_ = false;
  worker_ = std::thread([this] { Work(); });
}

void RiskAnalyses::Stop() {
  if (!worker_.joinable()) return;
  stop_ = true;
  cv_.notify_all();
  worker_.join();
}

void RiskAnalyses::Notify() { cv_.notify_all(); }

void RiskAnalyses::Work() {
  while (!stop_) {
    auto ran = RunOne();
    if (stop_) break;
    if (!ran) {  // nothing queued (or the store failed): wait for a request or the poll
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(250));
    }
  }
}

Status RiskAnalyses::RunOne() {
  struct Job {
    int64_t id = 0, portfolio = 0;
    bool whole_platform = false;
    std::string params;
  };
  auto job = store_.Write([&](Connection& c) -> Result<std::optional<Job>> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT a.id, a.portfolio_tenant_id, a.params, t.kind FROM "
                                      "risk_analyses a JOIN tenants t ON t.id = "
                                      "a.portfolio_tenant_id WHERE a.status = 'queued' ORDER BY "
                                      "a.id LIMIT 1"));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<Job>();
    Job j{q.Int(0), q.Int(1), q.Text(3) == "bureau", q.Text(2)};
    CORRIDOR_TRY(Execute(c, "UPDATE risk_analyses SET status = 'running' WHERE id = ?", j.id));
    return std::optional<Job>(std::move(j));
  });
  if (!job) return Fail(std::move(job.error()));
  if (!*job) return Fail(Error::NotFound("queued analysis"));
  const Job& j = **job;

  // Overdue is decided on the platform's business calendar (China Standard Time), as everywhere.
  const std::string today = clock_.Today().ToString();
  auto params = ParseParams(Json::parse(j.params, nullptr, false));
  int64_t last_bp = 0;
  auto last_write = std::chrono::steady_clock::now();
  auto progress = [&](double f) {
    const int64_t bp = std::clamp<int64_t>(std::llround(f * 10'000), 0, 10'000);
    const auto now = std::chrono::steady_clock::now();
    if (bp - last_bp < 500 && now - last_write < std::chrono::seconds(1)) return;
    last_bp = bp;
    last_write = now;
    (void)store_.Write([&](Connection& c) -> Result<int64_t> {
      return Execute(c, "UPDATE risk_analyses SET progress_bp = ? WHERE id = ?", bp, j.id);
    });
  };
  Result<Json> result = Fail(Error::Internal("not run"));
  if (!params) {
    result = Fail(params.error());
  } else {
    auto book = store_.Read(
        [&](Connection& c) { return LoadBook(c, j.portfolio, j.whole_platform, today); });
    result = book ? Analyse(*book, *params, threads_, progress, &stop_) : Fail(book.error());
  }
  (void)store_.Write([&](Connection& c) -> Result<int64_t> {
    if (result) {
      return Execute(c,
                     "UPDATE risk_analyses SET status = 'done', progress_bp = 10000, result = ?, "
                     "finished_at = ? WHERE id = ?",
                     result->dump(), clock_.NowMicros(), j.id);
    }
    return Execute(c,
                   "UPDATE risk_analyses SET status = 'failed', error = ?, finished_at = ? "
                   "WHERE id = ?",
                   result.error().message, clock_.NowMicros(), j.id);
  });
  return {};
}

Result<Response> RiskAnalyses::Request(Connection& c, const Caller& caller, int64_t portfolio,
                                       const Json& body) {
  if (!CORRIDOR_TRY(Allowed(c, caller, portfolio, true))) {
    return Fail(Error::NotFound("portfolio"));
  }
  const Params p = CORRIDOR_TRY(ParseParams(body));
  const auto in_flight = CORRIDOR_TRY(internal::QueryInt(
      c,
      "SELECT count(*) FROM risk_analyses WHERE requester_tenant_id = ? AND status IN "
      "('queued', 'running')",
      caller.tenant_id));
  if (in_flight.value_or(0) >= kMaxInFlightPerTenant) {
    return Fail(Error::Conflict(fmt::format(
        "{} analyses requested by your organisation are queued or running (at most {}); "
        "request again when one has finished",
        *in_flight, kMaxInFlightPerTenant)));
  }
  const std::string params = ParamsJson(p).dump();
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(store::InsertReturningId(
      c,
      "INSERT INTO risk_analyses (portfolio_tenant_id, requested_by, requester_tenant_id, "
      "status, params, created_at) VALUES (?, ?, ?, 'queued', ?, ?) RETURNING id",
      portfolio, caller.user_id, caller.tenant_id, params, now));
  Response response{Json{{"id", id},
                         {"portfolio_id", portfolio},
                         {"status", "queued"},
                         {"progress", 0.0},
                         {"params", ParamsJson(p)},
                         {"created_at_us", now}}};
  // The worker also polls; the wake-up after the commit saves it the wait.
  response.after_commit = [this] { Notify(); };
  return response;
}

Result<Json> RiskAnalyses::Get(const Caller& caller, int64_t portfolio, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(Allowed(c, caller, portfolio, false))) {
      return Fail(Error::NotFound("portfolio"));
    }
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM risk_analyses WHERE id = ? AND portfolio_tenant_id = ?",
                    kColumns),
        id, portfolio));
    if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("analysis"));
    return RowJson(q);
  });
}

Result<Json> RiskAnalyses::List(const Caller& caller, int64_t portfolio, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(Allowed(c, caller, portfolio, false))) {
      return Fail(Error::NotFound("portfolio"));
    }
    // Newest first: the cursor is the last id shown, and the next page holds older ones.
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM risk_analyses WHERE portfolio_tenant_id = ? AND (? = 0 OR "
                    "id < ?) ORDER BY id DESC LIMIT ?",
                    kColumns),
        portfolio, page.after_id.value_or(0), page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      Json item = RowJson(row);
      item.erase("result");  // the list stays small; GET one analysis for its result
      return item;
    });
  });
}

}  // namespace corridor::service
