// Risk pools: the compensation pool, the reserve pool, the R&D failure fund and R&D insurance,
// each an account funded and drawn by its scheme's shares to the fen, every movement logged.
#include <fmt/format.h>

#include "core/money.hpp"
#include "domain/schedule.hpp"
#include "risk/contagion/sharing.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/ecosystems/internal.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service {

using ecosystems_internal::RequireOversight;
using ecosystems_internal::SharesJson;
using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

constexpr const char* kSchemes[] = {"compensation_pool", "reserve_pool", "rnd_failure_fund",
                                    "rnd_insurance"};

}  // namespace

Result<Response> Ecosystems::CreatePool(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const std::string name = in.Str("name");
  const std::string scheme = in.Str("scheme", 40);
  const auto ecosystem = in.OptInt("ecosystem_id", 1, INT64_MAX);
  if (std::find(std::begin(kSchemes), std::end(kSchemes), scheme) == std::end(kSchemes)) {
    in.Problem("scheme",
               "must be compensation_pool, reserve_pool, rnd_failure_fund or "
               "rnd_insurance");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (ecosystem &&
      !CORRIDOR_TRY(QueryInt(c, "SELECT id FROM ecosystems WHERE id = ?", *ecosystem))) {
    return Fail(Error::Invalid("/ecosystem_id", "no such ecosystem"));
  }
  const int64_t now = clock_.NowMicros();
  Json record{
      {"name", name}, {"scheme", scheme}, {"ecosystem_id", ecosystem ? Json(*ecosystem) : Json()}};
  const auto entry = CORRIDOR_TRY(AppendLogEntry(c, "risk_pool.created", &caller, record, {}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO risk_pools (name, scheme, ecosystem_id, created_at, entry_index) VALUES (?, "
      "?, ?, ?, ?) RETURNING id",
      name, scheme, ecosystem, now, entry.index));
  record["id"] = id;
  record["balance_fen"] = 0;
  record["log_index"] = entry.index;
  return Response{std::move(record)};
}

namespace {

struct Pool {
  std::string scheme;
  int64_t balance_fen = 0;
};

Result<Pool> LoadPool(Connection& c, int64_t pool_id) {
  auto q = CORRIDOR_TRY(
      Query::Make(c, "SELECT scheme, balance_fen FROM risk_pools WHERE id = ?", pool_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("risk pool"));
  return Pool{q.Text(0), q.Int(1)};
}

// Appends the movement, its double entries and its log entry, and moves the balance.
Result<Json> Move(Connection& c, const Caller& caller, int64_t pool_id, std::string_view kind,
                  int64_t amount, std::optional<int64_t> loss, std::optional<int64_t> loan,
                  const std::vector<risk::Share>& shares, const std::string& note, int64_t now) {
  Json record{{"pool_id", pool_id},
              {"kind", kind},
              {"amount_fen", amount},
              {"shares", SharesJson(shares)},
              {"note", note}};
  if (loss) record["loss_fen"] = *loss;
  if (loan) record["loan_id"] = *loan;
  const auto entry = CORRIDOR_TRY(AppendLogEntry(
      c, kind == "funding" ? "risk_pool.funded" : "risk_pool.drawn", &caller, record, {}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO risk_pool_movements (pool_id, kind, amount_fen, loss_fen, loan_id, shares, "
      "note, recorded_by, created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      pool_id, kind, amount, loss, loan, record["shares"].dump(), note, caller.user_id, now,
      entry.index));
  const std::string account = fmt::format("risk_pool:{}", pool_id);
  if (kind == "funding") {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE risk_pools SET balance_fen = balance_fen + ?, funded_fen = "
                         "funded_fen + ? WHERE id = ?",
                         amount, amount, pool_id));
    for (const auto& s : shares) {
      if (s.amount_fen == 0) continue;
      CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan, "risk_pool_funding", account,
                                              fmt::format("contributions:{}", s.party),
                                              s.amount_fen, now));
    }
  } else {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE risk_pools SET balance_fen = balance_fen - ?, drawn_fen = "
                         "drawn_fen + ? WHERE id = ?",
                         amount, amount, pool_id));
    if (amount > 0) {
      CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan, "risk_pool_draw",
                                              fmt::format("compensation:{}", account), account,
                                              amount, now));
    }
  }
  record["id"] = id;
  record["log_index"] = entry.index;
  return record;
}

}  // namespace

Result<Response> Ecosystems::FundPool(Connection& c, const Caller& caller, int64_t pool_id,
                                      const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  const Pool pool = CORRIDOR_TRY(LoadPool(c, pool_id));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, domain::kMaxBalanceFen);
  const std::string note = in.OptStr("note", 500).value_or("");
  const auto party = in.OptStr("party", 60);
  const bool split = pool.scheme == "reserve_pool" || pool.scheme == "rnd_insurance";
  if (split && party) {
    in.Problem("party", "this pool is funded by its scheme's parties in fixed shares");
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  // The reserve pool is funded government : core firm : financial institutions = 1 : 2 : 3, the
  // R&D failure insurance's premium government : firm : financial institution = 50 : 30 : 20;
  // the other pools by one named funder (the government unless said).
  std::vector<risk::Share> shares;
  if (split) {
    shares = CORRIDOR_TRY(risk::RiskSharing(
        pool.scheme == "reserve_pool" ? "reserve_pool_funding" : "rnd_insurance_premium", amount));
  } else {
    shares = {{party.value_or("government"), amount}};
  }
  Json out = CORRIDOR_TRY(Move(c, caller, pool_id, "funding", amount, std::nullopt, std::nullopt,
                               shares, note, clock_.NowMicros()));
  out["balance_fen"] = pool.balance_fen + amount;
  return Response{std::move(out)};
}

Result<Response> Ecosystems::DrawPool(Connection& c, const Caller& caller, int64_t pool_id,
                                      const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  const Pool pool = CORRIDOR_TRY(LoadPool(c, pool_id));
  Input in(body);
  const int64_t loss = in.Int("loss_fen", 1, domain::kMaxBalanceFen);
  const auto loan = in.OptInt("loan_id", 1, INT64_MAX);
  const std::string note = in.OptStr("note", 500).value_or("");
  CORRIDOR_TRY_STATUS(in.Finish());
  if (loan && !CORRIDOR_TRY(QueryInt(c, "SELECT id FROM loans WHERE id = ?", *loan))) {
    return Fail(Error::Invalid("/loan_id", "no such loan"));
  }
  // The compensation pool pays the government's 3 of a loss split government : bank : core firm
  // = 3 : 4 : 3; the R&D failure fund pays 60% (the firm bears 40%); the reserve pool and the
  // failure insurance pay the loss.
  std::vector<risk::Share> shares;
  int64_t draw = loss;
  if (pool.scheme == "compensation_pool" || pool.scheme == "rnd_failure_fund") {
    shares = CORRIDOR_TRY(risk::RiskSharing(pool.scheme, loss));
    draw = shares.front().amount_fen;
  } else {
    shares = {{"pool", loss}};
  }
  if (draw > pool.balance_fen) {
    return Fail(Error::Invalid(
        "/loss_fen", fmt::format("the pool's share of this loss is {} fen and it holds {} fen",
                                 draw, pool.balance_fen)));
  }
  Json out = CORRIDOR_TRY(
      Move(c, caller, pool_id, "draw", draw, loss, loan, shares, note, clock_.NowMicros()));
  out["balance_fen"] = pool.balance_fen - draw;
  return Response{std::move(out)};
}

// --- reads ---

namespace {

constexpr std::string_view kPoolColumns =
    "SELECT id, name, scheme, ecosystem_id, balance_fen, funded_fen, drawn_fen FROM risk_pools";

Json PoolJson(const Query& q) {
  return Json{{"id", q.Int(0)},          {"name", q.Text(1)},
              {"scheme", q.Text(2)},     {"ecosystem_id", q.IsNull(3) ? Json() : Json(q.Int(3))},
              {"balance_fen", q.Int(4)}, {"funded_fen", q.Int(5)},
              {"drawn_fen", q.Int(6)}};
}

}  // namespace

Result<Json> Ecosystems::ListPools(const Caller& caller, const Page& page) {
  CORRIDOR_TRY_STATUS(RequireOversight(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto q = CORRIDOR_TRY(
        Query::Make(c, fmt::format("{} WHERE id > ? ORDER BY id LIMIT ?", kPoolColumns),
                    page.after_id.value_or(0), page.limit));
    return internal::CollectPage(q, page, PoolJson);
  });
}

Result<Json> Ecosystems::GetPool(const Caller& caller, int64_t pool_id) {
  CORRIDOR_TRY_STATUS(RequireOversight(caller));
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto p = CORRIDOR_TRY(Query::Make(c, fmt::format("{} WHERE id = ?", kPoolColumns), pool_id));
    if (!CORRIDOR_TRY(p.Next())) return Fail(Error::NotFound("risk pool"));
    Json out = PoolJson(p);
    auto q = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT id, kind, amount_fen, loss_fen, loan_id, shares, "
                                      "note, entry_index FROM risk_pool_movements WHERE pool_id "
                                      "= ? ORDER BY id",
                                      pool_id));
    Json movements = Json::array();
    while (CORRIDOR_TRY(q.Next())) {
      Json m{{"id", q.Int(0)},         {"kind", q.Text(1)},
             {"amount_fen", q.Int(2)}, {"shares", Json::parse(q.Text(5))},
             {"note", q.Text(6)},      {"log_index", q.Int(7)}};
      if (!q.IsNull(3)) m["loss_fen"] = q.Int(3);
      if (!q.IsNull(4)) m["loan_id"] = q.Int(4);
      movements.push_back(std::move(m));
    }
    out["movements"] = std::move(movements);
    return out;
  });
}

}  // namespace corridor::service
