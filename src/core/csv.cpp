#include "core/csv.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

std::vector<std::string> split_fields(std::string_view line, const std::string& source, std::size_t line_no) {
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && trim(field).empty()) {
      in_quotes = true;
      was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : std::string(trim(field)));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  if (in_quotes) throw ParseError(source, line_no, line.size(), "unterminated quoted field");
  fields.push_back(was_quoted ? field : std::string(trim(field)));
  return fields;
}

}  // namespace

CsvTable CsvTable::parse(std::string_view text, std::string source) {
  CsvTable table;
  table.source_ = std::move(source);
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    auto fields = split_fields(line, table.source_, line_no);
    if (table.header_.empty()) {
      table.header_ = std::move(fields);
      table.header_line_ = line_no;
    } else {
      if (fields.size() != table.header_.size()) {
        throw ParseError(table.source_, line_no,
                         fmt::format("expected {} fields as in the header, found {}", table.header_.size(),
                                     fields.size()));
      }
      table.rows_.push_back(CsvRow{line_no, std::move(fields)});
    }
    if (end == text.size()) break;
  }
  if (table.header_.empty()) throw ParseError(table.source_, "empty file: no header row");
  return table;
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(std::string_view name) const {
  if (auto i = find_column(name)) return *i;
  throw ParseError(source_, header_line_,
                   fmt::format("missing column '{}' (header has: {})", name, fmt::join(header_, ",")));
}

double CsvTable::number(const CsvRow& row, std::size_t column) const {
  const std::string& field = row.fields.at(column);
  if (auto v = parse_double(field)) return *v;
  throw ParseError(source_, row.line, column + 1,
                   fmt::format("column '{}': '{}' is not a number", header_.at(column), field));
}

}  // namespace chase
