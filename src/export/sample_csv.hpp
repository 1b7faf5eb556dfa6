#pragma once
// The sampled time series of a metered run as long-format CSV (`chase measure --csv`): one row
// per device per sample, columns timestamp,elapsed_s,device,energy_j,avg_power_w,estimated
// (avg_power_w empty in the first sample, which has no interval yet).

#include <filesystem>
#include <fstream>
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

// A CSV file of samples, e.g. a Sampler's sink for a whole run.
class SampleCsvFile {
 public:
  // Creates (or truncates) `path` and writes the header. Throws InputError "cannot write
  // <path>: <reason>".
  SampleCsvFile(const std::filesystem::path& path, const std::vector<std::shared_ptr<PowerDevice>>& devices);
  SampleCsvFile(const SampleCsvFile&) = delete;
  SampleCsvFile& operator=(const SampleCsvFile&) = delete;

  void write(const SamplerSample& sample) { writer_.write(sample); }
  // write() as a Sampler sink; the file must outlive the sampler.
  Sampler::Sink sink() {
    return [this](const SamplerSample& sample) { write(sample); };
  }

 private:
  std::ofstream file_;
  SampleCsvWriter writer_;
};

}  // namespace chase
