// Early warning through the API: a wind farm financed by bank A, owned by enterprise E, uploads
// its telemetry; its curtailment rises above the 10% threshold rule for three hours and the alert
// fires once (a further upload in breach fires no second one); the lender acknowledges it, the
// owner comments, the bureau sees it with its history; the bureau's rule change is logged and
// restarts the detector, and once curtailment is back under the clear level for the rule's quiet
// period the alert resolves. Bank B sees none of it. Malformed rows are refused with their rows
// and reasons while the good rows are kept.
//
// The clock stands at 2025-06-01 00:00 CST = 2025-05-31T16:00:00Z.
#include <fmt/format.h>
#include <sodium.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "api_fixture.hpp"
#include "app/webhook_sender.hpp"
#include "service/monitor/internal.hpp"

namespace corridor::testing {
namespace {

class MonitorTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    std::tie(bank_id_, bank_) = Onboard("bank", "Bank A", "bank_officer");
    std::tie(bank2_id_, bank2_) = Onboard("bank", "Bank B", "bank_officer");
    std::tie(enterprise_id_, enterprise_) = Enterprise(1, "new_energy");
    std::tie(other_id_, other_) = Enterprise(2, "new_energy");
    auto p = Call("POST", "/api/v1/monitor/projects", bank_,
                  {{"code", "WF-CF-001"},
                   {"name", "赤峰克什克腾风电场"},
                   {"type", "wind"},
                   {"capacity_kw", 200'000},
                   {"region", "Hexigten"},
                   {"enterprise_id", enterprise_id_}});
    ASSERT_EQ(p.status, 201) << p.raw.body;
    project_ = p.body["id"].get<int64_t>();
  }

  // Hourly generation and curtailment of the farm on a UTC day, hours [from, to), curtailment at
  // `curtailed_pct` of the available energy (100 MWh an hour).
  static std::string Hours(const std::string& day, int from, int to, int curtailed_pct) {
    std::string csv;
    for (int h = from; h < to; ++h) {
      const std::string t = fmt::format("{}T{:02}:00:00Z", day, h);
      csv += fmt::format("WF-CF-001,generation_mwh,{},{},MWh\n", t, 100 - curtailed_pct);
      csv += fmt::format("WF-CF-001,curtailed_mwh,{},{},MWh\n", t, curtailed_pct);
    }
    return csv;
  }

  Reply Upload(const std::string& token, const std::string& rows) {
    return Call("POST", "/api/v1/monitor/telemetry", token,
                {{"csv", "project,indicator,time,value,unit\n" + rows}});
  }

  // The open alert of a rule on the farm's curtailment, or 0.
  int64_t OpenAlert(const std::string& token, int64_t rule) {
    auto list = Call("GET", "/api/v1/monitor/alerts?status=open", token);
    EXPECT_EQ(list.status, 200) << list.raw.body;
    for (const auto& a : list.body["items"]) {
      if (a["rule_id"] == rule) return a["id"].get<int64_t>();
    }
    return 0;
  }

  // The default rule ids: the curtailment threshold and the curtailment CUSUM.
  std::pair<int64_t, int64_t> CurtailmentRules() {
    auto rules = Call("GET", "/api/v1/monitor/rules?limit=100", bank_);
    EXPECT_EQ(rules.status, 200) << rules.raw.body;
    int64_t threshold = 0, cusum = 0;
    for (const auto& r : rules.body["items"]) {
      if (r["indicator"] != "curtailment_rate") continue;
      (r["kind"] == "threshold" ? threshold : cusum) = r["id"].get<int64_t>();
    }
    return {threshold, cusum};
  }

  int64_t bank_id_ = 0, bank2_id_ = 0, enterprise_id_ = 0, other_id_ = 0, project_ = 0;
  std::string bank_, bank2_, enterprise_, other_;
};

TEST_F(MonitorTest, MalformedRowsAreRefusedWithTheirRowAndReasonAndGoodRowsKept) {
  auto r = Upload(enterprise_,
                  "WF-CF-001,availability,2025-05-31T01:00:00Z,0.99,ratio\n"
                  "WF-CF-001,availability,2025-05-31T02:00:00Z,1.5,ratio\n"   // range
                  "WF-CF-001,availabilty,2025-05-31T02:00:00Z,0.9,ratio\n"    // indicator
                  "WF-CF-001,irradiance_wm2,2025-05-31T02:00:00Z,700,W/m2\n"  // not wind
                  "WF-CF-001,availability,2025-05-31T03:00:00,0.9,ratio\n"    // zone
                  "WF-CF-001,availability,2025-06-01T03:00:00Z,0.9,ratio\n"   // future
                  "WF-CF-001,availability,2025-05-31T04:00:00Z,0.9,%\n"       // unit
                  "WF-CF-001,availability,2025-05-31T01:00:00Z,0.98,ratio\n"  // conflict
                  "WF-CF-999,availability,2025-05-31T05:00:00Z,0.9,ratio\n"   // project
                  "WF-CF-001,availability,2025-05-31T06:00:00Z,0.97,ratio\n");
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["accepted"], 2);
  const std::vector<std::pair<int, std::string>> want = {
      {3, "value"}, {4, "indicator"}, {5, "indicator"}, {6, "time"},
      {7, "time"},  {8, "unit"},      {9, ""},          {10, "project"}};
  ASSERT_EQ(r.body["refused"].size(), want.size()) << r.body.dump();
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.body["refused"][i]["row"], want[i].first) << i;  // the CSV's line
    EXPECT_EQ(r.body["refused"][i]["field"], want[i].second) << i;
    EXPECT_FALSE(r.body["refused"][i]["reason"].get<std::string>().empty());
  }
  EXPECT_EQ(r.body["refused"][6]["reason"], "conflicts with row 2");
  // Sent again, the kept rows are duplicates of what is stored.
  auto again = Upload(enterprise_, "WF-CF-001,availability,2025-05-31T01:00:00Z,0.99,ratio\n");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body["accepted"], 0);
  EXPECT_EQ(again.body["refused"][0]["reason"], "duplicate of a stored reading");
  // JSON rows: the same checks, rows numbered by index.
  auto json = Call("POST", "/api/v1/monitor/telemetry", enterprise_,
                   {{"readings",
                     {{{"project", "WF-CF-001"},
                       {"indicator", "dscr"},
                       {"time", "2025-05-31T00:00:00Z"},
                       {"value", 1.35}},
                      {{"project", "WF-CF-001"},
                       {"indicator", "om_cost_fen"},
                       {"time", "2025-05-31T00:00:00Z"},
                       {"value", 100.5}}}}});
  ASSERT_EQ(json.status, 200) << json.raw.body;
  EXPECT_EQ(json.body["accepted"], 1);
  EXPECT_EQ(json.body["refused"][0]["row"], 1);
  EXPECT_EQ(json.body["refused"][0]["reason"], "must be a whole number of fen");
  // Another enterprise's upload for this farm reads as an unknown project.
  auto foreign = Upload(other_, "WF-CF-001,availability,2025-05-31T07:00:00Z,0.9,ratio\n");
  EXPECT_EQ(foreign.body["refused"][0]["reason"], "is not a monitored project");
  // A CSV that is not a table is refused whole, naming the line.
  auto broken = Call("POST", "/api/v1/monitor/telemetry", enterprise_,
                     {{"csv", "project,indicator,time\nWF-CF-001,availability,x\n"}});
  EXPECT_EQ(broken.status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/monitor/telemetry", bank_, {{"csv", "x"}}).status, 403);
}

TEST_F(MonitorTest, CurtailmentRisesTheAlertFiresOnceTheLenderAcknowledgesTheBureauSeesIt) {
  const auto [threshold, cusum] = CurtailmentRules();
  ASSERT_NE(threshold, 0);
  ASSERT_NE(cusum, 0);
  // 00:00–05:00 at 5% curtailment, then 20% from 06:00: the threshold rule (above 10% for three
  // hours) fires at 09:00; the CUSUM (target 5%, σ 2%, h 5σ) at the first 20% hour.
  auto first = Upload(enterprise_, Hours("2025-05-31", 0, 6, 5) + Hours("2025-05-31", 6, 10, 20));
  ASSERT_EQ(first.status, 200) << first.raw.body;
  EXPECT_EQ(first.body["accepted"], 20);
  EXPECT_EQ(first.body["derived"], 10);  // a rate for each hour
  EXPECT_EQ(first.body["alerts_fired"].size(), 2u);
  const int64_t alert = OpenAlert(bank_, threshold);
  ASSERT_NE(alert, 0);
  auto fired = Call("GET", "/api/v1/monitor/alerts/" + std::to_string(alert), bank_);
  ASSERT_EQ(fired.status, 200) << fired.raw.body;
  EXPECT_EQ(fired.body["fired_at"], "2025-05-31T09:00:00Z");
  EXPECT_EQ(fired.body["status"], "firing");
  EXPECT_NEAR(fired.body["fired_value"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(fired.body["fingerprint"],
            fmt::format("project:{}/curtailment_rate/rule:{}", project_, threshold));
  EXPECT_EQ(fired.body["owner_tenant_id"], bank_id_);

  // Still in breach: no second alert.
  auto more = Upload(enterprise_, Hours("2025-05-31", 10, 15, 20));
  ASSERT_EQ(more.status, 200) << more.raw.body;
  EXPECT_TRUE(more.body["alerts_fired"].empty());

  // The project reads critical? No: both curtailment rules are warnings.
  auto project = Call("GET", "/api/v1/monitor/projects/" + std::to_string(project_), bank_);
  EXPECT_EQ(project.body["risk_state"], "warning");
  EXPECT_NEAR(project.body["latest"]["curtailment_rate"]["value"].get<double>(), 0.2, 1e-12);
  auto warned = Call("GET", "/api/v1/monitor/projects?risk_state=warning", bank_);
  EXPECT_EQ(warned.body["items"].size(), 1u);
  EXPECT_TRUE(
      Call("GET", "/api/v1/monitor/projects?risk_state=normal", bank_).body["items"].empty());

  // Bank B sees nothing and may not act; the enterprise may comment but not acknowledge.
  const std::string path = "/api/v1/monitor/alerts/" + std::to_string(alert);
  EXPECT_EQ(Call("GET", path, bank2_).status, 404);
  EXPECT_TRUE(Call("GET", "/api/v1/monitor/alerts", bank2_).body["items"].empty());
  EXPECT_TRUE(Call("GET", "/api/v1/monitor/projects", bank2_).body["items"].empty());
  EXPECT_EQ(Call("POST", path + "/acknowledge", bank2_, Json::object()).status, 404);
  EXPECT_EQ(Call("POST", path + "/acknowledge", enterprise_, Json::object()).status, 403);
  EXPECT_EQ(Call("POST", path + "/comments", enterprise_, {{"note", "grid dispatch limit"}}).status,
            201);

  auto ack = Call("POST", path + "/acknowledge", bank_, {{"note", "calling the owner"}});
  ASSERT_EQ(ack.status, 200) << ack.raw.body;
  EXPECT_EQ(ack.body["status"], "acknowledged");
  EXPECT_EQ(Call("POST", path + "/acknowledge", bank_, Json::object()).status, 409);

  // The bureau sees it, acknowledged, with its history.
  auto seen = Call("GET", path, bureau_);
  ASSERT_EQ(seen.status, 200) << seen.raw.body;
  EXPECT_EQ(seen.body["status"], "acknowledged");
  std::vector<std::string> kinds;
  for (const auto& e : seen.body["history"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, std::vector<std::string>({"fired", "comment", "acknowledged"}));
  EXPECT_EQ(seen.body["history"][2]["note"], "calling the owner");

  // Silenced for a day, with a reason; not beyond 30 days.
  EXPECT_EQ(Call("POST", path + "/silence", bank_,
                 {{"until", "2025-08-01T00:00:00Z"}, {"reason", "too long"}})
                .status,
            422);
  auto silenced = Call("POST", path + "/silence", bank_,
                       {{"until", "2025-06-01T16:00:00Z"}, {"reason", "dispatch curtailment"}});
  ASSERT_EQ(silenced.status, 200) << silenced.raw.body;
  EXPECT_EQ(silenced.body["silenced"], true);

  // The bureau raises the threshold to 25%: version 2, logged, the detector restarts firing
  // (its alert is open) and resolves after 12 quiet hours under the 8% clear level.
  auto rule = Call("POST", "/api/v1/monitor/rules/" + std::to_string(threshold), bureau_,
                   {{"params",
                     {{"direction", "above"},
                      {"trigger", 0.25},
                      {"clear", 0.08},
                      {"min_duration_s", 10'800},
                      {"quiet_s", 43'200}}}});
  ASSERT_EQ(rule.status, 200) << rule.raw.body;
  EXPECT_EQ(rule.body["version"], 2);
  EXPECT_TRUE(rule.body["log_index"].is_number_integer());
  EXPECT_EQ(Call("POST", "/api/v1/monitor/rules/" + std::to_string(threshold), bank_,
                 {{"severity", "info"}})
                .status,
            403);

  clock_.Advance(int64_t{86'400} * 1'000'000);  // 2025-06-01T16:00:00Z
  auto calm = Upload(enterprise_, Hours("2025-06-01", 0, 12, 2));
  ASSERT_EQ(calm.status, 200) << calm.raw.body;
  EXPECT_TRUE(calm.body["alerts_resolved"].empty());  // clear since 00:00, 11 hours
  auto later = Upload(enterprise_, Hours("2025-06-01", 12, 13, 2));
  ASSERT_EQ(later.status, 200) << later.raw.body;
  EXPECT_EQ(later.body["alerts_resolved"], Json::array({alert}));
  auto resolved = Call("GET", path, bureau_);
  EXPECT_EQ(resolved.body["status"], "resolved");
  EXPECT_EQ(resolved.body["resolved_at"], "2025-06-01T12:00:00Z");
  EXPECT_EQ(resolved.body["history"].back()["kind"], "resolved");

  // Curtailment by region and month: May 2025 is 15 hours, 6 at 5% and 9 at 20%.
  auto curtailment = Call("GET", "/api/v1/monitor/curtailment?year=2025", bureau_);
  ASSERT_EQ(curtailment.status, 200) << curtailment.raw.body;
  const Json may = curtailment.body["rows"][0];
  EXPECT_EQ(may["region"], "Hexigten");
  EXPECT_EQ(may["month"], "2025-05");
  EXPECT_NEAR(may["curtailed_mwh"].get<double>(), 6 * 5 + 9 * 20, 1e-9);
  EXPECT_NEAR(may["curtailment_rate"].get<double>(), (6 * 5 + 9 * 20) / 1500.0, 1e-12);
  EXPECT_TRUE(Call("GET", "/api/v1/monitor/curtailment?year=2025", bank2_).body["rows"].empty());

  // The series as stored.
  auto series = Call("GET",
                     "/api/v1/monitor/projects/" + std::to_string(project_) +
                         "/series?indicator=curtailment_rate&from=2025-05-31&to=2025-06-01",
                     bank_);
  ASSERT_EQ(series.status, 200) << series.raw.body;
  EXPECT_EQ(series.body["points"].size(), 15u + 13u);
  EXPECT_EQ(series.body["points"][0]["time"], "2025-05-31T00:00:00Z");
  EXPECT_NEAR(series.body["points"][0]["value"].get<double>(), 0.05, 1e-12);
}

TEST_F(MonitorTest, AnOpenUtilizationAlertRestrictsSupplyChainFinancing) {
  auto r = Upload(enterprise_, "WF-CF-001,equipment_utilization,2025-05-31T00:00:00Z,0.55,ratio\n");
  ASSERT_EQ(r.status, 200) << r.raw.body;
  ASSERT_EQ(r.body["alerts_fired"].size(), 1u);  // below 60%, critical, at once
  auto project = Call("GET", "/api/v1/monitor/projects/" + std::to_string(project_), bureau_);
  EXPECT_EQ(project.body["risk_state"], "critical");
  // A capacity-sharing loan to the enterprise is refused by the capacity-utilization rule.
  auto loan = Call("POST", "/api/v1/supply/capacity-loans", bank_,
                   {{"enterprise_id", enterprise_id_},
                    {"equipment_asset_id", 1},
                    {"appraised_fen", 10'000'000},
                    {"principal_fen", 1'000'000},
                    {"order_asset_ids", {1}}});
  EXPECT_EQ(loan.status, 409) << loan.raw.body;
  EXPECT_NE(loan.raw.body.find("monitor alert"), std::string::npos) << loan.raw.body;
}

// The ecosystem health index (seed 002 §5.3.1): the core reports a steady week, its supplier's
// utilization falls 800 → 680 → 578 of 1,000 units (index 1 → 0.85 → 0.7225: exactly 15% twice)
// and the alert on the supplier fires once, at the second fall; the ecosystem's capital-weighted
// index falls less and fires nothing. Two weeks without a counting fall resolve it. Only the
// oversight roles see the ecosystem; the firm and its lender see its own index and alert (the
// lender's webhook is told); another bank sees neither.
TEST_F(MonitorTest, TheHealthIndexFallingFifteenPercentTwiceFiresOneAlertOnTheFirm) {
  auto eco = Call("POST", "/api/v1/ecosystems", bureau_,
                  {{"name", "Wind chain"},
                   {"core_enterprise_id", enterprise_id_},
                   {"core_capital_fen", 3'000'000}});
  ASSERT_EQ(eco.status, 201) << eco.raw.body;
  const int64_t eco_id = eco.body["id"].get<int64_t>();
  ASSERT_EQ(Call("POST", fmt::format("/api/v1/ecosystems/{}/members", eco_id), bureau_,
                 {{"enterprise_id", other_id_}, {"capital_fen", 1'000'000}})
                .status,
            201);
  const auto outsider = Enterprise(3, "new_energy").first;
  // Bank A lends to the supplier (a loan with nothing yet due: no financing component) and has a
  // webhook: it sees the supplier's alert and is told of it.
  ASSERT_TRUE(store_->Write([&](store::Connection& c) -> Status {
    CORRIDOR_TRY(store::Execute(
        c,
        "INSERT INTO loans (bank_tenant_id, enterprise_id, principal_fen, annual_rate_bps, "
        "borrower_rate_bps, subsidy_rate_bps, term_months, method, kind, start_date, booked_at) "
        "VALUES (?, ?, 1000000, 400, 400, 0, 12, 'bullet', 'working_capital', '2025-03-01', 0)",
        bank_id_, other_id_));
    return {};
  }));
  const auto hook =
      Call("POST", "/api/v1/monitor/webhooks", bank_, {{"url", "https://bank-a.example/hooks"}});
  ASSERT_EQ(hook.status, 201) << hook.raw.body;
  const auto report = [](int64_t firm, const std::string& week, int64_t used) {
    return Json{
        {"enterprise_id", firm}, {"week", week}, {"capacity_units", 1'000}, {"used_units", used}};
  };
  const auto upload = [&](const std::string& token, Json rows) {
    return Call("POST", "/api/v1/monitor/health/reports", token,
                {{"ecosystem_id", eco_id}, {"reports", std::move(rows)}});
  };
  Json rows = Json::array();
  const char* weeks[] = {"2025-03-31", "2025-04-07", "2025-04-14", "2025-04-21"};
  const int64_t used[] = {800, 800, 680, 578};
  for (int w = 0; w < 4; ++w) {
    rows.push_back(report(enterprise_id_, weeks[w], 900));
    rows.push_back(report(other_id_, weeks[w], used[w]));
  }
  // Bad rows, each refused with its row and field; the good rows are kept.
  rows.push_back(report(other_id_, "2025-04-22", 800));    // 8: not a Monday
  rows.push_back(report(other_id_, "2025-06-02", 800));    // 9: next week
  rows.push_back(report(outsider, "2025-04-21", 800));     // 10: not a member
  rows.push_back(report(other_id_, "2025-04-28", 1'200));  // 11: above capacity
  rows.push_back({{"enterprise_id", other_id_}, {"week", "2025-04-28"}, {"used_units", 5}});  // 12
  rows.push_back({{"enterprise_id", other_id_}, {"week", "2025-04-28"}});  // 13: no figure
  rows.push_back(report(other_id_, "2025-04-21", 578));                    // 14: repeats row 7
  auto r = upload(bureau_, rows);
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["accepted"], 8);
  const std::vector<std::pair<int, std::string>> want = {
      {8, "week"}, {9, "week"}, {10, "enterprise_id"}, {11, "used_units"}, {12, "capacity_units"},
      {13, ""},    {14, "week"}};
  ASSERT_EQ(r.body["refused"].size(), want.size()) << r.body.dump();
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.body["refused"][i]["row"], want[i].first) << i;
    EXPECT_EQ(r.body["refused"][i]["field"], want[i].second) << r.body["refused"][i];
  }
  ASSERT_EQ(r.body["alerts_fired"].size(), 1u) << r.body.dump();
  const int64_t alert = r.body["alerts_fired"][0].get<int64_t>();

  // The alert is the firm's, fired for the week of the second fall.
  auto a = Call("GET", fmt::format("/api/v1/monitor/alerts/{}", alert), bureau_);
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["subject"], "enterprise");
  EXPECT_EQ(a.body["enterprise_id"], other_id_);
  EXPECT_EQ(a.body["ecosystem_id"], eco_id);
  EXPECT_TRUE(a.body["project_id"].is_null());
  EXPECT_TRUE(a.body["rule_id"].is_null());
  EXPECT_EQ(a.body["indicator"], "health_index");
  EXPECT_EQ(a.body["fingerprint"],
            fmt::format("ecosystem:{}/enterprise:{}/health_index", eco_id, other_id_));
  EXPECT_EQ(a.body["fired_at"], "2025-04-27T23:59:59Z");
  EXPECT_DOUBLE_EQ(a.body["fired_value"].get<double>(), 0.7225);
  EXPECT_NE(a.body["history"][0]["note"].get<std::string>().find("1 → 0.85 → 0.7225"),
            std::string::npos)
      << a.body["history"];
  // The firm sees it and comments; another bank, or a bank that does not lend to the firm, does
  // not learn it exists; the bureau acknowledges it.
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/monitor/alerts/{}", alert), other_).status, 200);
  EXPECT_EQ(Call("POST", fmt::format("/api/v1/monitor/alerts/{}/comments", alert), other_,
                 {{"note", "a customer moved its orders; new ones signed for May"}})
                .status,
            201);
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/monitor/alerts/{}", alert), bank2_).status, 404);
  EXPECT_EQ(OpenAlert(bank2_, 0), 0);
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/monitor/alerts/{}", alert), bank_).status, 200);
  auto told = Call(
      "GET", fmt::format("/api/v1/monitor/webhooks/{}/deliveries", hook.body["id"].get<int64_t>()),
      bank_);
  ASSERT_EQ(told.status, 200) << told.raw.body;
  ASSERT_FALSE(told.body["items"].empty()) << told.raw.body;
  EXPECT_EQ(told.body["items"][0]["alert_id"], alert);
  EXPECT_EQ(told.body["items"][0]["event"], "fired");
  // The lender sees it but the bureau owns it: the lender does not acknowledge it.
  EXPECT_EQ(Call("POST", fmt::format("/api/v1/monitor/alerts/{}/acknowledge", alert), bank_,
                 Json::object())
                .status,
            403);
  EXPECT_EQ(Call("POST", fmt::format("/api/v1/monitor/alerts/{}/acknowledge", alert), bureau_,
                 Json::object())
                .status,
            200);

  // The ecosystem's index: capital-weighted, 3:1 — (3 · 1 + 0.7225) / 4 = 0.930625 at the end.
  auto h = Call("GET", fmt::format("/api/v1/monitor/health/ecosystems/{}", eco_id), bureau_);
  ASSERT_EQ(h.status, 200) << h.raw.body;
  ASSERT_EQ(h.body["weeks"].size(), 4u) << h.body.dump();
  EXPECT_EQ(h.body["weeks"][2]["index_ppm"], 962'500);
  EXPECT_EQ(h.body["weeks"][3]["index_ppm"], 930'625);
  EXPECT_FALSE(h.body["weeks"][3]["fell"]);
  EXPECT_TRUE(h.body["alerts"].empty());
  ASSERT_EQ(h.body["firms"].size(), 2u);
  EXPECT_EQ(h.body["firms"][0]["enterprise_id"], other_id_);  // worst first
  EXPECT_EQ(h.body["firms"][0]["index_ppm"], 722'500);
  EXPECT_EQ(h.body["firms"][0]["open_alert_id"], alert);
  EXPECT_EQ(h.body["rule"]["drop_pct"], "15");
  // The firm's own series, for the firm: both falls count; its components say why.
  auto mine =
      Call("GET",
           fmt::format("/api/v1/monitor/health/ecosystems/{}?enterprise_id={}", eco_id, other_id_),
           other_);
  ASSERT_EQ(mine.status, 200) << mine.raw.body;
  EXPECT_TRUE(mine.body["weeks"][2]["fell"]);
  EXPECT_TRUE(mine.body["weeks"][3]["fell"]);
  EXPECT_EQ(mine.body["weeks"][3]["components"]["capacity"]["score_ppm"], 722'500);
  EXPECT_TRUE(mine.body["weeks"][3]["components"]["order"].is_null());
  EXPECT_EQ(mine.body["alerts"][0]["id"], alert);
  EXPECT_EQ(
      Call("GET",
           fmt::format("/api/v1/monitor/health/ecosystems/{}?enterprise_id={}", eco_id, other_id_),
           bank2_)
          .status,
      404);
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/monitor/health/ecosystems/{}", eco_id), other_).status,
            403);

  // A firm reports for itself only; a stored week is a duplicate or a conflict.
  auto own = upload(other_, Json::array({report(other_id_, "2025-04-21", 578),
                                         report(other_id_, "2025-04-14", 700),
                                         report(enterprise_id_, "2025-04-28", 900)}));
  ASSERT_EQ(own.status, 200) << own.raw.body;
  EXPECT_EQ(own.body["accepted"], 0);
  EXPECT_EQ(own.body["refused"][0]["reason"], "duplicate of the stored report of that week");
  EXPECT_EQ(own.body["refused"][1]["reason"], "conflicts with the stored report of that week");
  EXPECT_EQ(own.body["refused"][2]["reason"], "is not the caller's enterprise");
  // Two weeks without a counting fall (578 → 578 → 600) resolve the alert.
  auto next = upload(other_, Json::array({report(other_id_, "2025-04-28", 578)}));
  ASSERT_EQ(next.status, 200) << next.raw.body;
  EXPECT_TRUE(next.body["alerts_resolved"].empty());
  auto after = upload(other_, Json::array({report(other_id_, "2025-05-05", 600)}));
  ASSERT_EQ(after.status, 200) << after.raw.body;
  EXPECT_EQ(after.body["alerts_resolved"], Json::array({alert}));
  auto done = Call("GET", fmt::format("/api/v1/monitor/alerts/{}", alert), bureau_);
  EXPECT_EQ(done.body["status"], "resolved");
  EXPECT_EQ(done.body["resolved_at"], "2025-05-11T23:59:59Z");
}

TEST_F(MonitorTest, RulesAreValidatedAndTheirArlsServed) {
  const auto [threshold, cusum] = CurtailmentRules();
  auto arl = Call("GET", "/api/v1/monitor/rules/" + std::to_string(cusum) + "/arl", bank_);
  ASSERT_EQ(arl.status, 200) << arl.raw.body;
  // The upper CUSUM, k 0.5, h 5: 930.9 in control (spc xcusum.arl(0.5, 5, 0) = 930.887; the
  // two-sided chart's 465 is half of it), 10.38 at 1σ.
  EXPECT_EQ(arl.body["two_sided"], false);
  EXPECT_NEAR(arl.body["arl"][0]["arl"].get<double>(), 930.887, 1e-2);
  EXPECT_NEAR(arl.body["arl"][2]["arl"].get<double>(), 10.376, 1e-3);
  EXPECT_EQ(
      Call("GET", "/api/v1/monitor/rules/" + std::to_string(threshold) + "/arl", bank_).status,
      422);
  auto bad = Call("POST", "/api/v1/monitor/rules", bureau_,
                  {{"indicator", "curtailment_rate"},
                   {"kind", "ewma"},
                   {"params", {{"sigma", 0}, {"lambda", 0.1}, {"l", 2.7}}},
                   {"severity", "warning"},
                   {"description", "x"}});
  ASSERT_EQ(bad.status, 422) << bad.raw.body;
  EXPECT_EQ(bad.body["errors"][0]["field"], "/params/sigma") << bad.raw.body;
  auto made = Call("POST", "/api/v1/monitor/rules", bureau_,
                   {{"indicator", "wind_speed_ms"},
                    {"project_type", "wind"},
                    {"kind", "rate"},
                    {"params", {{"direction", "above"}, {"limit_per_hour", 10}}},
                    {"severity", "info"},
                    {"description", "a gust front"}});
  ASSERT_EQ(made.status, 201) << made.raw.body;
  EXPECT_EQ(made.body["version"], 1);
}

TEST_F(MonitorTest, RawReadingsAreKeptAYearThenTheirDailyAggregates) {
  ASSERT_EQ(Upload(enterprise_, Hours("2025-05-31", 0, 2, 5)).status, 200);
  // A year and a day later the day's block is dropped at the next upload; its aggregates stay.
  clock_.Advance(int64_t{367} * 86'400 * 1'000'000);
  ASSERT_EQ(Upload(enterprise_, Hours("2026-06-01", 0, 1, 5)).status, 200);
  auto series = Call("GET",
                     "/api/v1/monitor/projects/" + std::to_string(project_) +
                         "/series?indicator=generation_mwh&from=2025-05-31&to=2025-05-31",
                     bank_);
  ASSERT_EQ(series.status, 200) << series.raw.body;
  EXPECT_TRUE(series.body["points"].empty());
  ASSERT_EQ(series.body["days"].size(), 1u);
  EXPECT_EQ(series.body["days"][0]["readings"], 2);
  EXPECT_NEAR(series.body["days"][0]["mean"].get<double>(), 95, 1e-9);
  // A reading older than the year is refused.
  auto old = Upload(enterprise_, Hours("2025-05-30", 0, 1, 5));
  EXPECT_EQ(old.body["accepted"], 0);
  EXPECT_EQ(old.body["refused"][0]["reason"], "is more than a year old (the raw year is kept)");
}

// A webhook receiver that answers `status` and keeps what it was sent.
class FakeSender : public service::WebhookSender {
 public:
  mutable std::vector<std::pair<Headers, std::string>> posts;
  int status = 200;
  Result<int> Post(const std::string&, const Headers& headers,
                   const std::string& body) const override {
    posts.emplace_back(headers, body);
    return status;
  }
  std::string Header(size_t k, const std::string& name) const {
    for (const auto& [n, v] : posts.at(k).first) {
      if (n == name) return v;
    }
    return "";
  }
};

TEST(Webhooks, HmacSha256MatchesRfc4231) {
  // RFC 4231 §4.3, test case 2.
  EXPECT_EQ(service::monitor_internal::HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(MonitorTest, WebhooksDeliverSignedEventsWithRetriesAndHoldThemWhileSilenced) {
  auto hook =
      Call("POST", "/api/v1/monitor/webhooks", bank_, {{"url", "https://bank-a.example/alerts"}});
  ASSERT_EQ(hook.status, 201) << hook.raw.body;
  const std::string secret = hook.body["secret"];
  ASSERT_TRUE(secret.starts_with("whsec_"));
  EXPECT_EQ(Call("POST", "/api/v1/monitor/webhooks", bank_, {{"url", "ftp://x"}}).status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/monitor/webhooks", enterprise_, {{"url", "https://x"}}).status,
            403);
  auto listed = Call("GET", "/api/v1/monitor/webhooks", bank_);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_FALSE(listed.body["items"][0].contains("secret"));
  EXPECT_TRUE(Call("GET", "/api/v1/monitor/webhooks", bank2_).body["items"].empty());

  // The utilization alert fires: one delivery to bank A's hook.
  auto r = Upload(enterprise_, "WF-CF-001,equipment_utilization,2025-05-31T00:00:00Z,0.55,ratio\n");
  ASSERT_EQ(r.body["alerts_fired"].size(), 1u) << r.raw.body;
  const int64_t alert = r.body["alerts_fired"][0];
  FakeSender down;
  down.status = 503;
  auto run = app_->monitor().DeliverDue(down);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->retried, 1);
  const std::string deliveries =
      "/api/v1/monitor/webhooks/" + std::to_string(hook.body["id"].get<int64_t>()) + "/deliveries";
  auto d = Call("GET", deliveries, bank_);
  ASSERT_EQ(d.status, 200) << d.raw.body;
  EXPECT_EQ(d.body["items"][0]["status"], "pending");
  EXPECT_EQ(d.body["items"][0]["attempts"], 1);
  EXPECT_EQ(d.body["items"][0]["last_error"], "HTTP 503");
  EXPECT_EQ(Call("GET", deliveries, bank2_).status, 404);
  // Not due again for 30 seconds.
  FakeSender up;
  EXPECT_EQ(app_->monitor().DeliverDue(up)->delivered, 0);
  clock_.Advance(30'000'000);
  EXPECT_EQ(app_->monitor().DeliverDue(up)->delivered, 1);
  ASSERT_EQ(up.posts.size(), 1u);
  const std::string& body = up.posts[0].second;
  const Json event = Json::parse(body);
  EXPECT_EQ(event["event"], "fired");
  EXPECT_EQ(event["alert"]["id"], alert);
  EXPECT_EQ(event["alert"]["indicator"], "equipment_utilization");
  // The signature, recomputed here with libsodium: t=<seconds>,v1=HMAC-SHA256(secret, "t.body").
  const std::string signature = up.Header(0, "Corridor-Signature");
  const std::string t = std::to_string(clock_.NowMicros() / 1'000'000);
  ASSERT_TRUE(signature.starts_with("t=" + t + ",v1=")) << signature;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  const std::string signed_text = t + "." + body;
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_text.data()),
                                signed_text.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  EXPECT_EQ(signature.substr(signature.find("v1=") + 3), hex);
  EXPECT_EQ(up.Header(0, "Corridor-Delivery"),
            std::to_string(Call("GET", deliveries, bank_).body["items"][0]["id"].get<int64_t>()));

  // Silenced, its events are recorded as suppressed and not sent.
  const std::string path = "/api/v1/monitor/alerts/" + std::to_string(alert);
  ASSERT_EQ(Call("POST", path + "/silence", bank_,
                 {{"until", "2025-06-02T00:00:00Z"}, {"reason", "maintenance"}})
                .status,
            200);
  ASSERT_EQ(Call("POST", path + "/comments", bank_, {{"note", "crew on site"}}).status, 201);
  EXPECT_EQ(app_->monitor().DeliverDue(up)->delivered, 1);  // the silence is announced
  EXPECT_EQ(Json::parse(up.posts.back().second)["event"], "silenced");
  auto all = Call("GET", deliveries, bank_);
  ASSERT_EQ(all.body["items"].size(), 3u) << all.raw.body;
  EXPECT_EQ(all.body["items"][2]["event"], "comment");
  EXPECT_EQ(all.body["items"][2]["status"], "suppressed");

  // A delivery that keeps failing fails for good after the sixth try.
  ASSERT_EQ(Call("POST", path + "/resolve", bank_, {{"note", "fixed"}}).status, 200);
  clock_.Advance(int64_t{86'400} * 1'000'000);  // the silence is over
  ASSERT_EQ(Upload(enterprise_, "WF-CF-001,equipment_utilization,2025-06-01T00:00:00Z,0.5,ratio\n")
                .body["alerts_fired"]
                .size(),
            1u);
  int failed = 0;
  for (int k = 0; k < 6; ++k) {
    failed += app_->monitor().DeliverDue(down)->failed;
    clock_.Advance(int64_t{21'600} * 1'000'000);
  }
  EXPECT_EQ(failed, 1);
}

// The App's HTTP client against a real server on 127.0.0.1: the POST arrives with its headers.
TEST(WebhookSender, PostsToAnHttpServer) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const int port = acceptor.local_endpoint().port();
  std::string got_body, got_signature;
  std::thread server([&] {
    asio::ip::tcp::socket socket(io);
    acceptor.accept(socket);
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req);
    got_body = req.body();
    got_signature = std::string(req["Corridor-Signature"]);
    http::response<http::string_body> res{http::status::no_content, 11};
    http::write(socket, res);
  });
  app::HttpWebhookSender sender(std::chrono::seconds(5));
  auto status = sender.Post(fmt::format("http://127.0.0.1:{}/hook", port),
                            {{"Corridor-Signature", "t=1,v1=ab"}}, R"({"event":"fired"})");
  server.join();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 204);
  EXPECT_EQ(got_body, R"({"event":"fired"})");
  EXPECT_EQ(got_signature, "t=1,v1=ab");
  // Nobody listening: an error, not a status.
  acceptor.close();
  EXPECT_FALSE(sender.Post(fmt::format("http://127.0.0.1:{}/hook", port), {}, "{}"));
  EXPECT_FALSE(sender.Post("gopher://x", {}, "{}"));
}

}  // namespace
}  // namespace corridor::testing
