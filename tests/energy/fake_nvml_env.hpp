#pragma once
// Points the fake NVML library at a fixture (and optionally a state file) for one test's scope.

#include <cstdlib>
#include <string>

namespace chase::test {

class FakeNvmlEnv {
 public:
  explicit FakeNvmlEnv(const std::string& fixture, const std::string& state_path = "") {
    const std::string path = std::string(CHASE_FIXTURES_DIR) + "/nvml/" + fixture;
    setenv("CHASE_FAKE_NVML_FIXTURE", path.c_str(), 1);
    if (state_path.empty()) {
      unsetenv("CHASE_FAKE_NVML_STATE");
    } else {
      setenv("CHASE_FAKE_NVML_STATE", state_path.c_str(), 1);
    }
  }
  ~FakeNvmlEnv() {
    unsetenv("CHASE_FAKE_NVML_FIXTURE");
    unsetenv("CHASE_FAKE_NVML_STATE");
  }
  FakeNvmlEnv(const FakeNvmlEnv&) = delete;
  FakeNvmlEnv& operator=(const FakeNvmlEnv&) = delete;

  static std::string library() { return CHASE_FAKE_NVML; }
  static std::string library_without_energy() { return CHASE_FAKE_NVML_NO_ENERGY; }
};

}  // namespace chase::test
