#include "core/json_fields.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace chase {

nlohmann::json parse_json(std::string_view text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ParseError(source, fmt::format("invalid JSON at byte {}", e.byte));
  } catch (const nlohmann::json::out_of_range&) {
    // A number no double can hold (1e400): nlohmann reports it apart from syntax errors.
    throw ParseError(source, "invalid JSON: a number is too large");
  }
}

const nlohmann::json& require_field(const nlohmann::json& object, std::string_view key, std::string_view source) {
  if (!object.is_object()) throw InputError(fmt::format("{}: expected a JSON object holding '{}'", source, key));
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) throw InputError(fmt::format("{}: field '{}' is missing", source, key));
  return *it;
}

double require_number(const nlohmann::json& object, std::string_view key, std::string_view source) {
  const auto& value = require_field(object, key, source);
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    throw InputError(fmt::format("{}: field '{}' must be a number, got {}", source, key, value.dump()));
  }
  return value.get<double>();
}

std::string require_string(const nlohmann::json& object, std::string_view key, std::string_view source) {
  const auto& value = require_field(object, key, source);
  if (!value.is_string()) {
    throw InputError(fmt::format("{}: field '{}' must be a string, got {}", source, key, value.dump()));
  }
  return value.get<std::string>();
}

const nlohmann::json& require_array(const nlohmann::json& object, std::string_view key, std::string_view source) {
  const auto& value = require_field(object, key, source);
  if (!value.is_array()) {
    throw InputError(fmt::format("{}: field '{}' must be an array, got {}", source, key, value.dump()));
  }
  return value;
}

}  // namespace chase
