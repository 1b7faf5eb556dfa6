#pragma once
// What every fuzz target shares: the input as text, the one kind of failure a parser may report
// (a chase::Error, which the CLI turns into one line), and a scratch file for parsers that read
// a path. Any other exception escapes LLVMFuzzerTestOneInput, and libFuzzer reports it as a
// crash, like a sanitizer finding, a leak or a hang.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace chase::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs fn; a chase::Error is a parser's proper answer to bad input and ends the run quietly.
template <class Fn>
void expecting_chase_errors(Fn&& fn) {
  try {
    fn();
  } catch (const chase::Error&) {
  }
}

// A file of this process's own under the temporary directory, rewritten for each input (parsers
// of files the user names take a path, not text).
class ScratchFile {
 public:
  explicit ScratchFile(std::string_view name);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Replaces the file's content with `text` and sets its permission bits to `mode`.
  const std::filesystem::path& write(std::string_view text, std::filesystem::perms mode);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace chase::fuzz
