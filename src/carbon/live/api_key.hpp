#pragma once
// API keys for live providers: from a file (which must be readable by its owner only: mode 0600
// or 0400) or from an environment variable. The key's text never appears in an error message
// or a log line.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/environment.hpp"

namespace chase {

// The key from `file` when given, else from `env_var`. Throws InputError naming the file and its
// mode when group or others may read it, naming the file when it is empty or unreadable, and
// naming both the flag and the variable when neither is there. Surrounding whitespace is dropped.
// The file is decoded as every text file is (core/text_file.hpp: a BOM dropped, UTF-16
// decoded, line ends of any kind) and must then hold one line of printable ASCII; a binary or
// non-UTF-8 file, or one with a second line, is refused naming the file and line only.
std::string load_api_key(const std::string& provider, const std::optional<std::filesystem::path>& file,
                         const std::string& env_var, const EnvironmentLookup& environment);

}  // namespace chase
