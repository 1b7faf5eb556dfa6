#pragma once
// Who sets the power limits of `chase run`: chased (--daemon-socket, $CHASE_DAEMON_SOCKET, or
// the default socket when chase is not root and the socket is there), or chase itself — as root, with a record
// of the original limits that the next chase restores if this one is killed
// (limits/abandoned_limits.hpp). Also the check every command that opens GPUs does first:
// restore the limits a killed chase left lowered, or say loudly that they are.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "energy/power_device.hpp"
#include "limits/abandoned_limits.hpp"
#include "limits/limit_client.hpp"

namespace chase::cli {

class LimitOptions {
 public:
  void add_to(CLI::App& command);
  // connect_limit_daemon with --daemon-socket: null when chase sets the limits itself.
  std::shared_ptr<LimitClient> connect() const;

 private:
  std::string daemon_socket_;
};

// recover_abandoned_limits over the usual places, each line said on stderr ("chase: …" for a
// GPU restored, "chase: warning: …" for one left lowered). Returns the hardware ids of GPUs
// left lowered.
std::vector<std::string> restore_abandoned_limits(const std::vector<std::shared_ptr<PowerDevice>>& devices);

}  // namespace chase::cli
