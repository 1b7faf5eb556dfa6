#pragma once
// A small, strict CSV reader: a header row, then rows with exactly as many fields. Blank lines
// and lines starting with '#' are skipped (data files carry their attribution that way).
// Fields may be double-quoted ("" is a literal quote). Every error names source:line:column.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chase {

struct CsvRow {
  std::size_t line = 0;  // 1-based line number in the source
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // `source` names the text in error messages (usually the file path).
  static CsvTable parse(std::string_view text, std::string source);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }

  std::optional<std::size_t> find_column(std::string_view name) const;
  // Throws ParseError naming the missing column and the header that was found.
  std::size_t column(std::string_view name) const;

  // The field as a strict finite number; throws ParseError "source:line:col: column 'x':
  // 'abc' is not a number".
  double number(const CsvRow& row, std::size_t column) const;
  const std::string& text(const CsvRow& row, std::size_t column) const { return row.fields.at(column); }

 private:
  std::string source_;
  std::size_t header_line_ = 0;
  std::vector<std::string> header_;
  std::vector<CsvRow> rows_;
};

}  // namespace chase
