// chased: runs privileged, owns every power-limit change of this host's NVIDIA GPUs, and
// restores each GPU's limit when the client that changed it goes away (limits/limit_server.hpp).
// Errors before serving leave as one line on stderr: exit 2 for bad input (flags, the
// config), 1 otherwise. SIGTERM/SIGINT/SIGHUP: every limit restored, exit 0.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "energy/device_discovery.hpp"
#include "energy/nvml_device.hpp"
#include "energy/nvml_library.hpp"
#include "limits/access_policy.hpp"
#include "limits/limit_client.hpp"
#include "limits/limit_server.hpp"

namespace chase {
namespace {

constexpr const char* kDefaultConfig = "/etc/chase/chased.toml";
constexpr const char* kDefaultStateDir = "/var/lib/chase";

struct Options {
  std::string socket = kDefaultDaemonSocket;
  std::string state_dir = kDefaultStateDir;
  std::string config;
  std::string nvml_library;
  std::string group;
};

std::uint32_t group_id(const std::string& name) {
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
    return static_cast<std::uint32_t>(std::stoul(name));
  }
  std::vector<char> buffer(65536);
  group entry{};
  group* found = nullptr;
  if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    throw InputError(fmt::format("--group: no group named '{}' on this host", name));
  }
  return found->gr_gid;
}

AccessPolicy load_policy(const Options& o) {
  if (!o.config.empty()) return AccessPolicy::load(o.config);
  if (std::filesystem::exists(kDefaultConfig)) return AccessPolicy::load(kDefaultConfig);
  return AccessPolicy::only_user(::geteuid(), fmt::format("the default policy (no {}: chased's own user only)", kDefaultConfig));
}

// Every GPU with a settable limit, by NVML index (CUDA_VISIBLE_DEVICES is a job's view, not the
// host's). A GPU NVML fails on is said and left out.
std::vector<LimitTarget> open_gpus(const std::shared_ptr<NvmlLibrary>& nvml, Clock& clock) {
  std::vector<LimitTarget> gpus;
  const unsigned count = nvml->device_count();
  for (unsigned i = 0; i < count; ++i) {
    try {
      auto device = std::make_shared<NvmlDevice>(nvml, i, clock);
      if (!device->supports_power_limit()) {
        std::cerr << fmt::format("chased: GPU {} ({}) has no settable power limit: not offered\n", i, device->uuid());
        continue;
      }
      gpus.push_back({i, device->uuid(), device});
    } catch (const Error& e) {
      std::cerr << fmt::format("chased: GPU {} left out: {}\n", i, e.what());
    }
  }
  return gpus;
}

// Each client holds a descriptor while it runs: as many as the hard limit allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int run(const Options& o) {
  // Held from the start: a SIGTERM before the loop runs waits for it (and its restore) rather
  // than killing chased between a set and its record.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  const AccessPolicy policy = load_policy(o);
  LimitServerSettings settings;
  settings.socket = o.socket;
  settings.state_dir = o.state_dir;
  if (!o.group.empty()) settings.group = group_id(o.group);
  raise_descriptor_limit();
  const DiscoveryOptions discovery = discovery_options(o.nvml_library.empty() ? std::nullopt : std::optional(o.nvml_library));
  SystemClock clock;
  auto nvml = std::make_shared<NvmlLibrary>(discovery.nvml_library);
  LimitServer server(open_gpus(nvml, clock), policy, settings, {});
  // Before the socket exists: a client can never see a limit a crashed chased left.
  server.recover();
  server.listen();
  std::cerr << fmt::format("chased: listening on {} (state in {}, access: {})\n", o.socket, server.state_file().string(),
                           policy.source());
  const int signal = server.serve();
  std::cerr << fmt::format("chased: stopped by {}; every limit restored\n", strsignal(signal));
  return 0;
}

}  // namespace
}  // namespace chase

int main(int argc, char** argv) {
  using namespace chase;
  CLI::App app{"chased: owns the GPUs' power limits for chase, and restores them when a client goes away", "chased"};
  Options o;
  app.add_option("--socket", o.socket, "The Unix socket clients connect to (mode 0660)")->capture_default_str();
  app.add_option("--state-dir", o.state_dir,
                 "Where the limits to restore are kept (limits.json), read at start after a crash")
      ->capture_default_str();
  app.add_option("--config", o.config,
                 fmt::format("The access policy (TOML: [[allow]] users, groups, gpus, min_w, max_w); default {} if it "
                             "exists, else chased's own user only",
                             kDefaultConfig));
  app.add_option("--nvml-library", o.nvml_library, "NVML library to load (default: $CHASE_NVML_LIBRARY, else libnvidia-ml.so.1)");
  app.add_option("--group", o.group, "The socket's group (name or gid): its members may connect");
  app.footer(
      "One client holds a GPU at a time: a second client's set on a held GPU is refused (\"busy\"), naming the holder.\n"
      "A GPU's limit before its holder's first change is restored when the holder releases it or disconnects (exit,\n"
      "crash, SIGKILL), on SIGTERM/SIGINT/SIGHUP, and at the next start after chased itself was killed.\n"
      "Example:\n"
      "  chased --socket /run/chase/chased.sock --state-dir /var/lib/chase --config /etc/chase/chased.toml --group chase");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "chased: error: " << e.what() << '\n';
    return 2;
  }
  try {
    return run(o);
  } catch (const InputError& e) {
    std::cerr << "chased: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "chased: error: " << e.what() << '\n';
    return 1;
  }
}
