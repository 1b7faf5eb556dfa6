#pragma once
// Numbers as spreadsheets write them in a file's cells: a decimal mark ('.' or ','), maybe
// thousands separators (the other mark), maybe an exponent. One file has one style; the reader
// of a table works it out from all its cells (decimal_mark_evidence) and reads each cell with it
// (read_number). The rules:
//
//   cell          file's decimal mark                   reading
//   1e3, -2.5     any                                   1000, -2.5
//   1,234.5       any (the last mark is the decimal)    1234.5; in a '.' file "1.234,5" is refused
//   1,234,567     any (repeated: thousands)             1234567
//   1,234         '.' proven by another cell            1234
//                 '.' by convention only (a ',' file)   refused: 1234, or 1.234 with a decimal comma?
//   1.234         '.' (proven, or a ',' file's default) 1.234 (the fixtures' convention)
//                 ',' proven by another cell            1234
//                 unknown (a ';' or tab file, no cell   refused: 1.234 or 1234?
//                 says which)
//   1,5           ',' proven                            1.5; in a '.' file: refused
//   "", nan, inf, #N/A, #DIV/0!                         refused: empty, not finite, an error value
//
// A cell proves the decimal mark when it can be read only one way: a mark not followed by
// exactly three digits (1.5, 0.250, 1234.5), both marks (the last is the decimal), or one mark
// repeated (it separates thousands, so the other is the decimal). Two cells that prove
// different marks make the file ambiguous; its reader refuses it naming both lines.

#include <optional>
#include <string>
#include <string_view>

namespace chase {

enum class DecimalMark { point, comma };

// '.' or ','.
char mark_char(DecimalMark mark);

enum class MarkCertainty {
  proven,      // a cell of the file can be read only with this mark
  convention,  // no cell says; a comma-separated file's numbers use '.' (as every fixture does)
  unknown,     // no cell says, and the separator does not either (';', tab)
};

struct NumberStyle {
  DecimalMark decimal = DecimalMark::point;
  MarkCertainty certainty = MarkCertainty::convention;
};

// What one cell proves about its file's decimal mark; nullopt when it proves nothing (no mark,
// an ambiguous one, or not a number at all).
std::optional<DecimalMark> decimal_mark_evidence(std::string_view cell);

struct NumberReading {
  std::optional<double> value;  // finite
  std::string problem;          // otherwise: why not, to follow the quoted cell
};

// Surrounding spaces are ignored.
NumberReading read_number(std::string_view cell, NumberStyle style);

}  // namespace chase
