// RAPL through fixture powercap trees: Intel and AMD layouts, counting, wraparound, and the
// root-only energy_uj of patched kernels.

#include "energy/rapl_device.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

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
  RaplDevice package(scan_rapl_zones(root).zones.at(0));
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
  RaplDevice package(scan_rapl_zones(root).zones.at(0));
  write(root / "intel-rapl:0" / "energy_uj", "1000000\n");
  // 262143328850 - 262143000000 = 328850 uJ up to the wrap, then 1000000 uJ after it.
  EXPECT_NEAR(package.energy().joules(), 1.32885, 1e-12);
  write(root / "intel-rapl:0" / "energy_uj", "3000000\n");
  EXPECT_NEAR(package.energy().joules(), 3.32885, 1e-12);
}

TEST(RaplDevice, GarbageCounterIsAHardwareErrorNamingTheFile) {
  test::TempDir dir;
  const fs::path root = copy_tree(dir, "amd-1socket");
  RaplDevice package(scan_rapl_zones(root).zones.at(0));
  write(root / "intel-rapl:0" / "energy_uj", "n/a\n");
  try {
    package.energy();
    FAIL();
  } catch (const HardwareError& e) {
    EXPECT_EQ(std::string(e.what()), (root / "intel-rapl:0" / "energy_uj").string() +
                                         ": 'n/a' is not a counter in microjoules");
  }
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
  const int rc = run_unprivileged([&] {
    try {
      RaplDevice device(zone);
    } catch (const PermissionError& e) {
      const std::string expected = "needs read permission on " + counter.string() + " (RAPL energy is readable only";
      if (std::string(e.what()).rfind(expected, 0) == 0) return true;
      fprintf(stderr, "unexpected message: %s\n", e.what());
    }
    return false;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
}  // namespace chase
