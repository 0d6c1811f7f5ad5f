// Scorings with an approved joint model (federated_trainings.hpp): the request, the job and the
// reads. The platform is the label holder; the other parties run `corridor federated score`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "risk/federated/session.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/log.hpp"
#include "service/scoring/features.hpp"
#include "service/scoring/federated_job.hpp"
#include "service/scoring/federated_trainings.hpp"
#include "store/db.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::Query;
namespace fed = risk::federated;

namespace {

constexpr int64_t kMaxInFlightPerBank = 2;
constexpr size_t kMaxApplicants = 200'000;

constexpr std::string_view kColumns =
    "s.id, s.training_id, s.bank_tenant_id, s.session_name, s.status, s.request, s.progress, "
    "s.error, s.requested_by, s.created_at, s.started_at, s.finished_at, s.result";

Json Nullable(const Query& q, int i, bool text) {
  if (q.IsNull(i)) return Json();
  return text ? Json(q.Text(i)) : Json(q.Int(i));
}

// A scoring; its scores only when asked (a list shows the summary).
Json ScoringJson(const Query& q, bool scores) {
  const Json request = Json::parse(q.Text(5));
  Json j = {{"id", q.Int(0)},
            {"training_id", q.Int(1)},
            {"bank_tenant_id", q.Int(2)},
            {"session_name", q.Text(3)},
            {"status", q.Text(4)},
            {"as_of", request.at("as_of")},
            {"party", request.at("party")},
            {"applicants_named", request.contains("uscc") ? Json(request["uscc"].size()) : Json()},
            {"progress", Json::parse(q.Text(6))},
            {"error", Nullable(q, 7, true)},
            {"requested_by", q.Int(8)},
            {"created_at", q.Int(9)},
            {"started_at", Nullable(q, 10, false)},
            {"finished_at", Nullable(q, 11, false)}};
  Json result = q.IsNull(12) ? Json() : Json::parse(q.Text(12));
  if (!scores && result.is_object()) {
    result.erase("scores");
    result.erase("unscored");
    result.erase("unknown");
  }
  j["result"] = std::move(result);
  if (scores && request.contains("session")) j["session"] = request["session"];
  j["local"] = request.value("local", false);
  return j;
}

Result<Json> LoadScoring(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM federated_scorings s WHERE s.id = ?", kColumns), id));
  if (!CORRIDOR_TRY(q.Next())) return Json();
  return ScoringJson(q, true);
}

// The training's bank, model status, result and request; null when there is none.
struct Training {
  int64_t bank = 0;
  std::string name, model_status, kind;
  Json result, request;
};
Result<std::optional<Training>> LoadTraining(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT bank_tenant_id, name, model_status, result, request, "
                                    "kind FROM federated_trainings WHERE id = ?",
                                    id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Training>();
  return std::optional<Training>(Training{q.Int(0), q.Text(1), q.Text(2), q.Text(5),
                                          q.IsNull(3) ? Json() : Json::parse(q.Text(3)),
                                          Json::parse(q.Text(4))});
}

// A scoring's session: the model's parties by name and key, under a name no run of the bank
// used before.
Status FreshSessionOfTheModel(Connection& c, int64_t bank, const Training& training,
                              const fed::SessionConfig& session) {
  // The same parties, by name and key, as the training: each holds its part of the model.
  const auto trained = CORRIDOR_TRY(fed::ParseSession(training.request.at("session")));
  if (session.name == trained.name) {
    return Fail(Error::Invalid("/session/session",
                               "must be a fresh name: the training ran under this one"));
  }
  auto others = [](const fed::SessionConfig& s, size_t me) {
    std::map<std::string, std::string> out;
    for (size_t k = 0; k < s.parties.size(); ++k) {
      if (k != me) out.emplace(s.parties[k].name, fed::ToHex(s.parties[k].public_key));
    }
    return out;
  };
  if (others(session, session.label_party) != others(trained, trained.label_party)) {
    std::vector<std::string> names;
    for (const auto& [name, key] : others(trained, trained.label_party)) names.push_back(name);
    return Fail(Error::Invalid(
        "/session/parties",
        fmt::format("must be the platform and the model's other parties with their keys: {}",
                    fmt::join(names, ", "))));
  }
  if (CORRIDOR_TRY(internal::QueryInt(
          c, "SELECT 1 FROM federated_scorings WHERE bank_tenant_id = ? AND session_name = ?", bank,
          session.name))) {
    return Fail(Error::Invalid("/session/session",
                               "must be a fresh name: an earlier scoring ran under this one"));
  }
  return {};
}

}  // namespace

Result<Response> FederatedTrainings::RequestScoring(Connection& c, const Caller& caller,
                                                    int64_t training_id, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kRiskAnalyst}));
  const auto training = CORRIDOR_TRY(LoadTraining(c, training_id));
  if (!training || !Sees(caller, training->bank)) return Fail(Error::NotFound("training"));
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "the model's bank scores with it", {}});
  }
  if (!key_) {
    return Fail(Error{ErrorCode::kUnavailable, "the platform has no federated party key", {}});
  }
  // A horizontal model is the bank's whole: it scores on the platform alone, no session.
  const bool local = training->kind == "horizontal";
  Input in(body);
  const std::string party = local ? std::string() : in.Str("party", 100);
  const Date today = clock_.Today();
  const Date as_of = in.Has("as_of") ? in.DateField("as_of") : today;
  const std::vector<std::string> uscc = in.StrList("uscc");
  if (!local && !in.Has("session")) in.Problem("session", "is required");
  if (in.Has("uscc") && (uscc.empty() || uscc.size() > kMaxApplicants)) {
    in.Problem("uscc", "must name 1 to 200,000 enterprises, or be left out for every verified one");
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < uscc.size(); ++i) {
    if (uscc[i].empty() || uscc[i].size() > 64) {
      in.Problem(fmt::format("uscc/{}", i), "must be 1 to 64 characters");
    } else if (!seen.insert(uscc[i]).second) {
      in.Problem(fmt::format("uscc/{}", i), "is named twice");
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (as_of > today) return Fail(Error::Invalid("/as_of", "must not be after today"));
  if (training->model_status != "approved") {
    return Fail(Error::Conflict(
        fmt::format("the joint model is {}: only an approved model scores anyone",
                    training->model_status == "none" ? "not trained" : training->model_status)));
  }
  const int64_t now = clock_.NowMicros();
  Json request = {{"as_of", as_of.ToString()}};
  if (in.Has("uscc")) request["uscc"] = uscc;
  std::string session_name = fmt::format("local {}", now);
  if (local) {
    request["party"] = training->request.at("party");
    request["local"] = true;
  } else {
    const auto session = CORRIDOR_TRY(PlatformSession(body.at("session"), party));
    CORRIDOR_TRY_STATUS(FreshSessionOfTheModel(c, caller.tenant_id, *training, session));
    session_name = session.name;
    request["party"] = party;
    request["session"] = body.at("session");
  }
  const auto in_flight = CORRIDOR_TRY(internal::QueryInt(
      c,
      "SELECT count(*) FROM federated_scorings WHERE bank_tenant_id = ? AND status IN ('queued', "
      "'running')",
      caller.tenant_id));
  if (in_flight.value_or(0) >= kMaxInFlightPerBank) {
    return Fail(Error::Conflict(fmt::format(
        "{} scorings of your bank are queued or running (at most {}); request again when one has "
        "finished",
        *in_flight, kMaxInFlightPerBank)));
  }
  const int64_t id = CORRIDOR_TRY(store::InsertReturningId(
      c,
      "INSERT INTO federated_scorings (training_id, bank_tenant_id, session_name, status, "
      "request, progress, requested_by, created_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?) "
      "RETURNING id",
      training_id, caller.tenant_id, session_name, request.dump(), Json{{"stage", "queued"}}.dump(),
      caller.user_id, now));
  Response response(202, CORRIDOR_TRY(LoadScoring(c, id)));
  response.after_commit = [this] { Notify(); };
  return response;
}

Status FederatedTrainings::RunScoring() {
  struct Job {
    int64_t id = 0, training = 0, bank = 0, requested_by = 0;
    Json request;
  };
  auto claimed = store_.Write([&](Connection& c) -> Result<std::optional<Job>> {
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT id, training_id, bank_tenant_id, requested_by, "
                                      "request FROM federated_scorings WHERE status = 'queued' "
                                      "ORDER BY id LIMIT 1"));
    if (!CORRIDOR_TRY(q.Next())) return std::optional<Job>();
    Job j{q.Int(0), q.Int(1), q.Int(2), q.Int(3), Json::parse(q.Text(4))};
    CORRIDOR_TRY(Execute(c,
                         "UPDATE federated_scorings SET status = 'running', progress = ?, "
                         "started_at = ? WHERE id = ?",
                         Json{{"stage", "preparing"}}.dump(), clock_.NowMicros(), j.id));
    return std::optional<Job>(std::move(j));
  });
  if (!claimed) return Fail(std::move(claimed.error()));
  if (!*claimed) return Fail(Error::NotFound("queued scoring"));
  const Job& j = **claimed;
  auto progress = [&](const Json& p) {
    (void)store_.Write([&](Connection& c) -> Result<int64_t> {
      return Execute(c, "UPDATE federated_scorings SET progress = ? WHERE id = ?", p.dump(), j.id);
    });
  };

  std::unique_ptr<fed::HttpTransport> transport;
  auto run = [&]() -> Result<Json> {
    // A horizontal model scores here alone; a vertical one with its parties in the session.
    const bool local = j.request.value("local", false);
    fed::SessionConfig session;
    if (local) {
      session.parties.push_back({.name = j.request.at("party").get<std::string>()});
    } else {
      session = CORRIDOR_TRY(fed::ParseSession(j.request.at("session")));
    }
    const size_t me = session.label_party;
    const Date as_of = *Date::Parse(j.request.at("as_of").get<std::string>());
    // The applicants, their features as of the day, and the platform's part of the model.
    struct Applicants {
      std::vector<std::string> uscc, unknown;
      std::vector<int64_t> ids;
      std::map<std::string, std::string> name;
      std::vector<std::optional<std::vector<std::optional<double>>>> rows;
      Json model;
    };
    auto a = CORRIDOR_TRY(store_.Read([&](Connection& c) -> Result<Applicants> {
      Applicants out;
      const auto training = CORRIDOR_TRY(LoadTraining(c, j.training));
      if (!training || training->model_status != "approved") {
        return Fail(Error::Conflict("the joint model is no longer approved"));
      }
      out.model = training->result;
      const int64_t day_end = ManualClock::MicrosAt(as_of.AddDays(1));
      std::map<std::string, std::pair<int64_t, std::string>> found;
      if (j.request.contains("uscc")) {
        for (const auto& u : j.request["uscc"]) {
          auto q = CORRIDOR_TRY(Query::Make(
              c, "SELECT id, name FROM enterprises WHERE uscc = ? AND registered_at < ?",
              u.get<std::string>(), day_end));
          if (CORRIDOR_TRY(q.Next())) {
            found.emplace(u.get<std::string>(), std::pair{q.Int(0), q.Text(1)});
          } else {
            out.unknown.push_back(u.get<std::string>());
          }
        }
      } else {
        auto q = CORRIDOR_TRY(Query::Make(c,
                                          "SELECT id, name, uscc FROM enterprises WHERE status = "
                                          "'verified' AND registered_at < ? ORDER BY id",
                                          day_end));
        while (CORRIDOR_TRY(q.Next())) found.emplace(q.Text(2), std::pair{q.Int(0), q.Text(1)});
      }
      for (const auto& [u, e] : found) {
        out.uscc.push_back(u);
        out.ids.push_back(e.first);
        out.name.emplace(u, e.second);
      }
      out.rows = CORRIDOR_TRY(scoring::FeaturesAsOf(c, out.ids, as_of));
      return out;
    }));
    fed::PartyModel model;
    model.columns = a.model.at("columns").get<std::vector<std::string>>();
    model.coefficients = a.model.at("coefficients").get<std::vector<double>>();
    model.means = a.model.at("means").get<std::vector<double>>();
    model.intercept = a.model.at("intercept").get<double>();
    const auto& specs = scoring::FeatureSpecs();
    std::vector<size_t> cols;
    for (const auto& name : model.columns) {
      const auto it =
          std::find_if(specs.begin(), specs.end(), [&](const auto& f) { return f.name == name; });
      if (it == specs.end()) return Fail(Error::Internal("the model names an unknown feature"));
      cols.push_back(static_cast<size_t>(it - specs.begin()));
    }
    // A value missing on the day is the training mean: it adds nothing to the log-odds.
    std::map<std::string, std::vector<double>> row_of;
    for (size_t i = 0; i < a.uscc.size(); ++i) {
      std::vector<double> row(cols.size());
      for (size_t k = 0; k < cols.size(); ++k) {
        const auto& v = a.rows[i] ? (*a.rows[i])[cols[k]] : std::nullopt;
        row[k] = v ? *v : model.means[k];
      }
      row_of.emplace(a.uscc[i], std::move(row));
    }
    std::vector<std::string> common = a.uscc;
    const std::vector<fed::Channel*> alone = {nullptr};
    std::span<fed::Channel* const> channels = alone;
    if (!local) {
      transport =
          CORRIDOR_TRY(federated_job::OpenSession(session, me, *key_, mu_, stop_, running_));
      progress({{"stage", "aligning"}, {"applicants", a.uscc.size()}});
      auto random = fed::Randomness::System();
      common = CORRIDOR_TRY(fed::AlignIds(transport->channels(), me, me, a.uscc, random));
      channels = transport->channels();
    }
    progress({{"stage", "scoring"}, {"applicants", a.uscc.size()}, {"common", common.size()}});
    std::vector<std::vector<double>> rows;
    rows.reserve(common.size());
    for (const auto& u : common) rows.push_back(row_of.at(u));
    const auto scores = CORRIDOR_TRY(fed::ScoreParty(channels, me, me, model, rows));
    Json list = Json::array();
    double mean = 0;
    for (size_t i = 0; i < common.size(); ++i) {
      const auto& s = scores[i];
      Json shares = Json::array(), reasons = Json::array();
      for (size_t k = 0; k < s.shares.size(); ++k) {
        shares.push_back({{"party", session.parties[k].name}, {"log_odds", s.shares[k]}});
      }
      for (const auto& r : s.reasons) {
        Json reason = {{"party", session.parties[r.party].name},
                       {"column", r.column},
                       {"contribution", r.contribution}};
        if (r.party == me) {
          for (const auto& f : specs) {
            if (f.name == r.column) {
              reason["zh"] = f.zh;
              reason["en"] = f.en;
            }
          }
        }
        reasons.push_back(std::move(reason));
      }
      mean += s.probability;
      list.push_back({{"uscc", common[i]},
                      {"name", a.name.at(common[i])},
                      {"probability", s.probability},
                      {"log_odds", s.linear},
                      {"shares", shares},
                      {"reasons", reasons}});
    }
    // Riskiest first.
    std::stable_sort(list.begin(), list.end(), [](const Json& x, const Json& y) {
      return x["probability"].get<double>() > y["probability"].get<double>();
    });
    const std::set<std::string> scored(common.begin(), common.end());
    Json unscored = Json::array();
    for (const auto& u : a.uscc) {
      if (!scored.contains(u)) unscored.push_back(u);
    }
    return Json{{"as_of", as_of.ToString()},
                {"applicants", a.uscc.size() + a.unknown.size()},
                {"scored", common.size()},
                {"mean_probability",
                 common.empty() ? Json() : Json(mean / static_cast<double>(common.size()))},
                {"scores", list},
                {"unscored", unscored},  // not held by every other party
                {"unknown", a.unknown},  // not on the platform by the day
                {"bytes_sent", transport ? transport->bytes_sent() : 0}};
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
      CORRIDOR_TRY(AppendLogEntry(c, "federated.scored", nullptr,
                                  {{"training_id", j.training},
                                   {"scoring_id", j.id},
                                   {"as_of", result->at("as_of")},
                                   {"scored", result->at("scored")}},
                                  {j.bank}, now));
      return Execute(c,
                     "UPDATE federated_scorings SET status = 'done', result = ?, progress = ?, "
                     "finished_at = ? WHERE id = ?",
                     result->dump(),
                     Json{{"stage", "done"},
                          {"applicants", result->at("applicants")},
                          {"scored", result->at("scored")}}
                         .dump(),
                     now, j.id);
    }
    std::string message = federated_job::FailureForUsers(result.error(), "scoring", j.id);
    return Execute(c,
                   "UPDATE federated_scorings SET status = 'failed', error = ?, progress = ?, "
                   "finished_at = ? WHERE id = ?",
                   message, Json{{"stage", "failed"}}.dump(), now, j.id);
  });
  return {};
}

Result<Json> FederatedTrainings::ListScorings(const Caller& caller, int64_t training_id,
                                              const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto training = CORRIDOR_TRY(LoadTraining(c, training_id));
    if (!training || !Sees(caller, training->bank)) return Fail(Error::NotFound("training"));
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM federated_scorings s WHERE s.training_id = ? AND (? = 0 OR "
                    "s.id < ?) ORDER BY s.id DESC LIMIT ?",
                    kColumns),
        training_id, page.after_id.value_or(0), page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, [](const Query& row) { return ScoringJson(row, false); });
  });
}

Result<Json> FederatedTrainings::GetScoring(const Caller& caller, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    Json row = CORRIDOR_TRY(LoadScoring(c, id));
    if (row.is_null() || !Sees(caller, row["bank_tenant_id"].get<int64_t>())) {
      return Fail(Error::NotFound("scoring"));
    }
    return row;
  });
}

}  // namespace corridor::service
