// Overhead of metering: one Monitor window (begin + end) over 8 GPUs of the fake NVML library,
// split into the device reads it makes and chase's own work around them; and the CPU the
// Sampler thread costs at 10 Hz and 100 Hz over the same 8 GPUs.

#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <thread>

#include "energy/monitor.hpp"
#include "energy/nvml_device.hpp"
#include "energy/sampler.hpp"

namespace {

using namespace chase;

// Eight A40s from tests/fixtures/nvml/eight-gpus.json, through the real dlopen path.
std::vector<std::shared_ptr<PowerDevice>> fake_gpus(Clock& clock) {
  setenv("CHASE_FAKE_NVML_FIXTURE", CHASE_FIXTURES_DIR "/nvml/eight-gpus.json", 1);
  unsetenv("CHASE_FAKE_NVML_STATE");
  auto library = std::make_shared<const NvmlLibrary>(CHASE_FAKE_NVML);
  std::vector<std::shared_ptr<PowerDevice>> devices;
  for (unsigned i = 0; i < library->device_count(); ++i) devices.push_back(std::make_shared<NvmlDevice>(library, i, clock));
  return devices;
}

// A device whose read costs next to nothing: what is left is the Monitor's own work.
class FreeDevice final : public PowerDevice {
 public:
  explicit FreeDevice(int i) : id_("free:" + std::to_string(i)) {}
  std::string id() const override { return id_; }
  std::string name() const override { return "free"; }
  std::string backend() const override { return "bench"; }
  bool estimated() const override { return false; }
  Energy energy() override { return Energy::joules(static_cast<double>(++reads_)); }
  std::optional<Power> power() override { return std::nullopt; }

 private:
  std::string id_;
  long reads_ = 0;
};

// The device reads one begin + end makes: every device twice.
void BM_DeviceReadsOfOneWindow_8FakeGpus(benchmark::State& state) {
  SystemClock clock;
  const auto devices = fake_gpus(clock);
  for (auto _ : state) {
    for (int twice = 0; twice < 2; ++twice) {
      for (const auto& d : devices) benchmark::DoNotOptimize(d->energy());
    }
  }
}
BENCHMARK(BM_DeviceReadsOfOneWindow_8FakeGpus);

void BM_WindowBeginEnd_8FakeGpus(benchmark::State& state) {
  SystemClock clock;
  Monitor monitor(fake_gpus(clock), clock);
  for (auto _ : state) {
    monitor.begin("step");
    benchmark::DoNotOptimize(monitor.end("step"));
  }
}
BENCHMARK(BM_WindowBeginEnd_8FakeGpus);

void BM_WindowBeginEnd_8FreeDevices(benchmark::State& state) {
  SystemClock clock;
  std::vector<std::shared_ptr<PowerDevice>> devices;
  for (int i = 0; i < 8; ++i) devices.push_back(std::make_shared<FreeDevice>(i));
  Monitor monitor(devices, clock);
  for (auto _ : state) {
    monitor.begin("step");
    benchmark::DoNotOptimize(monitor.end("step"));
  }
}
BENCHMARK(BM_WindowBeginEnd_8FreeDevices);

// User + system CPU of the whole process, from the scheduler's nanosecond accounting.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Runs a Sampler over `devices` for state.range(1) seconds at state.range(0) Hz while this thread sleeps;
// the process's CPU time over that span is the sampler's.
void sampler_cpu(benchmark::State& state, std::vector<std::shared_ptr<PowerDevice>> devices, SystemClock& clock) {
  const double hz = static_cast<double>(state.range(0));
  const auto span = std::chrono::seconds(state.range(1));
  Monitor monitor(std::move(devices), clock);
  double cpu_s = 0, wall_s = 0;
  std::size_t samples = 0;
  for (auto _ : state) {
    const double cpu0 = process_cpu_seconds();
    const auto wall0 = std::chrono::steady_clock::now();
    Sampler sampler(monitor, Duration::seconds(1.0 / hz));
    std::this_thread::sleep_for(span);
    sampler.stop();
    cpu_s += process_cpu_seconds() - cpu0;
    wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    samples += sampler.samples_taken();
  }
  state.counters["cpu_pct_of_one_core"] = 100.0 * cpu_s / wall_s;
  state.counters["samples"] = static_cast<double>(samples);
  state.counters["cpu_us_per_sample"] = 1e6 * cpu_s / static_cast<double>(samples);
}

void BM_SamplerCpu_8FakeGpus(benchmark::State& state) {
  SystemClock clock;
  sampler_cpu(state, fake_gpus(clock), clock);
}
BENCHMARK(BM_SamplerCpu_8FakeGpus)->Args({10, 10})->Args({100, 10})->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

// The same with reads that cost nothing: the thread's wake-ups and bookkeeping alone.
void BM_SamplerCpu_8FreeDevices(benchmark::State& state) {
  SystemClock clock;
  std::vector<std::shared_ptr<PowerDevice>> devices;
  for (int i = 0; i < 8; ++i) devices.push_back(std::make_shared<FreeDevice>(i));
  sampler_cpu(state, std::move(devices), clock);
}
BENCHMARK(BM_SamplerCpu_8FreeDevices)->Args({100, 10})->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace
