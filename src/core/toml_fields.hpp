#pragma once
// Strict reading of TOML data files (presets): a missing key or a wrong type is an error that
// names the file, the table and the key.

#include <toml++/toml.h>

#include "core/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace chase {

// Parses text after decode_text (core/text_file.hpp); a syntax error becomes ParseError with
// source:line:column.
toml::table parse_toml(std::string_view text, const std::string& source);

// `where` names the table for messages, e.g. "presets/models.toml [t5]".
double toml_number(const toml::table& table, std::string_view key, std::string_view where);
std::optional<double> toml_optional_number(const toml::table& table, std::string_view key, std::string_view where);
std::string toml_string(const toml::table& table, std::string_view key, std::string_view where);
std::string toml_string_or(const toml::table& table, std::string_view key, std::string_view fallback,
                           std::string_view where);
const toml::table& toml_table(const toml::table& table, std::string_view key, std::string_view where);

// Parses a preset file of top-level tables and calls fn(key, table, where) for each, where
// `where` is "source [key]" for error messages.
template <class Fn>
void for_each_toml_table(std::string_view toml_text, const std::string& source, Fn fn) {
  const toml::table root = parse_toml(toml_text, source);
  for (const auto& [key, node] : root) {
    std::string where = source + " [" + std::string(key.str()) + "]";
    if (!node.is_table()) throw InputError(where + ": expected a table");
    fn(std::string(key.str()), *node.as_table(), where);
  }
}

}  // namespace chase
