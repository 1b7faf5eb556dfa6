#pragma once
// Loading text from disk or from the bundled data. A command-line argument such as
// `--trace gb-2020` resolves to the bundled data/traces/gb-2020.csv when no such file exists
// on disk, so the defaults work from any directory.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace chase {

struct LoadedText {
  std::string source;   // the path, or "bundled:<name>" (used in error messages and outputs)
  std::string content;
};

// How long a FIFO (named pipe) that nothing is writing to is waited for before it is refused:
// long enough for a writer started beside chase (`chase ... --trace f & cat x > f`), short
// enough that a forgotten `mkfifo` does not hang chase.
inline constexpr int kFifoWriterWaitMs = 2000;
// Files larger than this are refused (a device such as /dev/zero never ends); every input chase
// reads is a few MB at most (a year of 5-minute steps is about 5 MB).
inline constexpr std::size_t kLargestInputBytes = std::size_t{256} << 20;

// Reads a whole file; throws InputError "cannot read <path>: <reason>". Never blocks on a FIFO
// with no writer: one with a writer (process substitution, `<(cat f)`) is read to its end, one
// without is waited for up to kFifoWriterWaitMs and then refused ("nothing is writing to it").
LoadedText read_text_file(const std::filesystem::path& path);
// The same, or nothing when there is no such file (a file that appears later, e.g. a job's
// progress file).
std::optional<LoadedText> read_text_file_if_exists(const std::filesystem::path& path);

// A path on disk if it exists; else the bundled file `<bundled_dir>/<arg><extension>` (or
// `<bundled_dir>/<arg>`); else InputError naming the argument and the bundled names.
LoadedText load_data_argument(std::string_view arg, std::string_view bundled_dir, std::string_view extension);

}  // namespace chase
