// The region tables (CSV: Electricity Maps' yearly zones, Ember's averages, ISO 3166-1 codes).
// The first byte picks the table, the rest is its text; a parsed zone or Ember table also
// becomes a catalog, which resolves a name and its close matches. Any text gives a table, a
// catalog, or a chase::Error.

#include "carbon/region_catalog.hpp"
#include "carbon/region_data.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = chase::fuzz::as_text(data + 1, size - 1);
  chase::fuzz::expecting_chase_errors([&] {
    switch (data[0] % 3) {
      case 0: {
        const chase::RegionCatalog catalog(chase::RegionTable("region", {}), chase::parse_zone_years(text, "zones.csv"),
                                           {}, {}, 2024);
        (void)catalog.resolve("germny");
        break;
      }
      case 1: {
        const chase::RegionCatalog catalog(chase::RegionTable("region", {}), {},
                                           chase::parse_ember_averages(text, "ember.csv"), {}, 2024);
        (void)catalog.resolve("WORLD");
        break;
      }
      default: (void)chase::parse_iso_countries(text, "iso.csv"); break;
    }
  });
  return 0;
}
