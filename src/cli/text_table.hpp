#pragma once
// Aligned plain-text tables for the human output of every command.

#include <string>
#include <vector>

namespace chase::cli {

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  TextTable& column(std::string header, Align align = Align::kRight);
  TextTable& row(std::vector<std::string> cells);
  // A horizontal rule before the next row (e.g. above a total).
  TextTable& rule();
  std::string render() const;

 private:
  struct Column {
    std::string header;
    Align align;
  };
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

}  // namespace chase::cli
