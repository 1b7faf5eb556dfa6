#pragma once
// The job's work measured from its own count of finished iterations (a progress file the job
// rewrites, or any IterationSource) for the whole of control: the iterations counted since the
// meter was made. The unit is one iteration, the unit of a profile measured just in time; a saved
// profile used with it must be per iteration too.

#include <algorithm>
#include <cstdint>

#include "control/iteration_source.hpp"
#include "control/work_meter.hpp"

namespace chase {

class ProgressWork final : public WorkMeter {
 public:
  // The source is borrowed and must outlive the meter. Reads the count once now (0 while the
  // source has none yet: the job has not written its first count). Throws what the source's
  // read() throws (InputError for a progress file that is not a count, or goes back).
  explicit ProgressWork(IterationSource& source) : source_(&source), from_(source.read().value_or(0)), last_(from_) {}

  // Iterations since the meter was made (never negative). A source with no count at the moment
  // (a progress file being rewritten) leaves the last one read. Throws as the constructor.
  double work_done_units() const override {
    if (const auto count = source_->read()) last_ = std::max(last_, *count);
    return static_cast<double>(last_ - from_);
  }
  // The count when the meter was made: iterations finished before control started.
  std::int64_t start_count() const { return from_; }

 private:
  IterationSource* source_;
  std::int64_t from_;
  mutable std::int64_t last_;
};

}  // namespace chase
