#include "export/sample_csv.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {
SampleCsvWriter::SampleCsvWriter(std::ostream& out, const std::vector<std::shared_ptr<PowerDevice>>& devices)
    : out_(&out) {
  for (const auto& d : devices) {
    ids_.push_back(d->id());
    estimated_.push_back(d->estimated());
  }
  *out_ << "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n";
}

void SampleCsvWriter::write(const SamplerSample& s) {
  const std::string time = s.time.iso8601();
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    const std::string power = s.average_power[i] ? fmt::format("{:.3f}", s.average_power[i]->watts()) : "";
    *out_ << fmt::format("{},{:.3f},{},{:.3f},{},{}\n", time, s.elapsed.seconds(), ids_[i], s.energy[i].joules(), power,
                         estimated_[i] ? "true" : "false");
  }
  out_->flush();
  if (!*out_) throw Error("writing the sample CSV failed");
}

SampleCsvFile::SampleCsvFile(const std::filesystem::path& path, const std::vector<std::shared_ptr<PowerDevice>>& devices)
    : path_(path), writer_(rows_, devices) {
  OutputFile::check(path_);
}

void SampleCsvFile::open() {
  std::lock_guard lock(mutex_);
  if (file_ || open_failure_) return;
  try {
    file_.emplace(path_, OutputFile::Mode::truncate);
  } catch (const Error& e) {
    open_failure_ = e.what();
    return;
  }
  write_rows();
}

void SampleCsvFile::write(const SamplerSample& sample) {
  std::lock_guard lock(mutex_);
  writer_.write(sample);
  write_rows();
}

void SampleCsvFile::write_rows() {
  if (!file_) return;  // waits in rows_ until open()
  file_->write(rows_.str());
  rows_.str("");
}

void SampleCsvFile::finish() {
  std::lock_guard lock(mutex_);
  if (open_failure_) throw Error(*open_failure_);
  if (file_) file_->finish();
}

}  // namespace chase
