#pragma once
// The sampled time series of a metered run as long-format CSV (`chase measure --csv`): one row
// per device per sample, columns timestamp,elapsed_s,device,energy_j,avg_power_w,estimated
// (avg_power_w empty in the first sample, which has no interval yet).

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "energy/power_device.hpp"
#include "energy/sampler.hpp"

namespace chase {

class SampleCsvWriter {
 public:
  // Writes the header. `devices` are in the order of the samples' values; `out` must outlive
  // the writer.
  SampleCsvWriter(std::ostream& out, const std::vector<std::shared_ptr<PowerDevice>>& devices);

  // The sample's rows, flushed at once so that a crash loses nothing already sampled. Throws
  // Error when the stream fails.
  void write(const SamplerSample& sample);

 private:
  std::ostream* out_;
  std::vector<std::string> ids_;
  std::vector<bool> estimated_;
};

}  // namespace chase
