#include "core/error.hpp"

#include <gtest/gtest.h>

#include "core/result.hpp"

namespace corridor {
namespace {

TEST(Error, InvalidNamesTheField) {
  const Error e = Error::Invalid("/uscc", "check character mismatch");
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].field, "/uscc");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Fail(Error::Invalid("/x", "odd"));
  return x / 2;
}

Result<int> Quarter(int x) {
  const int h = CORRIDOR_TRY(Half(x));
  return CORRIDOR_TRY(Half(h));
}

TEST(Error, TryPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  ASSERT_FALSE(Quarter(6));
  EXPECT_EQ(Quarter(6).error().fields[0].field, "/x");
}

}  // namespace
}  // namespace corridor
