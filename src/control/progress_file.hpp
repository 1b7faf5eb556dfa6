#pragma once
// A training job's progress as a file it rewrites: the number of iterations it has completed
// (the last integer in the file; `echo $i > FILE` or a line appended per iteration both work).
// It is how a job that chase launches as a plain command tells the profiler when an iteration
// ends, without linking to chase.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "control/iteration_source.hpp"

namespace chase {

class ProgressFile final : public IterationSource {
 public:
  explicit ProgressFile(std::filesystem::path path) : path_(std::move(path)) {}
  const std::filesystem::path& path() const { return path_; }

  // The iterations completed so far; nullopt while the file does not exist or is empty (the
  // job has not started writing, or is rewriting it). Throws InputError naming the file for
  // content that is not an iteration count, or a count lower than one read before.
  std::optional<std::int64_t> read() override;

 private:
  std::filesystem::path path_;
  std::int64_t last_ = 0;
};

}  // namespace chase
