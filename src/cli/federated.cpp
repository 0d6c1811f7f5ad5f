#include "cli/federated.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "api/http.hpp"
#include "cli/csv.hpp"
#include "risk/federated/horizontal_lr.hpp"
#include "risk/federated/session.hpp"
#include "risk/federated/transport.hpp"
#include "risk/federated/vertical_lr.hpp"

namespace corridor::cli {
namespace {

namespace fed = risk::federated;
using Json = nlohmann::json;

constexpr size_t kMinCommon = 10;

int Problem(const Error& e) {
  std::cout << api::ProblemJson(e) << "\n";
  std::cerr << "corridor federated: " << e.message << "\n";
  return e.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Error{ErrorCode::kNotFound, fmt::format("cannot read the {} {}", what, path), {}});
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return Fail(Error{ErrorCode::kNotFound, fmt::format("cannot write {}", path), {}});
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Fail(Error{ErrorCode::kNotFound, fmt::format("cannot write {}", path), {}});
  }
  return {};
}

Result<fed::SessionConfig> ReadSession(const std::string& path) {
  const std::string text = CORRIDOR_TRY(ReadFile(path, "session file"));
  return fed::ParseSession(Json::parse(text, nullptr, false));
}

Result<fed::PartyKey> ReadKey(const std::string& path) {
  std::string text = CORRIDOR_TRY(ReadFile(path, "key file"));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return fed::PartyKey::FromSeed(CORRIDOR_TRY(fed::ParseKeyHex(text, "/key")));
}

// A party's data: ids, named numeric columns, and labels when it holds them.
struct Data {
  std::vector<std::string> ids;
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  std::map<std::string, size_t> row_of;
};

Result<Data> ReadData(const std::string& path, bool labelled) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail(Error{ErrorCode::kNotFound, fmt::format("cannot read the data {}", path), {}});
  const Table t = CORRIDOR_TRY(ReadTable(in));
  Data d;
  std::optional<size_t> id_col, label_col;
  std::vector<size_t> feature_cols;
  for (size_t c = 0; c < t.header.size(); ++c) {
    if (t.header[c] == "uscc") {
      id_col = c;
    } else if (t.header[c] == "label" && labelled) {
      label_col = c;
    } else {
      feature_cols.push_back(c);
      d.columns.push_back(t.header[c]);
    }
  }
  if (!id_col)
    return Fail(Error::Invalid("/csv/uscc", "a column \"uscc\" must name each enterprise"));
  if (labelled && !label_col) {
    return Fail(Error::Invalid("/csv/label", "the label party's data needs a column \"label\""));
  }
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const int line = static_cast<int>(r) + 2;
    std::string id = Trim(t.rows[r][*id_col]);
    if (id.empty() || id.size() > 64)
      return Fail(CsvError(line, "uscc", "must be 1 to 64 characters"));
    if (d.row_of.contains(id)) return Fail(CsvError(line, "uscc", "is repeated"));
    std::vector<double> row;
    for (size_t c : feature_cols) {
      const auto v = Number(t.rows[r][c]);
      if (!v || !std::isfinite(*v)) return Fail(CsvError(line, t.header[c], "must be a number"));
      row.push_back(*v);
    }
    if (label_col) {
      const std::string v = Trim(t.rows[r][*label_col]);
      if (v != "0" && v != "1") return Fail(CsvError(line, "label", "must be 0 or 1"));
      d.labels.push_back(v == "1" ? 1 : 0);
    }
    d.row_of.emplace(id, d.ids.size());
    d.ids.push_back(std::move(id));
    d.rows.push_back(std::move(row));
  }
  return d;
}

// The transport of this party, its channels, and an abort to the others when this party stops.
struct Party {
  fed::SessionConfig session;
  size_t me = 0;
  std::unique_ptr<fed::HttpTransport> transport;
  fed::Randomness random = fed::Randomness::System();

  int Stop(const Error& e) {
    if (transport) {
      for (auto* c : transport->channels()) {
        if (c != nullptr && e.code != ErrorCode::kUnavailable) c->Abort(e.message);
      }
      transport->Stop();
    }
    return Problem(e);
  }
};

Result<Party> Join(const FederatedOptions& o) {
  Party p;
  p.session = CORRIDOR_TRY(ReadSession(o.session));
  const auto it = std::find_if(p.session.parties.begin(), p.session.parties.end(),
                               [&](const auto& a) { return a.name == o.party; });
  if (it == p.session.parties.end()) {
    return Fail(Error::Invalid("/party", fmt::format("{} is not a party of the session", o.party)));
  }
  p.me = static_cast<size_t>(it - p.session.parties.begin());
  const bool pooling = o.command == "pool";
  if (pooling != p.session.coordinator.has_value()) {
    return Fail(pooling ? Error::Invalid("/coordinator", "a pooling session names its coordinator")
                        : Error::Invalid("/coordinator",
                                         "names a pooling session: run corridor federated pool"));
  }
  const bool coordinating = pooling && p.me == *p.session.coordinator;
  if (coordinating && (o.drop_after_s < 1 || o.drop_after_s >= o.timeout_s)) {
    return Fail(Error::Invalid("/drop-after", "must be at least 1 s and below --timeout"));
  }
  const auto key = CORRIDOR_TRY(ReadKey(o.key));
  if (o.seed) p.random = fed::Randomness::FromSeed(*o.seed, fmt::format("align {}", p.me));
  p.transport = CORRIDOR_TRY(fed::HttpTransport::Start(
      {.session = p.session.name,
       .parties = p.session.parties,
       .me = p.me,
       .key = key,
       .receive_timeout_ms = (coordinating ? o.drop_after_s : o.timeout_s) * 1000,
       .independent_peers = coordinating}));
  return p;
}

// This party's rows in the order of the common ids.
std::vector<std::vector<double>> Aligned(const Data& d, const std::vector<std::string>& common,
                                         std::vector<int>* labels) {
  std::vector<std::vector<double>> rows;
  for (const auto& id : common) {
    const size_t r = d.row_of.at(id);
    rows.push_back(d.rows[r]);
    if (labels != nullptr && !d.labels.empty()) labels->push_back(d.labels[r]);
  }
  return rows;
}

int Keygen(const FederatedOptions& o) {
  if (o.out.empty()) return Problem(Error::Invalid("/out", "name the key file to write"));
  struct stat st {};
  if (::stat(o.out.c_str(), &st) == 0) {
    return Problem(
        Error::Invalid("/out", fmt::format("{} exists: a key is never overwritten", o.out)));
  }
  const auto key = fed::PartyKey::Generate();
  {
    const mode_t old = ::umask(077);
    std::ofstream out(o.out, std::ios::binary);
    out << fed::ToHex(key.seed) << "\n";
    ::umask(old);
    if (!out.flush()) return Problem(Error{ErrorCode::kNotFound, "cannot write " + o.out, {}});
  }
  std::cout << Json{{"public_key", fed::ToHex(key.public_key)}}.dump() << "\n";
  return 0;
}

int Train(const FederatedOptions& o) {
  auto joined = Join(o);
  if (!joined) return Problem(joined.error());
  Party& p = *joined;
  const bool guest = p.me == p.session.label_party;
  auto data = ReadData(o.data, guest);
  if (!data) return p.Stop(data.error());
  auto common =
      fed::AlignIds(p.transport->channels(), p.me, p.session.label_party, data->ids, p.random);
  if (!common) return p.Stop(common.error());
  if (common->size() < kMinCommon) {
    return p.Stop(Error::Invalid(
        "/data", fmt::format("{} enterprises are common to all parties, fewer than {}",
                             common->size(), kMinCommon)));
  }
  std::vector<int> labels;
  const auto rows = Aligned(*data, *common, &labels);
  fed::VerticalLrOptions vo;
  vo.key_bits = p.session.key_bits;
  vo.min_key_bits = fed::kMinKeyBits;
  vo.seed = o.seed.value_or(0);
  vo.max_iterations = p.session.max_iterations;
  vo.seeded = o.seed.has_value();
  if (guest) {
    vo.on_iteration = [&](int iteration, double ll) {
      if (iteration % 10 == 0) {
        std::cerr << fmt::format("corridor federated: iteration {}, log-likelihood {:.6f}\n",
                                 iteration, ll);
      }
    };
  }
  std::cerr << fmt::format("corridor federated: {} aligned {} common enterprises; fitting\n",
                           o.party, common->size());
  auto fit = fed::RunVerticalLrParty(p.transport->channels(), p.me, p.session.label_party, rows,
                                     labels, vo);
  if (!fit) return p.Stop(fit.error());
  Json model{{"session", p.session.name},
             {"party", o.party},
             {"label_party", p.session.parties[p.session.label_party].name},
             {"cases", common->size()},
             {"columns", data->columns},
             {"coefficients", fit->coefficients},
             {"means", fit->means},
             {"bytes_sent", p.transport->bytes_sent()},
             {"frames_sent", p.transport->frames_sent()}};
  if (guest) {
    model["intercept"] = fit->intercept;
    model["log_likelihood"] = fit->log_likelihood;
    model["iterations"] = fit->iterations;
    model["converged"] = fit->converged;
    model["gradient_norm"] = fit->gradient_norm;
    model["key_bits"] = p.session.key_bits;
  }
  p.transport->Stop();
  if (auto w = WriteFile(o.out, model.dump(2) + "\n"); !w) return Problem(w.error());
  std::cout << model.dump() << "\n";
  return 0;
}

Result<fed::PartyModel> ReadModel(const std::string& path) {
  const std::string text = CORRIDOR_TRY(ReadFile(path, "model"));
  const Json j = Json::parse(text, nullptr, false);
  fed::PartyModel m;
  try {
    m.columns = j.at("columns").get<std::vector<std::string>>();
    m.coefficients = j.at("coefficients").get<std::vector<double>>();
    m.means = j.at("means").get<std::vector<double>>();
    m.intercept = j.value("intercept", 0.0);
  } catch (const std::exception&) {
    return Fail(Error::Invalid("/model", "must be a model written by corridor federated train"));
  }
  if (m.columns.size() != m.coefficients.size() || m.means.size() != m.coefficients.size()) {
    return Fail(Error::Invalid("/model", "needs a coefficient and a mean per column"));
  }
  return m;
}

int Score(const FederatedOptions& o) {
  auto joined = Join(o);
  if (!joined) return Problem(joined.error());
  Party& p = *joined;
  const bool guest = p.me == p.session.label_party;
  auto model = ReadModel(o.model);
  if (!model) return p.Stop(model.error());
  auto data = ReadData(o.data, false);
  if (!data) return p.Stop(data.error());
  // The model's columns, by name, from this data.
  std::vector<size_t> pick;
  for (const auto& c : model->columns) {
    const auto it = std::find(data->columns.begin(), data->columns.end(), c);
    if (it == data->columns.end()) {
      return p.Stop(Error::Invalid("/csv/" + c, "the model's column is missing from the data"));
    }
    pick.push_back(static_cast<size_t>(it - data->columns.begin()));
  }
  auto common =
      fed::AlignIds(p.transport->channels(), p.me, p.session.label_party, data->ids, p.random);
  if (!common) return p.Stop(common.error());
  std::vector<std::vector<double>> rows;
  for (const auto& row : Aligned(*data, *common, nullptr)) {
    std::vector<double> r;
    r.reserve(pick.size());
    for (size_t c : pick) r.push_back(row[c]);
    rows.push_back(std::move(r));
  }
  auto scores = fed::ScoreParty(p.transport->channels(), p.me, p.session.label_party, *model, rows);
  if (!scores) return p.Stop(scores.error());
  p.transport->Stop();
  Json out{{"session", p.session.name}, {"party", o.party}, {"scored", common->size()}};
  if (guest) {
    Json list = Json::array();
    for (size_t i = 0; i < common->size(); ++i) {
      const auto& s = (*scores)[i];
      Json shares = Json::array(), reasons = Json::array();
      for (size_t k = 0; k < s.shares.size(); ++k) {
        shares.push_back({{"party", p.session.parties[k].name}, {"log_odds", s.shares[k]}});
      }
      for (const auto& r : s.reasons) {
        reasons.push_back({{"party", p.session.parties[r.party].name},
                           {"column", r.column},
                           {"contribution", r.contribution}});
      }
      list.push_back({{"uscc", (*common)[i]},
                      {"probability", s.probability},
                      {"log_odds", s.linear},
                      {"shares", shares},
                      {"reasons", reasons}});
    }
    const std::set<std::string> scored(common->begin(), common->end());
    Json unscored = Json::array();
    for (const auto& id : data->ids) {
      if (!scored.contains(id)) unscored.push_back(id);
    }
    out["scores"] = list;
    out["unscored"] = unscored;  // not held by every party
  }
  if (auto w = WriteFile(o.out, out.dump(2) + "\n"); !w) return Problem(w.error());
  std::cout << Json{{"scored", common->size()}}.dump() << "\n";
  return 0;
}

// Horizontal pooling: the coordinator routes the rounds, each bank reads its own borrowers
// (the same columns at every bank, and "label") and receives the model.
int Pool(const FederatedOptions& o) {
  auto joined = Join(o);
  if (!joined) return Problem(joined.error());
  Party& p = *joined;
  const size_t coordinator = *p.session.coordinator;
  std::vector<std::string> names;
  for (const auto& a : p.session.parties) names.push_back(a.name);
  // The model as every party writes it: the banks by name (bank b is party b, or b + 1 past the
  // coordinator), and what this party adds.
  auto write_model = [&](const fed::HorizontalLrFit& fit, const Json& extra) {
    Json banks_in = Json::array();
    for (size_t b : fit.banks) banks_in.push_back(names[b < coordinator ? b : b + 1]);
    Json model{{"session", p.session.name},
               {"party", o.party},
               {"columns", fit.columns},
               {"intercept", fit.intercept},
               {"coefficients", fit.coefficients},
               {"log_likelihood", fit.log_likelihood},
               {"iterations", fit.iterations},
               {"converged", fit.converged},
               {"banks", banks_in},
               {"bytes_sent", p.transport->bytes_sent()},
               {"frames_sent", p.transport->frames_sent()}};
    model.update(extra);
    if (auto w = WriteFile(o.out, model.dump(2) + "\n"); !w) return Problem(w.error());
    std::cout << model.dump() << "\n";
    return 0;
  };
  if (p.me == coordinator) {
    if (!o.data.empty()) {
      return p.Stop(Error::Invalid("/data", "the coordinator holds no data: leave --data out"));
    }
    std::vector<fed::Channel*> banks;
    std::vector<size_t> party_of;
    for (size_t k = 0; k < names.size(); ++k) {
      if (k == coordinator) continue;
      banks.push_back(p.transport->channels()[k]);
      party_of.push_back(k);
    }
    fed::PoolOptions po;
    po.max_iterations = p.session.max_iterations;
    po.on_round = [&](uint32_t round, double ll, size_t in) {
      std::cerr << fmt::format("corridor federated: round {}, {} banks, log-likelihood {:.6f}\n",
                               round, in, ll);
    };
    auto fit = fed::RunPoolCoordinator(banks, po);
    p.transport->Stop();
    if (!fit) return Problem(fit.error());
    Json dropped = Json::array();
    for (const auto& d : fit->dropped) {
      dropped.push_back(
          {{"bank", names[party_of[d.bank]]}, {"round", d.round}, {"reason", d.reason}});
    }
    return write_model(*fit, {{"dropped", dropped}});
  }
  auto data = ReadData(o.data, true);
  if (!data) return p.Stop(data.error());
  fed::BankData bank{.features = data->rows, .labels = data->labels};
  std::optional<uint32_t> silent;
  if (o.silent_at > 0) silent = static_cast<uint32_t>(o.silent_at);
  auto fit = fed::RunPoolBank(*p.transport->channels()[coordinator], bank, data->columns, p.random,
                              {.silent_at = silent});
  if (!fit) return p.Stop(fit.error());
  p.transport->Stop();
  return write_model(*fit, {{"borrowers", data->ids.size()}});
}

}  // namespace

int Federated(const FederatedOptions& o) {
  if (o.command == "keygen") return Keygen(o);
  if (o.command == "train") return Train(o);
  if (o.command == "score") return Score(o);
  if (o.command == "pool") return Pool(o);
  return Problem(Error::Invalid("/command", "must be keygen, train, score or pool"));
}

}  // namespace corridor::cli
