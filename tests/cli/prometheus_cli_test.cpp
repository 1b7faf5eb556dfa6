// A real Prometheus scrapes chase. The test starts `chase exporter` on a fake powercap tree whose
// energy counter it moves itself, and Debian's `prometheus` on 127.0.0.1 with a temporary config
// and data folder scraping it every second; it reads the values back through Prometheus's HTTP
// API and compares them with what the counter says and with chase's own /metrics. Both
// processes are stopped by the test. `chase measure --listen` is scraped the same way.

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

std::string prometheus_binary() {
  if (const char* env = std::getenv("CHASE_PROMETHEUS"); env != nullptr && *env != '\0') return env;
  return "/usr/bin/prometheus";
}

// A port nothing listens on now (the kernel's choice for a socket bound to port 0).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Stops a process started by the test (SIGTERM, then SIGKILL after 20 s) and reaps it.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  pid_t pid_;
};

bool eventually(const std::function<bool()>& condition, int seconds = 60) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A running Prometheus scraping `target` (host:port) every second.
struct Prometheus {
  test::TempDir dir;
  int port = free_port();
  std::optional<Child> child;

  explicit Prometheus(const std::string& target) {
    const std::string binary = prometheus_binary();
    if (::access(binary.c_str(), X_OK) != 0) {
      ADD_FAILURE() << "Prometheus is not installed at " << binary
                    << " (scripts/setup installs Debian's prometheus; CHASE_PROMETHEUS names another)";
      return;
    }
    const auto config = dir.write("prometheus.yml", "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                                    "scrape_configs:\n  - job_name: chase\n    static_configs:\n"
                                                    "      - targets: ['" + target + "']\n");
    child.emplace(test::start_process({binary, "--config.file=" + config.string(),
                                       "--storage.tsdb.path=" + (dir.path() / "data").string(),
                                       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
                                      (dir.path() / "out.log").string(), (dir.path() / "err.log").string()));
  }
  bool running() const { return child.has_value(); }
  // The value of an instant query's first series, if Prometheus has one.
  std::optional<double> query(const std::string& promql) const {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    const auto res = client.Get(("/api/v1/query?query=" + httplib::detail::encode_query_param(promql)).c_str());
    if (!res || res->status != 200) return std::nullopt;
    const auto j = nlohmann::json::parse(res->body, nullptr, false);
    if (j.is_discarded() || j["status"] != "success" || j["data"]["result"].empty()) return std::nullopt;
    return std::stod(j["data"]["result"][0]["value"][1].get<std::string>());
  }
  std::string log() const { return read_file(dir.path() / "err.log"); }
};

std::optional<double> metric_in(const std::string& exposition, const std::string& name) {
  const std::regex line("^" + name + "(\\{[^}]*\\})? ([^ \\n]+)$", std::regex::multiline);
  std::smatch m;
  if (!std::regex_search(exposition, m, line)) return std::nullopt;
  return std::stod(m[2].str());
}

TEST(PrometheusScrape, TheExportersCountersReadBackThroughPrometheus) {
  test::TempDir dir;
  const auto zone = dir.path() / "powercap" / "intel-rapl:0";
  std::filesystem::create_directories(zone);
  dir.write("powercap/intel-rapl:0/name", "package-0\n");
  dir.write("powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
  dir.write("powercap/intel-rapl:0/energy_uj", "1000000\n");
  const int port = free_port();
  const auto err = dir.path() / "exporter.err";
  Child exporter(test::start_chase({"exporter", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                                    (dir.path() / "powercap").string(), "--intensity", "300", "--listen",
                                    "127.0.0.1:" + std::to_string(port), "--interval-ms", "200"},
                                   (dir.path() / "exporter.out").string(), err.string()));
  ASSERT_TRUE(eventually([&] { return read_file(err).find("serving metrics at") != std::string::npos; }, 30))
      << read_file(err);

  // The counter moves 4 J (1 J -> 5 J), written whole as the kernel would.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  dir.write("powercap/intel-rapl:0/energy_uj.new", "5000000\n");
  std::filesystem::rename(zone / "energy_uj.new", zone / "energy_uj");

  Prometheus prometheus("127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(prometheus.running());
  const std::string energy = "chase_device_energy_joules_total{device=\"rapl:package-0\",backend=\"rapl\",estimated=\"false\"}";
  std::optional<double> scraped;
  ASSERT_TRUE(eventually([&] {
    scraped = prometheus.query(energy);
    return scraped && *scraped == 4.0;
  })) << "Prometheus last said " << (scraped ? std::to_string(*scraped) : "nothing") << "\n" << prometheus.log();

  // The same numbers chase serves itself.
  httplib::Client client("127.0.0.1", port);
  const auto own = client.Get("/metrics");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metric_in(own->body, "chase_device_energy_joules_total"), 4.0) << own->body;
  EXPECT_EQ(prometheus.query("chase_grid_intensity_grams_per_kilowatt_hour{source=\"--intensity\",fallback=\"false\"}"), 300.0);
  ASSERT_TRUE(eventually([&] {
    const auto carbon = prometheus.query("chase_carbon_grams_total");
    return carbon && std::abs(*carbon - 4.0 / 3.6e6 * 300) < 1e-12;
  })) << prometheus.query("chase_carbon_grams_total").value_or(-1);
  const auto samples = prometheus.query("chase_samples_total");
  ASSERT_TRUE(samples);
  EXPECT_GT(*samples, 1);
  // Prometheus sees the target up.
  EXPECT_EQ(prometheus.query("up{job=\"chase\"}"), 1.0);
}

TEST(PrometheusScrape, AMeasuredRunIsScrapedWhileItRuns) {
  test::TempDir dir;
  const int port = free_port();
  Prometheus prometheus("127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(prometheus.running());
  const auto out = dir.path() / "measure.json";
  const pid_t chase = test::start_chase(
      {"measure", "--json", "--no-record", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
       "/nonexistent", "--intensity", "250", "--listen", "127.0.0.1:" + std::to_string(port), "--", "sleep", "12"},
      out.string());
  std::optional<double> scraped;
  const bool seen = eventually([&] {
    scraped = prometheus.query("chase_device_energy_joules_total{device=\"estimated:cpu\"}");
    return scraped && *scraped > 0;
  }, 11);
  int status = 0;
  ASSERT_EQ(::waitpid(chase, &status, 0), chase);
  ASSERT_TRUE(seen) << prometheus.log();
  // What Prometheus saw during the run is at most what the run reported at its end.
  const auto report = nlohmann::json::parse(read_file(out));
  EXPECT_LE(*scraped, report["energy_j"].get<double>());
  EXPECT_EQ(prometheus.query("chase_grid_intensity_grams_per_kilowatt_hour"), 250.0);
}

}  // namespace
}  // namespace chase
