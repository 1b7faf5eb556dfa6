#include "core/text_file.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/toml_fields.hpp"

namespace chase {
namespace {

using namespace std::string_literals;

std::string error_of(const std::string& bytes, QuoteContent quote = QuoteContent::yes) {
  try {
    decode_text(bytes, "f.csv", quote);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string utf16le(const std::u16string& text) {
  std::string out = "\xFF\xFE";
  for (char16_t c : text) {
    out += static_cast<char>(c & 0xFF);
    out += static_cast<char>(c >> 8);
  }
  return out;
}

std::string utf16be(const std::u16string& text) {
  std::string out = "\xFE\xFF";
  for (char16_t c : text) {
    out += static_cast<char>(c >> 8);
    out += static_cast<char>(c & 0xFF);
  }
  return out;
}

std::string error_of_toml(const std::string& bytes) {
  try {
    parse_toml(bytes, "p.toml");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TextFile, AcceptsWhatIsUnambiguous) {
  struct Case {
    std::string bytes, text;
    TextEncoding encoding;
  };
  const std::vector<Case> cases = {
      {"a,b\n1,2\n", "a,b\n1,2\n", TextEncoding::utf8},
      {"a,b\r\n1,2\r\n", "a,b\n1,2\n", TextEncoding::utf8},                    // Windows
      {"a,b\r1,2\r", "a,b\n1,2\n", TextEncoding::utf8},                        // old Mac / Excel for Mac
      {"a,b\r\n1,2\n3,4\r5,6", "a,b\n1,2\n3,4\n5,6", TextEncoding::utf8},      // mixed, no final newline
      {"a,b\n\n\n", "a,b\n\n\n", TextEncoding::utf8},                          // trailing blank lines kept as lines
      {"\xEF\xBB\xBF" "a,b\r\n", "a,b\n", TextEncoding::utf8_bom},              // Excel "CSV UTF-8"
      {"caf\xC3\xA9,\xE2\x82\xAC\n", "caf\xC3\xA9,\xE2\x82\xAC\n", TextEncoding::utf8},
      {utf16le(u"a\tb\r\n1\t\u00e9\r\n"), "a\tb\n1\t\xC3\xA9\n", TextEncoding::utf16le},  // Excel "Unicode text"
      {utf16be(u"a,b\n"), "a,b\n", TextEncoding::utf16be},
      {utf16le(u"\U0001F600"), "\xF0\x9F\x98\x80", TextEncoding::utf16le},      // a surrogate pair
      {"a,b\n1,2\n\x1A", "a,b\n1,2\n", TextEncoding::utf8},                    // DOS end-of-file mark
      {"", "", TextEncoding::utf8},
  };
  for (const Case& c : cases) {
    const DecodedText d = decode_text(c.bytes, "f.csv");
    EXPECT_EQ(d.text, c.text) << c.bytes;
    EXPECT_EQ(d.encoding, c.encoding) << c.bytes;
  }
  EXPECT_EQ(encoding_name(TextEncoding::utf16le), "UTF-16 LE");
}

TEST(TextFile, RefusesWhatIsNotUtf8TextNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a,b\r\ncaf\xE9,1\r\n",
       "f.csv:2: byte 0xE9 is not UTF-8, in \"caf\\xE9,1\": the file is in a legacy code page (Latin-1, "
       "Windows-1252, Mac Roman?); save it as UTF-8"},
      {"a\rb\r\xC0\xAF\n", "f.csv:3: byte 0xC0 is not UTF-8, in \"\\xC0\\xAF\": the file is in a legacy code page "
                           "(Latin-1, Windows-1252, Mac Roman?); save it as UTF-8"},  // an overlong '/'
      {"a\n\xED\xA0\x80\n", "f.csv:2: byte 0xED is not UTF-8, in \"\\xED\\xA0\\x80\": the file is in a legacy code page "
                            "(Latin-1, Windows-1252, Mac Roman?); save it as UTF-8"},  // a surrogate in UTF-8
      {"a,b\n1,2\0\0\0"s, "f.csv:2: looks like a binary file, not text: a NUL byte"},
      {"a,b\n\x01\x02", "f.csv:2: looks like a binary file, not text: control byte 0x01"},
      {"PK\x03\x04\x14\0\x06\0"s, "f.csv: is a ZIP archive (an .xlsx or .ods workbook?), not a text file: export "
                                  "the sheet as CSV (UTF-8)"},
      {"\x89PNG\r\n\x1A\n\0\0\0\rIHDR"s, "f.csv:2: looks like a binary file, not text: control byte 0x1A"},
      {"\x1F\x8B\x08\0"s, "f.csv: is gzip-compressed, not a text file: decompress it first"},
      {"\xFF\xFE\0\0a\0\0\0"s, "f.csv: is UTF-32 text, which chase does not read: save it as UTF-8"},
      {"t\0i\0m\0e\0,\0v\0\n\0"s, "f.csv: looks like UTF-16 (little-endian) text without a byte-order mark: save it "
                                   "as UTF-8"},
      {"\0t\0i\0m\0e\0,\0v\0\n"s, "f.csv: looks like UTF-16 (big-endian) text without a byte-order mark: save it "
                                   "as UTF-8"},
      {"\xFF\xFE" "a\0b", "f.csv: is UTF-16 (little-endian, from its byte-order mark) but has an odd number of "
                          "bytes: the file is cut short"},
      {utf16le(u"a\n\xD800x"), "f.csv:2: an unpaired UTF-16 surrogate 0xD800: the file is damaged"},
      {"a,b\n\xEF\xBB\xBF" "a,b\n", "f.csv:2: a byte-order mark (U+FEFF) inside the text: were two files joined?"},
  };
  for (const auto& [bytes, message] : cases) EXPECT_EQ(error_of(bytes), message);
}

TEST(TextFile, SecretsAreNeverQuoted) {
  EXPECT_EQ(error_of("s3cr\xE9t\n", QuoteContent::no),
            "f.csv:1: is not UTF-8 text (a legacy code page?): save the file as UTF-8");
}

TEST(TextFile, ExcerptsShowWhatTheValueLooksLike) {
  EXPECT_EQ(quoted_excerpt("caf\xC3\xA9 \"x\"\t\x01\xFF"), "\"caf\xC3\xA9 \\\"x\\\"\\t\\x01\\xFF\"");
  EXPECT_EQ(quoted_excerpt(std::string(70, 'a')), "\"" + std::string(60, 'a') + "...\"");
}

// TOML (presets) is decoded the same way: a BOM and CR line ends read; line numbers stay the file's.
TEST(TextFile, TomlIsDecodedTheSameWay) {
  const auto table = parse_toml("\xEF\xBB\xBF[a]\r\nx = 1.5\r[b]\ny = 2\n", "p.toml");
  EXPECT_DOUBLE_EQ(toml_number(*table["a"].as_table(), "x", "p.toml [a]"), 1.5);
  EXPECT_DOUBLE_EQ(toml_number(*table["b"].as_table(), "y", "p.toml [b]"), 2);
  EXPECT_EQ(error_of_toml("[a]\r\nname = \"caf\xE9\"\r\n"),
            "p.toml:2: byte 0xE9 is not UTF-8, in \"name = \\\"caf\\xE9\\\"\": the file is in a legacy code page "
            "(Latin-1, Windows-1252, Mac Roman?); save it as UTF-8");
  EXPECT_EQ(error_of_toml("[a]\rx = \r"), "p.toml:2:5: Error while parsing key-value pair: expected value, saw '\\n'");
}

}  // namespace
}  // namespace chase
