#pragma once
// Loading text from disk or from the bundled data. A command-line argument such as
// `--trace gb-2020` resolves to the bundled data/traces/gb-2020.csv when no such file exists
// on disk, so the defaults work from any directory.

#include <filesystem>
#include <string>
#include <string_view>

namespace chase {

struct LoadedText {
  std::string source;   // the path, or "bundled:<name>" (used in error messages and outputs)
  std::string content;
};

// Reads a whole file; throws InputError "cannot read <path>: <reason>".
LoadedText read_text_file(const std::filesystem::path& path);

// A path on disk if it exists; else the bundled file `<bundled_dir>/<arg><extension>` (or
// `<bundled_dir>/<arg>`); else InputError naming the argument and the bundled names.
LoadedText load_data_argument(std::string_view arg, std::string_view bundled_dir, std::string_view extension);

}  // namespace chase
