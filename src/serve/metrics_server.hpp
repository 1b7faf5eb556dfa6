#pragma once
// The HTTP endpoint Prometheus scrapes: GET /metrics answers the text exposition of the state
// at that moment (serve/prometheus_text.hpp); anything else is 404. cpp-httplib serves it from
// its own threads until the server is destroyed.

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace chase {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address or a name; "" is read as 127.0.0.1
  int port = 0;      // 0: any free port (MetricsServer::port() says which)
};

// "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464", ":9464" (127.0.0.1), "9464" (127.0.0.1).
// Throws InputError naming the text for anything else or a port outside 0..65535.
ListenAddress parse_listen_address(const std::string& text);

class MetricsServer {
 public:
  // Binds now (throws Error "cannot listen on HOST:PORT: ..." when the address is taken or not
  // ours), then serves in a thread. `render` is called once per request, from that thread.
  MetricsServer(const ListenAddress& address, std::function<std::string()> render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:9464/metrics"
  std::string url() const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string host_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace chase
