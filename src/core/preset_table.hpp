#pragma once
// An ordered set of named presets (models, processors, regions, ...), loaded once from a
// bundled TOML file. Lookup failures name the kind and list the known keys.

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace chase {

template <class Preset>  // Preset has a std::string member `key`
class PresetTable {
 public:
  PresetTable() = default;
  PresetTable(std::string kind, std::vector<Preset> rows) : kind_(std::move(kind)), rows_(std::move(rows)) {}

  const std::vector<Preset>& all() const { return rows_; }

  const Preset* find(std::string_view key) const {
    for (const auto& row : rows_) {
      if (row.key == key) return &row;
    }
    return nullptr;
  }

  const Preset& get(std::string_view key) const {
    if (const Preset* row = find(key)) return *row;
    throw InputError(fmt::format("unknown {} '{}' (known: {})", kind_, key, fmt::join(keys(), ", ")));
  }

  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    out.reserve(rows_.size());
    for (const auto& row : rows_) out.push_back(row.key);
    return out;
  }

 private:
  std::string kind_;
  std::vector<Preset> rows_;
};

}  // namespace chase
