#include "export/sample_csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace chase {
namespace {

std::ofstream create(const std::filesystem::path& path) {
  std::ofstream file(path);
  if (!file) throw InputError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  return file;
}

}  // namespace

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
  if (!*out_) throw Error(fmt::format("writing the CSV failed: {}", std::strerror(errno)));
}

SampleCsvFile::SampleCsvFile(const std::filesystem::path& path, const std::vector<std::shared_ptr<PowerDevice>>& devices)
    : file_(create(path)), writer_(file_, devices) {}

}  // namespace chase
