// The electricitymaps provider's JSON answers (latest, history, forecast), through its public IntensityProvider.

#include "provider_answer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chase::fuzz::ask_provider("electricitymaps", data, size);
  return 0;
}
