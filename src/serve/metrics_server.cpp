#include "serve/metrics_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

int parse_port(const std::string& digits, const std::string& text) {
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError(fmt::format("'{}' is not HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464)", text));
  }
  const int port = std::stoi(digits);
  if (port > 65535) throw InputError(fmt::format("'{}': port {} is outside 0..65535", text, port));
  return port;
}

}  // namespace

ListenAddress parse_listen_address(const std::string& text) {
  if (text.empty()) throw InputError("'' is not HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464)");
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw InputError(fmt::format("'{}' is not [IPv6]:PORT (e.g. [::1]:9464)", text));
    }
    return {text.substr(1, close - 1), parse_port(text.substr(close + 2), text)};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return {"127.0.0.1", parse_port(text, text)};
  if (text.find(':') != colon) throw InputError(fmt::format("'{}': write an IPv6 address in brackets, [::1]:9464", text));
  std::string host = text.substr(0, colon);
  if (host.empty()) host = "127.0.0.1";
  return {host, parse_port(text.substr(colon + 1), text)};
}

MetricsServer::MetricsServer(const ListenAddress& address, std::function<std::string()> render)
    : server_(std::make_unique<httplib::Server>()), host_(address.host.empty() ? "127.0.0.1" : address.host) {
  server_->Get("/metrics", [render = std::move(render)](const httplib::Request&, httplib::Response& res) {
    try {
      res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(e.what(), "text/plain; charset=utf-8");
    }
  });
  errno = 0;
  if (address.port == 0) {
    port_ = server_->bind_to_any_port(host_);
    if (port_ < 0) port_ = 0;
  } else if (server_->bind_to_port(host_, address.port)) {
    port_ = address.port;
  }
  if (port_ <= 0) {
    const int error = errno;
    throw Error(fmt::format("cannot listen on {}:{}: {}", host_, address.port,
                            error != 0 ? std::strerror(error) : "the address is taken or not this machine's"));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string MetricsServer::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/metrics", v6 ? "[" : "", host_, v6 ? "]" : "", port_);
}

}  // namespace chase
