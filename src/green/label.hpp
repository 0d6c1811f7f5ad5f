#pragma once
// Green labels from evidence: 深绿 dark green, 中绿 medium green, 浅绿 light green, transition, not
// green; with the rules that fired and the greenwashing flags. The rule table is versioned; the
// default one (kDefaultRuleTableVersion) is documented rule by rule with its sources in
// docs/green.md.
//
// Eligibility by category (China's Green Industry Guidance Catalogue 2025 top-level categories);
// power generation by life-cycle intensity (below 100 gCO₂e/kWh as the EU taxonomy's threshold
// for substantial contribution: below 50 dark green, below 100 medium green); energy saving and
// clean retrofits by the emission reduction achieved; coal-power clean retrofits are transition
// finance. Flags: a category that does not fit the firm's industry and activity (an open-pit
// coal mine's reclamation, a legal duty of the miner, presented as ecological restoration —
// seed 000), claimed reductions without metered data (the label is then capped at light green),
// proceeds used outside the category's eligible purposes, and a claimed label above what the
// evidence allows.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::green {

enum class Label { kNotGreen, kTransition, kLight, kMedium, kDark };
std::string_view LabelName(Label label);    // not_green, transition, light, medium, dark
std::string_view LabelNameZh(Label label);  // 非绿, 转型, 浅绿, 中绿, 深绿
Result<Label> ParseLabel(std::string_view name);

inline constexpr std::string_view kDefaultRuleTableVersion = "corridor-green-2025.1";

// A rule table: the data the rules read. The bureau publishes new versions (service/green);
// every decision names the version it used.
struct CategoryRule {
  std::string name;
  std::vector<std::string> purposes;             // eligible uses of proceeds
  std::vector<std::string> excluded_industries;  // firms that may not claim the category
};

struct RuleTable {
  std::string version;
  std::vector<CategoryRule> categories;
  // Power generation by life-cycle intensity, gCO₂e/kWh: dark below the first, medium below the
  // second (0 < dark ≤ medium).
  double power_dark_below = 50;
  double power_medium_below = 100;
  // Other projects by the emission reduction achieved, percent (0 ≤ light ≤ medium ≤ dark ≤ 100).
  double reduction_dark = 50;
  double reduction_medium = 30;
  double reduction_light = 15;
  // Transition finance: these activities (coal-power clean retrofits) with at least this cut.
  std::vector<std::string> transition_activities;
  double transition_min_reduction = 20;
  // Interest subsidy by label (not_green, transition, light, medium, dark), basis points.
  std::vector<int64_t> subsidy_bps = {0, 50, 50, 100, 150};
  std::vector<std::string> sources;
};

// The default table, kDefaultRuleTableVersion (docs/green.md).
const RuleTable& DefaultRuleTable();

// Checks a table's consistency; errors name the field under `prefix`.
Status ValidateRuleTable(const RuleTable& table, std::string_view prefix = "");

struct Project {
  std::string category;
  std::string industry;
  std::string activity;
  std::optional<double> intensity_gco2e_per_kwh;
  std::optional<double> emission_reduction_pct;
  std::vector<std::string> evidence;  // e.g. metered_data, third_party_verification
  std::optional<std::string> claimed_label;
  std::optional<std::string> proceeds_purpose;
};

struct RuleFired {
  std::string rule;
  std::string detail;
};

struct Flag {
  std::string flag;
  std::string detail;
};

struct LabelDecision {
  Label label = Label::kNotGreen;
  std::string rule_table_version;
  int64_t subsidy_bps = 0;  // the table's differentiated interest subsidy for the label
  std::vector<RuleFired> rules_fired;
  std::vector<Flag> greenwashing_flags;
};

Result<LabelDecision> DecideLabel(const Project& project,
                                  const RuleTable& table = DefaultRuleTable());

}  // namespace corridor::green
