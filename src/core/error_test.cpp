#include "core/error.hpp"

#include <gtest/gtest.h>

#include "core/result.hpp"

namespace corridor {
namespace {

TEST(Error, CodesMapToHttpStatuses) {
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidArgument), 422);
  EXPECT_EQ(HttpStatus(ErrorCode::kMalformed), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
}

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
