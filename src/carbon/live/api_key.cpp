#include "carbon/live/api_key.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/text_file.hpp"

namespace chase {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// A key is one line of printable ASCII without spaces: anything else is a pasted note, a second
// key or an encoding accident, and would reach the provider as a wrong key. The message says
// where, never what. `text` is the decoded file; the key is its trimmed content.
void check_key_text(const std::string& text, const std::string& where) {
  const auto first = text.find_first_not_of(" \t\n");
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + first, '\n'));
  const auto last = text.find_last_not_of(" \t\n");
  for (std::size_t i = first; i <= last; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      throw ParseError(where, line + 1, "a key file holds the key alone on one line; this one has more lines");
    }
    if (byte >= 0x80) throw ParseError(where, line, "the key has a non-ASCII character; keys are ASCII");
    if (byte <= 0x20 || byte == 0x7F) throw ParseError(where, line, "the key has a space or tab inside it");
  }
}

}  // namespace

std::string load_api_key(const std::string& provider, const std::optional<std::filesystem::path>& file,
                         const std::string& env_var, const EnvironmentLookup& environment) {
  if (file) {
    struct stat info {};
    if (::stat(file->c_str(), &info) != 0) {
      throw InputError(fmt::format("{} key file {}: {}", provider, file->string(), std::strerror(errno)));
    }
    if (!S_ISREG(info.st_mode)) throw InputError(fmt::format("{} key file {}: not a regular file", provider, file->string()));
    const unsigned mode = static_cast<unsigned>(info.st_mode) & 0777u;
    if ((mode & 077u) != 0) {
      throw InputError(fmt::format("{} key file {} has mode {:04o}: group and others can read it; "
                                   "run `chmod 600 {}`",
                                   provider, file->string(), mode, file->string()));
    }
    // Decoded like every text file (an editor's BOM, UTF-16, CRLF), never quoting the content.
    const std::string where = fmt::format("{} key file {}", provider, file->string());
    const std::string text = decode_text(read_text_file(*file).content, where, QuoteContent::no).text;
    std::string key = trimmed(text);
    if (key.empty()) throw InputError(fmt::format("{} key file {} is empty", provider, file->string()));
    check_key_text(text, where);
    return key;
  }
  if (auto value = environment(env_var)) {
    std::string key = trimmed(*value);
    if (!key.empty()) return key;
  }
  throw InputError(fmt::format("{} needs an API key: set {} or pass --key-file FILE (mode 0600)", provider, env_var));
}

}  // namespace chase
