#include "cli/limit_options.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "core/environment.hpp"

namespace chase::cli {

void LimitOptions::add_to(CLI::App& command) {
  command.add_option("--daemon-socket", daemon_socket_,
                     fmt::format("Set the power limits through chased at this socket (default: {} when chase is not "
                                 "root and it exists); it restores them however chase ends",
                                 kDefaultDaemonSocket));
}

std::shared_ptr<LimitClient> LimitOptions::connect() const {
  if (!daemon_socket_.empty()) return std::make_shared<LimitClient>(daemon_socket_);
  if (::geteuid() == 0) return nullptr;  // root sets limits itself, as it always has
  std::error_code error;
  if (!std::filesystem::exists(kDefaultDaemonSocket, error)) return nullptr;
  return std::make_shared<LimitClient>(kDefaultDaemonSocket);
}

std::vector<std::string> restore_abandoned_limits(const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  const AbandonedLimits found = recover_abandoned_limits(limit_record_dirs(process_environment()), devices);
  for (const std::string& line : found.restored) std::cerr << "chase: " << line << '\n';
  for (const std::string& line : found.left_lowered) std::cerr << "chase: warning: " << line << '\n';
  return found.lowered_ids;
}

}  // namespace chase::cli
