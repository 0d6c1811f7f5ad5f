#include "domain/uscc.hpp"

#include <gtest/gtest.h>

namespace corridor::domain {
namespace {

TEST(Uscc, AcceptsPublishedCodes) {
  // The worked example printed in GB 32100-2015.
  EXPECT_TRUE(ValidateUscc("91350100M000100Y43").valid);
  // Codes of registered companies as printed on their business licences.
  EXPECT_TRUE(ValidateUscc("91440300708461136T").valid);
  EXPECT_TRUE(ValidateUscc("91110000802100433B").valid);
}

TEST(Uscc, ComputesCheckCharacter) {
  EXPECT_EQ(UsccCheckCharacter("91350100M000100Y4"), '3');
  EXPECT_EQ(UsccCheckCharacter("91440300708461136"), 'T');
  // Sum = 0 mod 31 gives check value 0, not 31.
  EXPECT_EQ(UsccCheckCharacter("00000000000000000"), '0');
  EXPECT_FALSE(UsccCheckCharacter("9135010OM000100Y4").has_value());  // letter O
}

TEST(Uscc, RejectsEachKindOfDefectWithAReason) {
  const auto wrong_check = ValidateUscc("91350100M000100Y44");
  EXPECT_FALSE(wrong_check.valid);
  EXPECT_NE(wrong_check.reason.find("expected '3'"), std::string::npos);
  EXPECT_FALSE(ValidateUscc("91350100M000100Y4").valid);    // 17 characters
  EXPECT_FALSE(ValidateUscc("91350100M000100Y433").valid);  // 19 characters
  EXPECT_FALSE(ValidateUscc("91350100I000100Y43").valid);   // I is not in the alphabet
  EXPECT_FALSE(ValidateUscc("91350100m000100y43").valid);   // lower case
  EXPECT_FALSE(ValidateUscc("913501A0M000100Y4X").valid);   // division code not digits
  EXPECT_FALSE(ValidateUscc("").valid);
}

TEST(Uscc, EverySingleCharacterChangeIsDetected) {
  // Mod-31 check with weights coprime to 31 catches every single substitution.
  const std::string good = "91350100M000100Y43";
  const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (size_t i = 0; i < good.size(); ++i) {
    for (char c : alphabet) {
      if (c == good[i]) continue;
      std::string bad = good;
      bad[i] = c;
      EXPECT_FALSE(ValidateUscc(bad).valid) << bad;
    }
  }
}

}  // namespace
}  // namespace corridor::domain
