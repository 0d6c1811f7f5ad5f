#include "domain/uscc.hpp"

#include <fmt/format.h>

#include <array>

namespace corridor::domain {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

int ValueOf(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::optional<char> UsccCheckCharacter(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const int v = ValueOf(first17[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  return kAlphabet[(31 - sum % 31) % 31];
}

UsccVerdict ValidateUscc(std::string_view code) {
  if (code.size() != 18) {
    return {false, fmt::format("must be 18 characters, got {}", code.size())};
  }
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c >= 'a' && c <= 'z') {
      return {false, fmt::format("character {} is lower case; codes are upper case", i + 1)};
    }
    if (ValueOf(c) < 0) {
      return {false, fmt::format("character {} ('{}') is not in the code alphabet "
                                 "0-9 A-H J-N P-R T U W-Y",
                                 i + 1, c)};
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return {false, "characters 3-8 (administrative division code) must be digits"};
    }
  }
  const char expected = *UsccCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return {false, fmt::format("check character is '{}', expected '{}'", code[17], expected)};
  }
  return {true, "ok"};
}

}  // namespace corridor::domain
