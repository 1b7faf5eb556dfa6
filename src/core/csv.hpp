#pragma once
// A small, strict CSV reader: a header row, then rows with exactly as many fields. Blank lines
// and lines starting with '#' are skipped (data files carry their attribution that way).
// Fields may be double-quoted ("" is a literal quote; a field does not span lines).
//
// Files as people export them: the bytes go through decode_text (core/text_file.hpp: BOMs,
// UTF-16, line endings LF/CRLF/CR, binary and non-UTF-8 files refused naming the line). The
// separator is the header's: ',', ';' or a tab (a header with two of them is refused), or the
// one an Excel "sep=;" first line names. Trailing empty columns (a header ending "a,b,,") are
// dropped, and so are empty cells past the header's columns and rows of separators only. Numbers follow the file's decimal
// mark, settled once from all its cells (core/decimal_number.hpp): two cells that prove
// different marks are refused naming both lines. Every error is one line "source:line: ...",
// naming the column and quoting the value.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal_number.hpp"

namespace chase {

struct CsvRow {
  std::size_t line = 0;  // 1-based line number in the source
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // `text` is the file's bytes as read; `source` names it in error messages (usually the path).
  static CsvTable parse(std::string_view text, std::string source);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }

  char separator() const { return separator_; }
  NumberStyle number_style() const { return style_; }

  std::optional<std::size_t> find_column(std::string_view name) const;
  // Throws ParseError naming the missing column and the header that was found, or a name the
  // header holds twice.
  std::size_t column(std::string_view name) const;

  // The field as a finite number in the file's style; throws ParseError
  // `source:line: column 'x': "abc" is not a number` (or empty, not finite, ambiguous, ...).
  double number(const CsvRow& row, std::size_t column) const;
  const std::string& text(const CsvRow& row, std::size_t column) const { return row.fields.at(column); }

  // Throws ParseError "source:line: what" for a row: readers word their own checks this way.
  [[noreturn]] void fail(const CsvRow& row, const std::string& what) const;

 private:
  NumberStyle settle_number_style() const;

  std::string source_;
  char separator_ = ',';
  NumberStyle style_;
  std::size_t header_line_ = 0;
  std::vector<std::string> header_;
  std::vector<CsvRow> rows_;
};

}  // namespace chase
