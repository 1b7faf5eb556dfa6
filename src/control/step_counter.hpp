#pragma once
// The steps an in-process training loop has finished, counted as it reports them, and the work
// a controller measures from them. The training loop's thread advances the counter; the
// controller's thread reads it, so both are lock-free atomics.

#include <atomic>
#include <cstdint>
#include <optional>

#include "control/iteration_source.hpp"
#include "control/work_meter.hpp"

namespace chase {

class StepCounter final : public IterationSource {
 public:
  void advance(std::int64_t steps = 1) { done_.fetch_add(steps, std::memory_order_relaxed); }
  std::int64_t done() const { return done_.load(std::memory_order_relaxed); }
  std::optional<std::int64_t> read() override { return done(); }

 private:
  std::atomic<std::int64_t> done_{0};
};

// Work measured in the counter's steps since the meter was made: the unit of a profile measured
// just in time (time and energy per iteration), so the controller's work is the loop's real
// progress instead of the profile's prediction of it.
class MeasuredWork final : public WorkMeter {
 public:
  // The counter is borrowed and must outlive the meter.
  explicit MeasuredWork(const StepCounter& counter) : counter_(&counter), from_(counter.done()) {}
  double work_done_units() const override { return static_cast<double>(counter_->done() - from_); }

 private:
  const StepCounter* counter_;
  std::int64_t from_;
};

}  // namespace chase
