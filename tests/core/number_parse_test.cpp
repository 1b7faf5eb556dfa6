#include "core/number_parse.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

TEST(NumberParse, AcceptsWholeFiniteNumbersOnly) {
  EXPECT_EQ(parse_double(" 42.5 "), 42.5);
  EXPECT_EQ(parse_double("+1e3"), 1000.0);
  EXPECT_EQ(parse_double("-0.25"), -0.25);
  for (const char* bad : {"", " ", "abc", "1.2.3", "12x", "nan", "inf", "-inf", "1e999"}) {
    EXPECT_FALSE(parse_double(bad)) << bad;
  }
  EXPECT_EQ(parse_int("17"), 17);
  EXPECT_FALSE(parse_int("17.5"));
  EXPECT_EQ(trim("\t a b \r\n"), "a b");
}

}  // namespace
}  // namespace chase
