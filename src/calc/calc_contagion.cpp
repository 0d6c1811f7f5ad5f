// The contagion calc models: debtrank, debtrank-all, eisenberg-noe, stress-transmission and
// risk-sharing. Conventions: risk/contagion/contagion.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "risk/contagion/clearing.hpp"
#include "risk/contagion/debtrank.hpp"
#include "risk/contagion/sharing.hpp"
#include "risk/contagion/transmission.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using service::Input;

std::vector<double> Vec(Input& in, const Json& body, std::string_view name, bool required) {
  return NumberArray(in, body, name, required);
}

// A square matrix, dense (`[[...]]`) as the contract gives it; at most 5,000 nodes.
std::vector<std::vector<double>> Square(Input& in, const Json& body, std::string_view name) {
  return NumberMatrix(in, body, name, true, 5'000, 5'000);
}

Result<risk::DebtRankVariant> Variant(Input& in) {
  const std::string v = in.OptStr("variant", 20).value_or("linear");
  if (v == "original") return risk::DebtRankVariant::kOriginal;
  if (v == "linear") return risk::DebtRankVariant::kLinear;
  if (v == "threshold") return risk::DebtRankVariant::kThreshold;
  return Fail(Error::Invalid("/variant", "must be original, linear or threshold"));
}

Json ResultJson(const risk::DebtRankResult& r) {
  Json out{{"debtrank", r.debtrank},
           {"additional_defaults", r.additional_defaults},
           {"rounds", r.rounds}};
  if (!r.final_stress.empty()) out["final_stress"] = r.final_stress;
  return out;
}

// The largest network an edge list may describe (nodes) and carry (edges): a province's firms
// and their claims several times over; the engine's memory is about 16 bytes per edge.
constexpr size_t kMaxNodes = 10'000'000;
constexpr size_t kMaxEdges = 100'000'000;

// A network as a sparse edge list: "nodes" is the node count (edges name nodes by index) or the
// node names in order (edges name them); each edge {"creditor", "debtor", "amount"} is the
// creditor's claim on the debtor (assets[creditor][debtor]); claims between the same pair add up.
// Returns the matrix and, for named nodes, the names.
Result<std::pair<risk::SparseMatrix, std::vector<std::string>>> EdgeList(const Json& body) {
  std::vector<std::string> names;
  std::unordered_map<std::string, int> index_of;
  size_t n = 0;
  const Json* nodes = body.contains("nodes") ? &body.at("nodes") : nullptr;
  if (nodes != nullptr && nodes->is_number_integer() && nodes->get<int64_t>() >= 1 &&
      nodes->get<int64_t>() <= static_cast<int64_t>(kMaxNodes)) {
    n = nodes->get<size_t>();
  } else if (nodes != nullptr && nodes->is_array() && !nodes->empty() &&
             nodes->size() <= kMaxNodes) {
    n = nodes->size();
    names.reserve(n);
    for (size_t k = 0; k < n; ++k) {
      if (!(*nodes)[k].is_string() ||
          !index_of.emplace((*nodes)[k].get<std::string>(), static_cast<int>(k)).second) {
        return Fail(Error::Invalid(fmt::format("/nodes/{}", k), "must be a distinct name"));
      }
      names.push_back((*nodes)[k].get<std::string>());
    }
  } else {
    return Fail(Error::Invalid(
        "/nodes", fmt::format("must be a node count or an array of names, 1 to {}", kMaxNodes)));
  }
  const Json& edges = body.at("edges");
  if (!edges.is_array() || edges.size() > kMaxEdges) {
    return Fail(Error::Invalid("/edges", fmt::format("must be an array of at most {} "
                                                     "{{creditor, debtor, amount}}",
                                                     kMaxEdges)));
  }
  auto node = [&](const Json& e, size_t k, const char* role) -> Result<int> {
    const auto field = fmt::format("/edges/{}/{}", k, role);
    if (!e.contains(role)) return Fail(Error::Invalid(field, "is required"));
    const Json& v = e.at(role);
    if (names.empty()) {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
          static_cast<uint64_t>(v.get<int64_t>()) >= n) {
        return Fail(Error::Invalid(field, fmt::format("must be a node index below {}", n)));
      }
      return static_cast<int>(v.get<int64_t>());
    }
    if (!v.is_string()) return Fail(Error::Invalid(field, "must be a node name"));
    auto it = index_of.find(v.get<std::string>());
    if (it == index_of.end()) return Fail(Error::Invalid(field, "is not one of the nodes"));
    return it->second;
  };
  std::vector<std::vector<std::pair<int, double>>> rows(n);
  for (size_t k = 0; k < edges.size(); ++k) {
    const Json& e = edges[k];
    if (!e.is_object())
      return Fail(Error::Invalid(fmt::format("/edges/{}", k), "must be an object"));
    const int creditor = CORRIDOR_TRY(node(e, k, "creditor"));
    const int debtor = CORRIDOR_TRY(node(e, k, "debtor"));
    const Json* amount = e.contains("amount") ? &e.at("amount") : nullptr;
    if (amount == nullptr || !amount->is_number() || !std::isfinite(amount->get<double>()) ||
        amount->get<double>() < 0) {
      return Fail(Error::Invalid(fmt::format("/edges/{}/amount", k),
                                 "must be a finite non-negative number"));
    }
    if (creditor == debtor) {
      return Fail(Error::Invalid(fmt::format("/edges/{}/debtor", k),
                                 "must differ from the creditor (no claim on oneself)"));
    }
    if (amount->get<double>() > 0) rows[creditor].emplace_back(debtor, amount->get<double>());
  }
  risk::SparseMatrix m;
  m.n = static_cast<int>(n);
  m.rows.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& row = rows[i];
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [j, v] : row) {
      if (!m.rows[i].empty() && m.rows[i].back().first == j) {
        m.rows[i].back().second += v;
      } else {
        m.rows[i].emplace_back(j, v);
      }
    }
  }
  return std::pair{std::move(m), std::move(names)};
}

// The network of a debtrank model: a dense "assets" matrix (at most 5,000 nodes) or a sparse
// "edges" list with "nodes".
struct NetworkInput {
  risk::DebtRank net;
  std::vector<std::string> names;  // empty unless the nodes were named
};

Result<NetworkInput> Network(Input& in, const Json& body) {
  const bool sparse = in.Has("edges");
  if (sparse && in.Has("assets")) {
    in.Problem("assets", "give assets (dense) or edges with nodes (sparse), not both");
  }
  std::vector<std::vector<double>> assets;
  if (!sparse) assets = Square(in, body, "assets");
  const auto capital = Vec(in, body, "capital", true);
  const auto weights = Vec(in, body, "weights", false);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (sparse) {
    auto [matrix, names] = CORRIDOR_TRY(EdgeList(body));
    return NetworkInput{CORRIDOR_TRY(risk::DebtRank::Make(matrix, capital, weights)),
                        std::move(names)};
  }
  const auto matrix = CORRIDOR_TRY(risk::SparseFromDense(assets, "assets"));
  return NetworkInput{CORRIDOR_TRY(risk::DebtRank::Make(matrix, capital, weights)), {}};
}

Result<Json> DebtRankModel(const Json& body) {
  Input in(body);
  const auto h0 = Vec(in, body, "initial_stress", true);
  const auto variant = Variant(in);
  const auto network = CORRIDOR_TRY(Network(in, body));
  if (!variant) return Fail(variant.error());
  return ResultJson(CORRIDOR_TRY(network.net.Run(h0, *variant)));
}

Result<Json> DebtRankAllModel(const Json& body) {
  Input in(body);
  const auto variant = Variant(in);
  const auto network = CORRIDOR_TRY(Network(in, body));
  if (!variant) return Fail(variant.error());
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto all = network.net.AllSingleDefaults(*variant, threads);
  Json rows = Json::array();
  for (size_t i = 0; i < all.size(); ++i) {
    Json row = ResultJson(all[i]);
    row["node"] = i;
    if (!network.names.empty()) row["name"] = network.names[i];
    rows.push_back(std::move(row));
  }
  return Json{{"nodes", std::move(rows)}};
}

Result<Json> EisenbergNoeModel(const Json& body) {
  Input in(body);
  const auto liabilities = Square(in, body, "liabilities");
  const auto external = Vec(in, body, "external_assets", true);
  double alpha = 1, beta = 1;
  for (auto [name, target] : {std::pair{"alpha", &alpha}, std::pair{"beta", &beta}}) {
    if (!in.Has(name)) continue;
    if (!body.at(name).is_number()) {
      in.Problem(name, "must be a number in [0, 1]");
    } else {
      *target = body.at(name).get<double>();
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto sparse = CORRIDOR_TRY(risk::SparseFromDense(liabilities, "liabilities"));
  const auto r = CORRIDOR_TRY(risk::EisenbergNoe(sparse, external, alpha, beta));
  return Json{{"clearing_payments", r.payments},
              {"defaulted", r.defaulted},
              {"equity", r.equity},
              {"inflows", r.inflows},
              {"default_costs", r.default_costs},
              {"rounds", r.rounds}};
}

Result<Json> StressTransmissionModel(const Json& body) {
  Input in(body);
  std::vector<risk::OrderEdge> edges;
  if (!in.Has("edges") || !body.at("edges").is_array() || body.at("edges").size() > 1'000'000) {
    in.Problem("edges", "must be an array of {buyer, supplier, amount}");
  } else {
    const Json& a = body.at("edges");
    for (size_t k = 0; k < a.size(); ++k) {
      if (!a[k].is_object()) {
        in.Problem(fmt::format("edges/{}", k), "must be an object");
        continue;
      }
      Input e(a[k], fmt::format("/edges/{}", k));
      risk::OrderEdge edge{e.Str("buyer", 200), e.Str("supplier", 200), 0};
      if (!e.Has("amount") || !a[k].at("amount").is_number()) {
        e.Problem("amount", "must be a number");
      } else {
        edge.amount = a[k].at("amount").get<double>();
      }
      in.Include(e);
      edges.push_back(std::move(edge));
    }
  }
  std::string shocked;
  double drop = 0;
  if (const Json* shock = in.Object("shock")) {
    Input s(*shock, "/shock");
    shocked = s.Str("node", 200);
    if (!s.Has("drop") || !shock->at("drop").is_number()) {
      s.Problem("drop", "must be a number in [0, 1]");
    } else {
      drop = shock->at("drop").get<double>();
    }
    in.Include(s);
  } else if (!in.Has("shock")) {
    in.Problem("shock", "is required");
  }
  double pass_through = 1;
  if (in.Has("pass_through")) {
    if (!body.at("pass_through").is_number()) {
      in.Problem("pass_through", "must be a number in [0, 1]");
    } else {
      pass_through = body.at("pass_through").get<double>();
    }
  }
  const int max_tiers = static_cast<int>(in.OptInt("max_tiers", 1, 100).value_or(10));
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto r =
      CORRIDOR_TRY(risk::StressTransmission(edges, shocked, drop, pass_through, max_tiers));
  Json nodes = Json::array();
  for (const auto& s : r) {
    nodes.push_back({{"node", s.node}, {"tier", s.tier}, {"order_drop", s.order_drop}});
  }
  return Json{{"nodes", std::move(nodes)}};
}

Result<Json> RiskSharingModel(const Json& body) {
  Input in(body);
  const std::string scheme = in.Str("scheme", 40);
  const int64_t amount = in.Int("amount_fen", 0, INT64_MAX);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto shares = CORRIDOR_TRY(risk::RiskSharing(scheme, amount));
  Json out = Json::array();
  for (const auto& s : shares) out.push_back({{"party", s.party}, {"amount_fen", s.amount_fen}});
  return Json{{"scheme", scheme}, {"amount_fen", amount}, {"shares", std::move(out)}};
}

}  // namespace

void AddContagionModels(std::vector<CalcModel>& models) {
  models.push_back(
      {"debtrank", "DebtRank (original, linear, threshold) for a stress vector", DebtRankModel});
  models.push_back({"debtrank-all", "DebtRank of each node's default alone", DebtRankAllModel});
  models.push_back({"eisenberg-noe",
                    "Greatest clearing vector (fictitious default), Rogers-Veraart costs",
                    EisenbergNoeModel});
  models.push_back(
      {"stress-transmission", "Supply-chain order drops, tier by tier", StressTransmissionModel});
  models.push_back(
      {"risk-sharing", "Exact (largest remainder) shares of a pool or premium", RiskSharingModel});
}

}  // namespace corridor::calc
