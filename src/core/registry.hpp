#pragma once
// A registry of the plugins of one kind (policies, forecasters, intensity providers, device
// backends), after GEOPM's PluginFactory: each plugin registers one entry that names it,
// describes it in one line, declares what it needs and offers, and holds its factory. Whatever
// lists, accepts or explains the plugins of a kind — CLI help, option checks, error messages,
// defaults — asks the registry instead of naming them, so a new plugin is one new file and one
// registration line (see CONTRIBUTING.md).
//
// Entry is a struct with at least `std::string name` and `std::string description`. Entries
// keep the order in which they were added (help and listings show them in that order).

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace chase {

template <typename Entry>
class Registry {
 public:
  // `kind` names one plugin in messages: "policy", "forecaster", "provider", "device backend".
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}
  // With its built-in entries, in order.
  Registry(std::string kind, std::vector<Entry> entries) : kind_(std::move(kind)) {
    for (Entry& e : entries) add(std::move(e));
  }

  // Throws Error for an empty or duplicate name (a programming error, not user input).
  Registry& add(Entry entry) {
    if (entry.name.empty()) throw Error(fmt::format("a {} needs a name", kind_));
    if (find(entry.name) != nullptr) throw Error(fmt::format("{} '{}' is registered twice", kind_, entry.name));
    entries_.push_back(std::move(entry));
    return *this;
  }

  const Entry* find(std::string_view name) const {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
    return it == entries_.end() ? nullptr : &*it;
  }

  // Throws InputError naming the known entries for an unknown name.
  const Entry& get(std::string_view name) const {
    if (const Entry* e = find(name)) return *e;
    throw InputError(unknown(name));
  }

  // "unknown policy 'x' (known: max, zeus, chase, oracle)".
  std::string unknown(std::string_view name) const {
    return fmt::format("unknown {} '{}' (known: {})", kind_, name, fmt::join(names(), ", "));
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Entry& e : entries_) out.push_back(e.name);
    return out;
  }

  // The names of the entries that satisfy `keep`, in order.
  template <typename Predicate>
  std::vector<std::string> names_where(Predicate keep) const {
    std::vector<std::string> out;
    for (const Entry& e : entries_) {
      if (keep(e)) out.push_back(e.name);
    }
    return out;
  }

  // The first entry that satisfies `pick`; throws Error when none does (a registry that lacks,
  // say, its baseline policy is a programming error).
  template <typename Predicate>
  const Entry& first_where(Predicate pick, std::string_view what) const {
    const auto it = std::find_if(entries_.begin(), entries_.end(), pick);
    if (it == entries_.end()) throw Error(fmt::format("no {} is {}", kind_, what));
    return *it;
  }

  // "name  description" lines, aligned, for help texts.
  std::string describe() const {
    std::size_t width = 0;
    for (const Entry& e : entries_) width = std::max(width, e.name.size());
    std::string out;
    for (const Entry& e : entries_) out += fmt::format("  {:<{}}  {}\n", e.name, width, e.description);
    return out;
  }

  const std::vector<Entry>& entries() const { return entries_; }
  const std::string& kind() const { return kind_; }

 private:
  std::string kind_;
  std::vector<Entry> entries_;
};

}  // namespace chase
