#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"

namespace chase {
namespace {

using namespace std::string_literals;

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

TEST(Csv, ErrorsNameSourceLineAndValue) {
  EXPECT_EQ(message_of([] { CsvTable::parse("", "empty.csv"); }), "empty.csv: empty file: no header row");
  EXPECT_EQ(message_of([] { CsvTable::parse("a,b\n1\n", "short.csv"); }),
            "short.csv:2: expected 2 fields as in the header, found 1: \"1\"");
  const auto t = CsvTable::parse("a,b\n1,x\n", "bad.csv");
  EXPECT_EQ(message_of([&] { t.number(t.rows()[0], 1); }), "bad.csv:2: column 'b': \"x\" is not a number");
  EXPECT_EQ(message_of([&] { t.column("c"); }), "bad.csv:1: missing column 'c' (header has: a,b)");
  EXPECT_EQ(message_of([] { CsvTable::parse("a\n\"open\n", "q.csv"); }),
            "q.csv:2: unterminated quoted field in \"\\\"open\" (a quote opens a field and none closes it)");
  const auto twice = CsvTable::parse("a,b,a\n1,2,3\n", "twice.csv");
  EXPECT_EQ(message_of([&] { twice.column("a"); }), "twice.csv:1: column 'a' appears twice in the header (columns 1 and 3)");
}

// The same two-column table as spreadsheets and tools export it.
TEST(Csv, ReadsFilesAsPeopleExportThem) {
  struct Case {
    const char* what;
    std::string bytes;
    char separator;
  };
  const std::vector<Case> cases = {
      {"LF", "t,v\n1,2.5\n3,1e3\n", ','},
      {"CRLF with a UTF-8 BOM (Excel)", "\xEF\xBB\xBFt,v\r\n1,2.5\r\n3,1e3\r\n", ','},
      {"lone CR, no final newline", "t,v\r1,2.5\r3,1e3", ','},
      {"trailing blank lines and spaces", "t,v  \n1 , 2.5\t\n3,1e3\n\n  \n\n", ','},
      {"quoted fields", "\"t\",\"v\"\n\"1\",\"2.5\"\n3,\"1,000\"\n", ','},
      {"stray empty columns and blank rows", "t,v,,\n1,2.5,,\n,,,\n3,1e3,\n,,\n", ','},
      {"';' and a decimal comma (European Excel)", "t;v\r\n1;2,5\r\n3;1.000\r\n", ';'},
      {"an Excel sep= line", "sep=;\nt;v\n1;2,5\n3;1000\n", ';'},
      {"';' with tabs for padding", "t;\tv\t\n1;\t2,5\n3;\t1000\n", ';'},
      {"tabs (Excel Unicode text)", "\xFF\xFEt\0\t\0v\0\r\0\n\0" "1\0\t\0" "2\0.\0" "5\0\r\0\n\0" "3\0\t\0" "1\0e\0" "3\0"s, '\t'},
  };
  for (const Case& c : cases) {
    const auto t = CsvTable::parse(c.bytes, "f.csv");
    EXPECT_EQ(t.separator(), c.separator) << c.what;
    ASSERT_EQ(t.header(), (std::vector<std::string>{"t", "v"})) << c.what;
    ASSERT_EQ(t.rows().size(), 2u) << c.what;
    EXPECT_DOUBLE_EQ(t.number(t.rows()[0], 1), 2.5) << c.what;
    EXPECT_DOUBLE_EQ(t.number(t.rows()[1], 1), 1000) << c.what;
    EXPECT_DOUBLE_EQ(t.number(t.rows()[1], 0), 3) << c.what;
  }
}

TEST(Csv, RefusesAmbiguityNamingTheLineAndTheValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"t,v\n1,2.5\n2,\"1,5\"\n", "f.csv:3: \"1,5\" has a decimal ',', but line 2's \"2.5\" has a decimal '.': one file "
                                    "has one decimal mark"},
      {"t;v\n1;1.234\n", "f.csv:2: column 'v': \"1.234\" is ambiguous: '.' may be a decimal mark or a thousands "
                        "separator, and no other number in the file says which"},
      {"t,v\n1,\"1,234\"\n", "f.csv:2: column 'v': \"1,234\" is ambiguous: ',' may be a decimal mark or a thousands "
                              "separator, and no other number in the file says which"},
      {"t;v,w\n", "f.csv:1: header \"t;v,w\" has both ';' and ',': cannot tell which one separates the columns"},
      {"t,v\n1,\n", "f.csv:2: column 'v': \"\" is empty"},
      {"t,v\n1,NaN\n", "f.csv:2: column 'v': \"NaN\" is not a finite number"},
      {"t,v\n1,2,3\n", "f.csv:2: expected 2 fields as in the header, found 3: \"1,2,3\""},
      {"t,v\n1,2\nt,v\n3,4\n", "f.csv:3: repeats the header row \"t,v\": were two files joined?"},
      {"t,v\r\n1,caf\xE9\r\n", "f.csv:2: byte 0xE9 is not UTF-8, in \"1,caf\\xE9\": the file is in a legacy code page "
                                 "(Latin-1, Windows-1252, Mac Roman?); save it as UTF-8"},
  };
  for (const auto& c : cases) {
    const auto& bytes = c.first;  // a named reference: clang 14 cannot capture a structured binding
    const auto& message = c.second;
    EXPECT_EQ(message_of([&] {
                const auto t = CsvTable::parse(bytes, "f.csv");
                for (const auto& row : t.rows()) t.number(row, 1);
              }),
              message)
        << bytes;
  }
}

}  // namespace
}  // namespace chase
