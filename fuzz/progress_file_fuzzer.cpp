// The progress file a training job rewrites (`chase run --progress-file FILE`). The input is
// the file's successive contents, separated by NUL bytes: ProgressFile::read() runs on each, so
// both a single reading and the check against the one before are exercised.

#include "control/progress_file.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static chase::fuzz::ScratchFile file("progress");
  std::string_view rest = chase::fuzz::as_text(data, size);
  chase::ProgressFile progress(file.path());
  chase::fuzz::expecting_chase_errors([&] {
    while (true) {
      const auto nul = rest.find('\0');
      file.write(rest.substr(0, nul), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      (void)progress.read();
      if (nul == std::string_view::npos) break;
      rest.remove_prefix(nul + 1);
    }
  });
  return 0;
}
