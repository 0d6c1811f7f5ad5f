// Pension finance routes: cross-region settlement (policies, claims, settlements), migratory-bird
// trusts (members, movements, projections), the compensation fund, eco-index insurance.
#include "api/routes/schemas.hpp"
#include "api/routes/table.hpp"

namespace corridor::api::routes {

namespace {

// An integer query parameter in [lo, hi], or `fallback` when absent.
Result<int64_t> IntParam(const Target& t, const char* name, int64_t lo, int64_t hi,
                         int64_t fallback) {
  if (!t.HasParam(name)) return fallback;
  const std::string_view text = t.Param(name);
  const bool negative = !text.empty() && text[0] == '-';
  auto n = ParseCount(negative ? text.substr(1) : text, fmt::format("/{}", name));
  if (!n) return Fail(Error::Invalid(fmt::format("/{}", name), "an integer"));
  const int64_t v = negative ? -static_cast<int64_t>(*n) : static_cast<int64_t>(*n);
  if (v < lo || v > hi) {
    return Fail(Error::Invalid(fmt::format("/{}", name), fmt::format("{} to {}", lo, hi)));
  }
  return v;
}

// ?years=&interest_bps=&scenarios=&mean_return_bps=&volatility_bps=&seed= of a projection.
Result<service::PensionFinance::ProjectionRequest> ProjectionParams(const Target& t) {
  service::PensionFinance::ProjectionRequest r;
  r.years = static_cast<int>(CORRIDOR_TRY(IntParam(t, "years", 1, 100, 50)));
  if (t.HasParam("interest_bps")) {
    r.interest_bps = CORRIDOR_TRY(IntParam(t, "interest_bps", -500, 2'000, 0));
  }
  r.scenarios = static_cast<int>(CORRIDOR_TRY(IntParam(t, "scenarios", 0, 10'000, 0)));
  r.mean_return_bps = CORRIDOR_TRY(IntParam(t, "mean_return_bps", -2'000, 3'000, 400));
  r.volatility_bps = CORRIDOR_TRY(IntParam(t, "volatility_bps", 0, 10'000, 1'000));
  r.seed = static_cast<uint64_t>(
      CORRIDOR_TRY(IntParam(t, "seed", 0, std::numeric_limits<int64_t>::max(), 1)));
  return r;
}

}  // namespace

void AddPension(Table& t) {
  // Cross-region settlement between the insurers.
  t.Get("/api/v1/pension/policies",
        "Each insurer's reimbursement policy in force for its members' care in another region "
        "(参保地政策), and the insurers",
        false, [](const C& x) { return Ok(x.app->pension().Policies(*x.caller)); });
  t.Write("POST", "/api/v1/pension/policies",
          "Set the caller's reimbursement policy (an insurer): a new version, logged",
          Schema({{"deductible_fen", Prop("integer", "a member bears this much of a period")},
                  {"reimbursement_bps", Prop("integer", "the share reimbursed above it")},
                  {"cap_fen", Prop("integer", "the most reimbursed a member a period; 0: none")}},
                 {"deductible_fen", "reimbursement_bps"}),
          [](Conn& c, const C& x) { return x.app->pension().SetPolicy(c, *x.caller, *x.body); });
  t.Write(
      "POST", "/api/v1/pension/claims",
      "Record a claim of care the caller (an insurer) advanced for a member insured in "
      "another region, eligible under the care region's catalogue (就医地目录)",
      Schema({{"insuring_tenant_id", Prop("integer", "the member's insurer")},
              {"member", Prop("string", "the member's id at the insuring region")},
              {"period", Prop("string", "the settlement month, YYYY-MM")},
              {"care_date", Prop("string", "YYYY-MM-DD, within the period")},
              {"provider", Prop("string")},
              {"eligible_fen", Prop("integer")}},
             {"insuring_tenant_id", "member", "period", "care_date", "provider", "eligible_fen"}),
      [](Conn& c, const C& x) { return x.app->pension().RecordClaim(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/claims",
        "Claims the caller advanced or insures (the bureau: every claim); ?period=YYYY-MM", true,
        [](const C& x) {
          return Ok(x.app->pension().ListClaims(*x.caller, TextParam(*x.target, "period"), x.page));
        })
      .Orderable();
  t.Write("POST", "/api/v1/pension/settlements",
          "Settle a period between the insurers (bureau): each claim under its insuring region's "
          "policy, what each owes each, the bilateral nets and the positions, logged",
          Schema({{"period", Prop("string", "YYYY-MM")}}, {"period"}),
          [](Conn& c, const C& x) { return x.app->pension().Settle(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/settlements",
        "Settlements the caller is party to, with its own obligations and position", true,
        [](const C& x) { return Ok(x.app->pension().ListSettlements(*x.caller, x.page)); })
      .Orderable();
  t.Get("/api/v1/pension/settlements/{id}", "One settlement", false,
        [](const C& x) { return Ok(x.app->pension().GetSettlement(*x.caller, x.id())); });

  // Migratory-bird pension trusts.
  t.Write("POST", "/api/v1/pension/trusts",
          "Create a migratory-bird pension trust (its trust manager)",
          Schema({{"name", Prop("string")},
                  {"interest_bps", Prop("integer", "the valuation rate of its projections")}},
                 {"name", "interest_bps"}),
          [](Conn& c, const C& x) { return x.app->pension().CreateTrust(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/trusts", "The caller's trusts (the bureau: every trust)", true,
        [](const C& x) { return Ok(x.app->pension().ListTrusts(*x.caller, x.page)); });
  t.Get("/api/v1/pension/trusts/{id}",
        "One trust: its assets, members by status and movements by kind", false,
        [](const C& x) { return Ok(x.app->pension().GetTrust(*x.caller, x.id())); });
  t.Write("POST", "/api/v1/pension/trusts/{id}/members",
          "Add members to a trust (up to 100,000 a request)",
          Schema({{"members",
                   Prop("array",
                        "[{member, birth_year, retirement_age, contribution_fen, benefit_fen, "
                        "grassland_service_fen, beijing_service_fen}], amounts a year")}},
                 {"members"}),
          [](Conn& c, const C& x) {
            return x.app->pension().AddMembers(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/pension/trusts/{id}/members", "A trust's members", true,
        [](const C& x) { return Ok(x.app->pension().ListMembers(*x.caller, x.id(), x.page)); });
  t.Write("POST", "/api/v1/pension/trusts/{id}/movements",
          "Record a movement of the trust's assets: a contribution, a benefit, a season's "
          "service on the grassland or in Beijing, an investment return, a member's death; "
          "never overdrawn, logged",
          Schema({{"kind", Prop("string",
                                "contribution | benefit | grassland_service | beijing_service | "
                                "investment_return | death")},
                  {"member_id", Prop("integer", "every kind but investment_return")},
                  {"amount_fen", Prop("integer", "> 0; a return may be negative; a death 0")},
                  {"date", Prop("string", "YYYY-MM-DD")},
                  {"note", Prop("string")}},
                 {"kind", "date"}),
          [](Conn& c, const C& x) {
            return x.app->pension().RecordMovement(c, *x.caller, x.id(), *x.body);
          });
  t.Get("/api/v1/pension/trusts/{id}/movements", "A trust's movements, with the assets after each",
        true,
        [](const C& x) { return Ok(x.app->pension().ListMovements(*x.caller, x.id(), x.page)); })
      .Orderable();
  t.Get("/api/v1/pension/trusts/{id}/projection",
        "Project the trust's active members by the life table: ?years= (default 50), "
        "?interest_bps= (default the trust's), and with ?scenarios=N (at most 10,000) seeded "
        "scenarios of deaths and returns (?mean_return_bps=, ?volatility_bps=, ?seed=): yearly "
        "cash flows, the liability, the funding ratio and the probability of a shortfall",
        false, [](const C& x) -> Result<Response> {
          const auto request = CORRIDOR_TRY(ProjectionParams(*x.target));
          return Ok(x.app->pension().Project(*x.caller, x.id(), request));
        });

  // The grassland pension risk-compensation fund.
  t.Get("/api/v1/pension/fund",
        "The compensation fund: its rules in force, balance, what it owes, and its totals", false,
        [](const C& x) { return Ok(x.app->pension().Fund(*x.caller)); });
  t.Write(
      "PUT", "/api/v1/pension/fund/rules",
      "Set the fund's rules (bureau): Beijing's share of contributions, the floor, the "
      "reinsurance layers; a new version, logged",
      Schema({{"beijing_share_bps", Prop("integer", "Inner Mongolia pays the rest")},
              {"floor_fen", Prop("integer", "the balance never goes below it")},
              {"layers", Prop("array", "[{attachment_fen, limit_fen, share_bps}]")}},
             {"beijing_share_bps", "floor_fen"}),
      [](Conn& c, const C& x) { return x.app->pension().SetFundRules(c, *x.caller, *x.body); },
      200);
  t.Write(
      "POST", "/api/v1/pension/fund/events",
      "Record a fund event (bureau): a contribution split by the regions' shares, a "
      "blizzard or sandstorm with its affected members, a region's top-up; logged",
      Schema({{"kind", Prop("string", "contribution | blizzard | sandstorm | top_up")},
              {"date", Prop("string", "YYYY-MM-DD")},
              {"area", Prop("string", "a disaster's league or county; a top-up's region")},
              {"amount_fen", Prop("integer", "a contribution's or a top-up's")},
              {"affected_members", Prop("integer", "a disaster's")},
              {"loss_per_member_fen", Prop("integer", "a disaster's")},
              {"note", Prop("string")}},
             {"kind", "date"}),
      [](Conn& c, const C& x) { return x.app->pension().RecordFundEvent(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/fund/events", "The fund's events, each with the state it left", true,
        [](const C& x) { return Ok(x.app->pension().ListFundEvents(*x.caller, x.page)); })
      .Orderable();

  // Eco-index pension insurance.
  t.Write("POST", "/api/v1/pension/eco/observations",
          "Record a county's ecological observation of a year (bureau or an insurer): good-air "
          "days and the growing season's NDVI against the county's baseline; logged",
          Schema({{"county", Prop("string")},
                  {"year", Prop("integer")},
                  {"days_observed", Prop("integer")},
                  {"good_air_days", Prop("integer", "AQI ≤ 100")},
                  {"ndvi_e4", Prop("integer", "NDVI × 10,000")},
                  {"baseline_ndvi_e4", Prop("integer", "the county's reference NDVI × 10,000")},
                  {"source", Prop("string")}},
                 {"county", "year", "days_observed", "good_air_days", "ndvi_e4", "baseline_ndvi_e4",
                  "source"}),
          [](Conn& c, const C& x) {
            return x.app->pension().RecordObservation(c, *x.caller, *x.body);
          });
  t.Get("/api/v1/pension/eco/observations", "The counties' ecological observations", true,
        [](const C& x) { return Ok(x.app->pension().ListObservations(*x.caller, x.page)); })
      .Orderable();
  t.Write(
      "POST", "/api/v1/pension/eco/policies",
      "Write an eco-index pension policy for a member (an insurer)",
      Schema({{"member", Prop("string")},
              {"county", Prop("string")},
              {"premium_fen", Prop("integer", "a year")},
              {"benefit_fen", Prop("integer", "a year")},
              {"sum_insured_fen", Prop("integer", "of the degradation payout")}},
             {"member", "county", "premium_fen", "benefit_fen", "sum_insured_fen"}),
      [](Conn& c, const C& x) { return x.app->pension().CreateEcoPolicy(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/eco/policies", "The caller's eco-index policies (the bureau: all)", true,
        [](const C& x) { return Ok(x.app->pension().ListEcoPolicies(*x.caller, x.page)); })
      .Orderable();
  t.Write("POST", "/api/v1/pension/eco/assessments",
          "Assess the caller's policies in a county for a year from its observation: the index, "
          "premium discounts, benefit uplifts and payouts, each explained; logged",
          Schema({{"county", Prop("string")},
                  {"year", Prop("integer")},
                  {"rules", Prop("object",
                                 "discount_threshold_bps, discount_bps, uplift_threshold_bps, "
                                 "uplift_bps, payout_threshold_bps")}},
                 {"county", "year"}),
          [](Conn& c, const C& x) { return x.app->pension().Assess(c, *x.caller, *x.body); });
  t.Get("/api/v1/pension/eco/assessments",
        "Assessments of the caller's policies (the bureau: all); ?policy_id=", true,
        [](const C& x) -> Result<Response> {
          std::optional<int64_t> policy;
          if (x.target->HasParam("policy_id")) {
            policy = CORRIDOR_TRY(
                IntParam(*x.target, "policy_id", 1, std::numeric_limits<int64_t>::max(), 0));
          }
          return Ok(x.app->pension().ListAssessments(*x.caller, policy, x.page));
        })
      .Orderable();
}

}  // namespace corridor::api::routes
