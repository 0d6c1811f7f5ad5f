#include "service/scoring/federated_trainings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "risk/federated/horizontal_lr.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/vertical_lr.hpp"
#include "risk/scoring/logistic.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/log.hpp"
#include "service/scoring/decision.hpp"
#include "service/scoring/features.hpp"
#include "service/scoring/federated_job.hpp"
#include "store/db.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;
namespace fed = risk::federated;

namespace {

constexpr int64_t kMaxInFlightPerBank = 2;
constexpr size_t kMinCommon = 10;
constexpr size_t kMaxFeatures = 40;

constexpr std::string_view kColumns =
    "f.id, f.bank_tenant_id, t.name, f.name, f.status, f.request, f.progress, f.result, f.error, "
    "f.model_status, f.requested_by, f.created_at, f.started_at, f.finished_at, f.decided_by, "
    "f.decided_at, f.decision_note, f.kind";

Json OptInt(const Query& q, int i) { return q.IsNull(i) ? Json() : Json(q.Int(i)); }
Json OptText(const Query& q, int i) { return q.IsNull(i) ? Json() : Json(q.Text(i)); }

Json RowJson(const Query& q) {
  Json request = Json::parse(q.Text(5));
  return {{"id", q.Int(0)},
          {"bank_tenant_id", q.Int(1)},
          {"bank", q.Text(2)},
          {"name", q.Text(3)},
          {"status", q.Text(4)},
          {"snapshot_date", request.at("snapshot_date")},
          {"horizon_days", request.at("horizon_days")},
          {"features", request.at("features")},
          {"party", request.at("party")},
          {"session", request.at("session")},
          {"progress", Json::parse(q.Text(6))},
          {"result", q.IsNull(7) ? Json() : Json::parse(q.Text(7))},
          {"error", OptText(q, 8)},
          {"model_status", q.Text(9)},
          {"requested_by", q.Int(10)},
          {"created_at", q.Int(11)},
          {"started_at", OptInt(q, 12)},
          {"finished_at", OptInt(q, 13)},
          {"decided_by", OptInt(q, 14)},
          {"decided_at", OptInt(q, 15)},
          {"decision_note", OptText(q, 16)},
          {"kind", q.Text(17)}};
}

// The training, or null when there is none.
Result<Json> Load(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c,
                  fmt::format("SELECT {} FROM federated_trainings f JOIN tenants t ON t.id = "
                              "f.bank_tenant_id WHERE f.id = ?",
                              kColumns),
                  id));
  if (!CORRIDOR_TRY(q.Next())) return Json();
  return RowJson(q);
}

// A session's errors under /session.
Error UnderSession(Error e) {
  for (auto& f : e.fields) f.field = "/session" + f.field;
  if (!e.fields.empty()) e.message = e.fields[0].field + ": " + e.fields[0].message;
  return e;
}

}  // namespace

FederatedTrainings::FederatedTrainings(store::Store& store, const Clock& clock,
                                       std::optional<fed::PartyKey> key, std::string listen_host)
    : store_(store), clock_(clock), key_(key), listen_host_(std::move(listen_host)) {}

FederatedTrainings::~FederatedTrainings() { Stop(); }

void FederatedTrainings::Start() {
  if (worker_.joinable()) return;
  (void)store_.Write([&](Connection& c) -> Result<int64_t> {
    return Execute(c,
                   "UPDATE federated_trainings SET status = 'failed', error = 'interrupted by a "
                   "restart', progress = '{\"stage\":\"failed\"}', finished_at = ? WHERE status "
                   "= 'running'",
                   clock_.NowMicros());
  });
  (void)store_.Write([&](Connection& c) -> Result<int64_t> {
    return Execute(c,
                   "UPDATE federated_scorings SET status = 'failed', error = 'interrupted by a "
                   "restart', progress = '{\"stage\":\"failed\"}', finished_at = ? WHERE status "
                   "= 'running'",
                   clock_.NowMicros());
  });
  stop_ = false;
  worker_ = std::thread([this] { Work(); });
}

void FederatedTrainings::Stop() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    if (running_ != nullptr) running_->Stop();  // the training under way stops waiting
  }
  cv_.notify_all();
  worker_.join();
}

void FederatedTrainings::Notify() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

void FederatedTrainings::Work() {
  while (!stop_) {
    const auto trained = RunOne();
    if (stop_) break;
    const auto scored = RunScoring();
    if (stop_) break;
    if (!trained && !scored) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return pending_ || stop_.load(); });
      pending_ = false;
    }
  }
}

Result<Json> FederatedTrainings::Party(const Caller& caller) const {
  if (!caller.platform() && !caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "banks and the bureau train joint models", {}});
  }
  if (!key_) {
    return Fail(Error{ErrorCode::kUnavailable, "the platform has no federated party key", {}});
  }
  Json features = Json::array();
  for (const auto& f : scoring::FeatureSpecs()) {
    features.push_back({{"name", f.name}, {"zh", f.zh}, {"en", f.en}});
  }
  return Json{{"public_key", fed::ToHex(key_->public_key)},
              {"listen_host", listen_host_},
              {"features", features}};
}

Result<fed::SessionConfig> FederatedTrainings::PlatformSession(const Json& body,
                                                               const std::string& party,
                                                               bool pooling) const {
  auto session = fed::ParseSession(body);
  if (!session) return Fail(UnderSession(session.error()));
  if (pooling != session->coordinator.has_value()) {
    return Fail(pooling ? Error::Invalid("/session/coordinator",
                                         "a horizontal training's session names its coordinator")
                        : Error::Invalid("/session/coordinator",
                                         "a joint model's session names its label_party, not a "
                                         "pooling coordinator"));
  }
  const auto me = std::find_if(session->parties.begin(), session->parties.end(),
                               [&](const auto& p) { return p.name == party; });
  if (me == session->parties.end()) {
    return Fail(Error::Invalid("/party", "must name a party of the session"));
  }
  const auto k = static_cast<size_t>(me - session->parties.begin());
  if (pooling && k == *session->coordinator) {
    return Fail(Error::Invalid("/party", "the platform is one of the banks, not the coordinator"));
  }
  if (!pooling && k != session->label_party) {
    return Fail(Error::Invalid("/party",
                               "the platform is the label holder: it must be "
                               "the session's label_party"));
  }
  if (me->host != listen_host_ || me->port == 0) {
    return Fail(Error::Invalid(fmt::format("/session/parties/{}/listen", k),
                               fmt::format("the platform listens on {} and a port", listen_host_)));
  }
  if (me->public_key != key_->public_key) {
    return Fail(Error::Invalid(fmt::format("/session/parties/{}/public_key", k),
                               "is not the platform's party key (GET /api/v1/federated/party)"));
  }
  return session;
}

Result<Response> FederatedTrainings::Request(Connection& c, const Caller& caller,
                                             const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kRiskAnalyst}));
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "a bank's users train its models", {}});
  }
  if (!key_) {
    return Fail(Error{ErrorCode::kUnavailable, "the platform has no federated party key", {}});
  }
  Input in(body);
  const std::string name = in.Str("name", 100);
  const Date snapshot = in.DateField("snapshot_date");
  const int64_t horizon = in.OptInt("horizon_days", 30, 1'095).value_or(365);
  const std::string party = in.Str("party", 100);
  const std::vector<std::string> features = in.StrList("features");
  const std::string kind = in.OptStr("kind", 20).value_or("vertical");
  if (kind != "vertical" && kind != "horizontal")
    in.Problem("kind", "must be vertical or horizontal");
  if (name.empty()) in.Problem("name", "must not be empty");
  std::map<std::string_view, size_t> known;
  const auto& specs = scoring::FeatureSpecs();
  for (size_t j = 0; j < specs.size(); ++j) known.emplace(specs[j].name, j);
  std::set<std::string> seen;
  if (features.empty() || features.size() > kMaxFeatures) {
    in.Problem("features",
               fmt::format("must name 1 to {} of the platform's features", kMaxFeatures));
  }
  for (size_t k = 0; k < features.size(); ++k) {
    if (!known.contains(features[k])) {
      in.Problem(fmt::format("features/{}", k), "is not a feature of the platform");
    } else if (!seen.insert(features[k]).second) {
      in.Problem(fmt::format("features/{}", k), "is named twice");
    }
  }
  if (!in.Has("session")) in.Problem("session", "is required");
  CORRIDOR_TRY_STATUS(in.Finish());
  const Date today = clock_.Today();
  if (snapshot.AddDays(static_cast<int32_t>(horizon)) > today) {
    return Fail(Error::Invalid(
        "/snapshot_date",
        fmt::format("the outcomes (to {}) are not known by today ({})",
                    snapshot.AddDays(static_cast<int32_t>(horizon)).ToString(), today.ToString())));
  }
  CORRIDOR_TRY(PlatformSession(body.at("session"), party, kind == "horizontal"));
  const auto in_flight = CORRIDOR_TRY(internal::QueryInt(
      c,
      "SELECT count(*) FROM federated_trainings WHERE bank_tenant_id = ? AND status IN "
      "('queued', 'running')",
      caller.tenant_id));
  if (in_flight.value_or(0) >= kMaxInFlightPerBank) {
    return Fail(Error::Conflict(fmt::format(
        "{} trainings of your bank are queued or running (at most {}); request again when one "
        "has finished",
        *in_flight, kMaxInFlightPerBank)));
  }
  const Json request = {{"snapshot_date", snapshot.ToString()},
                        {"horizon_days", horizon},
                        {"features", features},
                        {"party", party},
                        {"session", body.at("session")}};
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(store::InsertReturningId(
      c,
      "INSERT INTO federated_trainings (bank_tenant_id, name, status, request, progress, "
      "model_status, requested_by, created_at, kind) VALUES (?, ?, 'queued', ?, ?, 'none', ?, ?, "
      "?) RETURNING id",
      caller.tenant_id, name, request.dump(), Json{{"stage", "queued"}}.dump(), caller.user_id, now,
      kind));
  return Response(202, CORRIDOR_TRY(Load(c, id)));
}

namespace {

// The bank's part in a horizontal training: its borrowers pooled with the other banks' by secure
// aggregation; the pooled model, with the bank's own means and in-sample AUC.
Result<Json> Pool(const fed::SessionConfig& session, size_t me, fed::HttpTransport& transport,
                  const std::vector<std::string>& names,
                  const std::vector<std::vector<double>>& rows, const std::vector<int>& labels,
                  const std::function<void(const Json&)>& progress) {
  const size_t coordinator = *session.coordinator;
  const size_t n = rows.size();
  if (n < kMinCommon) {
    return Fail(Error::Invalid(
        "/snapshot_date",
        fmt::format("the bank has {} borrowers with an outcome, fewer than {}", n, kMinCommon)));
  }
  progress({{"stage", "pooling"}, {"borrowers", n}, {"round", 0}});
  const fed::BankData bank{.features = rows, .labels = labels};
  auto random = fed::Randomness::System();
  auto fit = fed::RunPoolBank(
      *transport.channels()[coordinator], bank, names, random, {.on_step = [&](uint32_t round) {
        progress({{"stage", "pooling"}, {"borrowers", n}, {"round", round}});
      }});
  if (!fit) {
    Error e = fit.error();
    // The engine names a borrower's row: say which feature is out of range.
    for (auto& f : e.fields) {
      if (f.field.starts_with("/data/features/")) f.field = "/features";
    }
    return Fail(std::move(e));
  }
  std::vector<double> means(names.size(), 0.0), eta(n, fit->intercept);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < names.size(); ++k) {
      means[k] += rows[i][k] / static_cast<double>(n);
      eta[i] += fit->coefficients[k] * rows[i][k];
    }
  }
  Json banks = Json::array(), others = Json::array();
  for (size_t b : fit->banks) {
    const size_t k = b < coordinator ? b : b + 1;
    banks.push_back(session.parties[k].name);
    if (k != me) others.push_back(session.parties[k].name);
  }
  const auto auc = risk::scoring::Auc(eta, labels);
  return Json{{"kind", "horizontal"},
              {"borrowers", n},
              {"cases", n},
              {"defaults", std::count(labels.begin(), labels.end(), 1)},
              {"features", names},
              {"columns", names},
              {"coefficients", fit->coefficients},
              {"means", means},
              {"intercept", fit->intercept},
              {"log_likelihood", fit->log_likelihood},  // of every bank's borrowers
              {"iterations", fit->iterations},
              {"converged", fit->converged},
              {"auc", auc ? Json(*auc) : Json()},  // on the bank's own borrowers
              {"banks", banks},
              {"hosts", others},
              {"coordinator", session.parties[coordinator].name},
              {"bytes_sent", transport.bytes_sent()},
              {"frames_sent", transport.frames_sent()}};
}

}  // namespace

Status FederatedTrainings::RunOne() {
  struct Job {
    int64_t id = 0, bank = 0, requested_by = 0;
    std::string name;
    Json request;
  };
  auto claimed = store_.Write([&](Connection& c) -> Result<std::optional<Job>> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT id, bank_tenant_id, requested_by, name, request "
                                      "FROM federated_trainings WHERE status = 'queued' ORDER BY "
                                      "id LIMIT 1"));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<Job>();
    Job j{q.Int(0), q.Int(1), q.Int(2), q.Text(3), Json::parse(q.Text(4))};
    CORRIDOR_TRY(Execute(c,
                         "UPDATE federated_trainings SET status = 'running', progress = ?, "
                         "started_at = ? WHERE id = ?",
                         Json{{"stage", "preparing"}}.dump(), clock_.NowMicros(), j.id));
    return std::optional<Job>(std::move(j));
  });
  if (!claimed) return Fail(std::move(claimed.error()));
  if (!*claimed) return Fail(Error::NotFound("queued training"));
  const Job& j = **claimed;

  auto progress = [&](const Json& p) {
    (void)store_.Write([&](Connection& c) -> Result<int64_t> {
      return Execute(c, "UPDATE federated_trainings SET progress = ? WHERE id = ?", p.dump(), j.id);
    });
  };
  std::unique_ptr<fed::HttpTransport> transport;
  auto run = [&]() -> Result<Json> {
    const auto session = CORRIDOR_TRY(fed::ParseSession(j.request.at("session")));
    size_t me = session.label_party;
    for (size_t k = 0; k < session.parties.size(); ++k) {
      if (session.parties[k].name == j.request.at("party")) me = k;
    }
    const Date snapshot = *Date::Parse(j.request.at("snapshot_date").get<std::string>());
    const int horizon = j.request.at("horizon_days").get<int>();
    const auto names = j.request.at("features").get<std::vector<std::string>>();
    const auto& specs = scoring::FeatureSpecs();
    std::vector<size_t> cols;
    for (const auto& n : names) {
      for (size_t k = 0; k < specs.size(); ++k) {
        if (specs[k].name == n) cols.push_back(k);
      }
    }
    // The bank's borrowers as of the day, their USCCs, features and outcomes.
    struct Cases {
      scoring::TrainingSet set;
      std::vector<std::string> uscc;
    };
    auto cases = CORRIDOR_TRY(store_.Read([&](Connection& c) -> Result<Cases> {
      Cases out;
      out.set =
          CORRIDOR_TRY(scoring::BuildTrainingSet(c, snapshot, horizon, clock_.Today(), j.bank));
      for (int64_t id : out.set.enterprise_ids) {
        auto q = CORRIDOR_TRY(Query::Make(c, "SELECT uscc FROM enterprises WHERE id = ?", id));
        CORRIDOR_TRY(q.Next());
        out.uscc.push_back(q.Text(0));
      }
      return out;
    }));
    // A missing value is the column's mean over the bank's borrowers (a column with none fails).
    const size_t n = cases.set.labels.size();
    std::vector<std::vector<double>> rows(n, std::vector<double>(cols.size()));
    for (size_t k = 0; k < cols.size(); ++k) {
      double sum = 0;
      size_t have = 0;
      for (const auto& r : cases.set.rows) {
        if (r[cols[k]]) {
          sum += *r[cols[k]];
          ++have;
        }
      }
      if (have == 0) {
        return Fail(Error::Invalid(
            fmt::format("/features/{}", k),
            fmt::format("{} has no value for any of the bank's borrowers", names[k])));
      }
      for (size_t i = 0; i < n; ++i) {
        const auto& v = cases.set.rows[i][cols[k]];
        rows[i][k] = v ? *v : sum / static_cast<double>(have);
      }
    }
    transport = CORRIDOR_TRY(federated_job::OpenSession(session, me, *key_, mu_, stop_, running_));
    if (session.coordinator) {
      return Pool(session, me, *transport, names, rows, cases.set.labels, progress);
    }
    progress({{"stage", "aligning"}, {"borrowers", n}});
    auto random = fed::Randomness::System();
    const auto common =
        CORRIDOR_TRY(fed::AlignIds(transport->channels(), me, me, cases.uscc, random));
    if (common.size() < kMinCommon) {
      return Fail(Error::Invalid(
          "/session", fmt::format("{} of the bank's borrowers are held by every party, fewer "
                                  "than {}",
                                  common.size(), kMinCommon)));
    }
    std::map<std::string, size_t> row_of;
    for (size_t i = 0; i < n; ++i) row_of.emplace(cases.uscc[i], i);
    std::vector<std::vector<double>> aligned;
    std::vector<int> labels;
    for (const auto& id : common) {
      aligned.push_back(rows[row_of.at(id)]);
      labels.push_back(cases.set.labels[row_of.at(id)]);
    }
    const auto defaults = std::count(labels.begin(), labels.end(), 1);
    progress({{"stage", "training"},
              {"borrowers", n},
              {"common", common.size()},
              {"iteration", 0},
              {"max_iterations", session.max_iterations}});
    fed::VerticalLrOptions o;
    o.key_bits = session.key_bits;
    o.min_key_bits = fed::kMinKeyBits;
    o.max_iterations = session.max_iterations;
    o.seeded = false;
    o.on_iteration = [&](int iteration, double ll) {
      progress({{"stage", "training"},
                {"borrowers", n},
                {"common", common.size()},
                {"iteration", iteration},
                {"max_iterations", session.max_iterations},
                {"log_likelihood", ll}});
    };
    auto fit = fed::RunVerticalLrParty(transport->channels(), me, me, aligned, labels, o);
    if (!fit) {
      // The engine names a constant column by its index: say which feature it is.
      Error e = fit.error();
      for (auto& f : e.fields) {
        if (f.field == fmt::format("/parties/{}/features", me)) f.field = "/features";
      }
      return Fail(std::move(e));
    }
    const auto auc = risk::scoring::Auc(fit->linear_predictor, labels);
    Json hosts = Json::array();
    for (size_t k = 0; k < session.parties.size(); ++k) {
      if (k != me) hosts.push_back(session.parties[k].name);
    }
    return Json{{"borrowers", n},
                {"cases", common.size()},
                {"defaults", defaults},
                {"features", names},
                {"columns", names},  // as a model file of `corridor federated score`
                {"coefficients", fit->coefficients},
                {"means", fit->means},
                {"intercept", fit->intercept},
                {"log_likelihood", fit->log_likelihood},
                {"iterations", fit->iterations},
                {"converged", fit->converged},
                {"gradient_norm", fit->gradient_norm},
                {"auc", auc ? Json(*auc) : Json()},
                {"hosts", hosts},
                {"key_bits", session.key_bits},
                {"bytes_sent", transport->bytes_sent()},
                {"frames_sent", transport->frames_sent()}};
  };
  Result<Json> result = run();
  if (transport) {
    {
      std::lock_guard lock(mu_);
      running_ = nullptr;
    }
    federated_job::EndSession(*transport, result ? nullptr : &result.error());
  }
  (void)store_.Write([&](Connection& c) -> Result<int64_t> {
    const int64_t now = clock_.NowMicros();
    if (result) {
      CORRIDOR_TRY(AppendLogEntry(c, "federated.model_trained", nullptr,
                                  {{"training_id", j.id},
                                   {"name", j.name},
                                   {"cases", result->at("cases")},
                                   {"hosts", result->at("hosts")}},
                                  {j.bank}, now));
      return Execute(c,
                     "UPDATE federated_trainings SET status = 'done', model_status = 'pending', "
                     "result = ?, progress = ?, finished_at = ? WHERE id = ?",
                     result->dump(),
                     Json{{"stage", "done"},
                          {"common", result->at("cases")},
                          {"iteration", result->at("iterations")},
                          {"log_likelihood", result->at("log_likelihood")}}
                         .dump(),
                     now, j.id);
    }
    std::string message = federated_job::FailureForUsers(result.error(), "training", j.id);
    for (const auto& f : result.error().fields) {
      if (message.find(f.field) == std::string::npos) message += " " + f.field + ": " + f.message;
    }
    return Execute(c,
                   "UPDATE federated_trainings SET status = 'failed', error = ?, progress = ?, "
                   "finished_at = ? WHERE id = ?",
                   message, Json{{"stage", "failed"}}.dump(), now, j.id);
  });
  return {};
}

Result<Response> FederatedTrainings::Decide(Connection& c, const Caller& caller, int64_t id,
                                            const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kRiskAnalyst}));
  const Json row = CORRIDOR_TRY(Load(c, id));
  if (row.is_null() || !Sees(caller, row["bank_tenant_id"].get<int64_t>())) {
    return Fail(Error::NotFound("training"));
  }
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "the model's bank's risk analyst decides", {}});
  }
  const auto [status, note] = CORRIDOR_TRY(scoring::ReadModelDecision(body));
  if (row["requested_by"].get<int64_t>() == caller.user_id) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "a model is approved by another user than who requested its training",
                      {}});
  }
  if (row["model_status"] != "pending") {
    return Fail(Error::Conflict(
        row["status"] != "done"
            ? fmt::format("the training is {}: there is no model to decide on",
                          row["status"].get<std::string>())
            : fmt::format("the model is already {}", row["model_status"].get<std::string>())));
  }
  const int64_t now = clock_.NowMicros();
  const std::string name = row["name"];
  if (status == "approved") {
    CORRIDOR_TRY_STATUS(Execute(c,
                                "UPDATE federated_trainings SET model_status = 'retired' WHERE "
                                "bank_tenant_id = ? AND name = ? AND model_status = 'approved'",
                                caller.tenant_id, name));
  }
  CORRIDOR_TRY_STATUS(Execute(c,
                              "UPDATE federated_trainings SET model_status = ?, decided_by = ?, "
                              "decided_at = ?, decision_note = ? WHERE id = ?",
                              status, caller.user_id, now, note, id));
  CORRIDOR_TRY(AppendLogEntry(c, "federated.model_" + status, &caller,
                              {{"training_id", id}, {"name", name}, {"note", note}},
                              {caller.tenant_id}, now));
  return Response(200, CORRIDOR_TRY(Load(c, id)));
}

Result<Json> FederatedTrainings::Get(const Caller& caller, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    Json row = CORRIDOR_TRY(Load(c, id));
    if (row.is_null() || !Sees(caller, row["bank_tenant_id"].get<int64_t>())) {
      return Fail(Error::NotFound("training"));
    }
    return row;
  });
}

Result<Json> FederatedTrainings::List(const Caller& caller, const Page& page) {
  if (!caller.platform() && !caller.in_bank()) {
    return Fail(
        Error{ErrorCode::kPermissionDenied, "trainings are read by banks and the bureau", {}});
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    // Newest first: the cursor is the last id shown.
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM federated_trainings f JOIN tenants t ON t.id = "
                    "f.bank_tenant_id WHERE (? OR f.bank_tenant_id = ?) AND (? = 0 OR f.id < ?) "
                    "ORDER BY f.id DESC LIMIT ?",
                    kColumns),
        caller.platform(), caller.tenant_id, page.after_id.value_or(0), page.after_id.value_or(0),
        page.limit));
    return internal::CollectPage(q, page, [](const Query& row) {
      Json item = RowJson(row);
      item.erase("session");  // GET one training for its session
      return item;
    });
  });
}

}  // namespace corridor::service
