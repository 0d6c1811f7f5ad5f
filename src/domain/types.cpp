#include "domain/types.hpp"

#include <array>
#include <utility>

namespace corridor::domain {
namespace {

template <typename E, size_t N>
Result<E> ParseEnum(const std::array<std::pair<E, std::string_view>, N>& names,
                    std::string_view text, std::string_view field) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  std::string allowed;
  for (const auto& [value, name] : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return Fail(Error::Invalid(std::string(field), "must be one of " + allowed));
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return names[0].second;
}

constexpr std::array<std::pair<GreenLabel, std::string_view>, 5> kGreenLabels = {{
    {GreenLabel::kNone, "none"},
    {GreenLabel::kDeepGreen, "deep_green"},
    {GreenLabel::kMediumGreen, "medium_green"},
    {GreenLabel::kLightGreen, "light_green"},
    {GreenLabel::kTransition, "transition"},
}};
constexpr std::array<std::pair<CreditRecord, std::string_view>, 3> kCreditRecords = {{
    {CreditRecord::kClean, "clean"},
    {CreditRecord::kMinorLate, "minor_late"},
    {CreditRecord::kDefaulted, "defaulted"},
}};
constexpr std::array<std::pair<BusinessScale, std::string_view>, 4> kScales = {{
    {BusinessScale::kMicro, "micro"},
    {BusinessScale::kSmall, "small"},
    {BusinessScale::kMedium, "medium"},
    {BusinessScale::kLarge, "large"},
}};

}  // namespace

std::string_view ToString(GreenLabel label) { return NameOf(kGreenLabels, label); }
Result<GreenLabel> ParseGreenLabel(std::string_view text) {
  return ParseEnum(kGreenLabels, text, "/green_label");
}
std::string_view ToString(CreditRecord record) { return NameOf(kCreditRecords, record); }
Result<CreditRecord> ParseCreditRecord(std::string_view text) {
  return ParseEnum(kCreditRecords, text, "/credit_record");
}
std::string_view ToString(BusinessScale scale) { return NameOf(kScales, scale); }
Result<BusinessScale> ParseBusinessScale(std::string_view text) {
  return ParseEnum(kScales, text, "/scale");
}

}  // namespace corridor::domain
