#include "api/cursor.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace corridor::api {
namespace {

TEST(Cursor, RoundTripsEveryIdItMayCarry) {
  for (int64_t id :
       {int64_t{0}, int64_t{1}, int64_t{29}, int64_t{0xbb7}, std::numeric_limits<int64_t>::max()}) {
    auto back = DecodeCursor(EncodeCursor(id));
    ASSERT_TRUE(back) << id;
    EXPECT_EQ(*back, id);
  }
  EXPECT_EQ(EncodeCursor(0x29), "c29");
}

TEST(Cursor, RefusesWhatThisApiNeverWrote) {
  for (const char* bad : {"", "c", "29", "x29", "c-1", "cZZ", "c29 ", "c10000000000000000"}) {
    auto r = DecodeCursor(bad);
    ASSERT_FALSE(r) << bad;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "/cursor");
  }
}

}  // namespace
}  // namespace corridor::api
