#pragma once
// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from the
// alphabet 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z). Position 1 is the registration authority,
// 2 the entity type, 3-8 the administrative division (digits), 9-17 the organisation code, and 18 a
// check character: with character values v_i (their index in the alphabet) and weights
// 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 (3^(i-1) mod 31), the check value is
// (31 - sum(v_i * w_i) mod 31) mod 31. Pure functions; thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace corridor::domain {

struct UsccVerdict {
  bool valid = false;
  std::string reason;  // "ok" when valid, else what is wrong, in words
};

UsccVerdict ValidateUscc(std::string_view code);

// The check character for the first 17 characters, or nullopt if any is outside the alphabet.
std::optional<char> UsccCheckCharacter(std::string_view first17);

}  // namespace corridor::domain
