#include "core/decimal_number.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

constexpr NumberStyle kPointByConvention{DecimalMark::point, MarkCertainty::convention};
constexpr NumberStyle kPointProven{DecimalMark::point, MarkCertainty::proven};
constexpr NumberStyle kCommaProven{DecimalMark::comma, MarkCertainty::proven};
constexpr NumberStyle kUnknown{DecimalMark::point, MarkCertainty::unknown};

TEST(DecimalNumber, ReadsCellsInTheirFilesStyle) {
  struct Case {
    const char* cell;
    NumberStyle style;
    double value;
  };
  const std::vector<Case> cases = {
      {"1e3", kPointByConvention, 1000},
      {"-2.5", kPointByConvention, -2.5},
      {" +42 ", kUnknown, 42},
      {"1.234", kPointByConvention, 1.234},  // a comma-separated file's '.' is its decimal mark
      {"1,234.5", kPointByConvention, 1234.5},
      {"1,234,567", kPointByConvention, 1234567},
      {"1,234", kPointProven, 1234},
      {"1.234", kCommaProven, 1234},
      {"1.234,5", kCommaProven, 1234.5},
      {"6.224,886", kCommaProven, 6224.886},
      {"10,5", kCommaProven, 10.5},
      {"0,125", kCommaProven, 0.125},
      {"2,5e3", kCommaProven, 2500},
      {".5", kPointByConvention, 0.5},
      {"0.250", kUnknown, 0.25},  // proves its own mark: a group never starts with a lone 0
  };
  for (const Case& c : cases) {
    const NumberReading r = read_number(c.cell, c.style);
    ASSERT_TRUE(r.value) << c.cell << ": " << r.problem;
    EXPECT_DOUBLE_EQ(*r.value, c.value) << c.cell;
  }
}

TEST(DecimalNumber, RefusesWhatItCannotReadOneWay) {
  const std::vector<std::tuple<const char*, NumberStyle, std::string>> cases = {
      {"", kPointByConvention, "is empty"},
      {"nan", kPointByConvention, "is not a finite number"},
      {"-Infinity", kPointByConvention, "is not a finite number"},
      {"1e999", kPointByConvention, "is not a finite number (too large)"},
      {"#N/A", kPointByConvention, "is a spreadsheet error value, not a number"},
      {"#DIV/0!", kPointByConvention, "is a spreadsheet error value, not a number"},
      {"n/a", kPointByConvention, "is not a number"},
      {"12 kWh", kPointByConvention, "is not a number"},
      {"1,234", kPointByConvention,
       "is ambiguous: ',' may be a decimal mark or a thousands separator, and no other number in the file says which"},
      {"1.234", kUnknown,
       "is ambiguous: '.' may be a decimal mark or a thousands separator, and no other number in the file says which"},
      {"1,5", kPointProven, "has a ',' that is neither this file's decimal mark '.' nor a thousands separator between "
                            "groups of three digits"},
      {"1.2.3", kPointProven, "is not a number: '.' is this file's decimal mark and appears twice"},
      {"1.234,5", kPointProven, "is not a number in this file's style (decimal mark '.', thousands ',')"},
      {"12,34,567", kPointProven, "has a ',' that is neither this file's decimal mark '.' nor a thousands separator "
                                  "between groups of three digits"},
  };
  for (const auto& [cell, style, problem] : cases) {
    const NumberReading r = read_number(cell, style);
    EXPECT_FALSE(r.value) << cell;
    EXPECT_EQ(r.problem, problem) << cell;
  }
}

TEST(DecimalNumber, CellsThatProveTheirFilesMark) {
  const std::vector<std::pair<const char*, std::optional<DecimalMark>>> cases = {
      {"1.5", DecimalMark::point},      {"1234.567", DecimalMark::point}, {"0.250", DecimalMark::point},
      {"1,234.5", DecimalMark::point},  {"1,234,567", DecimalMark::point}, {"1.5e3", DecimalMark::point},
      {"1,5", DecimalMark::comma},      {"1.234,5", DecimalMark::comma},  {"1.234.567", DecimalMark::comma},
      {"1.234", std::nullopt},          {"1,234", std::nullopt},          {"42", std::nullopt},
      {"2020-01-01T00:00:00Z", std::nullopt}, {"abc", std::nullopt},
  };
  for (const auto& [cell, mark] : cases) EXPECT_EQ(decimal_mark_evidence(cell), mark) << cell;
}

}  // namespace
}  // namespace chase
