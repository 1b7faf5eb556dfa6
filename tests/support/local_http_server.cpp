#include "support/local_http_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chase::test {

Reply file_reply(const std::string& path, int status) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return Reply{status, text.str(), {}, 0};
}

LocalHttpServer::LocalHttpServer() : server_(std::make_unique<httplib::Server>()) {
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Reply reply{404, "{\"error\": \"not scripted\"}", {}, 0};
    {
      std::lock_guard lock(mutex_);
      SeenRequest seen{req.path, {}, {}};
      for (const auto& [k, v] : req.params) seen.query[k] = v;
      for (const auto& [k, v] : req.headers) {
        std::string name = k;
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        seen.headers[name] = v;
      }
      seen_.push_back(std::move(seen));
      const auto it = scripts_.find(req.path);
      if (it != scripts_.end() && !it->second.empty()) {
        const std::size_t n = served_[req.path]++;
        reply = it->second[std::min(n, it->second.size() - 1)];
      } else {
        for (const auto& [prefix, fn] : prefixes_) {
          if (req.path.rfind(prefix, 0) == 0) {
            reply = fn(req.path);
            break;
          }
        }
      }
    }
    if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    res.status = reply.status;
    for (const auto& [k, v] : reply.headers) res.set_header(k, v);
    res.set_content(reply.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("LocalHttpServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op before the accept loop runs, so wait for it (the socket already listens).
  for (int i = 0; i < 2000 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LocalHttpServer::~LocalHttpServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string LocalHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void LocalHttpServer::on(const std::string& path, std::vector<Reply> replies) {
  std::lock_guard lock(mutex_);
  scripts_[path] = std::move(replies);
  served_[path] = 0;
}

void LocalHttpServer::on_prefix(const std::string& prefix, std::function<Reply(const std::string& path)> fn) {
  std::lock_guard lock(mutex_);
  prefixes_.emplace_back(prefix, std::move(fn));
}

std::vector<SeenRequest> LocalHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

std::size_t LocalHttpServer::count(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(seen_.begin(), seen_.end(), [&](const SeenRequest& r) { return r.path == path; }));
}

}  // namespace chase::test
