#include "support/live_trace.hpp"

#include <chrono>
#include <string>

namespace chase::test {

std::filesystem::path write_trace_around_now(const TempDir& dir, int seconds_ahead) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const int levels[] = {120, 380, 200, 90, 300, 150};
  std::string text = "timestamp,intensity_g_per_kwh\n";
  for (long long t = now - 86400; t < now + seconds_ahead; t += 2) {
    text += std::to_string(t) + "," + std::to_string(levels[(t / 2) % 6]) + "\n";
  }
  return dir.write("now.csv", text);
}

}  // namespace chase::test
