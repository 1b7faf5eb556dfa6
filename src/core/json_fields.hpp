#pragma once
// Strict reading of JSON documents (API responses, fixtures): every missing field or wrong
// type becomes an error naming the source and the JSON path, e.g.
// "electricitymaps response: field 'carbonIntensity' is missing".

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace chase {

// Parses text; on failure throws ParseError naming `source` and the byte offset.
nlohmann::json parse_json(std::string_view text, const std::string& source);

const nlohmann::json& require_field(const nlohmann::json& object, std::string_view key, std::string_view source);
double require_number(const nlohmann::json& object, std::string_view key, std::string_view source);
std::string require_string(const nlohmann::json& object, std::string_view key, std::string_view source);
const nlohmann::json& require_array(const nlohmann::json& object, std::string_view key, std::string_view source);

}  // namespace chase
