// The demo's credit scoring: the local bank trains its SME scorecard on its own repayment
// history, its risk analyst approves it, and it scores every verified enterprise month by month.
#include "service/scoring/scoring.hpp"

#include "demo/builder.hpp"

namespace corridor::service::demo_stages {

Status DemoBuilder::CreditScoring() {
  Scoring scoring(store, as_of_clock);
  const int64_t bank = banks[0].tenant_id;
  const auto officer =
      CORRIDOR_TRY(internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", bank));
  CORRIDOR_TRY_STATUS(User(bank, Role::kRiskAnalyst, "Bank risk analyst", "bank_risk"));
  const auto analyst =
      CORRIDOR_TRY(internal::QueryInt(c, "SELECT max(id) FROM users WHERE tenant_id = ?", bank));
  const Caller trainer{.user_id = *officer,
                       .tenant_id = bank,
                       .role = Role::kBankOfficer,
                       .tenant_kind = TenantKind::kBank,
                       .enterprise_id = 0};
  Caller approver = trainer;
  approver.user_id = *analyst;
  approver.role = Role::kRiskAnalyst;
  // Trained on the borrowers as of two years ago with their year's outcome, checked out of time
  // on those of a year ago.
  auto model = scoring.Train(c, trainer,
                             Json{{"name", "小微企业评分卡 SME scorecard"},
                                  {"snapshot_date", as_of.AddMonths(-24).ToString()},
                                  {"oot_date", as_of.AddMonths(-12).ToString()},
                                  {"horizon_days", 365}});
  // A demo too small for a model (the tests' small scales) has none.
  if (!model && model.error().code == ErrorCode::kInvalidArgument) return {};
  if (!model) return Fail(std::move(model.error()));
  const int64_t id = model->body.at("id").get<int64_t>();
  CORRIDOR_TRY(scoring.Decide(c, approver, id,
                              Json{{"decision", "approve"},
                                   {"note",
                                    "AUC and KS hold out of time; the fairness flags "
                                    "are reviewed monthly"}}));
  // Monthly runs: the last two month-ends and the day itself.
  for (int m = 2; m >= 0; --m) {
    const Date day = m == 0 ? as_of : as_of.AddDays(1 - as_of.day()).AddMonths(1 - m).AddDays(-1);
    CORRIDOR_TRY(scoring.Run(c, trainer, id, Json{{"as_of", day.ToString()}}));
  }
  return {};
}

}  // namespace corridor::service::demo_stages
