#pragma once
// In-test power devices: an in-memory GPU whose limit and energy counter the test drives, and
// one whose limit lives in a file, so that a test can read it from outside a child process.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "energy/power_device.hpp"

namespace chase::test {

class FakeGpu : public PowerDevice {
 public:
  explicit FakeGpu(Power limit, PowerLimitRange range = {Power::watts(100), Power::watts(300)})
      : limit_(limit), range_(range) {}
  std::string id() const override { return "fake:0"; }
  std::string name() const override { return "Fake GPU"; }
  std::string backend() const override { return "fake"; }
  bool estimated() const override { return false; }
  Energy energy() override { return energy_; }
  std::optional<Power> power() override { return std::nullopt; }
  bool supports_power_limit() const override { return true; }
  PowerLimitRange power_limit_range() override { return range_; }
  Power power_limit() override { return limit_; }
  Power default_power_limit() override { return range_.max; }
  void set_power_limit(Power limit) override {
    if (deny_) throw PermissionError("fake:0: setting the power limit needs root (NVML_ERROR_NO_PERMISSION)");
    if (limit < range_.min || limit > range_.max) throw HardwareError("fake:0: limit out of range");
    limit_ = limit;
    history.push_back(limit);
  }

  void add_energy(Energy e) { energy_ += e; }
  void deny_limits(bool deny) { deny_ = deny; }
  std::vector<Power> history;  // every limit set

 private:
  Power limit_;
  PowerLimitRange range_;
  Energy energy_;
  bool deny_ = false;
};

// The limit is the file's content, in watts, rewritten on every change; every change is also
// appended to <file>.history.
class FileLimitGpu : public FakeGpu {
 public:
  explicit FileLimitGpu(std::string path) : FakeGpu(read(path)), path_(std::move(path)) {}
  void set_power_limit(Power limit) override {
    FakeGpu::set_power_limit(limit);
    std::ofstream(path_, std::ios::trunc) << limit.watts() << "\n";
    std::ofstream(path_ + ".history", std::ios::app) << limit.watts() << "\n";
  }
  static Power read(const std::string& path) {
    std::ifstream in(path);
    double watts = 0;
    if (!(in >> watts)) throw Error("cannot read a limit from " + path);
    return Power::watts(watts);
  }

 private:
  std::string path_;
};

}  // namespace chase::test
