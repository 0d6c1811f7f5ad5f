#include "service/registry/registry.hpp"

#include <fmt/format.h>

#include <array>

#include "domain/uscc.hpp"
#include "service/kernel/kernel.hpp"

namespace corridor::service {

using store::Connection;
using store::Execute;
using store::InsertReturningId;
using store::Query;

namespace {

constexpr std::array<std::string_view, 5> kTypes = {"order", "invoice", "logistics", "receivable",
                                                    "equipment"};
constexpr int64_t kMaxAmountFen = int64_t{1'000'000'000'000'000};  // 10^13 yuan

bool CanReadAll(const Caller& caller) { return internal::IsOversight(caller) || caller.in_bank(); }

struct Asset {
  int64_t id = 0;
  std::string type, identity, debtor_uscc, creditor_uscc, document_type, document_number,
      description, status;
  int64_t registrant_tenant_id = 0, holder_tenant_id = 0, amount_fen = 0, entry_index = 0,
          created_at = 0;
  std::optional<std::string> due_date;
  std::optional<int64_t> order_id;
};

constexpr std::string_view kAssetColumns =
    "id, type, identity, debtor_uscc, creditor_uscc, document_type, document_number, "
    "description, status, registrant_tenant_id, holder_tenant_id, amount_fen, entry_index, "
    "created_at, due_date, order_id";

Asset AssetFrom(const Query& q) {
  Asset a;
  a.id = q.Int(0);
  a.type = q.Text(1);
  a.identity = q.Text(2);
  a.debtor_uscc = q.Text(3);
  a.creditor_uscc = q.Text(4);
  a.document_type = q.Text(5);
  a.document_number = q.Text(6);
  a.description = q.Text(7);
  a.status = q.Text(8);
  a.registrant_tenant_id = q.Int(9);
  a.holder_tenant_id = q.Int(10);
  a.amount_fen = q.Int(11);
  a.entry_index = q.Int(12);
  a.created_at = q.Int(13);
  if (!q.IsNull(14)) a.due_date = q.Text(14);
  a.order_id = q.OptInt(15);
  return a;
}

Result<std::optional<Asset>> LoadAsset(Connection& c, int64_t id) {
  auto q = CORRIDOR_TRY(Query::Make(
      c, fmt::format("SELECT {} FROM registry_assets WHERE id = ?", kAssetColumns), id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<Asset>();
  return std::optional<Asset>(AssetFrom(q));
}

// The tenant of the enterprise with this USCC, if it is on the platform.
Result<std::optional<int64_t>> TenantOfUscc(Connection& c, std::string_view uscc) {
  if (uscc.empty()) return std::optional<int64_t>();
  return internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE uscc = ?", uscc);
}

Result<std::string> AccountOfUscc(Connection& c, std::string_view uscc) {
  auto id = CORRIDOR_TRY(internal::QueryInt(c, "SELECT id FROM enterprises WHERE uscc = ?", uscc));
  if (id) return fmt::format("deposits:enterprise:{}", *id);
  return fmt::format("external:{}", uscc);
}

Result<std::string> CallerUscc(Connection& c, const Caller& caller) {
  auto q = CORRIDOR_TRY(
      Query::Make(c, "SELECT uscc FROM enterprises WHERE id = ?", caller.enterprise_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("caller's enterprise is missing"));
  return q.Text(0);
}

Result<bool> IsParty(Connection& c, const Caller& caller, const Asset& a) {
  if (CanReadAll(caller)) return true;
  if (caller.tenant_id == a.holder_tenant_id || caller.tenant_id == a.registrant_tenant_id) {
    return true;
  }
  if (caller.role != Role::kEnterpriseUser) return false;
  const std::string uscc = CORRIDOR_TRY(CallerUscc(c, caller));
  return uscc == a.debtor_uscc || uscc == a.creditor_uscc;
}

Result<std::vector<int64_t>> Parties(Connection& c, const Asset& a) {
  std::vector<int64_t> out = {a.registrant_tenant_id};
  if (a.holder_tenant_id != a.registrant_tenant_id) out.push_back(a.holder_tenant_id);
  for (const auto& uscc : {a.debtor_uscc, a.creditor_uscc}) {
    if (auto t = CORRIDOR_TRY(TenantOfUscc(c, uscc))) {
      if (std::find(out.begin(), out.end(), *t) == out.end()) out.push_back(*t);
    }
  }
  return out;
}

Json AssetIdentityJson(const Asset& a) {
  return Json{{"asset_id", a.id},
              {"type", a.type},
              {"document_type", a.document_type},
              {"document_number", a.document_number},
              {"debtor_uscc", a.debtor_uscc},
              {"creditor_uscc", a.creditor_uscc},
              {"amount_fen", a.amount_fen},
              {"due_date", a.due_date ? Json(*a.due_date) : Json(nullptr)}};
}

Result<Json> AssetJson(Connection& c, const Asset& a) {
  Json claims = Json::array();
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, kind, holder_tenant_id, amount_fen, status, "
                                    "entry_index, closed_entry_index, created_at FROM "
                                    "registry_claims WHERE asset_id = ? ORDER BY entry_index",
                                    a.id));
  int64_t priority = 0;
  while (CORRIDOR_TRY(q.Next())) {
    claims.push_back(Json{{"id", q.Int(0)},
                          {"kind", q.Text(1)},
                          {"priority", ++priority},
                          {"holder_tenant_id", q.Int(2)},
                          {"amount_fen", q.Int(3)},
                          {"status", q.Text(4)},
                          {"log_index", q.Int(5)},
                          {"closed_log_index", q.IsNull(6) ? Json(nullptr) : Json(q.Int(6))},
                          {"created_at_us", q.Int(7)}});
  }
  Json j = AssetIdentityJson(a);
  j["id"] = a.id;
  j.erase("asset_id");
  j["description"] = a.description;
  j["status"] = a.status;
  j["registrant_tenant_id"] = a.registrant_tenant_id;
  j["holder_tenant_id"] = a.holder_tenant_id;
  j["order_id"] = a.order_id ? Json(*a.order_id) : Json(nullptr);
  j["log_index"] = a.entry_index;
  j["created_at_us"] = a.created_at;
  j["claims"] = std::move(claims);
  return j;
}

Json Appended(const LogEntryRef& ref) {
  return Json{{"log_index", ref.index}, {"leaf_hash_hex", registry::ToHex(ref.leaf_hash)}};
}

Result<std::optional<std::pair<int64_t, int64_t>>> ActivePledge(Connection& c, int64_t asset_id) {
  auto q = CORRIDOR_TRY(Query::Make(c,
                                    "SELECT id, entry_index FROM registry_claims WHERE asset_id = "
                                    "? AND kind = 'pledge' AND status = 'active'",
                                    asset_id));
  if (!CORRIDOR_TRY(q.Next())) return std::optional<std::pair<int64_t, int64_t>>();
  return std::optional<std::pair<int64_t, int64_t>>(std::make_pair(q.Int(0), q.Int(1)));
}

// A new active claim (pledge or transfer), ranked by its log index.
Result<int64_t> InsertClaim(Connection& c, int64_t asset_id, std::string_view kind, int64_t holder,
                            int64_t amount_fen, int64_t entry_index, int64_t now) {
  return InsertReturningId(c,
                           "INSERT INTO registry_claims (asset_id, kind, holder_tenant_id, "
                           "amount_fen, status, entry_index, created_at) VALUES (?, ?, ?, ?, "
                           "'active', ?, ?) RETURNING id",
                           asset_id, kind, holder, amount_fen, entry_index, now);
}

}  // namespace

Result<std::optional<RegisteredAsset>> FindRegisteredAsset(Connection& c, int64_t id) {
  auto a = CORRIDOR_TRY(LoadAsset(c, id));
  if (!a) return std::optional<RegisteredAsset>();
  RegisteredAsset out{.id = a->id,
                      .type = a->type,
                      .debtor_uscc = a->debtor_uscc,
                      .creditor_uscc = a->creditor_uscc,
                      .document_number = a->document_number,
                      .status = a->status,
                      .amount_fen = a->amount_fen,
                      .holder_tenant_id = a->holder_tenant_id,
                      .entry_index = a->entry_index,
                      .due_date = std::nullopt};
  if (a->due_date) {
    if (auto due = Date::Parse(*a->due_date)) out.due_date = *due;
  }
  return std::optional<RegisteredAsset>(std::move(out));
}

Result<PledgeRef> PledgeRegisteredAsset(Connection& c, const Caller& actor, int64_t asset_id,
                                        int64_t pledgee_tenant_id, int64_t amount_fen,
                                        std::string_view action, const Json& detail,
                                        int64_t now_micros) {
  auto asset = CORRIDOR_TRY(LoadAsset(c, asset_id));
  if (!asset) return Fail(Error::NotFound("asset"));
  if (asset->type == "logistics") {
    return Fail(Error::Conflict("a logistics document is evidence, not collateral"));
  }
  if (asset->status == "settled") return Fail(Error::Conflict("the asset is already settled"));
  if (asset->amount_fen > 0 && amount_fen > asset->amount_fen) {
    return Fail(Error::Invalid(
        "/amount_fen", fmt::format("exceeds the asset's amount of {} fen", asset->amount_fen)));
  }
  if (auto active = CORRIDOR_TRY(ActivePledge(c, asset_id))) {
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("this {} is already pledged: the pledge registered at log index "
                                  "{} has priority (registration order, Civil Code art. 768)",
                                  asset->type, active->second),
                      {{"/asset_id", fmt::format("pledged at log index {}", active->second)}}});
  }
  auto parties = CORRIDOR_TRY(Parties(c, *asset));
  parties.push_back(pledgee_tenant_id);
  Json entry = AssetIdentityJson(*asset);
  entry["pledgee_tenant_id"] = pledgee_tenant_id;
  entry["financed_fen"] = amount_fen;
  entry["asset_log_index"] = asset->entry_index;
  for (const auto& [key, value] : detail.items()) entry[key] = value;
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, asset->type + "." + std::string(action),
                                                      &actor, entry, parties, now_micros));
  const int64_t claim_id = CORRIDOR_TRY(
      InsertClaim(c, asset_id, "pledge", pledgee_tenant_id, amount_fen, ref.index, now_micros));
  return PledgeRef{.pledge_id = claim_id, .entry = ref};
}

Result<LogEntryRef> ReleaseRegisteredPledge(Connection& c, const Caller& actor, int64_t pledge_id,
                                            std::string_view action, const Json& detail,
                                            int64_t now_micros) {
  auto q = CORRIDOR_TRY(Query::Make(
      c,
      "SELECT asset_id, holder_tenant_id, status FROM registry_claims WHERE id = ? AND kind = "
      "'pledge'",
      pledge_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::NotFound("pledge"));
  const int64_t asset_id = q.Int(0);
  const int64_t pledgee = q.Int(1);
  if (q.Text(2) != "active") return Fail(Error::Conflict("the pledge is " + q.Text(2)));
  auto asset = CORRIDOR_TRY(LoadAsset(c, asset_id));
  auto parties = CORRIDOR_TRY(Parties(c, *asset));
  parties.push_back(pledgee);
  Json entry = AssetIdentityJson(*asset);
  entry["pledge_id"] = pledge_id;
  entry["pledgee_tenant_id"] = pledgee;
  for (const auto& [key, value] : detail.items()) entry[key] = value;
  const LogEntryRef ref = CORRIDOR_TRY(AppendLogEntry(c, asset->type + "." + std::string(action),
                                                      &actor, entry, parties, now_micros));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE registry_claims SET status = 'released', closed_entry_index = ? "
                       "WHERE id = ?",
                       ref.index, pledge_id));
  return ref;
}

std::string NormalizeDocumentNumber(std::string_view number) {
  std::string out;
  for (size_t i = 0; i < number.size(); ++i) {
    auto c = static_cast<unsigned char>(number[i]);
    // U+FF01..U+FF5E (full-width ASCII) is EF BC 81..EF BD 9E; U+3000 is E3 80 80.
    if (c == 0xEF && i + 2 < number.size()) {
      const auto b1 = static_cast<unsigned char>(number[i + 1]);
      const auto b2 = static_cast<unsigned char>(number[i + 2]);
      const int code = ((c & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        c = static_cast<unsigned char>(code - 0xFF01 + 0x21);
        i += 2;
      }
    } else if (c == 0xE3 && i + 2 < number.size() &&
               static_cast<unsigned char>(number[i + 1]) == 0x80 &&
               static_cast<unsigned char>(number[i + 2]) == 0x80) {
      i += 2;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '/' || c == '.') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 'a' + 'A');
    out.push_back(static_cast<char>(c));
  }
  return out;
}

Result<Response> Registry::RegisterAsset(Connection& c, const Caller& caller, const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const std::string type = in.Str("type", 20);
  const bool known_type = std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
  if (!type.empty() && !known_type) {
    in.Problem("type", "must be one of order, invoice, logistics, receivable, equipment");
  }
  const bool money_document = type == "order" || type == "invoice" || type == "receivable";
  const std::string number = in.Str("document_number", 64);
  const std::string document_type = in.OptStr("document_type", 32).value_or(type);
  const std::string debtor =
      money_document ? in.Str("debtor_uscc", 18) : in.OptStr("debtor_uscc", 18).value_or("");
  const std::string creditor = in.Str("creditor_uscc", 18);
  const int64_t amount = money_document ? in.Int("amount_fen", 1, kMaxAmountFen)
                                        : in.OptInt("amount_fen", 0, kMaxAmountFen).value_or(0);
  std::optional<Date> due;
  if (type == "receivable" || in.Has("due_date")) due = in.DateField("due_date");
  const auto order_id = in.OptInt("order_id", 1, INT64_MAX);
  const std::string description = in.OptStr("description", 200).value_or("");
  for (const auto& [field, code] :
       {std::pair{"debtor_uscc", debtor}, {"creditor_uscc", creditor}}) {
    if (code.empty()) continue;
    const auto verdict = domain::ValidateUscc(code);
    if (!verdict.valid) in.Problem(field, verdict.reason);
  }
  const std::string normalized = NormalizeDocumentNumber(number);
  if (!number.empty() && normalized.empty()) {
    in.Problem("document_number", "has no letters or digits");
  }
  CORRIDOR_TRY_STATUS(in.Finish());

  const std::string own = CORRIDOR_TRY(CallerUscc(c, caller));
  if (own != creditor && !(type == "order" && own == debtor)) {
    return Fail(Error{ErrorCode::kPermissionDenied,
                      "an enterprise registers its own documents: creditor_uscc must be the "
                      "caller's (or debtor_uscc, for an order)",
                      {{"/creditor_uscc", "is not the caller's enterprise"}}});
  }
  if (order_id) {
    auto order = CORRIDOR_TRY(LoadAsset(c, *order_id));
    if (!order || order->type != "order" || order->creditor_uscc != creditor ||
        order->debtor_uscc != debtor) {
      return Fail(Error::Invalid("/order_id",
                                 "must be an order registered between the same debtor and "
                                 "creditor"));
    }
  }
  const std::string document_key = fmt::format(
      "{}|{}|{}|{}|{}", type, NormalizeDocumentNumber(document_type), debtor, creditor, normalized);
  const std::string identity =
      fmt::format("{}|{}|{}", document_key, amount, due ? due->ToString() : std::string());
  {
    auto q = CORRIDOR_TRY(
        Query::Make(c,
                    "SELECT id, entry_index, identity FROM registry_assets WHERE identity = ? OR "
                    "document_key = ?",
                    identity, document_key));
    if (CORRIDOR_TRY(q.Next())) {
      const bool same = q.Text(2) == identity;
      return Fail(Error{
          ErrorCode::kConflict,
          fmt::format("this {} is already registered{}: first registration at log index {} "
                      "(asset {})",
                      type, same ? "" : " with another amount or due date", q.Int(1), q.Int(0)),
          {{"/document_number", fmt::format("registered at log index {}", q.Int(1))}}});
    }
  }
  const int64_t now = clock_.NowMicros();
  Asset a;
  a.type = type;
  a.identity = identity;
  a.debtor_uscc = debtor;
  a.creditor_uscc = creditor;
  a.document_type = document_type;
  a.document_number = normalized;
  a.description = description;
  a.status = "registered";
  a.registrant_tenant_id = caller.tenant_id;
  a.holder_tenant_id = caller.tenant_id;
  a.amount_fen = amount;
  a.created_at = now;
  if (due) a.due_date = due->ToString();
  a.order_id = order_id;
  const auto parties = CORRIDOR_TRY(Parties(c, a));
  // The asset id is not known before the insert; the entry names the document itself.
  Json entry_body = AssetIdentityJson(a);
  entry_body.erase("asset_id");
  entry_body["order_id"] = order_id ? Json(*order_id) : Json(nullptr);
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, type + ".register", &caller, entry_body, parties, now));
  a.entry_index = ref.index;
  a.id = CORRIDOR_TRY(InsertReturningId(
      c,
      "INSERT INTO registry_assets (type, identity, document_key, registrant_tenant_id, "
      "holder_tenant_id, debtor_uscc, creditor_uscc, document_type, document_number, amount_fen, "
      "due_date, order_id, description, status, entry_index, created_at) VALUES (?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?) RETURNING id",
      type, identity, document_key, caller.tenant_id, caller.tenant_id, debtor, creditor,
      document_type, normalized, amount, a.due_date, order_id, description, ref.index, now));
  Json out = CORRIDOR_TRY(AssetJson(c, a));
  out["log_entry"] = Appended(ref);
  return Response{std::move(out)};
}

Result<Response> Registry::Pledge(Connection& c, const Caller& caller, int64_t asset_id,
                                  const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  Input in(body);
  const int64_t amount = in.Int("amount_fen", 1, kMaxAmountFen);
  CORRIDOR_TRY_STATUS(in.Finish());
  const PledgeRef ref = CORRIDOR_TRY(PledgeRegisteredAsset(
      c, caller, asset_id, caller.tenant_id, amount, "pledge", Json::object(), clock_.NowMicros()));
  auto asset = CORRIDOR_TRY(LoadAsset(c, asset_id));
  return Response{Json{{"pledge_id", ref.pledge_id},
                       {"asset", CORRIDOR_TRY(AssetJson(c, *asset))},
                       {"log_entry", Appended(ref.entry)}}};
}

Result<Response> Registry::Transfer(Connection& c, const Caller& caller, int64_t asset_id,
                                    const Json& body) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  Input in(body);
  const int64_t to = in.Int("to_tenant_id", 1, INT64_MAX);
  CORRIDOR_TRY_STATUS(in.Finish());
  auto asset = CORRIDOR_TRY(LoadAsset(c, asset_id));
  if (!asset || !CORRIDOR_TRY(IsParty(c, caller, *asset))) return Fail(Error::NotFound("asset"));
  if (asset->holder_tenant_id != caller.tenant_id) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the asset's holder may transfer it", {}});
  }
  if (asset->status == "settled") return Fail(Error::Conflict("the asset is already settled"));
  if (!CORRIDOR_TRY(internal::QueryInt(c, "SELECT id FROM tenants WHERE id = ?", to))) {
    return Fail(Error::Invalid("/to_tenant_id", "no such tenant"));
  }
  if (to == caller.tenant_id) return Fail(Error::Invalid("/to_tenant_id", "is the holder itself"));
  if (auto active = CORRIDOR_TRY(ActivePledge(c, asset_id))) {
    return Fail(Error::Conflict(fmt::format(
        "the asset is pledged (log index {}); the pledge must be released first", active->second)));
  }
  const int64_t now = clock_.NowMicros();
  auto parties = CORRIDOR_TRY(Parties(c, *asset));
  parties.push_back(to);
  Json entry = AssetIdentityJson(*asset);
  entry["from_tenant_id"] = caller.tenant_id;
  entry["to_tenant_id"] = to;
  entry["asset_log_index"] = asset->entry_index;
  const LogEntryRef ref =
      CORRIDOR_TRY(AppendLogEntry(c, asset->type + ".transfer", &caller, entry, parties, now));
  CORRIDOR_TRY(Execute(c,
                       "UPDATE registry_claims SET status = 'released', closed_entry_index = ? "
                       "WHERE asset_id = ? AND kind = 'transfer' AND status = 'active'",
                       ref.index, asset_id));
  const int64_t claim_id =
      CORRIDOR_TRY(InsertClaim(c, asset_id, "transfer", to, asset->amount_fen, ref.index, now));
  CORRIDOR_TRY(
      Execute(c, "UPDATE registry_assets SET holder_tenant_id = ? WHERE id = ?", to, asset_id));
  asset->holder_tenant_id = to;
  return Response{Json{{"transfer_id", claim_id},
                       {"asset", CORRIDOR_TRY(AssetJson(c, *asset))},
                       {"log_entry", Appended(ref)}}};
}

Result<Response> Registry::ReleasePledge(Connection& c, const Caller& caller, int64_t claim_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kBankOfficer}));
  auto holder = CORRIDOR_TRY(internal::QueryInt(
      c, "SELECT holder_tenant_id FROM registry_claims WHERE id = ? AND kind = 'pledge'",
      claim_id));
  if (!holder || *holder != caller.tenant_id) return Fail(Error::NotFound("pledge"));
  const LogEntryRef ref = CORRIDOR_TRY(
      ReleaseRegisteredPledge(c, caller, claim_id, "release", Json::object(), clock_.NowMicros()));
  const int64_t asset_id = *CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT asset_id FROM registry_claims WHERE id = ?", claim_id));
  auto asset = CORRIDOR_TRY(LoadAsset(c, asset_id));
  return Response{
      Json{{"asset", CORRIDOR_TRY(AssetJson(c, *asset))}, {"log_entry", Appended(ref)}}};
}

Result<Response> Registry::ConfirmDelivery(Connection& c, const Caller& caller, int64_t order_id) {
  CORRIDOR_TRY_STATUS(RequireRole(caller, {Role::kEnterpriseUser}));
  auto order = CORRIDOR_TRY(LoadAsset(c, order_id));
  if (!order || !CORRIDOR_TRY(IsParty(c, caller, *order))) return Fail(Error::NotFound("order"));
  if (order->type != "order") return Fail(Error::Invalid("/id", "is not an order"));
  if (CORRIDOR_TRY(CallerUscc(c, caller)) != order->debtor_uscc) {
    return Fail(Error{ErrorCode::kPermissionDenied, "only the buyer confirms delivery", {}});
  }
  if (order->status != "registered") {
    return Fail(Error::Conflict("delivery of this order is already confirmed"));
  }
  const int64_t now = clock_.NowMicros();
  const std::string buyer = CORRIDOR_TRY(AccountOfUscc(c, order->debtor_uscc));
  const std::string supplier = CORRIDOR_TRY(AccountOfUscc(c, order->creditor_uscc));
  auto order_parties = CORRIDOR_TRY(Parties(c, *order));
  Json delivered = AssetIdentityJson(*order);
  delivered["asset_log_index"] = order->entry_index;
  const LogEntryRef delivery_ref =
      CORRIDOR_TRY(AppendLogEntry(c, "order.deliver", &caller, delivered, order_parties, now));
  CORRIDOR_TRY(
      Execute(c, "UPDATE registry_assets SET status = 'delivered' WHERE id = ?", order_id));

  Json settlements = Json::array();
  std::vector<Asset> receivables;
  {
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM registry_assets WHERE order_id = ? AND type = 'receivable' "
                    "AND status = 'registered' ORDER BY entry_index",
                    kAssetColumns),
        order_id));
    while (CORRIDOR_TRY(q.Next())) receivables.push_back(AssetFrom(q));
  }
  for (const Asset& r : receivables) {
    auto pledge = CORRIDOR_TRY(ActivePledge(c, r.id));
    int64_t lender_fen = 0;
    std::optional<int64_t> lender;
    if (pledge) {
      auto p = CORRIDOR_TRY(
          Query::Make(c, "SELECT holder_tenant_id, amount_fen FROM registry_claims WHERE id = ?",
                      pledge->first));
      CORRIDOR_TRY(p.Next());
      lender = p.Int(0);
      lender_fen = std::min(p.Int(1), r.amount_fen);  // the lender is repaid first
    }
    const int64_t supplier_fen = r.amount_fen - lender_fen;
    // A receivable transferred outright is paid to its holder, the supplier's share included.
    std::string payee = supplier;
    if (r.holder_tenant_id != r.registrant_tenant_id) {
      payee = fmt::format("deposits:tenant:{}", r.holder_tenant_id);
    }
    auto parties = CORRIDOR_TRY(Parties(c, r));
    if (lender) parties.push_back(*lender);
    Json entry = AssetIdentityJson(r);
    entry["order_log_index"] = order->entry_index;
    entry["lender_tenant_id"] = lender ? Json(*lender) : Json(nullptr);
    entry["lender_fen"] = lender_fen;
    entry["supplier_fen"] = supplier_fen;
    entry["asset_log_index"] = r.entry_index;
    const LogEntryRef ref =
        CORRIDOR_TRY(AppendLogEntry(c, "receivable.settle", &caller, entry, parties, now));
    if (lender_fen > 0) {
      CORRIDOR_TRY_STATUS(
          internal::AddLedger(c, std::nullopt, "receivable_settlement_lender", buyer,
                              fmt::format("loans_receivable:bank:{}", *lender), lender_fen, now));
    }
    if (supplier_fen > 0) {
      CORRIDOR_TRY_STATUS(internal::AddLedger(c, std::nullopt, "receivable_settlement_supplier",
                                              buyer, payee, supplier_fen, now));
    }
    if (pledge) {
      CORRIDOR_TRY(Execute(c,
                           "UPDATE registry_claims SET status = 'settled', closed_entry_index = ? "
                           "WHERE id = ?",
                           ref.index, pledge->first));
    }
    CORRIDOR_TRY(Execute(c, "UPDATE registry_assets SET status = 'settled' WHERE id = ?", r.id));
    settlements.push_back(Json{{"receivable_id", r.id},
                               {"amount_fen", r.amount_fen},
                               {"lender_tenant_id", lender ? Json(*lender) : Json(nullptr)},
                               {"lender_fen", lender_fen},
                               {"supplier_fen", supplier_fen},
                               {"log_entry", Appended(ref)}});
  }
  order->status = "delivered";
  return Response{Json{{"order", CORRIDOR_TRY(AssetJson(c, *order))},
                       {"settlements", std::move(settlements)},
                       {"log_entry", Appended(delivery_ref)}}};
}

Result<Json> Registry::GetAsset(const Caller& caller, int64_t id) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    auto asset = CORRIDOR_TRY(LoadAsset(c, id));
    if (!asset || !CORRIDOR_TRY(IsParty(c, caller, *asset))) {
      return Fail(Error::NotFound("asset"));
    }
    return AssetJson(c, *asset);
  });
}

Result<Json> Registry::ListAssets(const Caller& caller, const Page& page) {
  return store_.Read([&](Connection& c) -> Result<Json> {
    const auto k = internal::KeysetOf(page, "id");
    std::string uscc;
    if (caller.role == Role::kEnterpriseUser) uscc = CORRIDOR_TRY(CallerUscc(c, caller));
    auto q = CORRIDOR_TRY(Query::Make(
        c,
        fmt::format("SELECT {} FROM registry_assets WHERE {} AND (? OR holder_tenant_id = ? "
                    "OR registrant_tenant_id = ? OR debtor_uscc = ? OR creditor_uscc = ?) "
                    "ORDER BY {} LIMIT ?",
                    kAssetColumns, k.where, k.order),
        k.bound, CanReadAll(caller), caller.tenant_id, caller.tenant_id, uscc, uscc, page.limit));
    std::vector<Asset> assets;
    while (CORRIDOR_TRY(q.Next())) assets.push_back(AssetFrom(q));
    Json items = Json::array();
    for (const Asset& a : assets) items.push_back(CORRIDOR_TRY(AssetJson(c, a)));
    return internal::PageOf(std::move(items), assets.empty() ? 0 : assets.back().id, page);
  });
}

Result<Json> Registry::GetEntry(const Caller& caller, uint64_t index) {
  auto entry = CORRIDOR_TRY(log_.Entry(index));
  const bool visible = entry && (internal::IsOversight(caller) ||
                                 std::find(entry->parties.begin(), entry->parties.end(),
                                           caller.tenant_id) != entry->parties.end());
  if (!visible) return Fail(Error::NotFound("log entry"));
  const std::string_view json_part = std::string_view(entry->data).substr(kLogEntryPrefix.size());
  return Json{
      {"index", entry->index},
      {"kind", entry->kind},
      {"leaf_hash_hex", registry::ToHex(registry::LeafHash(registry::AsBytes(entry->data)))},
      {"leaf_data_hex", registry::ToHex(registry::AsBytes(entry->data))},
      {"entry", Json::parse(json_part, nullptr, false)},
      {"created_at_us", entry->created_at}};
}

}  // namespace corridor::service
