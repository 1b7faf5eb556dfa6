#pragma once
// The sampled time series of a metered run as long-format CSV (`chase measure --csv`): one row
// per device per sample, columns timestamp,elapsed_s,device,energy_j,avg_power_w,estimated
// (avg_power_w empty in the first sample, which has no interval yet).

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/output_file.hpp"
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

// A CSV file of samples, e.g. a Sampler's sink for a whole run, written through OutputFile
// (core/output_file.hpp, truncate mode). Nothing touches the file until open(): the samples
// before it (the header, the sample taken before the command starts) wait in memory, so a
// command that never starts leaves an earlier file at `path` as it was. From open() on, each
// sample is on disk as it comes (a crash loses nothing sampled, and `tail -f` follows it).
class SampleCsvFile {
 public:
  // Checks that `path` can be written (OutputFile::check: InputError "cannot write <path>:
  // <reason>") and formats the header; creates nothing.
  SampleCsvFile(const std::filesystem::path& path, const std::vector<std::shared_ptr<PowerDevice>>& devices);
  SampleCsvFile(const SampleCsvFile&) = delete;
  SampleCsvFile& operator=(const SampleCsvFile&) = delete;

  // Creates (or truncates) the file and writes what waited. A failure is kept for finish().
  void open();
  // The sample's rows. A failed write is kept, not thrown (the sampler goes on; its error count
  // is the devices'), and finish() reports it. Any thread.
  void write(const SamplerSample& sample);
  // write() as a Sampler sink; the file must outlive the sampler.
  Sampler::Sink sink() {
    return [this](const SamplerSample& sample) { write(sample); };
  }
  // Throws Error "cannot write <path>: <OS error>" for the first failure (of open() or a write).
  void finish();

 private:
  void write_rows();  // what the writer has formatted, into the file once it is open

  std::filesystem::path path_;
  std::mutex mutex_;  // the sampler's thread writes, the meter's opens
  std::optional<OutputFile> file_;
  std::optional<std::string> open_failure_;
  std::ostringstream rows_;
  SampleCsvWriter writer_;
};

}  // namespace chase
