#include "service/scoring/scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "risk/scoring/booster.hpp"
#include "risk/scoring/model.hpp"
#include "service/kernel/log.hpp"
#include "service/monitor/monitor.hpp"
#include "service/scoring/decision.hpp"
#include "service/scoring/features.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::Query;
namespace rs = risk::scoring;
using Row = std::vector<std::optional<double>>;

namespace {

constexpr int kMinDefaults = 10;  // bads (and goods) a training or out-of-time set needs
constexpr int64_t kDayUs = 86'400'000'000;
constexpr size_t kMaxScoresShown = 200;

// The challenger's settings: shallow trees, as a scorecard's challenger should stay readable.
rs::BoosterOptions ChallengerOptions() {
  rs::BoosterOptions o;
  o.trees = 100;
  o.max_depth = 3;
  o.eta = 0.1;
  o.seed = 1;
  return o;
}

std::vector<std::string> FeatureNames() {
  std::vector<std::string> names;
  for (const auto& f : scoring::FeatureSpecs()) names.emplace_back(f.name);
  return names;
}

const scoring::FeatureSpec* SpecOf(const std::string& name) {
  for (const auto& f : scoring::FeatureSpecs()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

double Round(double v, double unit) { return std::round(v / unit) * unit; }

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(); }
std::optional<double> OptOf(const Json& v) {
  return v.is_null() ? std::nullopt : std::optional<double>(v.get<double>());
}

// --- the scorecard as the version keeps it ---

Json CardJson(const rs::Scorecard& card) {
  Json features = Json::array();
  for (const auto& f : card.features) {
    Json bins = Json::array();
    for (const auto& b : f.bins) {
      bins.push_back({{"lower", Opt(b.bin.lower)},
                      {"upper", Opt(b.bin.upper)},
                      {"missing", b.bin.missing},
                      {"adjusted", b.bin.adjusted},
                      {"count", b.bin.count},
                      {"bad", b.bin.bad},
                      {"woe", b.bin.woe},
                      {"points", b.points}});
    }
    const auto* spec = SpecOf(f.name);
    features.push_back({{"name", f.name},
                        {"zh", spec != nullptr ? spec->zh : ""},
                        {"en", spec != nullptr ? spec->en : ""},
                        {"column", f.column},
                        {"iv", f.iv},
                        {"coefficient", f.coefficient},
                        {"best_points", f.best_points},
                        {"bins", std::move(bins)}});
  }
  // What was left out, with what each feature is in both languages.
  const auto named = [](const std::string& name, const char* key, double v) {
    const auto* spec = SpecOf(name);
    return Json{{"name", name},
                {"zh", spec != nullptr ? spec->zh : ""},
                {"en", spec != nullptr ? spec->en : ""},
                {key, v}};
  };
  Json dropped = Json::array();
  for (const auto& [name, iv] : card.dropped) dropped.push_back(named(name, "iv", iv));
  Json reversed = Json::array();
  for (const auto& [name, beta] : card.reversed) {
    reversed.push_back(named(name, "coefficient", beta));
  }
  return {{"features", std::move(features)},
          {"dropped", std::move(dropped)},
          {"reversed", std::move(reversed)},
          {"intercept", card.intercept},
          {"factor", card.factor},
          {"offset", card.offset},
          {"points0", card.points0},
          {"odds0", card.odds0},
          {"pdo", card.pdo},
          {"log_likelihood", card.log_likelihood}};
}

rs::Scorecard CardFrom(const Json& j) {
  rs::Scorecard card;
  for (const auto& f : j.at("features")) {
    rs::ScorecardFeature feature;
    feature.name = f.at("name").get<std::string>();
    feature.column = f.at("column").get<size_t>();
    feature.iv = f.at("iv").get<double>();
    feature.coefficient = f.at("coefficient").get<double>();
    feature.best_points = f.at("best_points").get<double>();
    for (const auto& b : f.at("bins")) {
      rs::ScorecardBin bin;
      bin.bin.lower = OptOf(b.at("lower"));
      bin.bin.upper = OptOf(b.at("upper"));
      bin.bin.missing = b.at("missing").get<bool>();
      bin.bin.adjusted = b.at("adjusted").get<bool>();
      bin.bin.count = b.at("count").get<int64_t>();
      bin.bin.bad = b.at("bad").get<int64_t>();
      bin.bin.woe = b.at("woe").get<double>();
      bin.points = b.at("points").get<double>();
      feature.bins.push_back(bin);
    }
    card.features.push_back(std::move(feature));
  }
  for (const auto& d : j.at("dropped")) {
    card.dropped.emplace_back(d.at("name").get<std::string>(), d.at("iv").get<double>());
  }
  for (const auto& r : j.value("reversed", Json::array())) {
    card.reversed.emplace_back(r.at("name").get<std::string>(), r.at("coefficient").get<double>());
  }
  card.intercept = j.at("intercept").get<double>();
  card.factor = j.at("factor").get<double>();
  card.offset = j.at("offset").get<double>();
  card.points0 = j.at("points0").get<double>();
  card.odds0 = j.at("odds0").get<double>();
  card.pdo = j.at("pdo").get<double>();
  card.log_likelihood = j.at("log_likelihood").get<double>();
  return card;
}

// --- validation, fairness and stability, as the report shows them ---

Json ValidationJson(const rs::Validation& v) {
  Json deciles = Json::array();
  for (const auto& d : v.deciles) {
    deciles.push_back({{"count", d.count},
                       {"bad", d.bad},
                       {"mean_pd", d.mean_pd},
                       {"bad_rate", d.bad_rate},
                       {"min_score", d.min_score},
                       {"max_score", d.max_score}});
  }
  return {{"auc", v.auc},
          {"ks", v.ks},
          {"gini", v.gini},
          {"deciles", std::move(deciles)},
          {"confusion",
           {{"approved_good", v.confusion.approved_good},
            {"approved_bad", v.confusion.approved_bad},
            {"declined_good", v.confusion.declined_good},
            {"declined_bad", v.confusion.declined_bad}}}};
}

struct Scored {
  std::vector<double> scores, pds;
};
Scored ScoreAll(const rs::Scorecard& card, std::span<const Row> rows) {
  Scored s;
  s.scores.reserve(rows.size());
  s.pds.reserve(rows.size());
  for (const Row& r : rows) {
    const auto sc = rs::ScoreCase(card, r);
    s.scores.push_back(sc.score);
    s.pds.push_back(sc.pd);
  }
  return s;
}

Result<Json> SetReport(const Scored& s, const scoring::TrainingSet& set, double cutoff) {
  const auto v = CORRIDOR_TRY(rs::Validate(s.scores, s.pds, set.labels, cutoff));
  const auto bads = std::count(set.labels.begin(), set.labels.end(), 1);
  Json j = ValidationJson(v);
  j["as_of"] = set.as_of.ToString();
  j["cases"] = set.labels.size();
  j["bads"] = bads;
  j["bad_rate"] = static_cast<double>(bads) / static_cast<double>(set.labels.size());
  j["unobservable"] = set.unobservable;
  return j;
}

// The enterprises' region, industry and size (their credit profile's scale; "unknown" without
// one), for the fairness report.
struct Groups {
  std::vector<std::string> region, industry, size;
};
Result<Groups> GroupsOf(Connection& c, const std::vector<int64_t>& ids) {
  std::unordered_map<int64_t, size_t> slot;
  for (size_t k = 0; k < ids.size(); ++k) slot.emplace(ids[k], k);
  Groups g;
  g.region.resize(ids.size());
  g.industry.resize(ids.size());
  g.size.assign(ids.size(), "unknown");
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT e.id, e.region, e.industry, p.scale FROM json_each(?) "
                                    "j JOIN enterprises e ON e.id = j.value LEFT JOIN "
                                    "credit_profiles p ON p.enterprise_id = e.id",
                                    Json(ids).dump()));
  while (CORRIDOR_TRY(q.Next())) {
    const size_t k = slot.at(q.Int(0));
    g.region[k] = q.Text(1);
    g.industry[k] = q.Text(2);
    if (!q.IsNull(3)) g.size[k] = q.Text(3);
  }
  return g;
}

Result<Json> FairnessJson(std::span<const std::string> groups, std::span<const double> scores,
                          std::span<const int> labels, double cutoff) {
  const auto outcomes = CORRIDOR_TRY(rs::Fairness(groups, scores, labels, cutoff));
  Json out = Json::array();
  for (const auto& g : outcomes) {
    out.push_back({{"group", g.group},
                   {"count", g.count},
                   {"approved", g.approved},
                   {"good", g.good},
                   {"bad", g.bad},
                   {"false_declines", g.false_declines},
                   {"false_approvals", g.false_approvals},
                   {"approval_rate", g.approval_rate},
                   {"false_decline_rate", g.false_decline_rate},
                   {"false_approval_rate", g.false_approval_rate},
                   {"adverse_impact_ratio", g.adverse_impact_ratio},
                   {"four_fifths", g.four_fifths}});
  }
  return out;
}

// The bands of the population stability index: the training scores' deciles (nine cut points,
// repeated ones dropped), and the training share of each band.
struct Bands {
  std::vector<double> edges;
};
Bands BandsOf(std::vector<double> scores) {
  std::sort(scores.begin(), scores.end());
  Bands b;
  for (int k = 1; k < 10; ++k) {
    const double edge = scores[(scores.size() * static_cast<size_t>(k)) / 10];
    if (b.edges.empty() || edge > b.edges.back()) b.edges.push_back(edge);
  }
  return b;
}
std::string_view StabilityOf(double psi) {
  return psi < 0.1 ? "stable" : psi <= 0.25 ? "watch" : "shifted";
}

// --- rows ---

constexpr std::string_view kModelColumns =
    "m.id, m.bank_tenant_id, t.name, m.name, m.version, m.status, m.snapshot_date, m.oot_date, "
    "m.horizon_days, m.cutoff, m.report, m.trained_by, m.trained_at, m.decided_by, m.decided_at, "
    "m.decision_note";

Json ModelSummary(const Query& q) {
  const Json report = Json::parse(q.Text(10));
  Json flagged = Json::array();
  for (const auto& [dimension, groups] : report.at("fairness").items()) {
    for (const auto& g : groups) {
      if (!g.at("four_fifths").get<bool>()) {
        flagged.push_back({{"dimension", dimension}, {"group", g.at("group")}});
      }
    }
  }
  Json j = {{"id", q.Int(0)},
            {"bank_tenant_id", q.Int(1)},
            {"bank_name", q.Text(2)},
            {"name", q.Text(3)},
            {"version", q.Int(4)},
            {"status", q.Text(5)},
            {"snapshot_date", q.Text(6)},
            {"oot_date", q.Text(7)},
            {"horizon_days", q.Int(8)},
            {"cutoff", q.Int(9)},
            {"training_auc", report.at("training").at("auc")},
            {"oot_auc", report.at("out_of_time").at("auc")},
            {"oot_ks", report.at("out_of_time").at("ks")},
            {"challenger_oot_auc", report.at("challenger").at("out_of_time").at("auc")},
            {"fairness_flags", std::move(flagged)},
            {"trained_by", q.Int(11)},
            {"trained_at", q.Int(12)},
            {"decided_by", q.OptInt(13) ? Json(*q.OptInt(13)) : Json()},
            {"decided_at", q.OptInt(14) ? Json(*q.OptInt(14)) : Json()},
            {"decision_note", q.IsNull(15) ? Json() : Json(q.Text(15))}};
  return j;
}

struct ModelRow {
  int64_t id = 0, bank = 0, trained_by = 0;
  std::string name, status;
  int64_t cutoff = 0;
};
Result<std::optional<ModelRow>> LoadModel(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, bank_tenant_id, trained_by, name, status, cutoff "
                                    "FROM scoring_models WHERE id = ?",
                                    id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<ModelRow>();
  return std::optional<ModelRow>(ModelRow{.id = q.Int(0),
                                          .bank = q.Int(1),
                                          .trained_by = q.Int(2),
                                          .name = q.Text(3),
                                          .status = q.Text(4),
                                          .cutoff = q.Int(5)});
}

bool SeesModel(const Caller& caller, int64_t bank) {
  return caller.platform() || (caller.in_bank() && caller.tenant_id == bank);
}

constexpr std::string_view kRunColumns =
    "id, model_id, as_of, scored, stability, summary, run_by, created_at, monitored";
Json RunJson(const Query& q) {
  Json j = {{"id", q.Int(0)},         {"model_id", q.Int(1)},   {"as_of", q.Text(2)},
            {"scored", q.Int(3)},     {"stability", q.Text(4)}, {"run_by", q.Int(6)},
            {"created_at", q.Int(7)}, {"monitored", q.Int(8)}};
  j.update(Json::parse(q.Text(5)));  // mean_score, psi, bands
  return j;
}

constexpr double kPpm = 1e6;
int64_t PpmOf(double p) { return std::llround(p * kPpm); }

// A score's reasons are kept compact, [column, points lost, value] with the column of
// FeatureSpecs() (which only ever grows at its end), and read out with what the feature is in
// both languages.
Json StoredReason(size_t column, double points_lost, const std::optional<double>& value) {
  return Json::array({column, Round(points_lost, 0.01), Opt(value)});
}
Json ReasonsJson(const std::string& stored) {
  const auto& specs = scoring::FeatureSpecs();
  Json out = Json::array();
  for (const auto& r : Json::parse(stored)) {
    const auto column = r.at(0).get<size_t>();
    const auto& spec = specs.at(column);
    out.push_back({{"feature", spec.name},
                   {"zh", spec.zh},
                   {"en", spec.en},
                   {"points_lost", r.at(1)},
                   {"value", r.at(2)}});
  }
  return out;
}

// The whole version: its summary, options, scorecard, report and runs.
Result<Json> ModelJson(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT {}, m.options, m.card FROM scoring_models m JOIN tenants t ON t.id = "
                  "m.bank_tenant_id WHERE m.id = ?",
                  kModelColumns),
      id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("model"));
  Json j = ModelSummary(q);
  j["options"] = Json::parse(q.Text(16));
  j["scorecard"] = Json::parse(q.Text(17));
  j["report"] = Json::parse(q.Text(10));
  Json runs = Json::array();
  auto r = CORRIDOR_TRY(Query::Make(c,
                                    fmt::format("SELECT {} FROM scoring_runs WHERE model_id = "
                                                "? ORDER BY as_of",
                                                kRunColumns),
                                    id));
  while (CORRIDOR_TRY(r.Next())) runs.push_back(RunJson(r));
  j["runs"] = std::move(runs);
  return j;
}

}  // namespace

Result<Response> Scoring::Train(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kRiskAnalyst}));
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "a bank's users train its models", {}});
  }
  Input in(body);
  const std::string name = in.Str("name", 100);
  const Date snapshot = in.DateField("snapshot_date");
  const int64_t horizon = in.OptInt("horizon_days", 30, 1'095).value_or(365);
  const bool oot_given = in.Has("oot_date");
  const Date oot_field = oot_given ? in.DateField("oot_date") : snapshot;
  const int64_t cutoff = in.OptInt("cutoff", 300, 900).value_or(600);
  const int64_t max_bins = in.OptInt("max_bins", 2, 20).value_or(5);
  if (name.empty()) in.Problem("name", "must not be empty");
  CORRIDOR_TRY_STATUS(in.Finish());
  const Date today = clock_.Today();
  const Date oot = oot_given ? oot_field : snapshot.AddDays(static_cast<int32_t>(horizon));
  if (oot <= snapshot) return Fail(Error::Invalid("/oot_date", "must be after snapshot_date"));
  if (oot.AddDays(static_cast<int32_t>(horizon)) > today) {
    return Fail(Error::Invalid(
        oot_given ? "/oot_date" : "/snapshot_date",
        fmt::format("the out-of-time outcomes (to {}) are not known by "
                    "today ({}): take an earlier day",
                    oot.AddDays(static_cast<int32_t>(horizon)).ToString(), today.ToString())));
  }
  const int h = static_cast<int>(horizon);
  auto train = CORRIDOR_TRY(scoring::BuildTrainingSet(c, snapshot, h, today, caller.tenant_id));
  auto test = CORRIDOR_TRY(scoring::BuildTrainingSet(c, oot, h, today, caller.tenant_id));
  for (const auto& [set, field] : {std::pair{&train, "/snapshot_date"}, {&test, "/oot_date"}}) {
    const auto bads = std::count(set->labels.begin(), set->labels.end(), 1);
    const auto goods = static_cast<int64_t>(set->labels.size()) - bads;
    if (bads < kMinDefaults || goods < kMinDefaults) {
      return Fail(Error::Invalid(
          field, fmt::format("the bank's borrowers as of {} give {} defaults and {} repaid: a "
                             "model needs at least {} of each",
                             set->as_of.ToString(), bads, goods, kMinDefaults)));
    }
  }

  rs::ScorecardOptions options;
  options.max_bins = static_cast<int>(max_bins);
  const auto names = FeatureNames();
  const auto card = CORRIDOR_TRY(rs::TrainScorecard(train.rows, names, train.labels, options));
  const double cut = static_cast<double>(cutoff);
  // Each set scored once, for its report and for what follows.
  const Scored train_scored = ScoreAll(card, train.rows), test_scored = ScoreAll(card, test.rows);
  Json report = {{"training", CORRIDOR_TRY(SetReport(train_scored, train, cut))},
                 {"out_of_time", CORRIDOR_TRY(SetReport(test_scored, test, cut))}};

  // The challenger on the same cases, measured on the same out-of-time cases.
  const auto challenger =
      CORRIDOR_TRY(rs::Booster::Train(train.rows, train.labels, ChallengerOptions()));
  {
    const auto pds = CORRIDOR_TRY(challenger.Predict(test.rows));
    std::vector<double> scores;
    scores.reserve(pds.size());
    for (const double pd : pds) {
      const double p = std::clamp(pd, 1e-12, 1 - 1e-12);
      scores.push_back(card.offset - card.factor * std::log(p / (1 - p)));
    }
    const auto v = CORRIDOR_TRY(rs::Validate(scores, pds, test.labels, cut));
    const auto o = ChallengerOptions();
    report["challenger"] = {{"method", "gradient-boosted trees (libxgboost), binary:logistic"},
                            {"trees", o.trees},
                            {"max_depth", o.max_depth},
                            {"eta", o.eta},
                            {"seed", o.seed},
                            {"out_of_time", ValidationJson(v)}};
  }

  // Fairness on the out-of-time cases: the population the model meets next.
  {
    const Scored& s = test_scored;
    const auto g = CORRIDOR_TRY(GroupsOf(c, test.enterprise_ids));
    report["fairness"] = {
        {"region", CORRIDOR_TRY(FairnessJson(g.region, s.scores, test.labels, cut))},
        {"industry", CORRIDOR_TRY(FairnessJson(g.industry, s.scores, test.labels, cut))},
        {"size", CORRIDOR_TRY(FairnessJson(g.size, s.scores, test.labels, cut))}};
  }
  // The stability bands, from the training scores.
  {
    const Scored& s = train_scored;
    const Bands b = BandsOf(s.scores);
    report["stability_bands"] = {{"edges", b.edges},
                                 {"training_counts", rs::CountInBands(s.scores, b.edges)}};
  }

  Json rows = Json::array();
  for (const Row& r : train.rows) {
    Json row = Json::array();
    for (const auto& v : r) row.push_back(Opt(v));
    rows.push_back(std::move(row));
  }
  const Json snapshot_json = {{"snapshot_date", snapshot.ToString()},
                              {"horizon_days", horizon},
                              {"features", names},
                              {"enterprise_ids", train.enterprise_ids},
                              {"labels", train.labels},
                              {"rows", std::move(rows)}};
  const Json options_json = {{"max_bins", max_bins},       {"monotonic", options.monotonic},
                             {"min_iv", options.min_iv},   {"l2", options.l2},
                             {"points0", options.points0}, {"odds0", options.odds0},
                             {"pdo", options.pdo}};
  const int64_t version =
      CORRIDOR_TRY(QueryInt(c,
                            "SELECT coalesce(max(version), 0) + 1 FROM scoring_models WHERE "
                            "bank_tenant_id = ? AND name = ?",
                            caller.tenant_id, name))
          .value_or(1);
  const int64_t now = clock_.NowMicros();
  const int64_t id = CORRIDOR_TRY(store::InsertReturningId(
      c,
      "INSERT INTO scoring_models (bank_tenant_id, name, version, status, snapshot_date, "
      "oot_date, horizon_days, cutoff, options, card, challenger, snapshot, report, trained_by, "
      "trained_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      caller.tenant_id, name, version, snapshot.ToString(), oot.ToString(), horizon, cutoff,
      options_json.dump(), CardJson(card).dump(), CORRIDOR_TRY(challenger.Save()),
      snapshot_json.dump(), report.dump(), caller.user_id, now));
  CORRIDOR_TRY(AppendLogEntry(c, "scoring.model_trained", &caller,
                              {{"model_id", id},
                               {"name", name},
                               {"version", version},
                               {"snapshot_date", snapshot.ToString()},
                               {"cases", train.labels.size()},
                               {"oot_auc", report["out_of_time"]["auc"]}},
                              {caller.tenant_id}, now));
  return Response(201, CORRIDOR_TRY(ModelJson(c, id)));
}

Result<Response> Scoring::Decide(Connection& c, const Caller& caller, int64_t model_id,
                                 const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kRiskAnalyst}));
  const auto m = CORRIDOR_TRY(LoadModel(c, model_id));
  if (!m || !SeesModel(caller, m->bank)) return Fail(Error::NotFound("model"));
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "the model's bank's risk analyst decides", {}});
  }
  const auto [status, note] = CORRIDOR_TRY(scoring::ReadModelDecision(body));
  if (m->trained_by == caller.user_id) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "a model is approved by another user than who trained it",
                      {}});
  }
  if (m->status != "pending") {
    return Fail(Error::Conflict(fmt::format("the model is already {}", m->status)));
  }
  const int64_t now = clock_.NowMicros();
  if (status == "approved") {
    CORRIDOR_TRY_STATUS(Execute(c,
                                "UPDATE scoring_models SET status = 'retired' WHERE "
                                "bank_tenant_id = ? AND name = ? AND status = 'approved'",
                                m->bank, m->name));
  }
  CORRIDOR_TRY_STATUS(Execute(c,
                              "UPDATE scoring_models SET status = ?, decided_by = ?, decided_at = "
                              "?, decision_note = ? WHERE id = ?",
                              status, caller.user_id, now, note, model_id));
  CORRIDOR_TRY(AppendLogEntry(c, "scoring.model_" + status, &caller,
                              {{"model_id", model_id}, {"name", m->name}, {"note", note}},
                              {m->bank}, now));
  return Response(200, CORRIDOR_TRY(ModelJson(c, model_id)));
}

Result<Response> Scoring::Run(Connection& c, const Caller& caller, int64_t model_id,
                              const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer, Role::kRiskAnalyst}));
  const auto m = CORRIDOR_TRY(LoadModel(c, model_id));
  if (!m || !SeesModel(caller, m->bank)) return Fail(Error::NotFound("model"));
  if (!caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "the model's bank runs it", {}});
  }
  Input in(body);
  const Date as_of = in.DateField("as_of");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (as_of > clock_.Today()) return Fail(Error::Invalid("/as_of", "must not be after today"));
  if (m->status != "approved") {
    return Fail(Error::Conflict(
        fmt::format("the model is {}: only an approved model scores anyone", m->status)));
  }
  if (CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM scoring_runs WHERE model_id = ? AND as_of = ?",
                            model_id, as_of.ToString()))) {
    return Fail(Error::Conflict("the model has already scored as of " + as_of.ToString()));
  }
  auto q = CORRIDOR_TRY(
      Query::Make(c, "SELECT card, report FROM scoring_models WHERE id = ?", model_id));
  CORRIDOR_TRY(q.Next());
  const rs::Scorecard card = CardFrom(Json::parse(q.Text(0)));
  const Json bands = Json::parse(q.Text(1)).at("stability_bands");

  // Every verified enterprise registered by the day.
  std::vector<int64_t> ids;
  auto e = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id FROM enterprises WHERE status = 'verified' AND "
                                    "registered_at < ? ORDER BY id",
                                    ManualClock::MicrosAt(as_of.AddDays(1))));
  while (CORRIDOR_TRY(e.Next())) ids.push_back(e.Int(0));
  if (ids.empty()) return Fail(Error::Invalid("/as_of", "no verified enterprise by the day"));
  const auto rows = CORRIDOR_TRY(scoring::FeaturesAsOf(c, ids, as_of));

  const int64_t now = clock_.NowMicros();
  const int64_t run_id = CORRIDOR_TRY(store::InsertReturningId(
      c,
      "INSERT INTO scoring_runs (model_id, as_of, scored, monitored, stability, summary, run_by, "
      "created_at) VALUES (?, ?, 0, 0, 'none', '{}', ?, ?) RETURNING id",
      model_id, as_of.ToString(), caller.user_id, now));
  // The population the model is monitored on is the one it was trained on: the bank's borrowers
  // with principal outstanding on the day.
  std::unordered_map<int64_t, bool> borrower;
  auto b = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT DISTINCT l.enterprise_id FROM loans l JOIN "
                                    "installments i ON i.loan_id = l.id WHERE l.bank_tenant_id = "
                                    "?1 AND l.start_date <= ?2 AND (i.paid_on IS NULL OR "
                                    "i.paid_on > ?2)",
                                    m->bank, as_of.ToString()));
  while (CORRIDOR_TRY(b.Next())) borrower.emplace(b.Int(0), true);
  const auto names = FeatureNames();
  std::vector<double> monitored;
  std::vector<double> scores;
  scores.reserve(ids.size());
  double sum = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    if (!rows[k]) continue;
    const auto s = rs::ScoreCase(card, *rows[k]);
    Json reasons = Json::array();
    for (const auto& r : s.reasons) {
      const auto column =
          static_cast<size_t>(std::find(names.begin(), names.end(), r.feature) - names.begin());
      reasons.push_back(StoredReason(column, r.points_lost, (*rows[k])[column]));
    }
    const int64_t points = std::llround(s.score);
    CORRIDOR_TRY_STATUS(Execute(c,
                                "INSERT INTO credit_scores (run_id, enterprise_id, score, pd_ppm, "
                                "reasons) VALUES (?, ?, ?, ?, ?)",
                                run_id, ids[k], points, PpmOf(s.pd), reasons.dump()));
    scores.push_back(static_cast<double>(points));
    sum += static_cast<double>(points);
    // Stability is measured on the unrounded score, as the training bands were cut: rounded
    // points would move every score that sits on a band's edge into the next band.
    if (borrower.contains(ids[k])) monitored.push_back(s.score);
  }
  const auto edges = bands.at("edges").get<std::vector<double>>();
  const auto expected = bands.at("training_counts").get<std::vector<int64_t>>();
  const auto actual = rs::CountInBands(monitored, edges);
  std::optional<double> psi;
  if (!monitored.empty()) {
    psi = CORRIDOR_TRY(rs::PopulationStability(std::span<const int64_t>(expected),
                                               std::span<const int64_t>(actual)));
  }
  Json band_json = Json::array();
  for (size_t k = 0; k < actual.size(); ++k) {
    band_json.push_back({{"lower", k == 0 ? Json() : Json(edges[k - 1])},
                         {"upper", k < edges.size() ? Json(edges[k]) : Json()},
                         {"training", expected[k]},
                         {"monitored", actual[k]}});
  }
  const double mean = scores.empty() ? 0 : sum / static_cast<double>(scores.size());
  const Json summary = {{"mean_score", Round(mean, 0.01)},
                        {"psi", psi ? Json(Round(*psi, 1e-6)) : Json()},
                        {"bands", std::move(band_json)}};
  CORRIDOR_TRY_STATUS(
      Execute(c,
              "UPDATE scoring_runs SET scored = ?, monitored = ?, psi_ppm = ?, "
              "stability = ?, summary = ? WHERE id = ?",
              static_cast<int64_t>(scores.size()), static_cast<int64_t>(monitored.size()),
              psi ? std::optional<int64_t>(PpmOf(*psi)) : std::nullopt,
              std::string(psi ? StabilityOf(*psi) : "none"), summary.dump(), run_id));
  // A shifted population is an early-warning alert on the model; a run that has not shifted
  // resolves it.
  const auto alert = CORRIDOR_TRY(RecordModelStability(
      c,
      ModelStability{.model_id = model_id,
                     .bank_tenant_id = m->bank,
                     .as_of = as_of,
                     .psi = psi,
                     .stability = std::string(psi ? StabilityOf(*psi) : "none")},
      now));
  auto r = CORRIDOR_TRY(
      Query::Make(c, fmt::format("SELECT {} FROM scoring_runs WHERE id = ?", kRunColumns), run_id));
  CORRIDOR_TRY(r.Next());
  Json out = RunJson(r);
  out["alert_id"] = alert ? Json(*alert) : Json();
  return Response(201, std::move(out));
}

Result<Json> Scoring::ListModels(const Caller& caller, const Page& page) {
  if (!caller.platform() && !caller.in_bank()) {
    return Fail(Error{ErrorCode::kPermissionDenied, "models are read by banks and the bureau", {}});
  }
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "m.id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM scoring_models m JOIN tenants t ON t.id = m.bank_tenant_id "
                    "WHERE {} AND (? OR m.bank_tenant_id = ?) ORDER BY {} LIMIT ?",
                    kModelColumns, k.where, k.order),
        k.bound, caller.platform(), caller.tenant_id, page.limit));
    return internal::CollectPage(q, page, ModelSummary);
  });
}

Result<Json> Scoring::GetModel(const Caller& caller, int64_t model_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto m = CORRIDOR_TRY(LoadModel(c, model_id));
    if (!m || !SeesModel(caller, m->bank)) return Fail(Error::NotFound("model"));
    return ModelJson(c, model_id);
  });
}

Result<Json> Scoring::Scores(const Caller& caller, int64_t enterprise_id) {
  CORRIDOR_TRY_STATUS(RequireLendingParty(caller));
  if (caller.in_enterprise() && caller.enterprise_id != enterprise_id) {
    return Fail(Error::NotFound("enterprise"));
  }
  if (caller.in_guarantor()) return Fail(Error::NotFound("enterprise"));
  return store_.Read([&](Connection& c) -> Result<Json> {
    if (!CORRIDOR_TRY(QueryInt(c, "SELECT 1 FROM enterprises WHERE id = ?", enterprise_id))) {
      return Fail(Error::NotFound("enterprise"));
    }
    // The enterprise sees approved (or retired) models' scores; a bank its own; the bureau all.
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT m.id, m.name, m.version, m.status, m.bank_tenant_id, t.name, m.cutoff, r.id, "
        "r.as_of, s.score, s.pd_ppm, s.reasons FROM credit_scores s JOIN scoring_runs r ON r.id = "
        "s.run_id JOIN scoring_models m ON m.id = r.model_id JOIN tenants t ON t.id = "
        "m.bank_tenant_id WHERE s.enterprise_id = ? AND (? OR m.bank_tenant_id = ? OR ?) ORDER BY "
        "r.as_of DESC, m.id DESC LIMIT ?",
        enterprise_id, caller.platform(), caller.in_bank() ? caller.tenant_id : -1,
        caller.in_enterprise(), static_cast<int64_t>(kMaxScoresShown)));
    Json items = Json::array();
    while (CORRIDOR_TRY(q.Next())) {
      const int64_t score = q.Int(9);
      items.push_back({{"model_id", q.Int(0)},
                       {"model_name", q.Text(1)},
                       {"version", q.Int(2)},
                       {"model_status", q.Text(3)},
                       {"bank_tenant_id", q.Int(4)},
                       {"bank_name", q.Text(5)},
                       {"cutoff", q.Int(6)},
                       {"run_id", q.Int(7)},
                       {"as_of", q.Text(8)},
                       {"score", score},
                       {"pd", static_cast<double>(q.Int(10)) / kPpm},
                       {"above_cutoff", score >= q.Int(6)},
                       {"reasons", ReasonsJson(q.Text(11))}});
    }
    return Json{{"enterprise_id", enterprise_id}, {"scores", std::move(items)}};
  });
}

Status Scoring::AnnotateNeeds(const Caller& caller, Json& needs) {
  if (!caller.in_bank()) return {};
  Json* items = needs.contains("items") ? &needs["items"] : nullptr;
  std::vector<Json*> list;
  if (items != nullptr) {
    for (auto& n : *items) list.push_back(&n);
  } else {
    list.push_back(&needs);
  }
  std::vector<int64_t> ids;
  ids.reserve(list.size());
  for (Json* n : list) ids.push_back((*n).at("enterprise_id").get<int64_t>());
  return store_.Read([&](Connection& c) -> Status {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT s.enterprise_id, s.score, s.pd_ppm, s.reasons, r.as_of, m.id, m.name, m.version, "
        "m.cutoff FROM (SELECT DISTINCT value AS id FROM json_each(?)) j JOIN credit_scores s ON "
        "s.enterprise_id = j.id JOIN scoring_runs r ON r.id = s.run_id JOIN scoring_models m ON "
        "m.id = r.model_id WHERE m.bank_tenant_id = ? AND m.status = 'approved' ORDER BY "
        "s.enterprise_id, r.as_of DESC, r.id DESC",
        Json(ids).dump(), caller.tenant_id));
    std::map<int64_t, Json> latest;
    while (CORRIDOR_TRY(q.Next())) {
      if (latest.contains(q.Int(0))) continue;
      const int64_t score = q.Int(1);
      latest.emplace(q.Int(0), Json{{"score", score},
                                    {"pd", static_cast<double>(q.Int(2)) / kPpm},
                                    {"reasons", ReasonsJson(q.Text(3))},
                                    {"as_of", q.Text(4)},
                                    {"model_id", q.Int(5)},
                                    {"model_name", q.Text(6)},
                                    {"version", q.Int(7)},
                                    {"cutoff", q.Int(8)},
                                    {"above_cutoff", score >= q.Int(8)}});
    }
    for (size_t k = 0; k < list.size(); ++k) {
      const auto it = latest.find(ids[k]);
      (*list[k])["credit_score"] = it == latest.end() ? Json() : it->second;
    }
    return {};
  });
}

}  // namespace corridor::service
