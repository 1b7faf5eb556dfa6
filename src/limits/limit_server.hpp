#pragma once
// chased's server: it owns every power-limit change of the GPUs it is given, for clients that
// connect to its Unix socket (limit_protocol.hpp).
//
// - Who: each connection's uid/gid/pid come from the kernel (SO_PEERCRED, SO_PEERGROUPS) and
//   every set is checked against the AccessPolicy; a refusal is an answer with code
//   "refused", and nothing changes.
// - One holder per GPU: the first client that sets a GPU's limit holds it until it releases
//   it or disconnects. Another client's set on a held GPU is refused (code "busy", naming the
//   holder's pid, user and since when) — not queued: a training job that waited silently for
//   a GPU's limit would run uncontrolled meanwhile, and the caller can retry.
// - Restore: the limit a GPU had before its holder's first set is put back when the holder
//   releases it, disconnects for any reason (exit, exception, SIGKILL: the kernel closes its
//   socket), when chased gets SIGTERM/SIGINT/SIGHUP (serve() returns after restoring all),
//   and — from the state file, written before every first set — when chased starts after a
//   crash (recover()). A restore that fails (NVML refuses) is not forgotten: the holding stays
//   in the state file with no client, is tried again at SIGTERM and at the next start, and the
//   next client to set that GPU inherits it (so its original is still the one restored).
// - Bad input: a malformed or unknown message is answered with code "bad-request"; a length
//   above kMaxMessageBytes ends that connection (and restores its GPUs). Other clients go on.
//
// Single-threaded: one poll() loop over the listening socket, a signalfd and the clients.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "energy/power_device.hpp"
#include "limits/access_policy.hpp"
#include "limits/limit_protocol.hpp"
#include "limits/limit_state_file.hpp"

namespace chase {

// A GPU the daemon controls: its NVML index and UUID, and the device that sets its limit.
struct LimitTarget {
  unsigned index = 0;
  std::string uuid = {};
  std::shared_ptr<PowerDevice> device = {};
};

struct LimitServerSettings {
  std::filesystem::path socket = {};
  std::filesystem::path state_dir = {};
  std::optional<std::uint32_t> group = {};  // the socket's group (mode 0660): who may connect
  unsigned socket_mode = 0660;
  // Connections beyond this are closed at once (each holds a descriptor).
  std::size_t max_clients = 4096;
};

class LimitServer {
 public:
  using Log = std::function<void(const std::string&)>;

  LimitServer(std::vector<LimitTarget> gpus, AccessPolicy policy, LimitServerSettings settings, Log log);
  ~LimitServer();
  LimitServer(const LimitServer&) = delete;
  LimitServer& operator=(const LimitServer&) = delete;

  // Restores every limit the state file holds (a chased that crashed left them) and empties it.
  // Throws InputError for an unreadable state file (nothing would be known to restore).
  void recover();
  // Binds and listens on the socket (its folder made if missing). Throws Error when another
  // chased listens there, or the socket cannot be made.
  void listen();
  // Serves until SIGTERM, SIGINT or SIGHUP (blocked in the calling thread and read from a
  // signalfd; call before other threads start), then restores every held limit and returns
  // the signal's number. The daemon is single-threaded.
  int serve();

  std::filesystem::path state_file() const { return settings_.state_dir / kLimitStateFileName; }

 private:
  struct Client;
  // A holding no client holds: its restore failed, and it waits in the state file.
  static constexpr std::uint64_t kNoClient = 0;
  struct Holding {
    std::uint64_t client = kNoClient;
    HeldLimit held = {};
  };

  void accept_clients();
  bool read_from(Client& client);   // false: the connection is over
  bool write_to(Client& client);    // false: the connection is over
  void disconnect(std::uint64_t id);
  LimitResponse handle(const Client& client, const std::string& body);
  LimitResponse set_limit(const Client& client, const LimitRequest& request);
  LimitResponse release_limit(const Client& client, const LimitRequest& request);
  LimitResponse list(const Client& client) const;
  const LimitTarget* find_gpu(const std::string& key) const;
  GpuLimitInfo info(const LimitTarget& gpu, const PeerCredentials& asking) const;
  // Puts back `holding`'s original limit; false (logged) when it could not.
  bool restore(const Holding& holding, const std::string& why);
  void restore_all(const std::string& why);
  void persist();

  std::vector<LimitTarget> gpus_;
  AccessPolicy policy_;
  LimitServerSettings settings_;
  Log log_;
  int listen_fd_ = -1;
  std::uint64_t next_client_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Client>> clients_;
  std::map<std::string, Holding> held_;  // by GPU UUID
};

// The credentials of the process at the other end of a connected Unix socket. Throws Error.
PeerCredentials peer_credentials(int fd);

}  // namespace chase
