// API key files (`--key-file FILE`, mode 0600): load_api_key for the key providers, and the
// WattTime provider, which reads 'username:password' from the same kind of file. The first byte
// picks which; the rest is the file's content.

#include "carbon/live/api_key.hpp"
#include "carbon/live/provider_settings.hpp"
#include "core/clock.hpp"
#include "fuzz_input.hpp"

namespace {

// No network: building a provider reads its credentials and sends nothing.
class NoHttp final : public chase::HttpClient {
 public:
  chase::HttpResponse get(const chase::HttpRequest&) override { throw chase::NetworkError("no network in the fuzzer"); }
};

std::optional<std::string> no_variable(const std::string&) { return std::nullopt; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static chase::fuzz::ScratchFile file("key");
  const auto& path = file.write(chase::fuzz::as_text(data + 1, size - 1), std::filesystem::perms::owner_read |
                                                                              std::filesystem::perms::owner_write);
  chase::fuzz::expecting_chase_errors([&] {
    if (data[0] % 2 == 0) {
      (void)chase::load_api_key("electricitymaps", path, "ELECTRICITYMAPS_API_KEY", no_variable);
    } else {
      NoHttp http;
      chase::ManualClock clock;
      chase::ProviderSettings settings{"", path, "http://127.0.0.1:9", &http, &clock, no_variable};
      (void)chase::make_provider("watttime", settings);
    }
  });
  return 0;
}
