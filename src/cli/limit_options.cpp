#include "cli/limit_options.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "core/environment.hpp"

namespace chase::cli {

void LimitOptions::add_to(CLI::App& command) {
  command.add_option("--daemon-socket", daemon_socket_,
                     fmt::format("Set the power limits through chased at this socket (default: ${}, else {} when "
                                 "chase is not root and it exists); it restores them however chase ends",
                                 kDaemonSocketVariable, kDefaultDaemonSocket));
}

std::shared_ptr<LimitClient> LimitOptions::connect() const {
  return connect_limit_daemon(daemon_socket_.empty() ? std::nullopt : std::optional(daemon_socket_),
                              process_environment());
}

std::vector<std::string> restore_abandoned_limits(const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  const AbandonedLimits found = recover_abandoned_limits(limit_record_dirs(process_environment()), devices);
  for (const std::string& line : found.restored) std::cerr << "chase: " << line << '\n';
  for (const std::string& line : found.left_lowered) std::cerr << "chase: warning: " << line << '\n';
  return found.lowered_ids;
}

}  // namespace chase::cli
