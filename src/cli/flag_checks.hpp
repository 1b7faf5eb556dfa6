#pragma once
// CLI11 validators with messages in one style ("must be positive"), and a helper that
// prefixes library errors with the flag they came from.

#include <CLI/CLI.hpp>

#include <string>

#include "core/error.hpp"

namespace chase::cli {

CLI::Validator positive();
CLI::Validator non_negative();
CLI::Validator at_least(double minimum);
CLI::Validator within(double min, double max);  // [min, max]
CLI::Validator fraction();           // [0, 1]
CLI::Validator positive_fraction();  // (0, 1]

// Runs fn; an InputError it throws is re-thrown as "<flag>: <message>".
template <class Fn>
decltype(auto) with_flag(const std::string& flag, Fn&& fn) {
  try {
    return fn();
  } catch (const InputError& e) {
    throw InputError(flag + ": " + e.what());
  }
}

}  // namespace chase::cli
