#include "fuzz_input.hpp"

#include <unistd.h>

#include <fstream>
#include <system_error>

namespace chase::fuzz {

ScratchFile::ScratchFile(std::string_view name)
    : path_(std::filesystem::temp_directory_path() /
            ("chase-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()))) {}

ScratchFile::~ScratchFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

const std::filesystem::path& ScratchFile::write(std::string_view text, std::filesystem::perms mode) {
  {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  std::filesystem::permissions(path_, mode);
  return path_;
}

}  // namespace chase::fuzz
