#pragma once
// Where the controller learns how many iterations (training steps) the job has finished: a
// progress file the job rewrites (`chase run --progress-file`) or a counter the training loop
// advances in-process (the Python integration: StepCounter). The just-in-time profiler steps on
// it, and a controller whose work is measured rather than modelled reads it (MeasuredWork).

#include <cstdint>
#include <optional>

namespace chase {

class IterationSource {
 public:
  virtual ~IterationSource() = default;
  // The iterations finished so far; nullopt while the source has no count yet. Throws
  // InputError when the count cannot be read (a progress file's content is not a count, or goes
  // back).
  virtual std::optional<std::int64_t> read() = 0;
};

}  // namespace chase
