#pragma once
// A real HTTP server on 127.0.0.1 (cpp-httplib, ephemeral port) for tests of the live providers:
// each path answers with scripted replies read from fixture files (status, body, headers,
// delay), and every request is recorded. Started by the constructor, stopped by the destructor.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace chase::test {

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delay_ms = 0;
};

// A reply whose body is the content of the file at `path`.
Reply file_reply(const std::string& path, int status = 200);

struct SeenRequest {
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-case
};

class LocalHttpServer {
 public:
  LocalHttpServer();
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::string base_url() const;
  int port() const { return port_; }
  // Requests to `path` get these replies in turn; the last one repeats. Unscripted paths: 404.
  void on(const std::string& path, std::vector<Reply> replies);
  // Requests whose path starts with `prefix` (and have no script of their own) get fn(path).
  void on_prefix(const std::string& prefix, std::function<Reply(const std::string& path)> fn);
  std::vector<SeenRequest> requests() const;
  std::size_t count(const std::string& path) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Reply>> scripts_;
  std::map<std::string, std::size_t> served_;
  std::vector<std::pair<std::string, std::function<Reply(const std::string&)>>> prefixes_;
  std::vector<SeenRequest> seen_;
};

}  // namespace chase::test
