#include "carbon/live/api_key.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/data_file.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

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
    std::string key = trimmed(read_text_file(*file).content);
    if (key.empty()) throw InputError(fmt::format("{} key file {} is empty", provider, file->string()));
    return key;
  }
  if (auto value = environment(env_var)) {
    std::string key = trimmed(*value);
    if (!key.empty()) return key;
  }
  throw InputError(fmt::format("{} needs an API key: set {} or pass --key-file FILE (mode 0600)", provider, env_var));
}

}  // namespace chase
