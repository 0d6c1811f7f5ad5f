// The supply-chain products' rules (seed 002 §4.1, §4.4, §5.4), the SME payment regulation
// (State Council Decree 728 as revised by Decree 802) and cross-currency amounts, each at and
// around its boundary.
#include "domain/trade_finance.hpp"

#include <gtest/gtest.h>

#include "domain/currency.hpp"
#include "domain/payment_terms.hpp"

namespace corridor::domain {
namespace {

Date D(std::string_view s) { return *Date::Parse(s); }

PoolOrder Order(std::string id, std::string buyer, int64_t fen,
                OrderStatus st = OrderStatus::kConfirmed, std::string_view due = "2026-09-30") {
  return {std::move(id), std::move(buyer), fen, st, D(due)};
}

// ---- order pool --------------------------------------------------------------------------

TEST(OrderPool, LineIsEligibleTimesAdvanceTimesFulfilmentRoundedDown) {
  const OrderPoolTerms terms{8'000, 10'000, 9'500, D("2026-06-01")};
  auto r =
      ComputeOrderPoolLine({Order("A1", "catl", 100'000'01), Order("A2", "byd", 50'000'00)}, terms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->eligible_fen, 150'000'01);
  // 15,000,001 × 0.8 × 0.95 = 11,400,000.76 → 11,400,000 fen.
  EXPECT_EQ(r->line_fen, 11'400'000);
  EXPECT_TRUE(r->excluded.empty());
}

TEST(OrderPool, ExcludesWhatNoLongerBacksTheLineWithItsReason) {
  const OrderPoolTerms terms{10'000, 10'000, 10'000, D("2026-06-01")};
  auto r = ComputeOrderPoolLine(
      {Order("P", "a", 100, OrderStatus::kPending), Order("F", "a", 200, OrderStatus::kFulfilled),
       Order("C", "a", 300, OrderStatus::kCancelled), Order("E", "a", 400, OrderStatus::kExpired),
       Order("L", "a", 500, OrderStatus::kConfirmed, "2026-05-31"),
       Order("T", "a", 600, OrderStatus::kConfirmed, "2026-06-01"), Order("T", "a", 600)},
      terms);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->excluded.size(), 6u);
  EXPECT_EQ(r->excluded[0].reason, "not confirmed by the buyer");
  EXPECT_EQ(r->excluded[4].order, "L");  // due the day before as_of: past due
  EXPECT_NE(r->excluded[4].reason.find("past due"), std::string::npos);
  EXPECT_NE(r->excluded[5].reason.find("backs one line only"), std::string::npos);
  EXPECT_EQ(r->eligible_fen, 600);  // due on as_of still backs the line
  EXPECT_EQ(r->pooled_fen, 2'700);
}

TEST(OrderPool, ABuyerAboveItsShareIsCutFromItsLatestOrders) {
  // Pool 1,000 of which buyer "big" is 700; cap 50% → big keeps 500, 200 out of its latest order.
  const OrderPoolTerms terms{10'000, 5'000, 10'000, D("2026-01-01")};
  auto r = ComputeOrderPoolLine(
      {Order("b1", "big", 400, OrderStatus::kConfirmed, "2026-03-01"),
       Order("b2", "big", 300, OrderStatus::kConfirmed, "2026-04-01"), Order("s1", "small", 300)},
      terms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->eligible_fen, 800);
  ASSERT_EQ(r->excluded.size(), 1u);
  EXPECT_EQ(r->excluded[0].order, "b2");
  EXPECT_EQ(r->excluded[0].excluded_fen, 200);
  // Exactly at the cap nothing is cut.
  auto at = ComputeOrderPoolLine({Order("b1", "big", 500), Order("s1", "small", 500)}, terms);
  ASSERT_TRUE(at);
  EXPECT_TRUE(at->excluded.empty());
}

TEST(OrderPool, BadTermsNameTheirField) {
  auto r = ComputeOrderPoolLine({}, {10'001, 5'000, 10'000, D("2026-01-01")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields[0].field, "/advance_rate_bps");
  auto o = ComputeOrderPoolLine({Order("x", "b", 0)}, {1, 5'000, 10'000, D("2026-01-01")});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().fields[0].field, "/orders/0/amount_fen");
}

// ---- Civil Code art. 768 -------------------------------------------------------------------

TEST(FactorRanking, RegisteredFirstByTimeThenNotifiedThenProRata) {
  // A receivable of 1,000 yuan factored five times (民法典第七百六十八条).
  std::vector<FactorClaim> claims = {
      {"silent_a", 300'00, std::nullopt, std::nullopt},
      {"notified_late", 200'00, std::nullopt, 50},
      {"registered_second", 300'00, 20, 10},
      {"registered_first", 300'00, 10, std::nullopt},
      {"silent_b", 100'00, std::nullopt, std::nullopt},
  };
  auto r = RankFactorClaims(1'000'00, claims);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[3].allocated_fen, 300'00);
  EXPECT_EQ((*r)[3].rank, 1);
  EXPECT_EQ((*r)[2].allocated_fen, 300'00);
  EXPECT_EQ((*r)[2].rank, 2);
  EXPECT_EQ((*r)[1].allocated_fen, 200'00);
  EXPECT_EQ((*r)[1].basis, "notified");
  // 200 yuan left for the silent ones, claiming 300 and 100: pro rata 150 and 50.
  EXPECT_EQ((*r)[0].allocated_fen, 150'00);
  EXPECT_EQ((*r)[4].allocated_fen, 50'00);
  EXPECT_EQ((*r)[0].basis, "pro_rata");
  EXPECT_EQ((*r)[0].rank, (*r)[4].rank);
}

TEST(FactorRanking, AShortfallStopsAtTheRankItReaches) {
  std::vector<FactorClaim> claims = {{"reg", 800, 1, std::nullopt},
                                     {"note", 800, std::nullopt, 2},
                                     {"none", 800, std::nullopt, std::nullopt}};
  auto r = RankFactorClaims(1'000, claims);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].allocated_fen, 800);
  EXPECT_EQ((*r)[1].allocated_fen, 200);
  EXPECT_EQ((*r)[2].allocated_fen, 0);
}

TEST(FactorRanking, TiesShareToTheFen) {
  std::vector<FactorClaim> claims = {{"a", 1, std::nullopt, std::nullopt},
                                     {"b", 1, std::nullopt, std::nullopt},
                                     {"c", 1, std::nullopt, std::nullopt}};
  auto r = RankFactorClaims(2, claims);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].allocated_fen + (*r)[1].allocated_fen + (*r)[2].allocated_fen, 2);
}

// ---- buyer confirmation, recourse -----------------------------------------------------------

TEST(ReceivableConfirmation, DisbursementMatchesTheConfirmationExactly) {
  ReceivableConfirmation none;
  EXPECT_EQ(CheckConfirmedDisbursement(none, 100, D("2026-09-30")).error().code,
            ErrorCode::kConflict);
  auto confirmed = ConfirmReceivable(none, 1'000'000, D("2026-09-30"));
  ASSERT_TRUE(confirmed);
  EXPECT_TRUE(CheckConfirmedDisbursement(*confirmed, 1'000'000, D("2026-09-30")));
  auto off = CheckConfirmedDisbursement(*confirmed, 1'000'001, D("2026-10-01"));
  ASSERT_FALSE(off);
  ASSERT_EQ(off.error().fields.size(), 2u);
  EXPECT_EQ(off.error().fields[0].field, "/amount_fen");
  EXPECT_EQ(off.error().fields[1].field, "/due_date");
  // A second confirmation, and one after a cancellation, are refused.
  EXPECT_EQ(ConfirmReceivable(*confirmed, 1'000'000, D("2026-09-30")).error().code,
            ErrorCode::kConflict);
  ReceivableConfirmation cancelled{ConfirmationState::kCancelled, 0, Date()};
  EXPECT_EQ(ConfirmReceivable(cancelled, 1'000'000, D("2026-09-30")).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(LossBearer(*ParseRecourse("with_recourse")), "seller");
  EXPECT_EQ(LossBearer(*ParseRecourse("without_recourse")), "factor");
}

// ---- milestone tranches ----------------------------------------------------------------------

TEST(Tranches, PaidInOrderAfterTheirMilestoneAndWithinTheApproval) {
  std::vector<Tranche> t = {{"prototype", 300, true, true},
                            {"pilot line", 300, true, false},
                            {"mass production", 400, false, false}};
  EXPECT_TRUE(CheckTrancheDisbursement(1'000, t, 1));
  EXPECT_FALSE(CheckTrancheDisbursement(1'000, t, 2));  // tranche 2 first; milestone 3 open
  EXPECT_FALSE(CheckTrancheDisbursement(1'000, t, 0));  // already paid
  t[2].milestone_confirmed = true;
  EXPECT_FALSE(CheckTrancheDisbursement(1'000, t, 2));  // tranche 2 comes first
  auto over = CheckTrancheDisbursement(999, t, 1);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().fields[0].field, "/tranches");
}

TEST(Tranches, AddingATrancheKeepsTheScheduleRight) {
  const std::vector<Tranche> t = {{"prototype", 300, true, true},
                                  {"pilot line", 300, false, false}};
  // Inserted between the paid and the open tranche: it becomes tranche 2 and is due next.
  auto added = InsertTranche(1'000, t, 1, {"certification", 200, false, false});
  ASSERT_TRUE(added);
  ASSERT_EQ(added->size(), 3u);
  EXPECT_EQ((*added)[1].milestone, "certification");
  EXPECT_EQ((*added)[2].milestone, "pilot line");
  // Before a paid tranche (history), above the approval, or arriving confirmed: refused.
  EXPECT_EQ(InsertTranche(1'000, t, 0, {"x", 100, false, false}).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(InsertTranche(1'000, t, 2, {"x", 401, false, false}).error().fields[0].field,
            "/tranches");
  EXPECT_TRUE(InsertTranche(1'000, t, 2, {"x", 400, false, false}));
  EXPECT_FALSE(InsertTranche(1'000, t, 2, {"x", 100, true, false}));
}

TEST(IpPledge, TheLimitIsTheValuationAtThePledgeRate) {
  EXPECT_EQ(*IpPledgeLimit(10'000'001, 5'000), 5'000'000);  // ⌊5,000,000.5⌋
  EXPECT_FALSE(IpPledgeLimit(1, 10'001));
  // A revaluation below the line is a re-appraisal at the pledge rate.
  EXPECT_EQ(Reappraise(5'000'000, 8'000'000, 5'000)->top_up_fen, 1'000'000);
}

// ---- capacity-sharing loans ----------------------------------------------------------------

TEST(CapacityLoan, AtMostSeventyPercentOfTheEquipment) {
  EXPECT_TRUE(WithinLtv(6'999, 10'000, kCapacityLoanLtvCapBps));   // 69.99%
  EXPECT_TRUE(WithinLtv(7'000, 10'000, kCapacityLoanLtvCapBps));   // 70%
  EXPECT_FALSE(WithinLtv(7'001, 10'000, kCapacityLoanLtvCapBps));  // 70.01%
  auto by_equipment = CapacityLoanLimitOf(1'000'000'01, 2'000'000'00);
  ASSERT_TRUE(by_equipment);
  EXPECT_EQ(by_equipment->max_loan_fen, 700'000'00);  // ⌊100,000,001 × 0.7⌋ = 70,000,000
  EXPECT_EQ(by_equipment->binding_constraint, "equipment_ltv");
  auto by_orders = CapacityLoanLimitOf(1'000'000'00, 500'000'00);
  ASSERT_TRUE(by_orders);
  EXPECT_EQ(by_orders->max_loan_fen, 500'000'00);
  EXPECT_EQ(by_orders->binding_constraint, "pledged_orders");
}

TEST(CapacityLoan, AReappraisalBelowTheLineCallsForATopUp) {
  auto ok = Reappraise(700'000, 1'000'000);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->action, ReappraisalAction::kNone);
  EXPECT_EQ(ok->headroom_fen, 0);
  auto low = Reappraise(700'000, 900'000);
  ASSERT_TRUE(low);
  EXPECT_EQ(low->action, ReappraisalAction::kTopUp);
  EXPECT_EQ(low->top_up_fen, 70'000);  // 700,000 − 630,000
  EXPECT_EQ(low->ltv_bps, 7'778);      // 77.78%, rounded up
}

// ---- dynamic margin ------------------------------------------------------------------------

TEST(DynamicMargin, TenPercentInPeakSeasonThirtyOffSeason) {
  const std::vector<int> peak = {9, 10, 11, 12};
  auto p = DynamicMarginOn(1'000'001, D("2026-10-15"), peak);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->season, "peak");
  EXPECT_EQ(p->ratio_bps, 1'000);
  EXPECT_EQ(p->margin_fen, 100'001);  // ⌈100,000.1⌉
  auto o = DynamicMarginOn(1'000'000, D("2027-01-01"), peak);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->season, "off_peak");
  EXPECT_EQ(o->margin_fen, 300'000);
  // Leaving the peak on 1 January calls for 200,000 more.
  EXPECT_EQ(*MarginCall(1'000'000, 100'000, D("2027-01-01"), peak), 200'000);
  auto bad = DynamicMarginOn(1, D("2027-01-01"), {13});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields[0].field, "/peak_months/0");
}

// ---- automatic restrictions ----------------------------------------------------------------

TEST(Restrictions, UtilizationBelowSixtyPercentRefusesNewFinancing) {
  EXPECT_TRUE(UtilizationTooLow(599, 1'000));   // 59.9%
  EXPECT_FALSE(UtilizationTooLow(600, 1'000));  // 60%
  EXPECT_TRUE(UtilizationTooLow(0, 0));
}

TEST(Restrictions, CustomerConcentrationAboveSixtyPercentIsFlagged) {
  EXPECT_FALSE(CustomerConcentrationTooHigh(6'000, 10'000));
  EXPECT_TRUE(CustomerConcentrationTooHigh(6'001, 10'000));
}

TEST(Restrictions, InventoryBelowTheFinancedOrdersIsAnAnomaly) {
  EXPECT_FALSE(InventoryContradictsOrders(950, 1'000, 500));  // within a 5% count tolerance
  EXPECT_TRUE(InventoryContradictsOrders(949, 1'000, 500));
}

// ---- SME payment regulation ----------------------------------------------------------------

TEST(PaymentTerms, APublicBodyPaysWithinThirtyDaysAndAgreesAtMostSixty) {
  EXPECT_EQ(*PaymentDueDate(PayerKind::kPublicBody, D("2026-03-01"), std::nullopt),
            D("2026-03-31"));
  EXPECT_EQ(*PaymentDueDate(PayerKind::kPublicBody, D("2026-03-01"), 60), D("2026-04-30"));
  auto r = PaymentDueDate(PayerKind::kPublicBody, D("2026-03-01"), 61);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields[0].field, "/agreed_term_days");
  EXPECT_EQ(*PaymentDueDate(PayerKind::kLargeEnterprise, D("2026-03-01"), std::nullopt),
            D("2026-04-30"));
  EXPECT_FALSE(LongLargeEnterpriseTerm(60));
  EXPECT_TRUE(LongLargeEnterpriseTerm(61));
}

TEST(PaymentTerms, StatutoryLateInterestIsFiveBasisPointsADay) {
  // 1,000,000 yuan due 2026-03-31, paid 2026-04-30: 30 days × 0.05% = 1.5% = 15,000 yuan.
  auto r = LatePaymentInterest(100'000'000, D("2026-03-31"), D("2026-04-30"), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->days_late, 30);
  EXPECT_EQ(r->interest_fen, 1'500'000);
  EXPECT_EQ(r->basis, "statutory_daily");
  // Paid on the due date: nothing.
  EXPECT_EQ(LatePaymentInterest(100, D("2026-03-31"), D("2026-03-31"), {})->interest_fen, 0);
  // Half a fen rounds away from zero: 1,000 fen × 5 bp × 1 day = 0.5 fen → 1.
  EXPECT_EQ(LatePaymentInterest(1'000, D("2026-03-31"), D("2026-04-01"), {})->interest_fen, 1);
}

TEST(PaymentTerms, AnAgreedRateMayNotBeBelowTheLprAtSigning) {
  LateInterestTerms agreed{.agreed_annual_bps = 345, .lpr_1y_bps_at_signing = 345};
  // 360 days at 3.45% on 1,000,000 fen: 34,500 fen.
  auto ok = LatePaymentInterest(1'000'000, D("2026-01-01"), D("2026-12-27"), agreed);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->days_late, 360);
  EXPECT_EQ(ok->interest_fen, 34'500);
  EXPECT_EQ(ok->basis, "agreed_annual");
  agreed.agreed_annual_bps = 344;
  auto low = LatePaymentInterest(1'000'000, D("2026-01-01"), D("2026-12-27"), agreed);
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error().fields[0].field, "/agreed_annual_bps");
}

// ---- currencies ----------------------------------------------------------------------------

TEST(Currency, MinorUnitsOfZeroTwoAndThreeDecimals) {
  EXPECT_EQ(*MinorUnitDigits("JPY"), 0);
  EXPECT_EQ(*MinorUnitDigits("CNY"), 2);
  EXPECT_EQ(*MinorUnitDigits("KWD"), 3);
  EXPECT_FALSE(MinorUnitDigits("XXX"));
}

TEST(Currency, ConvertsToTheTargetsMinorUnitHalfAwayFromZero) {
  const std::vector<FxRate> rates = {
      {D("2026-06-01"), "USD", "CNY", *ParseDecimalRate("7.1186", "/r"), "CFETS central parity"},
      {D("2026-06-02"), "USD", "CNY", *ParseDecimalRate("7.1200", "/r"), "CFETS central parity"},
      {D("2026-06-01"), "CNY", "JPY", *ParseDecimalRate("21.5", "/r"), "bank"},
      {D("2026-06-01"), "KWD", "CNY", *ParseDecimalRate("23.217", "/r"), "bank"}};
  // 100.00 USD on 2026-06-01 → 711.86 CNY.
  auto usd = Convert(10'000, "USD", "CNY", D("2026-06-01"), rates);
  ASSERT_TRUE(usd);
  EXPECT_EQ(usd->amount_minor, 71'186);
  EXPECT_EQ(usd->used->rate.ToString(), "7.1186");
  // The latest rate on or before the date.
  EXPECT_EQ(Convert(10'000, "USD", "CNY", D("2026-06-30"), rates)->amount_minor, 71'200);
  // 0.01 CNY → 0.215 JPY → 0 yen; 0.03 CNY → 0.645 → 1 yen.
  EXPECT_EQ(Convert(1, "CNY", "JPY", D("2026-06-01"), rates)->amount_minor, 0);
  EXPECT_EQ(Convert(3, "CNY", "JPY", D("2026-06-01"), rates)->amount_minor, 1);
  // 1.234 KWD (1,234 fils) → 28.649778 CNY → 28.65.
  EXPECT_EQ(Convert(1'234, "KWD", "CNY", D("2026-06-01"), rates)->amount_minor, 2'865);
  // The reverse quote, divided: 711.86 CNY → 100.00 USD.
  auto back = Convert(71'186, "CNY", "USD", D("2026-06-01"), rates);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->inverted);
  EXPECT_EQ(back->amount_minor, 10'000);
  auto none = Convert(100, "USD", "CNY", D("2026-05-31"), rates);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().fields[0].field, "/rates");
  EXPECT_FALSE(ParseDecimalRate("7.", "/r"));
  EXPECT_FALSE(ParseDecimalRate("-7", "/r"));
  EXPECT_FALSE(ParseDecimalRate("0", "/r"));
}

}  // namespace
}  // namespace corridor::domain
