#include "core/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/number_parse.hpp"
#include "core/text_file.hpp"

namespace chase {
namespace {

std::vector<std::string> split_fields(std::string_view line, char separator, const std::string& source,
                                      std::size_t line_no) {
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
    } else if (c == separator) {
      fields.push_back(was_quoted ? field : std::string(trim(field)));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    throw ParseError(source, line_no,
                     fmt::format("unterminated quoted field in {} (a quote opens a field and none closes it)",
                                 quoted_excerpt(line)));
  }
  fields.push_back(was_quoted ? field : std::string(trim(field)));
  return fields;
}

// The separator the header uses: ',' (also for a one-column header), ';' (European Excel, where
// ',' is the decimal mark) or a tab (Excel's "Unicode text"). Only marks outside quotes count.
// When two appear ("a;\tb", "a,b\t"), the one whose column names hold none of the others wins:
// a tab beside a ';' is padding, not a column.
char header_separator(std::string_view line, const std::string& source, std::size_t line_no) {
  bool in_quotes = false;
  std::string found;
  for (char c : trim(line)) {
    if (c == '"') in_quotes = !in_quotes;
    if (!in_quotes && (c == ',' || c == ';' || c == '\t') && found.find(c) == std::string::npos) found += c;
  }
  if (found.size() > 1) {
    std::string clean;
    for (char candidate : found) {
      const auto names = split_fields(line, candidate, source, line_no);
      const bool holds_other = std::any_of(names.begin(), names.end(), [&](const std::string& name) {
        return name.find_first_of(found) != std::string::npos;
      });
      if (!holds_other) clean += candidate;
    }
    if (clean.size() == 1) return clean.front();
  }
  if (found.size() > 1) {
    std::vector<std::string> names;
    for (char c : found) names.push_back(c == '\t' ? "tab" : fmt::format("'{}'", c));
    throw ParseError(source, line_no,
                     fmt::format("header {} has both {}: cannot tell which one separates the columns",
                                 quoted_excerpt(line), fmt::join(names, " and ")));
  }
  return found.empty() ? ',' : found.front();
}

// Excel's "sep=;" first line names the separator.
std::optional<char> separator_line(std::string_view line) {
  if (line.size() == 5 && line.starts_with("sep=") && (line[4] == ',' || line[4] == ';' || line[4] == '\t')) {
    return line[4];
  }
  return std::nullopt;
}

}  // namespace

CsvTable CsvTable::parse(std::string_view bytes, std::string source) {
  CsvTable table;
  table.source_ = std::move(source);
  const DecodedText decoded = decode_text(bytes, table.source_);
  const std::string_view text = decoded.text;
  std::optional<char> declared;
  std::size_t named = 0;  // header columns before any trailing unnamed ones
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (trim(line).empty() || trim(line).front() == '#') continue;
    if (table.header_.empty() && !declared && (declared = separator_line(line))) continue;
    if (table.header_.empty()) {
      table.separator_ = declared ? *declared : header_separator(line, table.source_, line_no);
      table.header_ = split_fields(line, table.separator_, table.source_, line_no);
      table.header_line_ = line_no;
      // Spreadsheets export stray empty columns at the right: "a,b,,". They name nothing.
      named = table.header_.size();
      while (named > 1 && table.header_[named - 1].empty()) --named;
      table.header_.resize(named);
      continue;
    }
    auto fields = split_fields(line, table.separator_, table.source_, line_no);
    // A row of separators only (",,"): a blank spreadsheet row, as blank as an empty line.
    if (std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); })) continue;
    while (fields.size() > named && fields.back().empty()) fields.pop_back();
    if (fields == table.header_) {
      throw ParseError(table.source_, line_no,
                       fmt::format("repeats the header row {}: were two files joined?", quoted_excerpt(line)));
    }
    if (fields.size() != named) {
      throw ParseError(table.source_, line_no,
                       fmt::format("expected {} fields as in the header, found {}: {}", named, fields.size(),
                                   quoted_excerpt(line)));
    }
    table.rows_.push_back(CsvRow{line_no, std::move(fields)});
  }
  if (table.header_.empty()) throw ParseError(table.source_, "empty file: no header row");
  table.style_ = table.settle_number_style();
  return table;
}

NumberStyle CsvTable::settle_number_style() const {
  struct Proof {
    const CsvRow* row = nullptr;
    const std::string* cell = nullptr;
  };
  Proof point, comma;
  for (const CsvRow& row : rows_) {
    for (const std::string& cell : row.fields) {
      const auto evidence = decimal_mark_evidence(cell);
      if (!evidence) continue;
      Proof& mine = *evidence == DecimalMark::point ? point : comma;
      const Proof& other = *evidence == DecimalMark::point ? comma : point;
      if (other.row != nullptr) {
        throw ParseError(source_, row.line,
                         fmt::format("{} has a decimal '{}', but line {}'s {} has a decimal '{}': one file has one "
                                     "decimal mark",
                                     quoted_excerpt(cell), mark_char(*evidence), other.row->line,
                                     quoted_excerpt(*other.cell), mark_char(*evidence == DecimalMark::point
                                                                                ? DecimalMark::comma
                                                                                : DecimalMark::point)));
      }
      if (mine.row == nullptr) mine = {&row, &cell};
    }
  }
  if (point.row != nullptr) return {DecimalMark::point, MarkCertainty::proven};
  if (comma.row != nullptr) return {DecimalMark::comma, MarkCertainty::proven};
  if (separator_ == ',') return {DecimalMark::point, MarkCertainty::convention};
  return {DecimalMark::point, MarkCertainty::unknown};
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(std::string_view name) const {
  if (auto i = find_column(name)) {
    for (std::size_t j = *i + 1; j < header_.size(); ++j) {
      if (header_[j] == name) {
        throw ParseError(source_, header_line_,
                         fmt::format("column '{}' appears twice in the header (columns {} and {})", name, *i + 1, j + 1));
      }
    }
    return *i;
  }
  throw ParseError(source_, header_line_,
                   fmt::format("missing column '{}' (header has: {})", name, fmt::join(header_, ",")));
}

double CsvTable::number(const CsvRow& row, std::size_t column) const {
  const std::string& field = row.fields.at(column);
  const NumberReading reading = read_number(field, style_);
  if (reading.value) return *reading.value;
  fail(row, fmt::format("column '{}': {} {}", header_.at(column), quoted_excerpt(field), reading.problem));
}

void CsvTable::fail(const CsvRow& row, const std::string& what) const { throw ParseError(source_, row.line, what); }

}  // namespace chase
