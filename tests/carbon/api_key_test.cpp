// Key files as editors write them: decoded like every text file, one line of printable ASCII,
// and no error ever quotes the key.

#include "carbon/live/api_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using namespace std::string_literals;

constexpr const char* kSecret = "k3y-5ecr3t";

EnvironmentLookup no_environment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string load(const test::TempDir& dir, const std::string& bytes) {
  const auto file = dir.write("em.key", bytes);
  ::chmod(file.c_str(), 0600);
  return load_api_key("electricitymaps", file, "X", no_environment());
}

TEST(ApiKeyFile, AcceptsTheKeyAsEditorsSaveIt) {
  test::TempDir dir;
  const std::string key = kSecret;
  for (const std::string& bytes : {key, key + "\n", key + "\r\n", "\xEF\xBB\xBF" + key + "\r\n",  // Notepad
                                   "\n  " + key + "  \n\n"}) {
    EXPECT_EQ(load(dir, bytes), key);
  }
  std::string utf16 = "\xFF\xFE";  // PowerShell 5: `echo KEY > em.key`
  for (char c : key + "\r\n") utf16 += std::string{c, '\0'};
  EXPECT_EQ(load(dir, utf16), key);
}

TEST(ApiKeyFile, RefusesWhatIsNotOneKeyNamingTheLineNotTheKey) {
  test::TempDir dir;
  const std::string where = "electricitymaps key file " + (dir.path() / "em.key").string();
  const std::string key = kSecret;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {key + "\n" + key + "\n", ":2: a key file holds the key alone on one line; this one has more lines"},
      {"\n" + key + " old\n", ":2: the key has a space or tab inside it"},
      {key + "\xC3\xA9\n", ":1: the key has a non-ASCII character; keys are ASCII"},
      {key + "\xE9\n", ":1: is not UTF-8 text (a legacy code page?): save the file as UTF-8"},
      {key + "\0\n"s, ":1: looks like a binary file, not text: a NUL byte"},
  };
  for (const auto& [bytes, message] : cases) {
    try {
      load(dir, bytes);
      ADD_FAILURE() << "accepted: " << message;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), where + message);
      EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace chase
