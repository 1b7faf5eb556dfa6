#include "limits/limit_state_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/data_file.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

using nlohmann::json;

std::string os_error(const std::string& what, const std::filesystem::path& path) {
  return fmt::format("{} {}: {}", what, path.string(), std::strerror(errno));
}

// Owns a file descriptor for the few calls below.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, const std::string& text, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(os_error("cannot write", path));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::vector<HeldLimit> read_limit_state(const std::filesystem::path& file) {
  const auto text = read_text_file_if_exists(file);
  if (!text) return {};
  const json j = json::parse(text->content, nullptr, /*allow_exceptions=*/false);
  const std::string bad = fmt::format("{}: not a chased state file", file.string());
  if (j.is_discarded() || !j.is_object() || !j.contains("held") || !j["held"].is_array()) throw InputError(bad);
  std::vector<HeldLimit> out;
  try {
    for (const json& e : j["held"]) {
      HeldLimit h;
      h.index = e.at("index").get<unsigned>();
      h.uuid = e.at("uuid").get<std::string>();
      const auto mw = e.at("original_mw").get<std::int64_t>();
      if (mw <= 0) throw InputError(bad + ": an original limit is not positive");
      h.original = Power::milliwatts(static_cast<double>(mw));
      h.holder.pid = e.at("pid").get<std::int64_t>();
      h.holder.uid = e.at("uid").get<std::uint32_t>();
      h.holder.since_unix = e.at("since_unix").get<std::int64_t>();
      out.push_back(std::move(h));
    }
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: {}", bad, e.what()));
  }
  return out;
}

void write_limit_state(const std::filesystem::path& file, const std::vector<HeldLimit>& held) {
  json list = json::array();
  for (const HeldLimit& h : held) {
    list.push_back({{"index", h.index},
                    {"uuid", h.uuid},
                    {"original_mw", std::llround(h.original.watts() * 1000.0)},
                    {"pid", h.holder.pid},
                    {"uid", h.holder.uid},
                    {"since_unix", h.holder.since_unix}});
  }
  const std::string text = json{{"version", 1}, {"held", list}}.dump(1) + "\n";
  const std::filesystem::path temp = file.string() + ".tmp";
  {
    Fd out{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (out.fd < 0) throw Error(os_error("cannot create", temp));
    write_all(out.fd, text, temp);
    if (::fsync(out.fd) != 0) throw Error(os_error("cannot fsync", temp));
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) throw Error(os_error("cannot rename over", file));
  // The rename is durable only once the folder is.
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  Fd dir{::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd >= 0) ::fsync(dir.fd);
}

}  // namespace chase
