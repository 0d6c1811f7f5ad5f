#include "green/label.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace corridor::green {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

const RuleTable& DefaultRuleTable() {
  static const RuleTable kTable = [] {
    RuleTable t;
    t.version = std::string(kDefaultRuleTableVersion);
    t.categories = {
        {"clean_energy",
         {"wind", "solar_pv", "solar_thermal", "hydro", "geothermal", "biomass", "energy_storage",
          "grid"},
         {}},
        {"energy_saving",
         {"efficiency_retrofit", "waste_heat_recovery", "clean_retrofit", "building_efficiency"},
         {}},
        {"environmental_protection", {"pollution_control", "wastewater", "air_quality"}, {}},
        {"resource_recycling", {"recycling", "tailings_utilization", "waste_to_resource"}, {}},
        // Reclamation of a mine is the miner's legal duty, not ecological restoration.
        {"ecological_restoration",
         {"restoration", "grassland_restoration", "desertification_control", "forestry"},
         {"coal_mining", "open_pit_mining", "metal_mining"}},
        {"green_infrastructure", {"rail", "public_transport", "green_building"}, {}},
        {"green_services", {"consulting", "monitoring", "certification"}, {}},
    };
    t.transition_activities = {"coal_power_retrofit", "clean_retrofit_coal"};
    t.sources = {
        "Green Industry Guidance Catalogue (2025 edition), NDRC et al.: eligible categories",
        "Green Bond Endorsed Projects Catalogue (2021 edition), PBoC, NDRC, CSRC: purposes",
        "EU Taxonomy Climate Delegated Act (2021/2139), Annex I 4.1-4.3: 100 gCO2e/kWh",
        "seed 000 §三(三): mine reclamation is not ecological restoration"};
    return t;
  }();
  return kTable;
}

Status ValidateRuleTable(const RuleTable& t, std::string_view prefix) {
  auto bad = [&](std::string_view field, std::string message) {
    return Fail(Error::Invalid(fmt::format("{}/{}", prefix, field), std::move(message)));
  };
  if (t.version.empty() || t.version.size() > 60)
    return bad("version", "must be 1 to 60 characters");
  if (t.categories.empty()) return bad("categories", "needs at least one category");
  for (size_t i = 0; i < t.categories.size(); ++i) {
    if (t.categories[i].name.empty())
      return bad(fmt::format("categories/{}/name", i), "is required");
    for (size_t j = 0; j < i; ++j) {
      if (t.categories[j].name == t.categories[i].name) {
        return bad(fmt::format("categories/{}/name", i), "repeats an earlier category");
      }
    }
  }
  if (!(t.power_dark_below > 0 && t.power_dark_below <= t.power_medium_below &&
        std::isfinite(t.power_medium_below))) {
    return bad("power_dark_below", "needs 0 < power_dark_below ≤ power_medium_below");
  }
  if (!(t.reduction_light >= 0 && t.reduction_light <= t.reduction_medium &&
        t.reduction_medium <= t.reduction_dark && t.reduction_dark <= 100)) {
    return bad("reduction_light",
               "needs 0 ≤ reduction_light ≤ reduction_medium ≤ reduction_dark ≤ 100");
  }
  if (!(t.transition_min_reduction >= 0 && t.transition_min_reduction <= 100)) {
    return bad("transition_min_reduction", "must be 0 to 100");
  }
  if (t.subsidy_bps.size() != 5) {
    return bad("subsidy_bps", "needs five values: not_green, transition, light, medium, dark");
  }
  for (size_t k = 0; k < 5; ++k) {
    if (t.subsidy_bps[k] < 0 || t.subsidy_bps[k] > 1'000) {
      return bad(fmt::format("subsidy_bps/{}", k), "must be 0 to 1000");
    }
  }
  return {};
}

std::string_view LabelName(Label label) {
  static constexpr std::array<std::string_view, 5> kNames = {"not_green", "transition", "light",
                                                             "medium", "dark"};
  return kNames[static_cast<size_t>(label)];
}

std::string_view LabelNameZh(Label label) {
  static constexpr std::array<std::string_view, 5> kNames = {"非绿", "转型", "浅绿", "中绿",
                                                             "深绿"};
  return kNames[static_cast<size_t>(label)];
}

Result<Label> ParseLabel(std::string_view name) {
  for (int k = 0; k < 5; ++k) {
    if (LabelName(static_cast<Label>(k)) == name) return static_cast<Label>(k);
  }
  return Fail(Error::Invalid("/project/claimed_label",
                             "must be dark, medium, light, transition or not_green"));
}

Result<LabelDecision> DecideLabel(const Project& p, const RuleTable& table) {
  const auto& cats = table.categories;
  const auto cat = std::find_if(cats.begin(), cats.end(),
                                [&](const CategoryRule& c) { return c.name == p.category; });
  if (p.category.empty()) return Fail(Error::Invalid("/project/category", "is required"));
  if (p.intensity_gco2e_per_kwh && !(*p.intensity_gco2e_per_kwh >= 0)) {
    return Fail(Error::Invalid("/project/intensity_gco2e_per_kwh", "must not be negative"));
  }
  if (p.emission_reduction_pct &&
      !(*p.emission_reduction_pct >= 0 && *p.emission_reduction_pct <= 100)) {
    return Fail(Error::Invalid("/project/emission_reduction_pct", "must be 0 to 100"));
  }
  std::optional<Label> claimed;
  if (p.claimed_label) claimed = CORRIDOR_TRY(ParseLabel(*p.claimed_label));

  LabelDecision d;
  d.rule_table_version = table.version;
  auto fire = [&](std::string rule, std::string detail) {
    d.rules_fired.push_back({std::move(rule), std::move(detail)});
  };
  auto flag = [&](std::string name, std::string detail) {
    d.greenwashing_flags.push_back({std::move(name), std::move(detail)});
  };
  const bool metered = Has(p.evidence, "metered_data");

  Label label = Label::kNotGreen;
  if (cat == cats.end()) {
    fire("category.not_in_catalogue",
         fmt::format("{} is not a category of the Green Industry Guidance Catalogue", p.category));
  } else if (Has(cat->excluded_industries, p.industry)) {
    fire("category.industry_mismatch",
         fmt::format("a {} firm cannot claim {} for {}", p.industry, p.category, p.activity));
    flag("category_does_not_fit_industry",
         fmt::format("{} by a {} firm ({}) is not {}: reclamation is the miner's legal duty",
                     p.activity, p.industry, p.category, p.category));
  } else if (Has(table.transition_activities, p.activity)) {
    // Transition finance: a coal-power clean retrofit that cuts emissions enough.
    const double need = table.transition_min_reduction;
    if (p.emission_reduction_pct && *p.emission_reduction_pct >= need) {
      label = Label::kTransition;
      fire("transition.coal_power_retrofit",
           fmt::format("coal power retrofit cutting emissions {:.1f}% ≥ {:g}%",
                       *p.emission_reduction_pct, need));
    } else {
      fire("transition.coal_power_retrofit_insufficient",
           fmt::format("emission cut below {:g}% or not given", need));
    }
  } else if (p.category == "clean_energy" && p.intensity_gco2e_per_kwh) {
    const double g = *p.intensity_gco2e_per_kwh;
    const double dark = table.power_dark_below, medium = table.power_medium_below;
    if (g < dark) {
      label = Label::kDark;
      fire(fmt::format("power.intensity_below_{:g}", dark),
           fmt::format("life-cycle {:.1f} gCO2e/kWh < {:g}", g, dark));
    } else if (g < medium) {
      label = Label::kMedium;
      fire(fmt::format("power.intensity_below_{:g}", medium),
           fmt::format("life-cycle {:.1f} gCO2e/kWh < {:g}", g, medium));
    } else {
      fire(fmt::format("power.intensity_not_below_{:g}", medium),
           fmt::format("life-cycle {:.1f} gCO2e/kWh ≥ {:g}: not green", g, medium));
    }
  } else if (p.emission_reduction_pct) {
    const double r = *p.emission_reduction_pct;
    const std::pair<double, Label> steps[] = {{table.reduction_dark, Label::kDark},
                                              {table.reduction_medium, Label::kMedium},
                                              {table.reduction_light, Label::kLight}};
    bool met = false;
    for (const auto& [at_least, l] : steps) {
      if (r >= at_least) {
        label = l;
        fire(fmt::format("reduction.at_least_{:g}", at_least),
             fmt::format("emissions cut {:.1f}% ≥ {:g}%", r, at_least));
        met = true;
        break;
      }
    }
    if (!met) {
      fire(fmt::format("reduction.below_{:g}", table.reduction_light),
           fmt::format("emissions cut {:.1f}% < {:g}%: not green", r, table.reduction_light));
    }
  } else {
    label = Label::kLight;
    fire("category.eligible", fmt::format("{} is eligible; no quantitative evidence", p.category));
  }

  // Reductions or intensities claimed without metered data cap the label at light green.
  if ((p.emission_reduction_pct || p.intensity_gco2e_per_kwh) && !metered &&
      label > Label::kLight) {
    flag("reduction_without_metered_data",
         "the claimed figures are not backed by metered data; label capped at light green");
    fire("evidence.cap_without_metered_data", "capped at light green");
    label = Label::kLight;
  }
  if (p.proceeds_purpose && cat != cats.end() && !Has(cat->purposes, *p.proceeds_purpose)) {
    flag("proceeds_outside_eligible_purpose",
         fmt::format("{} is not an eligible purpose of {}", *p.proceeds_purpose, p.category));
    fire("proceeds.ineligible", "not green while proceeds go outside the eligible purposes");
    label = Label::kNotGreen;
  }
  if (claimed && *claimed > label) {
    flag("claimed_label_exceeds_evidence", fmt::format("claimed {} but the evidence allows {}",
                                                       LabelName(*claimed), LabelName(label)));
  }
  d.label = label;
  d.subsidy_bps = table.subsidy_bps.at(static_cast<size_t>(label));
  return d;
}

}  // namespace corridor::green
