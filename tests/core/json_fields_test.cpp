#include "core/json_fields.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

std::string parse_error_of(std::string_view text) {
  try {
    parse_json(text, "answer.json");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JsonFields, SyntaxErrorsNameTheByte) {
  EXPECT_EQ(parse_error_of("{\"a\": }"), "answer.json: invalid JSON at byte 7");
}

// Found by fuzz/electricity_maps_fuzzer: a number beyond a double's range made nlohmann throw
// out_of_range, which is not a chase error, through every provider and out of the CLI.
TEST(JsonFields, ANumberTooLargeForADoubleIsAParseError) {
  EXPECT_EQ(parse_error_of("{\"zone\": 1e400}"), "answer.json: invalid JSON: a number is too large");
  EXPECT_EQ(parse_json("{\"zone\": 1e300}", "answer.json")["zone"].get<double>(), 1e300);
}

TEST(JsonFields, FieldsOfTheWrongTypeAreNamed) {
  const auto json = parse_json(R"({"n": "x", "list": 3})", "answer.json");
  EXPECT_THROW(require_number(json, "n", "answer"), InputError);
  EXPECT_THROW(require_array(json, "list", "answer"), InputError);
  EXPECT_THROW(require_field(json, "missing", "answer"), InputError);
  EXPECT_EQ(require_string(json, "n", "answer"), "x");
}

}  // namespace
}  // namespace chase
