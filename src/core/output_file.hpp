#pragma once
// The one way chase writes a file a user named (`--csv`, `--runs-csv`, `--decisions`,
// `--save-profile`): every write is checked, and a failure is reported once, naming the file and
// the OS error of that very write (not a stale errno).
//
// What happens to an existing file:
//   - replace (the default): the text goes to a temporary file beside the target
//     ("<name>.<pid>.partial"), which finish() renames over the target. Until then the target
//     keeps its earlier content, so a command that never ran, or a run that failed, leaves an
//     earlier file as it was. A crash leaves what was written in the .partial file.
//   - truncate (a file read while it grows: `chase measure --csv`, which a user may `tail -f`):
//     the target itself is truncated and written as rows come. The caller opens it only once it
//     has something to put there (the measured command has started), so an earlier file is not
//     destroyed for nothing; check() refuses a path that cannot be written before the work starts.
//   - append (decision logs): the target is opened for appending; nothing in it is rewritten.
//   - a target that exists and is not a regular file (/dev/stdout, /dev/null, a FIFO with a
//     reader) is written in place, as there is nothing to rename over; a FIFO with no reader is
//     refused at once rather than blocking.
//
// The first failed write is kept and later writes are skipped, so a writer on another thread (a
// sampler's sink) never has to throw: finish() reports it, after the caller has printed its
// other results.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace chase {

class OutputFile {
 public:
  enum class Mode { replace, truncate, append };

  // Opens the file now, so a missing folder or a missing permission fails before any work:
  // InputError "cannot write <path>: <OS error>".
  explicit OutputFile(std::filesystem::path path, Mode mode = Mode::replace);
  // Throws the InputError the constructor would for `path` (a folder, a missing folder, no
  // write permission), without creating or changing anything.
  static void check(const std::filesystem::path& path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Without finish(): a replace's temporary file is removed and the target left as it was.
  ~OutputFile();

  // Writes all of `text` unbuffered (it is on disk, in the kernel's hands, when this returns),
  // or keeps the failure.
  void write(std::string_view text);
  // The first failure, as finish() would report it.
  const std::optional<std::string>& failure() const { return failure_; }
  // Closes the file and, for replace, renames it over the target. Throws Error "cannot write
  // <path>: <OS error>" for the first failure of a write, the close or the rename (then the
  // target is left as it was; rows already written stay in the .partial file, which the message
  // names).
  void finish();

  const std::filesystem::path& path() const { return path_; }

 private:
  void fail(std::string_view what, int error);
  void close_fd();

  std::filesystem::path path_;       // as the user gave it (for messages)
  std::filesystem::path target_;     // where the text ends up (a symlink's target)
  std::filesystem::path temporary_;  // empty: written in place
  int fd_ = -1;
  std::size_t written_ = 0;
  bool finished_ = false;
  std::optional<std::string> failure_;
};

// All of `text` to `path` at once (Mode::replace): constructs, writes and finishes an OutputFile,
// with its errors.
void write_output_file(const std::filesystem::path& path, std::string_view text);

}  // namespace chase
