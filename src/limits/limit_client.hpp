#pragma once
// A connection to chased (limit_server.hpp): requests out, answers back, one at a time (a
// mutex: the controller thread and the signal path may both set limits). The socket is
// close-on-exec, so the training command chase starts never inherits it: when chase dies, the
// kernel closes the connection and chased restores the limits chase changed.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.hpp"
#include "core/units.hpp"
#include "limits/limit_protocol.hpp"

namespace chase {

// Where chased listens unless told otherwise (the systemd unit's RuntimeDirectory=chase).
inline constexpr const char* kDefaultDaemonSocket = "/run/chase/chased.sock";
// Names chased's socket for a process that has no flag for it (the Python integration).
inline constexpr const char* kDaemonSocketVariable = "CHASE_DAEMON_SOCKET";

class LimitClient {
 public:
  // Connects; throws HardwareError naming the socket when nothing listens there or the
  // connection is refused (PermissionError when the socket's mode shuts this user out).
  explicit LimitClient(std::filesystem::path socket);
  ~LimitClient();
  LimitClient(const LimitClient&) = delete;
  LimitClient& operator=(const LimitClient&) = delete;

  // One round trip. Throws HardwareError when chased does not answer (it closed the
  // connection, or 30 s passed) or answers outside the protocol.
  LimitResponse call(const LimitRequest& request);

  // The calls below turn a refusal into an exception with chased's one line: PermissionError
  // for "refused" and "busy", InputError for "bad-request" and "unknown-gpu", HardwareError else.
  std::vector<GpuLimitInfo> list();
  GpuLimitInfo set(const std::string& gpu, Power limit);
  void release(const std::string& gpu);

  const std::filesystem::path& socket() const { return socket_; }

 private:
  LimitResponse checked(const LimitRequest& request);

  std::filesystem::path socket_;
  int fd_ = -1;
  MessageReader reader_;
  std::mutex mutex_;
};

// The connection every program that sets limits makes, or null when it sets them itself:
// `socket` when given, else $CHASE_DAEMON_SOCKET when set and not empty (an error if nothing
// listens there either way); else, when this process is not root and the default socket
// exists, that one; else null (root sets limits itself, as it always has).
std::shared_ptr<LimitClient> connect_limit_daemon(const std::optional<std::string>& socket,
                                                  const EnvironmentLookup& env);

}  // namespace chase
