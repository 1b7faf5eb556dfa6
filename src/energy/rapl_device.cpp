#include "energy/rapl_device.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

// sysfs attributes are tiny: one read of a small buffer, no stream machinery on the hot path.
std::string read_attribute(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM) {
      throw PermissionError(fmt::format(
          "needs read permission on {} (RAPL energy is readable only by root on kernels patched for CVE-2020-8694; "
          "run as root or grant read access, e.g. `chmod o+r` on the file)",
          path.string()));
    }
    throw HardwareError(fmt::format("cannot read {}: {}", path.string(), std::strerror(err)));
  }
  char buffer[64];
  const ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
  const int err = errno;
  ::close(fd);
  if (got < 0) throw HardwareError(fmt::format("cannot read {}: {}", path.string(), std::strerror(err)));
  return std::string(trim(std::string_view(buffer, static_cast<std::size_t>(got))));
}

std::uint64_t read_microjoules(const std::filesystem::path& path) {
  const std::string text = read_attribute(path);
  const auto value = parse_int(text);
  if (!value || *value < 0) throw HardwareError(fmt::format("{}: '{}' is not a counter in microjoules", path.string(), text));
  return static_cast<std::uint64_t>(*value);
}

// "intel-rapl:3" -> {3}, "intel-rapl:0:1" -> {0, 1}; nullopt for anything else.
std::optional<std::vector<int>> zone_numbers(const std::string& dir_name) {
  constexpr std::string_view kPrefix = "intel-rapl:";
  if (dir_name.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::vector<int> numbers;
  std::string_view rest = std::string_view(dir_name).substr(kPrefix.size());
  while (true) {
    const std::size_t colon = rest.find(':');
    const auto n = parse_int(rest.substr(0, colon));
    if (!n || *n < 0 || rest.substr(0, colon).find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    numbers.push_back(static_cast<int>(*n));
    if (colon == std::string_view::npos) return numbers;
    rest = rest.substr(colon + 1);
  }
}

struct NumberedDir {
  std::vector<int> numbers;
  std::filesystem::path path;
};

// Zone directories directly under `dir` with `depth` numbers in their name, in numeric order.
std::vector<NumberedDir> zone_dirs(const std::filesystem::path& dir, std::size_t depth) {
  std::vector<NumberedDir> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto numbers = zone_numbers(entry.path().filename().string());
    if (numbers && numbers->size() == depth && entry.is_directory(ec)) out.push_back({*numbers, entry.path()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.numbers < b.numbers; });
  return out;
}

}  // namespace

RaplScan scan_rapl_zones(const std::filesystem::path& powercap_root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(powercap_root, ec)) {
    throw HardwareError(fmt::format("no powercap tree at {} (no RAPL here: not an Intel/AMD host, a VM or container "
                                    "without it, or the intel_rapl_msr module is not loaded)",
                                    powercap_root.string()));
  }
  RaplScan scan;
  for (const auto& top : zone_dirs(powercap_root, 1)) {
    const std::string name = read_attribute(top.path / "name");
    if (name.rfind("package", 0) != 0 && name.rfind("dram", 0) != 0) {
      scan.skipped.push_back(name == "psys" ? "psys (the platform, which includes the packages)"
                                            : fmt::format("{} (not a package or DRAM zone)", name));
      continue;
    }
    scan.zones.push_back({top.path, "rapl:" + name, name});
    for (const auto& sub : zone_dirs(top.path, 2)) {
      const std::string sub_name = read_attribute(sub.path / "name");
      if (sub_name == "dram") {
        scan.zones.push_back({sub.path, fmt::format("rapl:{}/dram", name), fmt::format("{} dram", name)});
      } else {
        scan.skipped.push_back(fmt::format("{} (part of {})", sub_name, name));
      }
    }
  }
  if (scan.zones.empty()) {
    throw HardwareError(fmt::format("no RAPL package or DRAM zone under {}", powercap_root.string()));
  }
  return scan;
}

RaplDevice::RaplDevice(RaplZone zone) : zone_(std::move(zone)) {
  max_range_uj_ = read_microjoules(zone_.path / "max_energy_range_uj");
  last_raw_uj_ = read_microjoules(zone_.path / "energy_uj");
  if (max_range_uj_ == 0) {
    throw HardwareError(fmt::format("{}: max_energy_range_uj is 0", (zone_.path / "max_energy_range_uj").string()));
  }
}

Energy RaplDevice::energy() {
  // Read under the lock: two reads applied out of order would look like a wraparound.
  std::lock_guard lock(mutex_);
  const std::uint64_t raw = read_microjoules(zone_.path / "energy_uj");
  // A smaller value means the counter passed max_energy_range_uj and restarted from zero.
  total_uj_ += raw >= last_raw_uj_ ? raw - last_raw_uj_ : (max_range_uj_ - last_raw_uj_) + raw;
  last_raw_uj_ = raw;
  return Energy::joules(static_cast<double>(total_uj_) * 1e-6);
}

}  // namespace chase
