#include "core/output_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace chase {
namespace {

std::string os_error(int error) { return std::strerror(error); }

// Back to blocking writes once open (O_NONBLOCK only kept open() from waiting for a FIFO's reader).
void make_blocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

std::string open_error(const std::filesystem::path& path, int error, bool fifo) {
  if (fifo && error == ENXIO) return fmt::format("cannot write {}: a FIFO (named pipe) that nothing reads", path.string());
  return fmt::format("cannot write {}: {}", path.string(), os_error(error));
}

// A new file beside `target` that no other run uses: "<name>.<pid>.partial" (a counter after the
// pid if that is taken).
int create_temporary(const std::filesystem::path& target, std::filesystem::path& temporary) {
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  for (int attempt = 0;; ++attempt) {
    const std::string suffix = attempt == 0 ? fmt::format(".{}.partial", ::getpid())
                                            : fmt::format(".{}-{}.partial", ::getpid(), attempt);
    temporary = folder / (target.filename().string() + suffix);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST || attempt == 100) return fd;
  }
}

}  // namespace

OutputFile::OutputFile(std::filesystem::path path, Mode mode) : path_(std::move(path)), target_(path_) {
  struct stat st {};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw InputError(fmt::format("cannot write {}: is a directory", path_.string()));
  const bool in_place = mode != Mode::replace || (exists && !S_ISREG(st.st_mode));
  if (in_place) {
    int flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK;
    if (mode == Mode::append) flags |= O_APPEND | O_CREAT;
    if (mode == Mode::truncate) flags |= O_TRUNC | O_CREAT;
    fd_ = ::open(path_.c_str(), flags, 0666);
    if (fd_ < 0) throw InputError(open_error(path_, errno, exists && S_ISFIFO(st.st_mode)));
    make_blocking(fd_);
    return;
  }
  std::error_code ec;
  if (exists && std::filesystem::is_symlink(path_, ec)) target_ = std::filesystem::canonical(path_, ec);
  if (ec) target_ = path_;
  fd_ = create_temporary(target_, temporary_);
  if (fd_ < 0) {
    const int error = errno;
    temporary_.clear();
    throw InputError(fmt::format("cannot write {}: {}", path_.string(), os_error(error)));
  }
  // The file that replaces an existing one keeps its permissions.
  if (exists) ::fchmod(fd_, st.st_mode & 07777);
}

void OutputFile::check(const std::filesystem::path& path) {
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw InputError(fmt::format("cannot write {}: is a directory", path.string()));
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  if ((exists ? ::access(path.c_str(), W_OK) : ::access(folder.c_str(), W_OK | X_OK)) != 0) {
    throw InputError(fmt::format("cannot write {}: {}", path.string(), os_error(errno)));
  }
}

OutputFile::~OutputFile() {
  if (finished_) return;
  close_fd();
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void OutputFile::fail(std::string_view what, int error) {
  if (!failure_) failure_ = fmt::format("cannot write {}{}: {}", path_.string(), what, os_error(error));
}

void OutputFile::close_fd() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && errno != EINTR) fail("", errno);
}

void OutputFile::write(std::string_view text) {
  if (failure_ || fd_ < 0) return;
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("", errno);
      return;
    }
    written_ += static_cast<std::size_t>(n);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void OutputFile::finish() {
  if (finished_) {
    if (failure_) throw Error(*failure_);
    return;
  }
  finished_ = true;
  close_fd();
  if (!temporary_.empty() && !failure_ && ::rename(temporary_.c_str(), target_.c_str()) != 0) {
    fail(fmt::format(" (renaming {} over it)", temporary_.string()), errno);
  }
  if (!failure_) return;
  if (!temporary_.empty()) {
    if (written_ > 0) {
      *failure_ += fmt::format("; what was written is in {}, and {} is as it was", temporary_.string(), path_.string());
    } else {
      ::unlink(temporary_.c_str());
    }
  }
  throw Error(*failure_);
}

void write_output_file(const std::filesystem::path& path, std::string_view text) {
  OutputFile out(path);
  out.write(text);
  out.finish();
}

}  // namespace chase
