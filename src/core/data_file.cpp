#include "core/data_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/embedded_data.hpp"
#include "core/error.hpp"

namespace chase {

std::optional<std::string_view> find_embedded(std::string_view name) {
  for (const auto& file : embedded_files()) {
    if (file.name == name) return file.content;
  }
  return std::nullopt;
}

std::string_view require_embedded(std::string_view name) {
  if (auto content = find_embedded(name)) return *content;
  throw Error(fmt::format("bundled data file {} is missing from this build", name));
}

std::vector<std::string_view> embedded_names(std::string_view prefix) {
  std::vector<std::string_view> names;
  for (const auto& file : embedded_files()) {
    if (file.name.starts_with(prefix)) names.push_back(file.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

class ReadFd {
 public:
  explicit ReadFd(int fd) : fd_(fd) {}
  ReadFd(const ReadFd&) = delete;
  ReadFd& operator=(const ReadFd&) = delete;
  ~ReadFd() { ::close(fd_); }
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void cannot_read(const std::filesystem::path& path, const std::string& why) {
  throw InputError(fmt::format("cannot read {}: {}", path.string(), why));
}

// A FIFO opened without blocking: returns once a writer has it open or has written (what it
// wrote is appended to `out`), or refuses a FIFO that nothing writes to within the wait.
void wait_for_writer(int fd, const std::filesystem::path& path, std::string& out) {
  char buffer[4096];
  ssize_t got = 0;
  do got = ::read(fd, buffer, sizeof buffer);
  while (got < 0 && errno == EINTR);
  if (got > 0) {
    out.append(buffer, static_cast<std::size_t>(got));
    return;
  }
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // a writer has it open, nothing written yet
  if (got < 0) cannot_read(path, std::strerror(errno));
  // No writer has it open now: wait a little for one to write (POLLIN) or come and go (POLLHUP).
  pollfd wait{fd, POLLIN, 0};
  int ready = 0;
  do ready = ::poll(&wait, 1, kFifoWriterWaitMs);
  while (ready < 0 && errno == EINTR);
  if (ready < 0) cannot_read(path, std::strerror(errno));
  if (ready == 0) {
    cannot_read(path, fmt::format("is a FIFO (named pipe) that nothing is writing to (waited {:g} s); start its writer "
                                  "first, or give a regular file",
                                  kFifoWriterWaitMs / 1000.0));
  }
}

std::optional<LoadedText> read_file(const std::filesystem::path& path, bool missing_is_none) {
  const int opened = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (opened < 0) {
    if (missing_is_none && errno == ENOENT) return std::nullopt;
    cannot_read(path, std::strerror(errno));
  }
  const ReadFd fd(opened);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) cannot_read(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) cannot_read(path, "is a directory");
  std::string content;
  if (S_ISFIFO(st.st_mode)) wait_for_writer(fd.get(), path, content);
  // A writer is there (or this is no FIFO): read to the end, waiting for the writer as it writes.
  if (const int flags = ::fcntl(fd.get(), F_GETFL); flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  char buffer[65536];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) cannot_read(path, std::strerror(errno));
    if (got == 0) break;
    content.append(buffer, static_cast<std::size_t>(got));
    if (content.size() > kLargestInputBytes) {
      cannot_read(path, fmt::format("is larger than {} MiB, more than any input chase reads (a device?)",
                                    kLargestInputBytes >> 20));
    }
  }
  return LoadedText{path.string(), std::move(content)};
}

}  // namespace

LoadedText read_text_file(const std::filesystem::path& path) { return *read_file(path, false); }

std::optional<LoadedText> read_text_file_if_exists(const std::filesystem::path& path) { return read_file(path, true); }

LoadedText load_data_argument(std::string_view arg, std::string_view bundled_dir, std::string_view extension) {
  const std::filesystem::path path{std::string(arg)};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_text_file(path);
  for (const auto& name : {fmt::format("{}/{}{}", bundled_dir, arg, extension), fmt::format("{}/{}", bundled_dir, arg)}) {
    if (auto content = find_embedded(name)) return LoadedText{"bundled:" + name, std::string(*content)};
  }
  std::vector<std::string> bundled;
  for (auto name : embedded_names(fmt::format("{}/", bundled_dir))) {
    auto stem = name.substr(bundled_dir.size() + 1);
    if (!extension.empty() && stem.ends_with(extension)) stem.remove_suffix(extension.size());
    bundled.emplace_back(stem);
  }
  throw InputError(fmt::format("'{}': no such file, and not a bundled name (bundled: {})", arg,
                               bundled.empty() ? std::string("none") : fmt::format("{}", fmt::join(bundled, ", "))));
}

}  // namespace chase
