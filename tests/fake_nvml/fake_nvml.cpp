// A fake libnvidia-ml.so for tests: exports the NVML entry points chase uses (energy/nvml_api.hpp)
// and answers them from a fixture JSON file, so the real dlopen code path runs without a GPU.
//
// CHASE_FAKE_NVML_FIXTURE  path of the fixture (unset: nvmlInit_v2 answers DRIVER_NOT_LOADED)
// CHASE_FAKE_NVML_STATE    optional path of a state file holding each GPU's current power limit
//                          across processes (created at the first nvmlInit_v2, rewritten
//                          atomically under a lock on every successful set, re-read whenever
//                          it changes), so a test can check what a killed process left behind.
//
// Fixture (see tests/fixtures/nvml/*.json and the format notes in tests/fake_nvml/README.md):
// {
//   "energy_mode": "per_call" | "wall_clock",   default per_call
//   "seconds_per_call": 0.1,                    per_call: each energy read advances this much
//   "driver_version": "550.54.15",
//   "fail": {"nvmlInit_v2": "NVML_ERROR_DRIVER_NOT_LOADED"},   any entry point, every GPU
//   "gpus": [{
//     "name": "NVIDIA A40", "uuid": "GPU-...",
//     "power_limit_min_w": 100, "power_limit_max_w": 300, "power_limit_default_w": 300,
//     "power_limit_w": 300,                                    initial limit (default: default)
//     "power_at_limit_w": [[100, 99], [300, 240]],             drawn power, linear in between
//     "energy_start_mj": 1000000,
//     "energy_readings_mj": [100000, 150000, 2000],             scripted counter answers, in order
//     "power_readings_mw": [240000, 4294967295],               scripted power answers, in order
//     "fail": {"nvmlDeviceSetPowerManagementLimit": "NVML_ERROR_NO_PERMISSION"}
//   }]
// }

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "energy/nvml_api.hpp"

namespace nvml = chase::nvml;

// The fake's GPU record; NVML hands out pointers to it as device handles.
struct chase::nvml::DeviceOpaque {
  std::string name;
  std::string uuid;
  unsigned min_mw = 0;
  unsigned max_mw = 0;
  unsigned default_mw = 0;
  unsigned limit_mw = 0;
  std::vector<std::pair<double, double>> power_at_limit_w;  // sorted by limit
  double energy_mj = 0;
  // Scripted answers: call n answers element n, the last one repeats; empty: modelled answers.
  std::vector<unsigned long long> energy_readings_mj;
  std::size_t energy_reads = 0;
  std::vector<unsigned> power_readings_mw;
  std::size_t power_reads = 0;
  std::map<std::string, nvml::Return> fail;
  std::chrono::steady_clock::time_point last_update;
};

namespace {

using Json = nlohmann::json;

struct Fake {
  std::mutex mutex;
  int init_count = 0;
  bool per_call = true;
  double seconds_per_call = 0.1;
  std::string driver_version = "550.54.15";
  std::map<std::string, nvml::Return> fail;
  // From the state file's "fail" (every process, from the moment a test writes it).
  std::map<std::string, nvml::Return> fail_now;
  std::vector<nvml::DeviceOpaque> gpus;
  std::string state_path;
  ino_t state_inode = 0;
  timespec state_mtime{};
};

Fake& fake() {
  static Fake instance;
  return instance;
}

nvml::Return code_named(const std::string& name) {
  for (const auto& entry : nvml::kReturnCodeNames) {
    if (name == entry.name) return entry.code;
  }
  throw std::runtime_error("unknown NVML return code '" + name + "'");
}

std::map<std::string, nvml::Return> read_failures(const Json& object) {
  std::map<std::string, nvml::Return> out;
  if (!object.contains("fail")) return out;
  for (const auto& [call, code] : object.at("fail").items()) out[call] = code_named(code.get<std::string>());
  return out;
}

unsigned milliwatts(double watts) { return static_cast<unsigned>(std::lround(watts * 1000.0)); }

// The next scripted answer: element `calls` (then counted), or the last one once they run out.
template <class T>
T next_scripted(const std::vector<T>& script, std::size_t& calls) {
  const T value = script[std::min(calls, script.size() - 1)];
  ++calls;
  return value;
}

double power_w(const nvml::DeviceOpaque& gpu) {
  const double limit_w = gpu.limit_mw / 1000.0;
  const auto& curve = gpu.power_at_limit_w;
  if (limit_w <= curve.front().first) return curve.front().second;
  for (std::size_t i = 1; i < curve.size(); ++i) {
    if (limit_w <= curve[i].first) {
      const auto& [l0, p0] = curve[i - 1];
      const auto& [l1, p1] = curve[i];
      return p0 + (p1 - p0) * (limit_w - l0) / (l1 - l0);
    }
  }
  return curve.back().second;
}

void load_fixture(Fake& f, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read fixture " + path);
  const Json j = Json::parse(in);
  const std::string mode = j.value("energy_mode", "per_call");
  if (mode != "per_call" && mode != "wall_clock") throw std::runtime_error("energy_mode must be per_call or wall_clock");
  f.per_call = mode == "per_call";
  f.seconds_per_call = j.value("seconds_per_call", 0.1);
  f.driver_version = j.value("driver_version", "550.54.15");
  f.fail = read_failures(j);
  f.gpus.clear();
  const auto now = std::chrono::steady_clock::now();
  for (const Json& g : j.at("gpus")) {
    nvml::DeviceOpaque gpu;
    gpu.name = g.at("name").get<std::string>();
    gpu.uuid = g.at("uuid").get<std::string>();
    gpu.min_mw = milliwatts(g.at("power_limit_min_w").get<double>());
    gpu.max_mw = milliwatts(g.at("power_limit_max_w").get<double>());
    gpu.default_mw = milliwatts(g.at("power_limit_default_w").get<double>());
    gpu.limit_mw = g.contains("power_limit_w") ? milliwatts(g.at("power_limit_w").get<double>()) : gpu.default_mw;
    for (const Json& point : g.at("power_at_limit_w")) {
      gpu.power_at_limit_w.emplace_back(point.at(0).get<double>(), point.at(1).get<double>());
    }
    if (gpu.power_at_limit_w.empty()) throw std::runtime_error(gpu.uuid + ": power_at_limit_w is empty");
    std::sort(gpu.power_at_limit_w.begin(), gpu.power_at_limit_w.end());
    gpu.energy_mj = g.value("energy_start_mj", 0.0);
    gpu.energy_readings_mj = g.value("energy_readings_mj", std::vector<unsigned long long>{});
    gpu.power_readings_mw = g.value("power_readings_mw", std::vector<unsigned>{});
    gpu.fail = read_failures(g);
    gpu.last_update = now;
    f.gpus.push_back(std::move(gpu));
  }
}

// Serialises read-modify-write of the state file between processes.
class StateLock {
 public:
  explicit StateLock(const std::string& state_path) {
    fd_ = ::open((state_path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~StateLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

Json read_state_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Json::object();
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) return Json::object();
  return Json::parse(text.str());
}

void remember_state_version(Fake& f) {
  struct stat st {};
  if (::stat(f.state_path.c_str(), &st) == 0) {
    f.state_inode = st.st_ino;
    f.state_mtime = st.st_mtim;
  }
}

void write_state_file(Fake& f, const Json& state) {
  const std::string tmp = f.state_path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << state.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), f.state_path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp);
  remember_state_version(f);
}

// The state file wins over the fixture for the GPUs it lists: it is what earlier processes left.
void apply_state(Fake& f, const Json& state) {
  f.fail_now = read_failures(state);
  if (!state.contains("power_limit_mw")) return;
  for (auto& gpu : f.gpus) {
    if (state["power_limit_mw"].contains(gpu.uuid)) gpu.limit_mw = state["power_limit_mw"][gpu.uuid].get<unsigned>();
  }
}

void accrue_wall_clock_energy(Fake& f) {
  if (f.per_call) return;
  const auto now = std::chrono::steady_clock::now();
  for (auto& gpu : f.gpus) {
    gpu.energy_mj += power_w(gpu) * std::chrono::duration<double>(now - gpu.last_update).count() * 1000.0;
    gpu.last_update = now;
  }
}

// Picks up limits another process set since we last looked.
void sync_state(Fake& f) {
  if (f.state_path.empty()) return;
  struct stat st {};
  if (::stat(f.state_path.c_str(), &st) != 0) return;
  if (st.st_ino == f.state_inode && st.st_mtim.tv_sec == f.state_mtime.tv_sec &&
      st.st_mtim.tv_nsec == f.state_mtime.tv_nsec) {
    return;
  }
  StateLock lock(f.state_path);
  accrue_wall_clock_energy(f);
  apply_state(f, read_state_file(f.state_path));
  remember_state_version(f);
}

void init_state(Fake& f) {
  StateLock lock(f.state_path);
  Json state = read_state_file(f.state_path);
  if (!state.contains("power_limit_mw")) state["power_limit_mw"] = Json::object();
  if (!state.contains("set_history_mw")) state["set_history_mw"] = Json::object();
  bool changed = false;
  for (const auto& gpu : f.gpus) {
    if (!state["power_limit_mw"].contains(gpu.uuid)) {
      state["power_limit_mw"][gpu.uuid] = gpu.limit_mw;
      state["set_history_mw"][gpu.uuid] = Json::array();
      changed = true;
    }
  }
  apply_state(f, state);
  if (changed) {
    write_state_file(f, state);
  } else {
    remember_state_version(f);
  }
}

void save_limit(Fake& f, const nvml::DeviceOpaque& gpu) {
  if (f.state_path.empty()) return;
  StateLock lock(f.state_path);
  Json state = read_state_file(f.state_path);
  state["power_limit_mw"][gpu.uuid] = gpu.limit_mw;
  state["set_history_mw"][gpu.uuid].push_back(gpu.limit_mw);
  write_state_file(f, state);
}

nvml::Return injected(const Fake& f, const char* call, const nvml::DeviceOpaque* gpu = nullptr) {
  if (gpu != nullptr) {
    if (auto it = gpu->fail.find(call); it != gpu->fail.end()) return it->second;
  }
  if (auto it = f.fail.find(call); it != f.fail.end()) return it->second;
  if (auto it = f.fail_now.find(call); it != f.fail_now.end()) return it->second;
  return nvml::kSuccess;
}

// The checks every device call starts with; returns the GPU or sets rc.
nvml::DeviceOpaque* device_call(Fake& f, nvml::Device device, const char* call, nvml::Return& rc) {
  if (f.init_count == 0) {
    rc = nvml::kErrorUninitialized;
    return nullptr;
  }
  nvml::DeviceOpaque* gpu = nullptr;
  for (auto& g : f.gpus) {
    if (&g == device) gpu = &g;
  }
  if (gpu == nullptr) {
    rc = nvml::kErrorInvalidArgument;
    return nullptr;
  }
  sync_state(f);  // first: the state file may say this call fails now
  rc = injected(f, call, gpu);
  if (rc != nvml::kSuccess) return nullptr;
  return gpu;
}

nvml::Return copy_text(const std::string& text, char* buffer, unsigned length) {
  if (buffer == nullptr) return nvml::kErrorInvalidArgument;
  if (text.size() + 1 > length) return nvml::kErrorInsufficientSize;
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  return nvml::kSuccess;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) nvml::Return nvmlInit_v2() {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  if (f.init_count > 0) {
    ++f.init_count;  // NVML counts initialisations; each needs its shutdown
    return nvml::kSuccess;
  }
  const char* fixture = std::getenv("CHASE_FAKE_NVML_FIXTURE");
  if (fixture == nullptr) return nvml::kErrorDriverNotLoaded;
  try {
    // Read afresh on every first initialisation, so its failure table applies to nvmlInit_v2.
    load_fixture(f, fixture);
    if (nvml::Return rc = injected(f, "nvmlInit_v2"); rc != nvml::kSuccess) return rc;
    const char* state = std::getenv("CHASE_FAKE_NVML_STATE");
    f.state_path = state != nullptr ? state : "";
    if (!f.state_path.empty()) init_state(f);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake NVML: %s: %s\n", fixture, e.what());
    return nvml::kErrorUnknown;
  }
  f.init_count = 1;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlShutdown() {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  if (f.init_count == 0) return nvml::kErrorUninitialized;
  --f.init_count;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) const char* nvmlErrorString(nvml::Return rc) {
  switch (rc) {
    case nvml::kSuccess: return "Success";
    case nvml::kErrorUninitialized: return "Uninitialized";
    case nvml::kErrorInvalidArgument: return "Invalid Argument";
    case nvml::kErrorNotSupported: return "Not Supported";
    case nvml::kErrorNoPermission: return "Insufficient Permissions";
    case nvml::kErrorAlreadyInitialized: return "Already Initialized";
    case nvml::kErrorNotFound: return "Not Found";
    case nvml::kErrorInsufficientSize: return "Insufficient Size";
    case nvml::kErrorDriverNotLoaded: return "Driver Not Loaded";
    case nvml::kErrorTimeout: return "Timeout";
    case nvml::kErrorGpuIsLost: return "GPU is lost";
    default: return "Unknown Error";
  }
}

__attribute__((visibility("default"))) nvml::Return nvmlSystemGetDriverVersion(char* version, unsigned length) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  if (f.init_count == 0) return nvml::kErrorUninitialized;
  if (nvml::Return rc = injected(f, "nvmlSystemGetDriverVersion"); rc != nvml::kSuccess) return rc;
  return copy_text(f.driver_version, version, length);
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetCount_v2(unsigned* count) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  if (f.init_count == 0) return nvml::kErrorUninitialized;
  if (nvml::Return rc = injected(f, "nvmlDeviceGetCount_v2"); rc != nvml::kSuccess) return rc;
  if (count == nullptr) return nvml::kErrorInvalidArgument;
  *count = static_cast<unsigned>(f.gpus.size());
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetHandleByIndex_v2(unsigned index, nvml::Device* device) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  if (f.init_count == 0) return nvml::kErrorUninitialized;
  if (device == nullptr || index >= f.gpus.size()) return nvml::kErrorInvalidArgument;
  if (nvml::Return rc = injected(f, "nvmlDeviceGetHandleByIndex_v2", &f.gpus[index]); rc != nvml::kSuccess) return rc;
  *device = &f.gpus[index];
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetName(nvml::Device device, char* name, unsigned length) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetName", rc);
  return gpu == nullptr ? rc : copy_text(gpu->name, name, length);
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetUUID(nvml::Device device, char* uuid, unsigned length) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetUUID", rc);
  return gpu == nullptr ? rc : copy_text(gpu->uuid, uuid, length);
}

#ifndef CHASE_FAKE_NVML_WITHOUT_ENERGY
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetTotalEnergyConsumption(nvml::Device device,
                                                                                         unsigned long long* energy) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetTotalEnergyConsumption", rc);
  if (gpu == nullptr) return rc;
  if (energy == nullptr) return nvml::kErrorInvalidArgument;
  if (!gpu->energy_readings_mj.empty()) {
    *energy = next_scripted(gpu->energy_readings_mj, gpu->energy_reads);
    return nvml::kSuccess;
  }
  if (f.per_call) {
    gpu->energy_mj += power_w(*gpu) * f.seconds_per_call * 1000.0;
  } else {
    accrue_wall_clock_energy(f);
  }
  *energy = static_cast<unsigned long long>(gpu->energy_mj);
  return nvml::kSuccess;
}
#endif

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerUsage(nvml::Device device, unsigned* power) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetPowerUsage", rc);
  if (gpu == nullptr) return rc;
  if (power == nullptr) return nvml::kErrorInvalidArgument;
  *power = gpu->power_readings_mw.empty() ? milliwatts(power_w(*gpu))
                                          : next_scripted(gpu->power_readings_mw, gpu->power_reads);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerManagementLimit(nvml::Device device,
                                                                                       unsigned* limit) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetPowerManagementLimit", rc);
  if (gpu == nullptr) return rc;
  if (limit == nullptr) return nvml::kErrorInvalidArgument;
  *limit = gpu->limit_mw;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerManagementLimitConstraints(nvml::Device device,
                                                                                                  unsigned* min_limit,
                                                                                                  unsigned* max_limit) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetPowerManagementLimitConstraints", rc);
  if (gpu == nullptr) return rc;
  if (min_limit == nullptr || max_limit == nullptr) return nvml::kErrorInvalidArgument;
  *min_limit = gpu->min_mw;
  *max_limit = gpu->max_mw;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerManagementDefaultLimit(nvml::Device device,
                                                                                              unsigned* limit) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceGetPowerManagementDefaultLimit", rc);
  if (gpu == nullptr) return rc;
  if (limit == nullptr) return nvml::kErrorInvalidArgument;
  *limit = gpu->default_mw;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceSetPowerManagementLimit(nvml::Device device,
                                                                                       unsigned limit) {
  Fake& f = fake();
  std::lock_guard lock(f.mutex);
  nvml::Return rc = nvml::kSuccess;
  nvml::DeviceOpaque* gpu = device_call(f, device, "nvmlDeviceSetPowerManagementLimit", rc);
  if (gpu == nullptr) return rc;
  if (limit < gpu->min_mw || limit > gpu->max_mw) return nvml::kErrorInvalidArgument;
  accrue_wall_clock_energy(f);  // the time so far ran at the old limit
  gpu->limit_mw = limit;
  try {
    save_limit(f, *gpu);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake NVML: %s\n", e.what());
    return nvml::kErrorUnknown;
  }
  return nvml::kSuccess;
}

}  // extern "C"
