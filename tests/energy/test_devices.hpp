#pragma once
// Small in-test devices and an in-test intensity feed for the Monitor and Sampler tests.

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/intensity_feed.hpp"
#include "energy/power_device.hpp"

namespace chase::test {

// Every energy() read adds `step` joules; from read number `fail_from` on, reads throw.
class CountingDevice final : public PowerDevice {
 public:
  explicit CountingDevice(std::string id, Energy step = Energy::joules(1), long fail_from = -1)
      : id_(std::move(id)), step_(step), fail_from_(fail_from) {}
  std::string id() const override { return id_; }
  std::string name() const override { return "counting " + id_; }
  std::string backend() const override { return "test"; }
  bool estimated() const override { return false; }
  Energy energy() override {
    const long n = reads_.fetch_add(1) + 1;
    if (fail_from_ > 0 && n >= fail_from_) throw HardwareError(id_ + ": read " + std::to_string(n) + " failed");
    return step_ * static_cast<double>(n);
  }
  std::optional<Power> power() override { return std::nullopt; }
  long reads() const { return reads_.load(); }

 private:
  std::string id_;
  Energy step_;
  long fail_from_;
  std::atomic<long> reads_{0};
};

// A feed made of fixed steps; outside them it fails like a source with no data.
class StepFeed final : public IntensityFeed {
 public:
  explicit StepFeed(std::vector<IntensityStep> steps) : steps_(std::move(steps)) {}
  IntensityStep step_at(UtcTime t) override {
    ++calls_;
    for (const auto& s : steps_) {
      if (s.from <= t && t < s.until) return s;
    }
    throw Error("test feed: no intensity for " + t.iso8601());
  }
  int calls() const { return calls_.load(); }

 private:
  std::vector<IntensityStep> steps_;
  std::atomic<int> calls_{0};
};

}  // namespace chase::test
