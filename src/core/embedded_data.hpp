#pragma once
// Data files compiled into the binary (presets, bundled traces, GPU profiles), so the CLI
// runs its defaults from any directory with no installed data. The list is generated from
// data/ at build time (cmake/embed_files.cmake).

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace chase {

struct EmbeddedFile {
  std::string_view name;  // path relative to data/, e.g. "traces/gb-2020.csv"
  std::string_view content;
};

std::span<const EmbeddedFile> embedded_files();
std::optional<std::string_view> find_embedded(std::string_view name);
// For files the build always bundles (presets): a missing one is a broken build, not bad input.
std::string_view require_embedded(std::string_view name);
// Names under a directory prefix ("traces/"), sorted.
std::vector<std::string_view> embedded_names(std::string_view prefix);

}  // namespace chase
