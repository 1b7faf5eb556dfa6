#pragma once
// Strict number parsing: the whole text must be a finite number (no trailing junk, no
// "nan"/"inf", no empty string). Leading/trailing spaces are trimmed first.

#include <cstdint>
#include <optional>
#include <string_view>

namespace chase {

std::string_view trim(std::string_view text);
std::optional<double> parse_double(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view text);

}  // namespace chase
