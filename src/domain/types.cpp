#include "domain/types.hpp"

#include "core/enum_names.hpp"

namespace corridor::domain {
namespace {

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
  return ParseName(kGreenLabels, text, "/green_label");
}
std::string_view ToString(CreditRecord record) { return NameOf(kCreditRecords, record); }
Result<CreditRecord> ParseCreditRecord(std::string_view text) {
  return ParseName(kCreditRecords, text, "/credit_record");
}
std::string_view ToString(BusinessScale scale) { return NameOf(kScales, scale); }
Result<BusinessScale> ParseBusinessScale(std::string_view text) {
  return ParseName(kScales, text, "/scale");
}

}  // namespace corridor::domain
