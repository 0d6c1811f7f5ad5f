// Receivables confirmed by their buyer and factored; the FX table and cross-border settlements.
#include <fmt/format.h>

#include "domain/currency.hpp"
#include "domain/trade_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/registry/registry.hpp"
#include "service/supply/internal.hpp"
#include "service/supply/supply.hpp"
#include "store/db.hpp"

namespace corridor::service {

using internal::QueryInt;
using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;
using supply_internal::Appended;
using supply_internal::UsccOf;

namespace {

constexpr int64_t kMaxFen = int64_t{1'000'000'000'000'000};  // 10^13 yuan

struct Confirmation {
  domain::ReceivableConfirmation state;
  int64_t entry_index = 0;
  std::optional<int64_t> cancelled_entry_index;
};

Result<std::optional<Confirmation>> LoadConfirmation(Connection& c, int64_t asset_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT state, amount_fen, due_date, entry_index, "
                                    "cancelled_entry_index FROM supply_confirmations WHERE "
                                    "asset_id = ?",
                                    asset_id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Confirmation>();
  Confirmation out;
  out.state.state = q.Text(0) == "confirmed" ? domain::ConfirmationState::kConfirmed
                                             : domain::ConfirmationState::kCancelled;
  if (!q.IsNull(1)) out.state.amount_fen = q.Int(1);
  if (!q.IsNull(2)) {
    if (auto d = Date::Parse(q.Text(2))) out.state.due_date = *d;
  }
  out.entry_index = q.Int(3);
  out.cancelled_entry_index = q.OptInt(4);
  return std::optional<Confirmation>(out);
}

Json ConfirmationJson(int64_t asset_id, const std::optional<Confirmation>& c) {
  if (!c) return Json{{"asset_id", asset_id}, {"state", "unconfirmed"}};
  const bool confirmed = c->state.state == domain::ConfirmationState::kConfirmed;
  // A cancelled receivable keeps what had been confirmed, if anything.
  const bool had_amount = c->state.amount_fen > 0;
  return Json{{"asset_id", asset_id},
              {"state", confirmed ? "confirmed" : "cancelled"},
              {"amount_fen", had_amount ? Json(c->state.amount_fen) : Json(nullptr)},
              {"due_date", had_amount ? Json(c->state.due_date.ToString()) : Json(nullptr)},
              {"log_index", c->entry_index},
              {"cancelled_log_index",
               c->cancelled_entry_index ? Json(*c->cancelled_entry_index) : Json(nullptr)}};
}

// The enterprise with a USCC, when it is on the platform.
Result<std::optional<std::pair<int64_t, int64_t>>> EnterpriseOfUscc(Connection& c,
                                                                    std::string_view uscc) {
  auto q =
      CORRIDOR_TRY(Query::Make(c, "SELECT id, tenant_id FROM enterprises WHERE uscc = ?", uscc));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<std::pair<int64_t, int64_t>>();
  return std::optional<std::pair<int64_t, int64_t>>(std::make_pair(q.Int(0), q.Int(1)));
}

// The tenants a receivable's acts are logged to: its buyer and seller on the platform.
Result<std::vector<int64_t>> ReceivableParties(Connection& c, const RegisteredAsset& a) {
  std::vector<int64_t> out;
  for (const auto& uscc : {a.creditor_uscc, a.debtor_uscc}) {
    if (auto e = CORRIDOR_TRY(EnterpriseOfUscc(c, uscc))) out.push_back(e->second);
  }
  return out;
}

Result<RegisteredAsset> ReceivableFor(Connection& c, const Caller& caller, int64_t asset_id) {
  auto a = CORRIDOR_TRY(FindRegisteredAsset(c, asset_id));
  if (!a || a->type != "receivable") return Fail(Error::NotFound("receivable"));
  if (caller.role == Role::kEnterpriseUser) {
    const std::string own = CORRIDOR_TRY(UsccOf(c, caller.enterprise_id));
    if (own != a->debtor_uscc && own != a->creditor_uscc) {
      return Fail(Error::NotFound("receivable"));
    }
  } else if (!caller.in_bank() && !internal::IsOversight(caller)) {
    return Fail(Error::NotFound("receivable"));
  }
  return std::move(*a);
}

constexpr std::string_view kFactoringColumns =
    "f.id, f.asset_id, f.bank_tenant_id, f.seller_enterprise_id, f.receivable_fen, "
    "f.financed_fen, f.due_date, f.recourse, f.pledge_id, f.entry_index, f.created_at, "
    "c.status, a.debtor_uscc, a.document_number";

Json FactoringJson(const Query& q) {
  const std::string recourse = q.Text(7);
  const auto r = domain::ParseRecourse(recourse).value_or(domain::Recourse::kWithRecourse);
  return Json{{"id", q.Int(0)},
              {"receivable_id", q.Int(1)},
              {"bank_tenant_id", q.Int(2)},
              {"seller_enterprise_id", q.Int(3)},
              {"receivable_fen", q.Int(4)},
              {"financed_fen", q.Int(5)},
              {"due_date", q.Text(6)},
              {"recourse", recourse},
              {"loss_bearer", domain::LossBearer(r)},
              {"pledge_id", q.Int(8)},
              {"log_index", q.Int(9)},
              {"created_at_us", q.Int(10)},
              {"status", q.Text(11)},  // the pledge's: active, released or settled
              {"buyer_uscc", q.Text(12)},
              {"document_number", q.Text(13)}};
}

std::string CurrencyField(Input& in, std::string_view name) {
  std::string code = in.Str(name, 3);
  if (!code.empty() && !domain::MinorUnitDigits(code)) {
    in.Problem(name, "must be an ISO 4217 code this platform holds (CNY, USD, EUR, JPY, MNT, ...)");
  }
  return code;
}

Json FxRateJson(const Query& q) {
  return Json{{"id", q.Int(0)},        {"date", q.Text(1)},        {"from", q.Text(2)},
              {"to", q.Text(3)},       {"rate", q.Text(4)},        {"source", q.Text(5)},
              {"log_index", q.Int(6)}, {"created_at_us", q.Int(7)}};
}

constexpr std::string_view kSettlementColumns =
    "id, enterprise_id, direction, counterparty, counterparty_country, currency, amount_minor, "
    "settlement_date, reference, cny_fen, rate, rate_pair, rate_date, rate_source, inverted, "
    "entry_index, created_at";

Json SettlementJson(const Query& q) {
  auto text = [&](int i) { return q.IsNull(i) ? Json(nullptr) : Json(q.Text(i)); };
  return Json{{"id", q.Int(0)},
              {"enterprise_id", q.Int(1)},
              {"direction", q.Text(2)},
              {"counterparty", q.Text(3)},
              {"counterparty_country", q.Text(4)},
              {"currency", q.Text(5)},
              {"amount_minor", q.Int(6)},
              {"minor_unit_digits", domain::MinorUnitDigits(q.Text(5)).value_or(2)},
              {"date", q.Text(7)},
              {"reference", q.Text(8)},
              {"cny_fen", q.Int(9)},
              {"rate", Json{{"rate", text(10)},
                            {"pair", text(11)},
                            {"date", text(12)},
                            {"source", text(13)},
                            {"inverted", q.Int(14) != 0},
                            {"rounding", "half away from zero, to the fen"}}},
              {"log_index", q.Int(15)},
              {"created_at_us", q.Int(16)}};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Receivables and factoring

Result<Response> Supply::ConfirmReceivable(Connection& c, const Caller& caller, int64_t asset_id,
                                           const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxFen);
  const Date due = in.DateField("due_date");
  CORRIDOR_TRY_STATUS(in.Finish());
  const RegisteredAsset a = CORRIDOR_TRY(ReceivableFor(c, caller, asset_id));
  if (CORRIDOR_TRY(UsccOf(c, caller.enterprise_id)) != a.debtor_uscc) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the receivable's buyer confirms it", {}});
  }
  if (amount > a.amount_fen) {
    return Fail(Error::Invalid(
        "/amount_fen", fmt::format("exceeds the registered amount of {} fen", a.amount_fen)));
  }
  const auto current = CORRIDOR_TRY(LoadConfirmation(c, asset_id));
  if (current && current->state.state == domain::ConfirmationState::kConfirmed) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("the buyer has already confirmed this receivable (log index {})",
                                  current->entry_index),
                      {{"/amount_fen", "already confirmed"}}});
  }
  const auto next = CORRIDOR_TRY(domain::ConfirmReceivable(
      current ? current->state : domain::ReceivableConfirmation{}, amount, due));
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "receivable.confirm", &caller,
                                                      Json{{"asset_id", asset_id},
                                                           {"document_number", a.document_number},
                                                           {"amount_fen", next.amount_fen},
                                                           {"due_date", next.due_date.ToString()},
                                                           {"asset_log_index", a.entry_index}},
                                                      CORRIDOR_TRY(ReceivableParties(c, a)), now));
  CORRIDOR_TRY(Execute(c,
                       "INSERT INTO supply_confirmations (asset_id, state, amount_fen, due_date, "
                       "recorded_by, entry_index, created_at) VALUES (?, 'confirmed', ?, ?, ?, ?, "
                       "?)",
                       asset_id, next.amount_fen, next.due_date.ToString(), caller.user_id,
                       ref.index, now));
  Json out = ConfirmationJson(asset_id, CORRIDOR_TRY(LoadConfirmation(c, asset_id)));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::CancelReceivable(Connection& c, const Caller& caller, int64_t asset_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  const RegisteredAsset a = CORRIDOR_TRY(ReceivableFor(c, caller, asset_id));
  const auto current = CORRIDOR_TRY(LoadConfirmation(c, asset_id));
  if (current && current->state.state == domain::ConfirmationState::kCancelled) {
    return Fail(Error::Conflict("the receivable is already cancelled"));
  }
  if (auto factoring = CORRIDOR_TRY(QueryInt(c,
                                             "SELECT f.id FROM supply_factorings f JOIN "
                                             "registry_claims c ON c.id = f.pledge_id WHERE "
                                             "f.asset_id = ? AND c.status = 'active'",
                                             asset_id))) {
    return Fail(Error::Conflict(fmt::format(
        "the receivable is factored (factoring {}): the bank must be repaid first", *factoring)));
  }
  if (a.status != "registered") return Fail(Error::Conflict("the receivable is already settled"));
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "receivable.cancel", &caller,
                                                      Json{{"asset_id", asset_id},
                                                           {"document_number", a.document_number},
                                                           {"asset_log_index", a.entry_index}},
                                                      CORRIDOR_TRY(ReceivableParties(c, a)), now));
  if (current) {
    CORRIDOR_TRY(Execute(c,
                         "UPDATE supply_confirmations SET state = 'cancelled', "
                         "cancelled_entry_index = ? WHERE asset_id = ?",
                         ref.index, asset_id));
  } else {
    CORRIDOR_TRY(Execute(c,
                         "INSERT INTO supply_confirmations (asset_id, state, recorded_by, "
                         "entry_index, created_at, cancelled_entry_index) VALUES (?, "
                         "'cancelled', ?, ?, ?, ?)",
                         asset_id, caller.user_id, ref.index, now, ref.index));
  }
  Json out = ConfirmationJson(asset_id, CORRIDOR_TRY(LoadConfirmation(c, asset_id)));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Supply::Factor(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t asset_id = in.Int("receivable_id", 1, INT64_MAX);
  const int64_t receivable_fen = in.Int("receivable_fen", 1, kMaxFen);
  const Date due = in.DateField("due_date");
  const int64_t financed = in.Int("financed_fen", 1, kMaxFen);
  const std::string recourse_text = in.Str("recourse", 20);
  const auto recourse = domain::ParseRecourse(recourse_text);
  if (!recourse_text.empty() && !recourse) {
    in.Problem("recourse", "must be with_recourse or without_recourse");
  }
  if (financed > receivable_fen) in.Problem("financed_fen", "exceeds receivable_fen");
  CORRIDOR_TRY_STATUS(in.Finish());
  const RegisteredAsset a = CORRIDOR_TRY(ReceivableFor(c, caller, asset_id));
  const auto confirmation = CORRIDOR_TRY(LoadConfirmation(c, asset_id));
  // The buyer's confirmation gates the disbursement: exactly its amount and date.
  auto gate = domain::CheckConfirmedDisbursement(
      confirmation ? confirmation->state : domain::ReceivableConfirmation{}, receivable_fen, due);
  if (!gate) {
    Error e = gate.error();
    for (auto& f : e.fields) {
      if (f.field == "/amount_fen") f.field = "/receivable_fen";
    }
    if (e.code == ErrorCode::kConflict && e.fields.empty()) {
      e.fields.push_back({"/receivable_id", "buyer_confirmation"});
      e.message = "rule buyer_confirmation: " + e.message;
    }
    return Fail(std::move(e));
  }
  auto seller = CORRIDOR_TRY(EnterpriseOfUscc(c, a.creditor_uscc));
  if (!seller) return Fail(Error::Invalid("/receivable_id", "the seller is not on the platform"));
  const int64_t now = clock_.NowMicros();
  const PledgeRef pledge =
      CORRIDOR_TRY(PledgeRegisteredAsset(c, caller, asset_id, caller.tenant_id, financed, "factor",
                                         Json{{"recourse", recourse_text},
                                              {"receivable_fen", receivable_fen},
                                              {"due_date", due.ToString()}},
                                         now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO supply_factorings (asset_id, bank_tenant_id, seller_enterprise_id, "
      "receivable_fen, financed_fen, due_date, recourse, pledge_id, entry_index, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      asset_id, caller.tenant_id, seller->first, receivable_fen, financed, due.ToString(),
      recourse_text, pledge.pledge_id, pledge.entry.index, now));
  CORRIDOR_TRY_STATUS(internal::AddLedger(
      c, std::nullopt, "factoring_advance", fmt::format("factoring:bank:{}", caller.tenant_id),
      fmt::format("deposits:enterprise:{}", seller->first), financed, now));
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      fmt::format("SELECT {} FROM supply_factorings f JOIN registry_claims c ON c.id = "
                  "f.pledge_id JOIN registry_assets a ON a.id = f.asset_id WHERE f.id = ?",
                  kFactoringColumns),
      id));
  CORRIDOR_TRY(q.Next());
  Json out = FactoringJson(q);
  out["log_entry"] = Appended(pledge.entry);
  return Response{std::move(out)};
}

Result<Json> Supply::GetConfirmation(const Caller& caller, int64_t asset_id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    CORRIDOR_TRY(ReceivableFor(c, caller, asset_id));
    return ConfirmationJson(asset_id, CORRIDOR_TRY(LoadConfirmation(c, asset_id)));
  });
}

Result<Json> Supply::ListFactorings(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "f.id");
    std::string uscc;
    if (caller.role == Role::kEnterpriseUser) uscc = CORRIDOR_TRY(UsccOf(c, caller.enterprise_id));
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM supply_factorings f JOIN registry_claims c ON c.id = "
                    "f.pledge_id JOIN registry_assets a ON a.id = f.asset_id WHERE {} AND (? OR "
                    "f.bank_tenant_id = ? OR a.creditor_uscc = ? OR a.debtor_uscc = ?) ORDER BY "
                    "{} LIMIT ?",
                    kFactoringColumns, k.where, k.order),
        k.bound, internal::IsOversight(caller), caller.in_bank() ? caller.tenant_id : 0, uscc, uscc,
        page.limit));
    return internal::CollectPage(q, page, FactoringJson);
  });
}

// ---------------------------------------------------------------------------------------------
// FX and cross-border settlements

Result<Response> Supply::RecordFxRate(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBureauAdmin}));
  Input in(body);
  const Date date = in.DateField("date");
  const std::string from = CurrencyField(in, "from");
  const std::string to = CurrencyField(in, "to");
  const std::string rate_text = in.Str("rate", 40);
  const std::string source = in.Str("source", 100);
  if (!from.empty() && from == to) in.Problem("to", "is the same currency as from");
  std::optional<domain::DecimalRate> rate;
  if (!rate_text.empty()) {
    auto parsed = domain::ParseDecimalRate(rate_text, "rate");
    if (parsed) {
      rate = *parsed;
    } else {
      in.Problem("rate", parsed.error().fields.empty() ? parsed.error().message
                                                       : parsed.error().fields[0].message);
    }
  }
  CORRIDOR_TRY_STATUS(in.Finish());
  if (auto existing = CORRIDOR_TRY(QueryInt(c,
                                            "SELECT entry_index FROM fx_rates WHERE "
                                            "from_currency = ? AND to_currency = ? AND rate_date "
                                            "= ?",
                                            from, to, date.ToString()))) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("the {}/{} rate of {} is already recorded (log index {})", from,
                                  to, date.ToString(), *existing),
                      {{"/date", "already recorded"}}});
  }
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, "fx_rate.record", &caller,
                                                      Json{{"date", date.ToString()},
                                                           {"from", from},
                                                           {"to", to},
                                                           {"rate", rate->ToString()},
                                                           {"source", source}},
                                                      {}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate, source, recorded_by, "
      "created_at, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      date.ToString(), from, to, rate->ToString(), source, caller.user_id, now, ref.index));
  return Response{Json{{"id", id},
                       {"date", date.ToString()},
                       {"from", from},
                       {"to", to},
                       {"rate", rate->ToString()},
                       {"source", source},
                       {"log_index", ref.index},
                       {"created_at_us", now},
                       {"log_entry", Appended(ref)}}};
}

Result<Response> Supply::RecordSettlement(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const std::string direction = in.Str("direction", 10);
  if (!direction.empty() && direction != "receipt" && direction != "payment") {
    in.Problem("direction", "must be receipt or payment");
  }
  const std::string counterparty = in.Str("counterparty", 200);
  const std::string country = in.Str("counterparty_country", 2);
  if (!country.empty() &&
      (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
       !std::isupper(static_cast<unsigned char>(country[1])))) {
    in.Problem("counterparty_country", "must be an ISO 3166-1 alpha-2 code (MN, RU, KZ, ...)");
  }
  const std::string currency = CurrencyField(in, "currency");
  const int64_t amount = in.Int("amount_minor", 1, int64_t{10'000'000'000'000'000});
  const Date date = in.DateField("date");
  const std::string reference = in.Str("reference", 64);
  CORRIDOR_TRY_STATUS(in.Finish());
  if (auto existing = CORRIDOR_TRY(QueryInt(c,
                                            "SELECT id FROM cross_border_settlements WHERE "
                                            "enterprise_id = ? AND reference = ?",
                                            caller.enterprise_id, reference))) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("settlement {} already has this reference", *existing),
                      {{"/reference", "already recorded"}}});
  }
  std::vector<domain::FxRate> rates;
  {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        "SELECT rate_date, from_currency, to_currency, rate, source FROM fx_rates WHERE "
        "rate_date <= ? AND ((from_currency = ? AND to_currency = 'CNY') OR (from_currency = "
        "'CNY' AND to_currency = ?))",
        date.ToString(), currency, currency));
    while (CORRIDOR_TRY(q.Next())) {
      auto d = Date::Parse(q.Text(0));
      auto r = domain::ParseDecimalRate(q.Text(3), "rate");
      if (!d || !r) return Fail(Error::Internal("a stored FX rate does not parse"));
      rates.push_back(domain::FxRate{
          .date = *d, .from = q.Text(1), .to = q.Text(2), .rate = *r, .source = q.Text(4)});
    }
  }
  auto conversion = domain::Convert(amount, currency, "CNY", date, rates);
  if (!conversion) {
    Error e = conversion.error();
    for (auto& f : e.fields) {
      if (f.field == "/rates") {
        f.field = "/date";
        f.message = fmt::format("the FX table has no {}/CNY rate on or before {}", currency,
                                date.ToString());
      }
    }
    return Fail(std::move(e));
  }
  const domain::FxRate* used = conversion->used;
  const std::optional<std::string> rate =
      used ? std::optional<std::string>(used->rate.ToString()) : std::nullopt;
  const std::optional<std::string> pair =
      used ? std::optional<std::string>(used->from + "/" + used->to) : std::nullopt;
  const std::optional<std::string> rate_date =
      used ? std::optional<std::string>(used->date.ToString()) : std::nullopt;
  const std::optional<std::string> rate_source =
      used ? std::optional<std::string>(used->source) : std::nullopt;
  const int64_t now = clock_.NowMicros();
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, "cross_border.settle", &caller,
                                  Json{{"enterprise_id", caller.enterprise_id},
                                       {"direction", direction},
                                       {"counterparty", counterparty},
                                       {"counterparty_country", country},
                                       {"currency", currency},
                                       {"amount_minor", amount},
                                       {"date", date.ToString()},
                                       {"reference", reference},
                                       {"cny_fen", conversion->amount_minor},
                                       {"rate", rate ? Json(*rate) : Json(nullptr)},
                                       {"rate_pair", pair ? Json(*pair) : Json(nullptr)}},
                                  {caller.tenant_id}, now));
  const int64_t id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO cross_border_settlements (enterprise_id, direction, counterparty, "
      "counterparty_country, currency, amount_minor, settlement_date, reference, cny_fen, rate, "
      "rate_pair, rate_date, rate_source, inverted, recorded_by, created_at, entry_index) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      caller.enterprise_id, direction, counterparty, country, currency, amount, date.ToString(),
      reference, conversion->amount_minor, rate, pair, rate_date, rate_source,
      conversion->inverted ? 1 : 0, caller.user_id, now, ref.index));
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM cross_border_settlements WHERE id = ?", kSettlementColumns),
      id));
  CORRIDOR_TRY(q.Next());
  Json out = SettlementJson(q);
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Json> Supply::ListFxRates(const Caller& caller, const Page& page) {
  (void)caller;  // the table is published to every user
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT id, rate_date, from_currency, to_currency, rate, source, entry_index, "
                    "created_at FROM fx_rates WHERE {} ORDER BY {} LIMIT ?",
                    k.where, k.order),
        k.bound, page.limit));
    return internal::CollectPage(q, page, FxRateJson);
  });
}

Result<Json> Supply::ListSettlements(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const bool all = internal::IsOversight(caller);
    const int64_t own = caller.role == Role::kEnterpriseUser ? caller.enterprise_id : 0;
    const auto k = internal::KeysetOf(page, "id");
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM cross_border_settlements WHERE {} AND (? OR enterprise_id = "
                    "?) ORDER BY {} LIMIT ?",
                    kSettlementColumns, k.where, k.order),
        k.bound, all, own, page.limit));
    Json out = CORRIDOR_TRY(internal::CollectPage(q, page, SettlementJson));
    auto t = CORRIDOR_TRY(Query::Make(c,
                                      "SELECT direction, count(*), sum(cny_fen) FROM "
                                      "cross_border_settlements WHERE ? OR enterprise_id = ? "
                                      "GROUP BY direction ORDER BY direction",
                                      all, own));
    Json totals{{"receipt", Json{{"count", 0}, {"cny_fen", 0}}},
                {"payment", Json{{"count", 0}, {"cny_fen", 0}}}};
    while (CORRIDOR_TRY(t.Next())) {
      totals[t.Text(0)] = Json{{"count", t.Int(1)}, {"cny_fen", t.Int(2)}};
    }
    out["totals_cny"] = std::move(totals);
    return out;
  });
}

}  // namespace corridor::service
