#include "green/label.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace corridor::green {
namespace {

// The default rule table: categories, their eligible purposes and the industries that may not
// claim them.
struct Category {
  std::string_view name;
  std::vector<std::string_view> purposes;
  std::vector<std::string_view> excluded_industries;
};

const std::vector<Category>& Categories() {
  static const std::vector<Category> kCategories = {
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
  return kCategories;
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool Contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

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

Result<LabelDecision> DecideLabel(const Project& p) {
  const auto& cats = Categories();
  const auto cat = std::find_if(cats.begin(), cats.end(),
                                [&](const Category& c) { return c.name == p.category; });
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
  d.rule_table_version = std::string(kDefaultRuleTableVersion);
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
  } else if (Contains(cat->excluded_industries, p.industry)) {
    fire("category.industry_mismatch",
         fmt::format("a {} firm cannot claim {} for {}", p.industry, p.category, p.activity));
    flag("category_does_not_fit_industry",
         fmt::format("{} by a {} firm ({}) is not {}: reclamation is the miner's legal duty",
                     p.activity, p.industry, p.category, p.category));
  } else if (p.activity == "coal_power_retrofit" || p.activity == "clean_retrofit_coal") {
    // Transition finance: a coal-power clean retrofit that cuts emissions by at least 20%.
    if (p.emission_reduction_pct && *p.emission_reduction_pct >= 20) {
      label = Label::kTransition;
      fire("transition.coal_power_retrofit",
           fmt::format("coal power retrofit cutting emissions {:.1f}% ≥ 20%",
                       *p.emission_reduction_pct));
    } else {
      fire("transition.coal_power_retrofit_insufficient", "emission cut below 20% or not given");
    }
  } else if (p.category == "clean_energy" && p.intensity_gco2e_per_kwh) {
    const double g = *p.intensity_gco2e_per_kwh;
    if (g < 50) {
      label = Label::kDark;
      fire("power.intensity_below_50", fmt::format("life-cycle {:.1f} gCO2e/kWh < 50", g));
    } else if (g < 100) {
      label = Label::kMedium;
      fire("power.intensity_below_100", fmt::format("life-cycle {:.1f} gCO2e/kWh < 100", g));
    } else {
      fire("power.intensity_not_below_100",
           fmt::format("life-cycle {:.1f} gCO2e/kWh ≥ 100: not green", g));
    }
  } else if (p.emission_reduction_pct) {
    const double r = *p.emission_reduction_pct;
    if (r >= 50) {
      label = Label::kDark;
      fire("reduction.at_least_50", fmt::format("emissions cut {:.1f}% ≥ 50%", r));
    } else if (r >= 30) {
      label = Label::kMedium;
      fire("reduction.at_least_30", fmt::format("emissions cut {:.1f}% ≥ 30%", r));
    } else if (r >= 15) {
      label = Label::kLight;
      fire("reduction.at_least_15", fmt::format("emissions cut {:.1f}% ≥ 15%", r));
    } else {
      fire("reduction.below_15", fmt::format("emissions cut {:.1f}% < 15%: not green", r));
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
  if (p.proceeds_purpose && cat != cats.end() && !Contains(cat->purposes, *p.proceeds_purpose)) {
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
  return d;
}

}  // namespace corridor::green
