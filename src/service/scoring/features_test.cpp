#include "service/scoring/features.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "store/testing.hpp"

namespace corridor::service::scoring {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// A firm registered on 2024-01-01 whose credit profile was written on 2025-03-01, with a loan
// started on 2025-01-01 of four monthly installments of 1,000 yuan principal: the first paid on
// time, the second 19 days late (2025-03-20), the third and fourth never.
class Features : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::testing::OpenStore("sqlite", dir_);
    ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
      const auto at = [](const char* d) { return ManualClock::MicrosAt(D(d)); };
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO tenants (id, kind, name, created_at) VALUES (1, "
                                  "'bank', 'Bank', 0), (2, 'enterprise', 'Firm', 0), (3, "
                                  "'enterprise', 'Buyer', 0)"));
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO users (id, tenant_id, role, name, created_at) "
                                  "VALUES (1, 1, 'bank_officer', 'officer', 0)"));
      CORRIDOR_TRY(store::Execute(
          c,
          "INSERT INTO enterprises (id, tenant_id, uscc, name, region, industry, status, "
          "registered_at) VALUES (1, 2, '91150402MA0000001X', 'Firm', 'Hongshan', "
          "'manufacturing', 'verified', ?), (2, 3, '91150402MA0000002X', 'Buyer', 'Hongshan', "
          "'manufacturing', 'verified', ?)",
          at("2024-01-01"), at("2024-01-01")));
      CORRIDOR_TRY(store::Execute(c,
                                  "INSERT INTO credit_profiles VALUES (1, 5000000, 12, 300000, "
                                  "'minor_late', 'small', 80000000, ?)",
                                  at("2025-03-01")));
      CORRIDOR_TRY(store::Execute(
          c,
          "INSERT INTO loans (id, bank_tenant_id, enterprise_id, principal_fen, annual_rate_bps, "
          "borrower_rate_bps, subsidy_rate_bps, term_months, method, kind, start_date, booked_at) "
          "VALUES (1, 1, 1, 400000, 400, 400, 0, 4, 'equal_principal', 'working_capital', "
          "'2025-01-01', 0)"));
      const char* due[] = {"2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"};
      const char* paid[] = {"2025-02-01", "2025-03-20", nullptr, nullptr};
      for (int k = 0; k < 4; ++k) {
        CORRIDOR_TRY(store::Execute(
            c,
            "INSERT INTO installments (loan_id, seq, due_date, principal_fen, interest_fen, "
            "subsidy_interest_fen, payment_fen, balance_fen, paid_fen, paid_on) VALUES (1, ?, ?, "
            "100000, 1000, 0, 101000, ?, ?, ?)",
            k + 1, due[k], int64_t{300'000} - int64_t{100'000} * k,
            paid[k] != nullptr ? 101'000 : 0,
            paid[k] != nullptr ? std::optional<std::string>(paid[k]) : std::nullopt));
      }
      return {};
    }));
  }

  std::vector<std::optional<double>> At(const char* day) {
    auto f = store_->Read([&](store::Connection& c) { return FeaturesAsOf(c, 1, D(day)); });
    EXPECT_TRUE(f) << Describe(f.error());
    return f ? *f : std::vector<std::optional<double>>();
  }
  std::optional<double> Get(const std::vector<std::optional<double>>& f, std::string_view name) {
    const auto& specs = FeatureSpecs();
    for (size_t k = 0; k < specs.size(); ++k) {
      if (specs[k].name == name) return f.at(k);
    }
    ADD_FAILURE() << "no feature " << name;
    return std::nullopt;
  }
  std::optional<int> Outcome(const char* day, const char* today) {
    auto o = store_->Read(
        [&](store::Connection& c) { return DefaultOutcome(c, 1, D(day), 365, D(today)); });
    EXPECT_TRUE(o) << Describe(o.error());
    return o ? *o : std::nullopt;
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(Features, ReadOnlyWhatWasOnRecordByTheDay) {
  // 2024-12-31: no loan yet. None taken; what it owes and how it repays are not on record.
  auto before = At("2024-12-31");
  EXPECT_EQ(Get(before, "loans_before"), 0);
  EXPECT_FALSE(Get(before, "outstanding_principal_yuan"));
  EXPECT_FALSE(Get(before, "overdue_principal_yuan"));
  EXPECT_FALSE(Get(before, "late_installments_12m"));
  EXPECT_EQ(Get(before, "orders_received_90d_yuan"), 0);
  // 2025-02-15: the profile is not written yet; one installment due, paid on time.
  auto f = At("2025-02-15");
  EXPECT_FALSE(Get(f, "tax_paid_12m_yuan"));
  EXPECT_FALSE(Get(f, "credit_record"));
  EXPECT_EQ(Get(f, "loans_before"), 1);
  EXPECT_EQ(Get(f, "outstanding_principal_yuan"), 3000);
  EXPECT_EQ(Get(f, "overdue_principal_yuan"), 0);
  EXPECT_EQ(Get(f, "late_installments_12m"), 0);
  EXPECT_EQ(Get(f, "max_days_late_12m"), 0);
  EXPECT_NEAR(*Get(f, "firm_age_years"), 412.0 / 365.25, 1e-9);  // to the end of the day
  // 2025-03-10: the second installment is 9 days late and still unpaid (it is paid on 03-20,
  // which the 10th does not know).
  f = At("2025-03-10");
  EXPECT_EQ(Get(f, "tax_paid_12m_yuan"), 50000);
  EXPECT_EQ(Get(f, "social_insurance_headcount"), 12);
  EXPECT_EQ(Get(f, "credit_record"), 1);
  EXPECT_EQ(Get(f, "outstanding_principal_yuan"), 3000);
  EXPECT_EQ(Get(f, "overdue_principal_yuan"), 1000);
  EXPECT_EQ(Get(f, "late_installments_12m"), 1);
  EXPECT_EQ(Get(f, "max_days_late_12m"), 9);
  EXPECT_FALSE(Get(f, "capacity_utilization"));
  // 2025-03-25: paid 19 days late.
  f = At("2025-03-25");
  EXPECT_EQ(Get(f, "outstanding_principal_yuan"), 2000);
  EXPECT_EQ(Get(f, "overdue_principal_yuan"), 0);
  EXPECT_EQ(Get(f, "late_installments_12m"), 1);
  EXPECT_EQ(Get(f, "max_days_late_12m"), 19);
  // Before it was registered the firm has no features.
  auto none =
      store_->Read([&](store::Connection& c) { return FeaturesAsOf(c, 1, D("2023-12-31")); });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_F(Features, ARecordMadeAfterTheDayNeverChangesIt) {
  const auto before = At("2025-03-10");
  const auto wrote = store_->Write([&](store::Connection& c) -> Status {
    // An order recorded on the 15th, a reading dated the 12th, a new loan started the 11th.
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO ecosystems (id, name, core_enterprise_id, "
                                "core_cap_bps, created_by, created_at, entry_index) VALUES (1, "
                                "'Chain', 2, 3000, 1, 0, 0)"));
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO ecosystem_trades (ecosystem_id, kind, "
                                "buyer_tenant_id, supplier_tenant_id, amount_fen, recorded_by, "
                                "recorded_at, entry_index) VALUES (1, 'order', 3, 2, 900000, 1, "
                                "?, 0)",
                                ManualClock::MicrosAt(D("2025-03-15"))));
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO supply_readings (enterprise_id, reading_date, "
                                "capacity_units, used_units, source, recorded_by, created_at, "
                                "entry_index) VALUES (1, '2025-03-12', 100, 50, 'iot', 1, 0, 0)"));
    CORRIDOR_TRY(store::Execute(
        c,
        "INSERT INTO loans (id, bank_tenant_id, enterprise_id, principal_fen, annual_rate_bps, "
        "borrower_rate_bps, subsidy_rate_bps, term_months, method, kind, start_date, booked_at) "
        "VALUES (2, 1, 1, 100000, 400, 400, 0, 1, 'bullet', 'working_capital', '2025-03-11', 0)"));
    return {};
  });
  ASSERT_TRUE(wrote) << Describe(wrote.error());
  EXPECT_EQ(At("2025-03-10"), before);
  // The day after each, they count.
  const auto after = At("2025-03-15");
  EXPECT_EQ(Get(after, "orders_received_90d_yuan"), 9000);
  EXPECT_EQ(Get(after, "capacity_utilization"), 0.5);
  EXPECT_EQ(Get(after, "loans_before"), 2);
}

// A herder's holdings as the bureau recorded them on 2025-03-01: read from that day's end, missing
// before it and for a firm the bureau recorded none of.
TEST_F(Features, AHerdersHoldingsCountFromTheDayTheyWereRecorded) {
  ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO agri_profiles VALUES (1, 320, 4500, 60, 2400000, 1, "
                                "?)",
                                ManualClock::MicrosAt(D("2025-03-01"))));
    return {};
  }));
  const auto before = At("2025-02-28");
  for (const char* name : {"herd_sheep_units", "grassland_contract_mu", "cropland_contract_mu",
                           "agri_insurance_cover_yuan", "cooperative_member"}) {
    EXPECT_FALSE(Get(before, name)) << name;
  }
  const auto f = At("2025-03-01");
  EXPECT_EQ(Get(f, "herd_sheep_units"), 320);
  EXPECT_EQ(Get(f, "grassland_contract_mu"), 4500);
  EXPECT_EQ(Get(f, "cropland_contract_mu"), 60);
  EXPECT_EQ(Get(f, "agri_insurance_cover_yuan"), 24000);
  EXPECT_EQ(Get(f, "cooperative_member"), 1);
  auto buyer =
      store_->Read([&](store::Connection& c) { return FeaturesAsOf(c, 2, D("2025-03-01")); });
  ASSERT_TRUE(buyer) << Describe(buyer.error());
  EXPECT_FALSE(Get(*buyer, "herd_sheep_units"));
  EXPECT_FALSE(Get(*buyer, "cooperative_member"));
}

// The third installment (due 04-01, never paid) is 90 days past due on 06-30.
TEST_F(Features, TheOutcomeIsNinetyDaysPastDueWithinTheHorizon) {
  EXPECT_EQ(Outcome("2025-03-10", "2026-06-01"), 1);
  EXPECT_EQ(Outcome("2025-03-10", "2025-06-01"), std::nullopt);  // the year has not ended
  EXPECT_EQ(Outcome("2024-12-31", "2026-06-01"), std::nullopt);  // no loan yet
  EXPECT_EQ(Outcome("2025-07-15", "2026-08-01"), std::nullopt);  // in default already
  // Paid in full before 90 days past due: a good outcome.
  ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
    CORRIDOR_TRY(store::Execute(c,
                                "UPDATE installments SET paid_on = '2025-06-20', paid_fen = "
                                "payment_fen WHERE loan_id = 1 AND seq >= 3"));
    return {};
  }));
  EXPECT_EQ(Outcome("2025-03-10", "2026-06-01"), 0);
}

// The training set as of 2025-03-10: the firm (bad: 90 days past due on 2025-06-30) and the
// buyer, whose one loan is paid on time (good); a third firm's loan starts after the day.
TEST_F(Features, TheTrainingSetLabelsEveryObservableBorrower) {
  ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
    CORRIDOR_TRY(store::Execute(
        c,
        "INSERT INTO loans (id, bank_tenant_id, enterprise_id, principal_fen, annual_rate_bps, "
        "borrower_rate_bps, subsidy_rate_bps, term_months, method, kind, start_date, booked_at) "
        "VALUES (2, 1, 2, 100000, 400, 400, 0, 1, 'bullet', 'working_capital', '2025-02-01', 0), "
        "(3, 1, 2, 100000, 400, 400, 0, 1, 'bullet', 'working_capital', '2025-04-01', 0)"));
    CORRIDOR_TRY(store::Execute(c,
                                "INSERT INTO installments (loan_id, seq, due_date, principal_fen, "
                                "interest_fen, subsidy_interest_fen, payment_fen, balance_fen, "
                                "paid_fen, paid_on) VALUES (2, 1, '2025-05-01', 100000, 500, 0, "
                                "100500, 0, 100500, '2025-05-01')"));
    return {};
  }));
  auto set = store_->Read([&](store::Connection& c) {
    return BuildTrainingSet(c, D("2025-03-10"), 365, D("2026-06-01"));
  });
  ASSERT_TRUE(set) << Describe(set.error());
  EXPECT_EQ(set->enterprise_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(set->labels, (std::vector<int>{1, 0}));
  EXPECT_EQ(set->rows[0], At("2025-03-10"));
  EXPECT_EQ(set->unobservable, 0u);
  // A year later, the firm is in default already and the buyer owes nothing: nobody to learn from.
  auto later = store_->Read([&](store::Connection& c) {
    return BuildTrainingSet(c, D("2025-09-01"), 180, D("2026-06-01"));
  });
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->labels.empty());
  EXPECT_EQ(later->unobservable, 2u);
}

}  // namespace
}  // namespace corridor::service::scoring
