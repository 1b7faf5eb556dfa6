#pragma once
// --listen ADDR on `chase measure` and `chase run` (and `chase exporter`): serve the live
// metering as Prometheus metrics at http://ADDR/metrics while chase meters.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "serve/metrics_server.hpp"
#include "serve/metrics_state.hpp"

namespace chase::cli {

// The state the meter feeds and the server that serves it, alive together.
struct MetricsEndpoint {
  MetricsState state;
  MetricsServer server;

  MetricsEndpoint(std::vector<std::shared_ptr<PowerDevice>> devices, bool priced, const ListenAddress& address);
};

class ListenOptions {
 public:
  void add_to(CLI::App& command, const std::string& default_address = "");
  bool given() const { return !address_.empty(); }
  // Starts serving (and says where on stderr); null without --listen. Throws InputError naming
  // --listen for a bad or taken address.
  std::unique_ptr<MetricsEndpoint> start(const std::vector<std::shared_ptr<PowerDevice>>& devices, bool priced) const;

 private:
  std::string address_;
};

}  // namespace chase::cli
