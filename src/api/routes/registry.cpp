// Registry routes: assets and their claims, the transparency log, its checkpoint and proofs.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"
#include "registry/hash.hpp"

namespace corridor::api::routes {

namespace {

// tree_size (or another size parameter) from the query, defaulting to the newest checkpoint.
Result<uint64_t> SizeParam(service::TransparencyLog& log, const Target& t, std::string_view name) {
  if (t.HasParam(name)) return ParseCount(t.Param(name), "/" + std::string(name));
  auto cp = CORRIDOR_TRY(log.Latest());
  return cp.size;
}

Result<Json> InclusionProofJson(service::TransparencyLog& log, const Target& t) {
  const uint64_t size = CORRIDOR_TRY(SizeParam(log, t, "tree_size"));
  uint64_t index = 0;
  if (t.HasParam("leaf_hash")) {
    const auto hash = registry::HashFromHex(t.Param("leaf_hash"));
    if (!hash) return Fail(Error::Invalid("/leaf_hash", "must be 64 hex digits"));
    auto found = CORRIDOR_TRY(log.IndexOfLeaf(*hash));
    if (!found || *found >= size) return Fail(Error::NotFound("leaf in a tree of this size"));
    index = *found;
  } else if (t.HasParam("index")) {
    index = CORRIDOR_TRY(ParseCount(t.Param("index"), "/index"));
  } else {
    return Fail(Error::Invalid("/index", "give index or leaf_hash"));
  }
  const auto proof = CORRIDOR_TRY(log.InclusionProof(index, size));
  return Json{
      {"leaf_index", index}, {"tree_size", size}, {"proof_hex", registry::ToHexList(proof)}};
}

Result<Json> ConsistencyProofJson(service::TransparencyLog& log, const Target& t) {
  if (!t.HasParam("first")) return Fail(Error::Invalid("/first", "is required"));
  const uint64_t first = CORRIDOR_TRY(ParseCount(t.Param("first"), "/first"));
  const uint64_t second = CORRIDOR_TRY(SizeParam(log, t, "second"));
  const auto proof = CORRIDOR_TRY(log.ConsistencyProof(first, second));
  return Json{{"first", first}, {"second", second}, {"proof_hex", registry::ToHexList(proof)}};
}

}  // namespace

void AddRegistry(Table& t) {
  // Registry and transparency log.
  t.Write("POST", "/api/v1/registry/assets",
          "Register an order, invoice, logistics document, receivable or equipment (enterprise); "
          "409 names the first registration's log index",
          Schema({{"type", Prop("string", "order | invoice | logistics | receivable | equipment")},
                  {"document_number", Prop("string")},
                  {"document_type", Prop("string", "defaults to type")},
                  {"debtor_uscc", Prop("string", "buyer / payer")},
                  {"creditor_uscc", Prop("string", "supplier / payee / owner")},
                  {"amount_fen", Prop("integer")},
                  {"due_date", Prop("string", "YYYY-MM-DD; required for receivables")},
                  {"order_id", Prop("integer", "the order a receivable arises from")},
                  {"description", Prop("string")}},
                 {"type", "document_number", "creditor_uscc"}),
          [](Conn& c, const C& x) { return x.reg().RegisterAsset(c, *x.caller, *x.body); });
  t.Get("/api/v1/registry/assets", "Registered assets visible to the caller (public notice)", true,
        [](const C& x) { return Ok(x.reg().ListAssets(*x.caller, x.page)); })
      .Returns(schemas::Page(schemas::Asset()))
      .Orderable();
  t.Get("/api/v1/registry/assets/{id}", "An asset with its claims in priority order", false,
        [](const C& x) { return Ok(x.reg().GetAsset(*x.caller, x.id())); })
      .Returns(schemas::Asset());
  t.Write("POST", "/api/v1/registry/assets/{id}/pledges",
          "Register a pledge (bank); 409 when the asset is already pledged",
          Schema({{"amount_fen", Prop("integer", "the financed amount")}}, {"amount_fen"}),
          [](Conn& c, const C& x) { return x.reg().Pledge(c, *x.caller, x.id(), *x.body); });
  t.Write("POST", "/api/v1/registry/assets/{id}/transfers", "Transfer an asset (its holder)",
          Schema({{"to_tenant_id", Prop("integer")}}, {"to_tenant_id"}),
          [](Conn& c, const C& x) { return x.reg().Transfer(c, *x.caller, x.id(), *x.body); });
  t.Write(
      "POST", "/api/v1/registry/pledges/{id}/release", "Release a pledge (the pledgee bank)",
      nullptr, [](Conn& c, const C& x) { return x.reg().ReleasePledge(c, *x.caller, x.id()); },
      200);
  t.Write(
      "POST", "/api/v1/registry/assets/{id}/delivery",
      "The buyer confirms delivery of an order: financed receivables settle, lender first", nullptr,
      [](Conn& c, const C& x) { return x.reg().ConfirmDelivery(c, *x.caller, x.id()); }, 200);
  t.Get(
      "/api/v1/registry/checkpoint", "The newest signed checkpoint (C2SP signed note, text/plain)",
      false,
      [](const C& x) -> Result<Response> {
        auto cp = x.reg().log().Latest();
        if (!cp) return Fail(std::move(cp.error()));
        Response r;
        r.text = std::move(cp->note);
        r.content_type = "text/plain; charset=utf-8";
        return r;
      },
      Access::kPublic);
  t.Get(
      "/api/v1/registry/key", "The log's origin and verifier key", false,
      [](const C& x) -> Result<Response> {
        const auto& log = x.reg().log();
        return Response{Json{{"origin", log.origin()},
                             {"verifier_key", log.verifier().ToString()},
                             {"algorithm", "Ed25519"}}};
      },
      Access::kPublic);
  t.Get("/api/v1/registry/entries/{index}", "A log entry with its leaf data (parties, oversight)",
        false, [](const C& x) -> Result<Response> {
          const auto index = ParseCount(x.match->words.at(0), "/index");
          if (!index) return Fail(index.error());
          return Ok(x.reg().GetEntry(*x.caller, *index));
        });
  t.Get(
      "/api/v1/registry/proofs/inclusion",
      "Inclusion proof by ?index= or ?leaf_hash= (hex), for ?tree_size= (default: newest)", false,
      [](const C& x) { return Ok(InclusionProofJson(x.reg().log(), *x.target)); }, Access::kPublic);
  t.Get(
      "/api/v1/registry/proofs/consistency",
      "Consistency proof between ?first= and ?second= (default: newest)", false,
      [](const C& x) { return Ok(ConsistencyProofJson(x.reg().log(), *x.target)); },
      Access::kPublic);
}

}  // namespace corridor::api::routes
