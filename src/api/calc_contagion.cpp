// The contagion calc models: debtrank, debtrank-all, eisenberg-noe, stress-transmission and
// risk-sharing. Conventions: risk/contagion/contagion.hpp.
#include <fmt/format.h>

#include <thread>

#include "api/calc.hpp"
#include "api/calc_input.hpp"
#include "risk/contagion/contagion.hpp"
#include "service/input.hpp"

namespace corridor::api {
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

Result<risk::DebtRank> Network(Input& in, const Json& body) {
  const auto assets = Square(in, body, "assets");
  const auto capital = Vec(in, body, "capital", true);
  const auto weights = Vec(in, body, "weights", false);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto sparse = CORRIDOR_TRY(risk::SparseFromDense(assets, "assets"));
  return risk::DebtRank::Make(sparse, capital, weights);
}

Result<Json> DebtRankModel(const Json& body) {
  Input in(body);
  const auto h0 = Vec(in, body, "initial_stress", true);
  const auto variant = Variant(in);
  const auto net = CORRIDOR_TRY(Network(in, body));
  if (!variant) return Fail(variant.error());
  return ResultJson(CORRIDOR_TRY(net.Run(h0, *variant)));
}

Result<Json> DebtRankAllModel(const Json& body) {
  Input in(body);
  const auto variant = Variant(in);
  const auto net = CORRIDOR_TRY(Network(in, body));
  if (!variant) return Fail(variant.error());
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto all = net.AllSingleDefaults(*variant, threads);
  Json rows = Json::array();
  for (size_t i = 0; i < all.size(); ++i) {
    Json row = ResultJson(all[i]);
    row["node"] = i;
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

}  // namespace corridor::api
