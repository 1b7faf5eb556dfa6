#include "core/csv.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(Csv, ReadsHeaderRowsCommentsAndQuotes) {
  const auto t = CsvTable::parse("# source: test\nname,value\r\n\n\"a, b\",1.5\n\"say \"\"hi\"\"\", 2\n", "mem.csv");
  ASSERT_EQ(t.rows().size(), 2u);
  EXPECT_EQ(t.text(t.rows()[0], t.column("name")), "a, b");
  EXPECT_EQ(t.text(t.rows()[1], 0), "say \"hi\"");
  EXPECT_DOUBLE_EQ(t.number(t.rows()[1], t.column("value")), 2);
  EXPECT_EQ(t.rows()[0].line, 4u);
}

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Csv, ErrorsNameSourceLineAndColumn) {
  EXPECT_EQ(message_of([] { CsvTable::parse("", "empty.csv"); }), "empty.csv: empty file: no header row");
  EXPECT_EQ(message_of([] { CsvTable::parse("a,b\n1\n", "short.csv"); }),
            "short.csv:2: expected 2 fields as in the header, found 1");
  const auto t = CsvTable::parse("a,b\n1,x\n", "bad.csv");
  EXPECT_EQ(message_of([&] { t.number(t.rows()[0], 1); }), "bad.csv:2:2: column 'b': 'x' is not a number");
  EXPECT_EQ(message_of([&] { t.column("c"); }), "bad.csv:1: missing column 'c' (header has: a,b)");
  EXPECT_EQ(message_of([] { CsvTable::parse("a\n\"open\n", "q.csv"); }), "q.csv:2:5: unterminated quoted field");
}

}  // namespace
}  // namespace chase
