#include "provider_answer.hpp"

#include <cmath>
#include <cstdlib>

#include "carbon/live/provider_settings.hpp"
#include "core/clock.hpp"
#include "fuzz_input.hpp"

namespace chase::fuzz {
namespace {

class FixedAnswer final : public HttpClient {
 public:
  FixedAnswer(long status, std::string body) : status_(status), body_(std::move(body)) {}

  HttpResponse get(const HttpRequest& request) override {
    if (request.url.ends_with("/login")) return {200, R"({"token": "fuzz-token"})", std::nullopt, std::nullopt};
    return {status_, body_, std::nullopt, std::nullopt};
  }

 private:
  long status_;
  std::string body_;
};

// What IntensityProvider promises of every point it returns: an interval that ends after it
// starts, and a finite, non-negative intensity. Anything else would reach a table or a plan.
void check(const ProviderPoint& p) {
  const double g = p.intensity.g_per_kwh();
  if (!(p.from < p.until) || !std::isfinite(g) || g < 0) std::abort();
}

void check(const std::vector<ProviderPoint>& points) {
  for (const auto& p : points) check(p);
}

std::optional<std::string> credentials(const std::string& name) {
  if (name == "WATTTIME_USER") return "fuzz-user";
  return "fuzz-secret";
}

}  // namespace

void ask_provider(const std::string& provider, const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const std::uint8_t choice = data[0];
  FixedAnswer http((choice & 0x80) != 0 ? 503 : 200, std::string(as_text(data + 1, size - 1)));
  const ManualClock clock(UtcTime::from_epoch_ms(1'700'000'000'000));
  expecting_chase_errors([&] {
    const auto source = make_provider(provider, ProviderSettings{"", std::nullopt, "http://127.0.0.1:9", &http, &clock,
                                                                 credentials});
    switch ((choice & 0x7f) % 3) {
      case 0: check(source->latest()); break;
      case 1: check(source->history(clock.now() - Duration::days(1), clock.now())); break;
      default: check(source->forecast()); break;
    }
  });
}

}  // namespace chase::fuzz
