#include "energy/rapl_device.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

// sysfs attributes are tiny: one read of a small buffer, no stream machinery on the hot path.
// Opened without blocking, and anything but a regular file refused: a FIFO in a powercap tree
// (a test's or a container's) would otherwise block the sampler for ever, as nothing writes it.
std::string read_attribute(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool fifo = S_ISFIFO(st.st_mode);
    ::close(fd);
    throw HardwareError(fmt::format("cannot read {}: {}, not a sysfs attribute", path.string(),
                                    fifo ? "a FIFO (named pipe)" : "not a regular file"));
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

// The zone's power ceiling: a margin over its largest constraint_*_max_power_uw, else the
// documented default. Unreadable or empty constraint files (some kernels answer ENODATA) are
// passed over: they only narrow the ceiling.
PowerCeiling rapl_ceiling(const std::filesystem::path& zone) {
  std::uint64_t best_uw = 0;
  std::string best_file;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(zone, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("constraint_", 0) != 0 || !file.ends_with("_max_power_uw")) continue;
    try {
      const auto uw = parse_int(read_attribute(entry.path()));
      if (uw && *uw > 0 && static_cast<std::uint64_t>(*uw) > best_uw) {
        best_uw = static_cast<std::uint64_t>(*uw);
        best_file = file;
      }
    } catch (const Error&) {
      // passed over, as above
    }
  }
  if (best_uw == 0) {
    return {RaplDevice::kDefaultCeiling, "chase's RAPL ceiling: the zone gives no constraint_*_max_power_uw"};
  }
  const Power max = Power::watts(static_cast<double>(best_uw) * 1e-6);
  return {max * RaplDevice::kConstraintMargin,
          fmt::format("{:g} x {} of {:g} W", RaplDevice::kConstraintMargin, best_file, max.watts())};
}

EnergyCounterSpec rapl_counter(const std::filesystem::path& zone) {
  const std::uint64_t range_uj = read_microjoules(zone / "max_energy_range_uj");
  if (range_uj == 0) {
    throw HardwareError(fmt::format("{}: max_energy_range_uj is 0", (zone / "max_energy_range_uj").string()));
  }
  return {"energy_uj", Energy::joules(1e-6), range_uj, rapl_ceiling(zone)};
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

// The zone's name, or nullopt with why in `why` (a missing, unreadable or empty name file).
std::optional<std::string> zone_name(const std::filesystem::path& zone, std::string& why) {
  try {
    std::string name = read_attribute(zone / "name");
    if (!name.empty()) return name;
    why = fmt::format("{} is empty", (zone / "name").string());
  } catch (const Error& e) {
    why = e.what();
  }
  why = fmt::format("its name file cannot be read ({}), so a CPU package cannot be told from psys "
                    "(which includes the packages) or a core zone (part of one)",
                    why);
  return std::nullopt;
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
  std::size_t found = 0;
  for (const auto& top : zone_dirs(powercap_root, 1)) {
    ++found;
    std::string why;
    const std::optional<std::string> named = zone_name(top.path, why);
    const std::string dir = top.path.filename().string();
    if (!named) {
      scan.unnamed.push_back({{top.path, "rapl:" + dir, dir}, why});
      continue;
    }
    const std::string& name = *named;
    if (name.rfind("package", 0) != 0 && name.rfind("dram", 0) != 0) {
      scan.skipped.push_back(name == "psys" ? "psys (the platform, which includes the packages)"
                                            : fmt::format("{} (not a package or DRAM zone)", name));
      continue;
    }
    scan.zones.push_back({top.path, "rapl:" + name, name});
    for (const auto& sub : zone_dirs(top.path, 2)) {
      const std::optional<std::string> sub_named = zone_name(sub.path, why);
      const std::string sub_dir = sub.path.filename().string();
      if (!sub_named) {
        scan.unnamed.push_back(
            {{sub.path, fmt::format("rapl:{}/{}", name, sub_dir), fmt::format("{} {}", name, sub_dir)}, why});
        continue;
      }
      const std::string& sub_name = *sub_named;
      if (sub_name == "dram") {
        scan.zones.push_back({sub.path, fmt::format("rapl:{}/dram", name), fmt::format("{} dram", name)});
      } else {
        scan.skipped.push_back(fmt::format("{} (part of {})", sub_name, name));
      }
    }
  }
  if (scan.zones.empty() && scan.unnamed.empty()) {
    throw HardwareError(fmt::format("no RAPL package or DRAM zone under {}", powercap_root.string()));
  }
  return scan;
}

RaplDevice::RaplDevice(RaplZone zone, Clock& clock)
    : zone_(std::move(zone)), clock_(clock), counter_(rapl_counter(zone_.path)) {
  energy();
}

Energy RaplDevice::energy() {
  // Read under the lock: two reads applied out of order would look like a wraparound.
  std::lock_guard lock(mutex_);
  const std::filesystem::path file = zone_.path / "energy_uj";
  const std::string text = read_attribute(file);
  const UtcTime now = clock_.now();
  if (const auto uj = parse_int(text)) {
    if (*uj < 0) return counter_.reject(fmt::format("energy_uj read {}, below 0", *uj));
    return counter_.read(now, static_cast<std::uint64_t>(*uj));
  }
  // All digits yet no 64-bit number: far above any max_energy_range_uj.
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    return counter_.reject(fmt::format("energy_uj read {}, outside its range 0 to {}", text, *counter_.spec().wrap_range));
  }
  throw HardwareError(fmt::format("{}: '{}' is not a counter in microjoules", file.string(), text));
}

ImplausibleReadings RaplDevice::implausible_readings() const {
  std::lock_guard lock(mutex_);
  return counter_.implausible();
}

}  // namespace chase
