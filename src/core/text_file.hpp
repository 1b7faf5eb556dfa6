#pragma once
// The first step of every text file chase reads (traces, profiles, progress files, key files,
// TOML): its bytes become UTF-8 text with one kind of line ending, or a one-line error that
// says what the file looks like instead. The rules live here once, not per file type:
//
//   bytes                                  result
//   UTF-8, with or without a BOM           accepted; the BOM is dropped
//   UTF-16 LE or BE with a BOM             decoded to UTF-8 (Excel's "Unicode text" export:
//                                          a BOM makes it unambiguous, and decoding is simpler
//                                          for the user than a conversion recipe)
//   UTF-16 without a BOM, UTF-32           refused: "is UTF-16 ... without a byte-order mark"
//   bytes that are not UTF-8 (Latin-1,     refused, naming the line and showing the bytes as
//   Windows-1252, ...)                     \xHH: guessing the code page would be a guess
//   NUL or other control bytes, ZIP        refused: "looks like a binary file" (an .xlsx is a
//   (.xlsx), gzip                          ZIP archive: export the sheet as CSV instead)
//   a BOM inside the text                  refused (two files joined with cat?)
//   line endings LF, CRLF, lone CR         all end a line (mixed too); line numbers count
//                                          them as an editor does; each becomes '\n'
//
// Errors are ParseError "source:line: ..." (or "source: ..." for the whole file).

#include <string>
#include <string_view>

namespace chase {

enum class TextEncoding { utf8, utf8_bom, utf16le, utf16be };

// "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE".
std::string_view encoding_name(TextEncoding encoding);

struct DecodedText {
  std::string text;  // UTF-8, no BOM, every line ending as '\n' (line n of the file is line n here)
  TextEncoding encoding = TextEncoding::utf8;
};

// Whether an error may quote the file's content ("says what the value looks like"); key files
// say no, so a secret never reaches a terminal or a log.
enum class QuoteContent { yes, no };

DecodedText decode_text(std::string_view bytes, const std::string& source, QuoteContent quote = QuoteContent::yes);

// A value as an error message shows it: double-quoted, bytes that are not printable UTF-8
// written \xHH, cut to about 60 characters with "..." ("caf\xE9").
std::string quoted_excerpt(std::string_view text);

}  // namespace chase
