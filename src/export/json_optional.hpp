#pragma once
// An absent value is JSON null in every export, never a field left out or a made-up number.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace chase {

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The value through `field` (e.g. a quantity in its JSON unit), or null.
template <class T, class Field>
nlohmann::json or_null(const std::optional<T>& value, Field&& field) {
  return value ? nlohmann::json(field(*value)) : nlohmann::json(nullptr);
}

// An empty name is null: it was not given.
inline nlohmann::json name_or_null(const std::string& name) {
  return name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name);
}

}  // namespace chase
