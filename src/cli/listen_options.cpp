#include "cli/listen_options.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/flag_checks.hpp"
#include "core/error.hpp"
#include "serve/prometheus_text.hpp"

namespace chase::cli {

MetricsEndpoint::MetricsEndpoint(std::vector<std::shared_ptr<PowerDevice>> devices, bool priced,
                                 const ListenAddress& address)
    : state(std::move(devices), priced), server(address, [this] { return prometheus_exposition(state.snapshot()); }) {}

void ListenOptions::add_to(CLI::App& command, const std::string& default_address) {
  address_ = default_address;
  auto* opt = command.add_option("--listen", address_,
                                 "Serve Prometheus metrics at http://ADDR/metrics while metering (e.g. 127.0.0.1:9464; "
                                 "port 0: any free port)");
  // Checked as the flags are read, before any device is looked for.
  opt->check(CLI::Validator(
      [](std::string& text) {
        try {
          parse_listen_address(text);
          return std::string();
        } catch (const InputError& e) {
          return std::string(e.what());
        }
      },
      "HOST:PORT"));
  if (!default_address.empty()) opt->capture_default_str();
}

std::unique_ptr<MetricsEndpoint> ListenOptions::start(const std::vector<std::shared_ptr<PowerDevice>>& devices,
                                                      bool priced) const {
  if (address_.empty()) return nullptr;
  const ListenAddress address = with_flag("--listen", [&] { return parse_listen_address(address_); });
  auto endpoint = with_flag("--listen", [&] {
    try {
      return std::make_unique<MetricsEndpoint>(devices, priced, address);
    } catch (const Error& e) {
      throw InputError(e.what());
    }
  });
  std::cerr << fmt::format("chase: serving metrics at {}\n", endpoint->server.url());
  return endpoint;
}

}  // namespace chase::cli
