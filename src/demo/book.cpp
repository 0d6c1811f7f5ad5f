// The demo's loan book, its open market and its registry.
#include "demo/builder.hpp"

namespace corridor::service::demo_stages {

// A borrower's credit record, annual revenue (fen), registration time and, for a farm or a herd,
// its insurance and cooperative, from its profiles.
Result<DemoBuilder::Record> DemoBuilder::BorrowerRecord(int64_t enterprise_id) {
  auto q = CORRIDOR_TRY(store::Query::Make(
      c,
      "SELECT p.credit_record, p.annual_revenue_fen, e.registered_at, "
      "coalesce(a.insured_amount_fen, 0) > 0, coalesce(a.cooperative_member, 0) FROM "
      "credit_profiles p JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN agri_profiles a "
      "ON a.enterprise_id = p.enterprise_id WHERE p.enterprise_id = ?",
      enterprise_id));
  if (!CORRIDOR_TRY(q.Next())) return Fail(Error::Internal("a demo borrower with no profile"));
  return Record{q.Text(0), std::max<int64_t>(q.Int(1), 1), q.Int(2), q.Int(3) != 0, q.Int(4) != 0};
}

// The booked loans with their needs, offers, guarantees, schedules and repayment history.
Status DemoBuilder::Loans() {
  // Loans: log-normal weights, entrepreneurship loans smaller, apportioned to the exact total
  // in units of 100 yuan with a floor of 10,000 yuan per loan.
  deals = static_cast<size_t>(scale.deals);
  std::vector<double> weights(deals);
  std::vector<bool> entrepreneurship(deals);
  for (size_t k = 0; k < deals; ++k) {
    entrepreneurship[k] = rng.Uniform(kKind, k) < 0.2;
    const double mu = entrepreneurship[k] ? std::log(2.0e5) : std::log(6.0e5);
    weights[k] = std::exp(mu + 1.0 * rng.Normal(kAmount, k));
  }
  const auto units = Apportion(weights, scale.amount_financed_fen / 10'000, 100);
  const int64_t spread = domain::kDefaultEntrepreneurshipSpreadBps;
  const Date window_start = as_of.AddMonths(-36);
  const int32_t window_days =
      as_of.AddMonths(-1).days_since_epoch() - window_start.days_since_epoch();
  booked.reserve(deals);
  for (size_t k = 0; k < deals; ++k) {
    const int64_t principal = units[k] * 10'000;
    const bool ent = entrepreneurship[k];
    const int32_t term =
        ent ? (rng.Uniform(kTerm, k) < 0.5 ? 24 : 36) : kTerms[rng.Below(kTerm, k, kTerms.size())];
    const Date start = window_start.AddDays(
        static_cast<int32_t>(rng.Below(kStart, k, static_cast<uint64_t>(window_days))));
    const int64_t lpr_bps = *domain::LprOn(lpr, domain::TenorForTerm(term), start);
    const int64_t rate = ent ? lpr_bps + 50 + static_cast<int64_t>(rng.Below(kRate, k, 101))
                             : lpr_bps - 20 + static_cast<int64_t>(rng.Below(kRate, k, 271));
    const double m = rng.Uniform(kMethod, k);
    const auto method = term <= 12 && m < 0.5 ? domain::RepaymentMethod::kBullet
                        : m < 0.75            ? domain::RepaymentMethod::kEqualInstallment
                                              : domain::RepaymentMethod::kEqualPrincipal;
    const auto split = ent ? *domain::SplitEntrepreneurshipRate(rate, lpr_bps, spread)
                           : domain::RateSplit{rate, 0};
    // The local bank (the first) books about a third of the loans, the others share the rest.
    const double bank_draw = rng.Uniform(kBank, k);
    Bank& bank =
        banks[bank_draw < 0.35
                  ? 0
                  : 1 + std::min(banks.size() - 2,
                                 static_cast<size_t>((bank_draw - 0.35) / 0.65 *
                                                     static_cast<double>(banks.size() - 1)))];
    const int64_t product =
        bank.products[ent ? 0 : rng.Below(kBank, k + (1ULL << 39), bank.products.size())];
    const int64_t enterprise_id = borrower_ids[k];
    const int64_t booked_at = ManualClock::MicrosAt(start) - 7 * 86'400'000'000LL;
    const int64_t need_id = CORRIDOR_TRY(marketplace::InsertNeed(
        c, {.enterprise_id = enterprise_id,
            .amount_fen = principal,
            .term_months = term,
            .purpose = ent ? "创业经营 start-up operations" : "流动资金 working capital",
            .collateral_free_required = ent,
            .status = "funded",
            .created_at = booked_at - 14 * 86'400'000'000LL}));
    const int64_t offer_id =
        CORRIDOR_TRY(marketplace::InsertOffer(c, {.need_id = need_id,
                                                  .bank_tenant_id = bank.tenant_id,
                                                  .product_id = product,
                                                  .amount_fen = principal,
                                                  .annual_rate_bps = rate,
                                                  .term_months = term,
                                                  .method = domain::ToString(method),
                                                  .kind = ent ? "entrepreneurship" : "standard",
                                                  .status = "booked",
                                                  .created_at = booked_at - 10 * 86'400'000'000LL,
                                                  .decided_at = booked_at - 8 * 86'400'000'000LL}));
    const int64_t loan_id =
        CORRIDOR_TRY(lending::InsertLoan(c, {.offer_id = offer_id,
                                             .bank_tenant_id = bank.tenant_id,
                                             .enterprise_id = enterprise_id,
                                             .principal_fen = principal,
                                             .annual_rate_bps = rate,
                                             .split = split,
                                             .lpr_bps = lpr_bps,
                                             .term_months = term,
                                             .method = method,
                                             .kind = ent ? "entrepreneurship" : "standard",
                                             .start_date = start,
                                             .booked_at = booked_at}));
    booked.push_back({booked_at,
                      loan_id,
                      Json{{"loan_id", loan_id},
                           {"offer_id", offer_id},
                           {"enterprise_id", enterprise_id},
                           {"principal_fen", principal},
                           {"annual_rate_bps", rate}},
                      {bank.tenant_id}});
    const bool guaranteed = ent || rng.Uniform(kGuarantee, k) < 0.35;
    if (guaranteed) {
      const int64_t g =
          ent ? guarantors[2] : guarantors[rng.Below(kGuarantee, k + (1ULL << 39), 2)];
      const int64_t cover =
          ent ? 8'000
              : 5'000 + 1'000 * static_cast<int64_t>(rng.Below(kGuarantee, k + (2ULL << 39), 4));
      const int64_t fee_bps =
          ent ? 0 : 100 + 50 * static_cast<int64_t>(rng.Below(kGuarantee, k + (3ULL << 39), 3));
      // The agency approved the bank's request before booking, as on the platform.
      const int64_t request_id = CORRIDOR_TRY(
          lending::InsertGuaranteeRequest(c, {.offer_id = offer_id,
                                              .bank_tenant_id = bank.tenant_id,
                                              .guarantor_tenant_id = g,
                                              .cover_bps = cover,
                                              .fee_bps = fee_bps,
                                              .status = "used",
                                              .created_at = booked_at - 4 * 86'400'000'000LL,
                                              .decided_at = booked_at - 2 * 86'400'000'000LL}));
      CORRIDOR_TRY_STATUS(lending::InsertGuarantee(c, {.loan_id = loan_id,
                                                       .enterprise_id = enterprise_id,
                                                       .guarantor_tenant_id = g,
                                                       .principal_fen = principal,
                                                       .cover_bps = cover,
                                                       .fee_bps = fee_bps,
                                                       .request_id = request_id,
                                                       .created_at = booked_at}));
    }
    // Schedule, and repayments of what fell due before as_of; about 2.5% of borrowers stop
    // paying part-way and show as overdue.
    const auto schedule = *domain::BuildSchedule({.principal = Money::FromFen(principal),
                                                  .annual_rate_bps = rate,
                                                  .term_months = term,
                                                  .method = method,
                                                  .start_date = start});
    // Whether the borrower stops paying part-way (within the loan's first year or its term) is
    // drawn from its record: a logistic model of its credit record, its revenue and how long it
    // had been in business when the loan started and, for a farm or a herd, whether it was
    // insured (a bad winter, 白灾, is then a claim, not a default) and in a cooperative (which
    // sells for it and vouches for it); such borrowers, and as many others again, pay some
    // installments 5 to 45 days late first. Tax paid plays no part.
    const Record record = CORRIDOR_TRY(BorrowerRecord(enterprise_id));
    const double years_in_business =
        static_cast<double>(ManualClock::MicrosAt(start) - record.registered_at) / 3.15576e13;
    const double logit = -2.4 +
                         (record.credit == "minor_late"  ? 1.2
                          : record.credit == "defaulted" ? 2.3
                                                         : 0.0) -
                         0.8 * std::log(static_cast<double>(record.revenue_fen) / 3.0e8) -
                         0.35 * std::min(years_in_business, 5.0) - (record.insured ? 0.6 : 0.0) -
                         (record.cooperative ? 0.5 : 0.0);
    const double p_default = 1.0 / (1.0 + std::exp(-logit));
    const bool delinquent = rng.Uniform(kDelinquent, k) < p_default;
    const bool late_payer =
        delinquent || rng.Uniform(kDelinquent, k + (2ULL << 39)) < std::min(0.5, p_default);
    const int32_t stop_at =
        delinquent ? 1 + static_cast<int32_t>(rng.Below(kDelinquent, k + (1ULL << 39),
                                                        static_cast<uint64_t>(std::min(term, 12))))
                   : term + 1;
    for (const auto& inst : schedule.installments) {
      const int64_t subsidy = domain::SubsidyInterest(inst, split.subsidy_rate_bps).fen();
      const int64_t due = inst.payment.fen() - subsidy;
      const uint64_t draw = (k << 8) + static_cast<uint64_t>(inst.seq);
      const int32_t days_late =
          late_payer && rng.Uniform(kLatePayment, draw) < 0.35
              ? 5 + static_cast<int32_t>(rng.Below(kLatePayment, draw + (1ULL << 40), 41))
              : 0;
      const Date paid_on = inst.due_date.AddDays(days_late);
      const bool paid = paid_on <= as_of && inst.seq < stop_at;
      CORRIDOR_TRY_STATUS(
          lending::InsertInstallment(c, loan_id, inst, split.subsidy_rate_bps, paid ? due : 0,
                                     paid ? std::optional<Date>(paid_on) : std::nullopt));
      ++result.installments;
      if (!paid) continue;
      CORRIDOR_TRY(lending::InsertRepayment(c, loan_id, bank.tenant_id, enterprise_id,
                                            inst.interest.fen() - subsidy, inst.principal.fen(),
                                            paid_on, ManualClock::MicrosAt(paid_on)));
    }
  }
  return {};
}

// The open needs of the market, half of them with an offer.
Status DemoBuilder::OpenNeeds() {
  // Open needs, some with offers from the market.
  for (size_t k = 0; k < open_need_enterprises.size(); ++k) {
    const int64_t amount = (5 + static_cast<int64_t>(rng.Below(kOpenNeed, k, 296))) * 10'000 * 100;
    const int32_t term = kTerms[rng.Below(kOpenNeed, k + (1ULL << 39), kTerms.size())];
    const int64_t need_id = CORRIDOR_TRY(marketplace::InsertNeed(
        c, {.enterprise_id = open_need_enterprises[k],
            .amount_fen = amount,
            .term_months = term,
            .purpose = "流动资金 working capital",
            .collateral_free_required = k % 3 == 0,
            .max_rate_bps = k % 4 == 0 ? std::optional<int64_t>(450) : std::nullopt,
            .created_at = as_of_us - static_cast<int64_t>(k % 30) * 86'400'000'000LL}));
    if (k % 2 == 0) {
      const Bank& bank = banks[rng.Below(kBank, k + (2ULL << 39), banks.size())];
      CORRIDOR_TRY(
          marketplace::InsertOffer(c, {.need_id = need_id,
                                       .bank_tenant_id = bank.tenant_id,
                                       .product_id = bank.products[0],
                                       .amount_fen = amount,
                                       .annual_rate_bps = 380 + static_cast<int64_t>(k % 80),
                                       .term_months = term,
                                       .method = "equal_installment",
                                       .created_at = as_of_us}));
    }
  }
  return {};
}

// The bookings' policy entries in the transparency log, in time order.
Status DemoBuilder::PolicyLog() {
  std::stable_sort(booked.begin(), booked.end(), [](const PendingEntry& a, const PendingEntry& b) {
    return a.at != b.at ? a.at < b.at : a.loan_id < b.loan_id;
  });
  for (auto& e : booked) {
    const auto tenant =
        CORRIDOR_TRY(internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?",
                                        e.body["enterprise_id"].get<int64_t>()));
    if (tenant) e.parties.push_back(*tenant);
    CORRIDOR_TRY(AppendLogEntry(c, "policy.loan_booked", nullptr, e.body, e.parties, e.at));
  }
  return {};
}

// Receivables registered and pledged through the registry's use cases.
Status DemoBuilder::RegistryAssets() {
  // The registry: borrowers registered receivables on their customers (other borrowers) in
  // the last 30 days, through the registry's own use cases, and about 40% of them financed them
  // with their bank. The use cases run on a clock walking through those days; the log's
  // signer is never used here (the demo signs no checkpoint; the server does at start).
  {
    ManualClock registry_clock(as_of_us - 30 * 86'400'000'000LL);
    TransparencyLog unused_log(store, registry_clock,
                               registry::NoteSigner("demo.invalid/unused", registry::Seed{}));
    Registry registry(store, registry_clock, unused_log);
    const size_t receivables = std::min<size_t>(deals, 1'500);
    auto uscc_of = [&](int64_t enterprise_id) -> Result<std::string> {
      auto q = CORRIDOR_TRY(
          store::Query::Make(c, "SELECT uscc FROM enterprises WHERE id = ?", enterprise_id));
      CORRIDOR_TRY(q.Next());
      return q.Text(0);
    };
    for (size_t k = 0; k < receivables; ++k) {
      registry_clock.Set(as_of_us - 30 * 86'400'000'000LL +
                         static_cast<int64_t>(k) * (30 * 86'400'000'000LL / 1'500));
      const int64_t creditor = borrower_ids[k];
      const int64_t debtor = borrower_ids[(k + 1 + (k * 7) % (deals - 1)) % deals];
      if (creditor == debtor) continue;
      const auto tenant = CORRIDOR_TRY(
          internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", creditor));
      const Caller supplier{.user_id = 0,
                            .tenant_id = *tenant,
                            .role = Role::kEnterpriseUser,
                            .tenant_kind = TenantKind::kEnterprise,
                            .enterprise_id = creditor};
      const int64_t amount =
          10'000 * (500 + static_cast<int64_t>(rng.Below(kReceivable, k, 19'501)));
      const Json body{{"type", "receivable"},
                      {"document_type", "invoice"},
                      {"document_number", fmt::format("FP{:08d}", 15'000'000 + k)},
                      {"debtor_uscc", CORRIDOR_TRY(uscc_of(debtor))},
                      {"creditor_uscc", CORRIDOR_TRY(uscc_of(creditor))},
                      {"amount_fen", amount},
                      {"due_date", as_of.AddDays(30 + static_cast<int32_t>(k % 150)).ToString()}};
      const auto registered = CORRIDOR_TRY(registry.RegisterAsset(c, supplier, body));
      if (rng.Uniform(kReceivable, k + (1ULL << 39)) < 0.4) {
        const Bank& bank = banks[rng.Below(kBank, k, banks.size())];
        const Caller lender{.user_id = 0,
                            .tenant_id = bank.tenant_id,
                            .role = Role::kBankOfficer,
                            .tenant_kind = TenantKind::kBank,
                            .enterprise_id = 0};
        CORRIDOR_TRY(registry.Pledge(c, lender, registered.body["id"].get<int64_t>(),
                                     Json{{"amount_fen", amount / 10'000 * 8'000}}));
      }
    }
  }
  return {};
}

}  // namespace corridor::service::demo_stages
