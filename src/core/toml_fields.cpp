#include "core/toml_fields.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/text_file.hpp"

namespace chase {

toml::table parse_toml(std::string_view text, const std::string& source) {
  // The same decoding as every text file (BOM, UTF-16, CR line ends, binary refused); the
  // decoded text keeps the file's line numbers for toml++'s messages.
  const DecodedText decoded = decode_text(text, source);
  try {
    return toml::parse(decoded.text, source);
  } catch (const toml::parse_error& e) {
    throw ParseError(source, e.source().begin.line, e.source().begin.column, std::string(e.description()));
  }
}

std::optional<double> toml_optional_number(const toml::table& table, std::string_view key, std::string_view where) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  // Integers convert too. TOML spells inf and nan, which no preset field can mean.
  if (auto v = node->value<double>(); v && std::isfinite(*v)) return *v;
  throw InputError(fmt::format("{}: '{}' must be a finite number", where, key));
}

double toml_number(const toml::table& table, std::string_view key, std::string_view where) {
  if (auto v = toml_optional_number(table, key, where)) return *v;
  throw InputError(fmt::format("{}: missing number '{}'", where, key));
}

std::string toml_string(const toml::table& table, std::string_view key, std::string_view where) {
  const toml::node* node = table.get(key);
  if (node == nullptr) throw InputError(fmt::format("{}: missing string '{}'", where, key));
  if (auto v = node->value<std::string>()) return *v;
  throw InputError(fmt::format("{}: '{}' must be a string", where, key));
}

std::string toml_string_or(const toml::table& table, std::string_view key, std::string_view fallback,
                           std::string_view where) {
  if (table.get(key) == nullptr) return std::string(fallback);
  return toml_string(table, key, where);
}

const toml::table& toml_table(const toml::table& table, std::string_view key, std::string_view where) {
  const toml::node* node = table.get(key);
  if (node == nullptr || !node->is_table()) throw InputError(fmt::format("{}: missing table [{}]", where, key));
  return *node->as_table();
}

}  // namespace chase
