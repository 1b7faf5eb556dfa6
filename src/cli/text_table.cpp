#include "cli/text_table.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chase::cli {
namespace {

// Display width in terminal columns: count UTF-8 lead bytes, not bytes (×, →, Δ are multibyte).
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

TextTable& TextTable::column(std::string header, Align align) {
  columns_.push_back({std::move(header), align});
  return *this;
}

TextTable& TextTable::row(std::vector<std::string> cells) {
  if (cells.size() != columns_.size()) throw Error("text table: row width does not match its columns");
  rows_.push_back(std::move(cells));
  return *this;
}

TextTable& TextTable::rule() {
  rows_.emplace_back();
  return *this;
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths;
  for (const auto& c : columns_) widths.push_back(display_width(c.header));
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::size_t pad = widths[i] - display_width(cells[i]);
      const bool last = i + 1 == cells.size();
      if (columns_[i].align == Align::kRight) {
        out.append(pad, ' ');
        out += cells[i];
      } else {
        out += cells[i];
        if (!last) out.append(pad, ' ');
      }
      if (!last) out += "  ";
    }
    out += '\n';
    return out;
  };
  std::vector<std::string> headers;
  for (const auto& c : columns_) headers.push_back(c.header);
  std::string out = line(headers);
  std::size_t total = 0;
  for (auto w : widths) total += w;
  total += widths.empty() ? 0 : 2 * (widths.size() - 1);
  const std::string rule_line = std::string(total, '-') + "\n";
  out += rule_line;
  for (const auto& r : rows_) out += r.empty() ? rule_line : line(r);
  return out;
}

}  // namespace chase::cli
