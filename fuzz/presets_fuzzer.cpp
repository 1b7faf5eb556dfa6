// The preset tables (TOML: processors, datacenters, models, regions, worked examples). The
// first byte picks the table, the rest is its text; every parser must turn any text into a
// table or a chase::Error.

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "account/what_if.hpp"
#include "carbon/region_table.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = chase::fuzz::as_text(data + 1, size - 1);
  chase::fuzz::expecting_chase_errors([&] {
    switch (data[0] % 5) {
      case 0: (void)chase::parse_processor_table(text, "processors.toml"); break;
      case 1: (void)chase::parse_datacenter_table(text, "datacenters.toml"); break;
      case 2: (void)chase::parse_model_table(text, "models.toml"); break;
      case 3: (void)chase::parse_region_table(text, "regions.toml"); break;
      default: (void)chase::parse_example_table(text, "examples.toml"); break;
    }
  });
  return 0;
}
