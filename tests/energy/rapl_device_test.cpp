// RAPL through fixture powercap trees: Intel and AMD layouts, counting, wraparound, the
// root-only energy_uj of patched kernels, and readings that cannot be physically right (a reset
// of the counter, a value out of range) on a virtual clock.

#include "energy/rapl_device.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

namespace fs = std::filesystem;

const fs::path kRapl = fs::path(CHASE_FIXTURES_DIR) / "rapl";

std::vector<std::string> ids(const RaplScan& scan) {
  std::vector<std::string> out;
  for (const auto& z : scan.zones) out.push_back(z.id);
  return out;
}

// A writable copy of a fixture tree, so a test can move the counters.
fs::path copy_tree(const test::TempDir& dir, const std::string& name) {
  const fs::path to = dir.path() / name;
  fs::copy(kRapl / name, to, fs::copy_options::recursive);
  return to;
}

void write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::trunc) << text; }

TEST(RaplScan, IntelTwoSocketsMetersPackagesAndDramOnly) {
  const RaplScan scan = scan_rapl_zones(kRapl / "intel-2socket");
  EXPECT_EQ(ids(scan), (std::vector<std::string>{"rapl:package-0", "rapl:package-0/dram", "rapl:package-1",
                                                  "rapl:package-1/dram"}));
  EXPECT_EQ(scan.zones[1].label, "package-0 dram");
  EXPECT_EQ(scan.zones[1].path, kRapl / "intel-2socket" / "intel-rapl:0" / "intel-rapl:0:1");
  EXPECT_EQ(scan.skipped, (std::vector<std::string>{"core (part of package-0)",
                                                    "psys (the platform, which includes the packages)"}));
}

TEST(RaplScan, AmdHasPackageAndCoreButNoDram) {
  const RaplScan scan = scan_rapl_zones(kRapl / "amd-1socket");
  EXPECT_EQ(ids(scan), (std::vector<std::string>{"rapl:package-0"}));
  EXPECT_EQ(scan.skipped, (std::vector<std::string>{"core (part of package-0)"}));
}

TEST(RaplScan, AZoneWithoutAReadableNameIsListedUnderItsDirectoryAndTheOthersStay) {
  // intel-rapl:0 (package-0) is fine; intel-rapl:1 has no name file, intel-rapl:2 an empty one,
  // and package-0's subzone intel-rapl:0:1 no name either.
  test::TempDir dir;
  const fs::path root = dir.path();
  for (const char* zone : {"intel-rapl:0", "intel-rapl:0/intel-rapl:0:1", "intel-rapl:1", "intel-rapl:2"}) {
    fs::create_directories(root / zone);
    write(root / zone / "energy_uj", "1000\n");
    write(root / zone / "max_energy_range_uj", "262143328850\n");
  }
  write(root / "intel-rapl:0" / "name", "package-0\n");
  write(root / "intel-rapl:2" / "name", "");
  const RaplScan scan = scan_rapl_zones(root);
  EXPECT_EQ(ids(scan), (std::vector<std::string>{"rapl:package-0"}));
  ASSERT_EQ(scan.unnamed.size(), 3u);
  EXPECT_EQ(scan.unnamed[0].zone.id, "rapl:package-0/intel-rapl:0:1");
  EXPECT_EQ(scan.unnamed[0].zone.label, "package-0 intel-rapl:0:1");
  EXPECT_EQ(scan.unnamed[1].zone.id, "rapl:intel-rapl:1");
  EXPECT_EQ(scan.unnamed[1].zone.label, "intel-rapl:1");
  EXPECT_EQ(scan.unnamed[1].zone.path, root / "intel-rapl:1");
  EXPECT_EQ(scan.unnamed[1].why,
            "its name file cannot be read (cannot read " + (root / "intel-rapl:1" / "name").string() +
                ": No such file or directory), so a CPU package cannot be told from psys (which "
                "includes the packages) or a core zone (part of one)");
  EXPECT_EQ(scan.unnamed[2].zone.id, "rapl:intel-rapl:2");
  EXPECT_EQ(scan.unnamed[2].why.rfind("its name file cannot be read (" + (root / "intel-rapl:2" / "name").string() +
                                          " is empty)",
                                      0),
            0u)
      << scan.unnamed[2].why;
  // Only unnamed zones: no error, every one listed.
  fs::remove(root / "intel-rapl:0" / "name");
  const RaplScan none = scan_rapl_zones(root);
  EXPECT_TRUE(none.zones.empty());
  EXPECT_EQ(none.unnamed.size(), 3u);
  EXPECT_EQ(none.unnamed[0].zone.id, "rapl:intel-rapl:0");
}

TEST(RaplScan, NoPowercapTreeSaysWhy) {
  try {
    scan_rapl_zones("/nonexistent/powercap");
    FAIL();
  } catch (const HardwareError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("no powercap tree at /nonexistent/powercap (no RAPL here", 0), 0u) << e.what();
  }
  test::TempDir empty;
  EXPECT_THROW(scan_rapl_zones(empty.path()), HardwareError);
}

TEST(RaplDevice, CountsMicrojoulesSinceConstruction) {
  test::TempDir dir;
  const fs::path root = copy_tree(dir, "amd-1socket");
  ManualClock clock;
  RaplDevice package(scan_rapl_zones(root).zones.at(0), clock);
  EXPECT_EQ(package.id(), "rapl:package-0");
  EXPECT_EQ(package.backend(), "rapl");
  EXPECT_FALSE(package.estimated());
  EXPECT_FALSE(package.power().has_value());
  EXPECT_DOUBLE_EQ(package.energy().joules(), 0.0);
  write(root / "intel-rapl:0" / "energy_uj", "4183825014\n");  // +5,000,000 uJ
  EXPECT_DOUBLE_EQ(package.energy().joules(), 5.0);
  write(root / "intel-rapl:0" / "energy_uj", "4183825014\n");
  EXPECT_DOUBLE_EQ(package.energy().joules(), 5.0);
}

TEST(RaplDevice, WrapsAroundAtMaxEnergyRange) {
  test::TempDir dir;
  const fs::path root = copy_tree(dir, "wraparound");
  ManualClock clock;
  RaplDevice package(scan_rapl_zones(root).zones.at(0), clock);
  clock.advance(Duration::milliseconds(500));
  write(root / "intel-rapl:0" / "energy_uj", "1000000\n");
  // 262143328850 - 262143000000 = 328850 uJ up to the wrap, then 1000000 uJ after it.
  EXPECT_NEAR(package.energy().joules(), 1.32885, 1e-12);
  clock.advance(Duration::milliseconds(500));
  write(root / "intel-rapl:0" / "energy_uj", "3000000\n");
  EXPECT_NEAR(package.energy().joules(), 3.32885, 1e-12);
  EXPECT_EQ(package.implausible_readings().count, 0u);
}

TEST(RaplDevice, GarbageCounterIsAHardwareErrorNamingTheFile) {
  test::TempDir dir;
  const fs::path root = copy_tree(dir, "amd-1socket");
  ManualClock clock;
  RaplDevice package(scan_rapl_zones(root).zones.at(0), clock);
  write(root / "intel-rapl:0" / "energy_uj", "n/a\n");
  try {
    package.energy();
    FAIL();
  } catch (const HardwareError& e) {
    EXPECT_EQ(std::string(e.what()), (root / "intel-rapl:0" / "energy_uj").string() +
                                         ": 'n/a' is not a counter in microjoules");
  }
}

// A counter that is a FIFO nothing writes to (a fake or broken tree) is refused at once, as is
// any attribute that is not a regular file: a read would block the sampler for ever.
TEST(RaplDevice, ACounterThatIsAFifoIsRefusedNotWaitedOn) {
  test::TempDir dir;
  const fs::path root = copy_tree(dir, "amd-1socket");
  ManualClock clock;
  RaplDevice package(scan_rapl_zones(root).zones.at(0), clock);
  const fs::path counter = root / "intel-rapl:0" / "energy_uj";
  fs::remove(counter);
  ASSERT_EQ(::mkfifo(counter.c_str(), 0644), 0);
  try {
    package.energy();
    FAIL();
  } catch (const HardwareError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + counter.string() + ": a FIFO (named pipe), not a sysfs attribute");
  }
  // At discovery: a zone whose name is a FIFO is listed as not metered at once, not waited on.
  const fs::path name = root / "intel-rapl:0" / "name";
  fs::remove(name);
  ASSERT_EQ(::mkfifo(name.c_str(), 0644), 0);
  const RaplScan scan = scan_rapl_zones(root);
  EXPECT_TRUE(scan.zones.empty());
  ASSERT_EQ(scan.unnamed.size(), 1u);
  EXPECT_NE(scan.unnamed[0].why.find("FIFO"), std::string::npos) << scan.unnamed[0].why;
}

// Runs `check` as an unprivileged user when we are root (root reads mode-000 files anyway).
int run_unprivileged(const std::function<bool()>& check) {
  if (geteuid() != 0) return check() ? 0 : 1;
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

TEST(RaplDevice, UnreadableCounterNeedsReadPermission) {
  test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  const fs::path root = copy_tree(dir, "unreadable");
  const fs::path counter = root / "intel-rapl:0" / "energy_uj";
  fs::permissions(counter, fs::perms::owner_read);  // 0400 root, as patched kernels ship it
  const RaplZone zone = scan_rapl_zones(root).zones.at(0);
  ManualClock clock;
  const int rc = run_unprivileged([&] {
    try {
      RaplDevice device(zone, clock);
    } catch (const PermissionError& e) {
      const std::string expected = "needs read permission on " + counter.string() + " (RAPL energy is readable only";
      if (std::string(e.what()).rfind(expected, 0) == 0) return true;
      fprintf(stderr, "unexpected message: %s\n", e.what());
    }
    return false;
  });
  EXPECT_EQ(rc, 0);
}

// One package zone in a fresh powercap tree, its counter at `energy_uj`, and the constraint
// files given (name -> content); readings are scripted by rewriting energy_uj.
struct OneZone {
  explicit OneZone(const std::string& energy_uj, const std::map<std::string, std::string>& constraints = {})
      : zone(make(dir, energy_uj, constraints)), package(scan_rapl_zones(dir.path()).zones.at(0), clock) {}

  static fs::path make(const test::TempDir& dir, const std::string& energy_uj,
                       const std::map<std::string, std::string>& constraints) {
    const fs::path zone = dir.path() / "intel-rapl:0";
    fs::create_directories(zone);
    write(zone / "name", "package-0\n");
    write(zone / "max_energy_range_uj", "262143328850\n");
    write(zone / "energy_uj", energy_uj + "\n");
    for (const auto& [file, text] : constraints) write(zone / file, text);
    return zone;
  }
  // Half a second later the counter reads `energy_uj`: the device's energy then.
  double joules_after_half_a_second(const std::string& energy_uj) {
    clock.advance(Duration::milliseconds(500));
    write(zone / "energy_uj", energy_uj + "\n");
    return package.energy().joules();
  }

  test::TempDir dir;
  ManualClock clock;
  fs::path zone;
  RaplDevice package;
};

TEST(RaplDevice, AResetIsDroppedCountedAndCountingGoesOnFromTheNewValue) {
  // The first input: 100 J, 150 J, then 2 J (the package was reset, not a wrap: as one
  // wrap it would be 262 kJ in 0.5 s, 524 kW), then 7 J. Right: 50 J + 5 J.
  OneZone z("100000000");
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("150000000"), 50.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("2000000"), 50.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("7000000"), 55.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("12000000"), 60.0);  // and on from there
  const ImplausibleReadings dropped = z.package.implausible_readings();
  EXPECT_EQ(dropped.count, 1u);
  EXPECT_EQ(dropped.resets, 1u);
  EXPECT_EQ(dropped.first,
            "energy_uj went from 150000000 to 2000000 in 0.500 s: as one wrap that is 261995.3 J, more than 1000 W can "
            "give in that time (chase's RAPL ceiling: the zone gives no constraint_*_max_power_uw)");
}

TEST(RaplDevice, AReadingAboveMaxEnergyRangeIsAGlitch) {
  // The second input: 150 J, 9e15 uJ (above max_energy_range_uj), 160 J. Right: 60 J.
  OneZone z("100000000");
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("150000000"), 50.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("9000000000000000"), 50.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("160000000"), 60.0);
  const ImplausibleReadings dropped = z.package.implausible_readings();
  EXPECT_EQ(dropped.count, 1u);
  EXPECT_EQ(dropped.resets, 0u);
  EXPECT_EQ(dropped.first, "energy_uj read 9000000000000000, outside its range 0 to 262143328850");
}

TEST(RaplDevice, AnInRangeJumpThatTheNextReadingDeniesIsAGlitch) {
  OneZone z("100000000");
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("150000000"), 50.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("200000000000"), 50.0);  // +200 kJ in 0.5 s
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("160000000"), 60.0);
  EXPECT_EQ(z.package.implausible_readings().count, 1u);
  EXPECT_EQ(z.package.implausible_readings().resets, 0u);
}

TEST(RaplDevice, NegativeAndOversizedNumbersAreDroppedNotThrown) {
  OneZone z("100000000");
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("-5"), 0.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("99999999999999999999999"), 0.0);
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("110000000"), 10.0);
  EXPECT_EQ(z.package.implausible_readings().count, 2u);
  EXPECT_EQ(z.package.implausible_readings().first, "energy_uj read -5, below 0");
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("18446744073709551616"), 10.0);  // 2^64
  EXPECT_EQ(z.package.implausible_readings().count, 3u);
}

TEST(RaplDevice, APackagesCeilingComesFromItsConstraintsADramZonesFromTheDefault) {
  const RaplScan scan = scan_rapl_zones(kRapl / "intel-2socket");
  ManualClock clock;
  const RaplDevice package(scan.zones.at(0), clock);
  EXPECT_DOUBLE_EQ(package.power_ceiling().power.watts(), 450.0);
  EXPECT_EQ(package.power_ceiling().source, "3 x constraint_0_max_power_uw of 150 W");  // constraint_1's 0 passed over
  const RaplDevice dram(scan.zones.at(1), clock);
  EXPECT_DOUBLE_EQ(dram.power_ceiling().power.watts(), 1000.0);
}

TEST(RaplDevice, AWrapAtAPlausiblePowerIsStillCounted) {
  // 328850 uJ up to the wrap and 100 J after it in 0.5 s: 200 W, a real wrap.
  OneZone z("262143000000");
  EXPECT_NEAR(z.joules_after_half_a_second("100000000"), 100.32885, 1e-9);
  EXPECT_NEAR(z.joules_after_half_a_second("150000000"), 150.32885, 1e-9);
  EXPECT_EQ(z.package.implausible_readings().count, 0u);
}

TEST(RaplDevice, TheCeilingIsAMarginOverTheZonesLargestPowerConstraint) {
  // PL1 125 W, PL2 200 W, and a constraint file the kernel cannot answer (passed over).
  OneZone z("100000000", {{"constraint_0_max_power_uw", "125000000\n"},
                          {"constraint_1_max_power_uw", "200000000\n"},
                          {"constraint_2_max_power_uw", "\n"}});
  EXPECT_DOUBLE_EQ(z.package.power_ceiling().power.watts(), 600.0);
  EXPECT_EQ(z.package.power_ceiling().source, "3 x constraint_1_max_power_uw of 200 W");
  // 500 J in 0.5 s is 1000 W: more than 600 W x (0.5 s + 0.1 s of read slack) = 360 J, dropped.
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("600000000"), 0.0);
  // 510 J in 1 s from the baseline fits under 600 W x 1.1 s: the counter just ran fast.
  EXPECT_DOUBLE_EQ(z.joules_after_half_a_second("610000000"), 510.0);
  EXPECT_EQ(z.package.implausible_readings().count, 1u);
  EXPECT_EQ(z.package.implausible_readings().resets, 0u);

  // Without constraints the documented 1000 W ceiling takes 500 J in 0.5 s at once.
  OneZone plain("100000000");
  EXPECT_DOUBLE_EQ(plain.package.power_ceiling().power.watts(), RaplDevice::kDefaultCeiling.watts());
  EXPECT_DOUBLE_EQ(plain.joules_after_half_a_second("600000000"), 500.0);
  EXPECT_EQ(plain.package.implausible_readings().count, 0u);
}

}  // namespace
}  // namespace chase
