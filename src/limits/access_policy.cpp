#include "limits/access_policy.hpp"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/toml_fields.hpp"

namespace chase {
namespace {

constexpr std::array<std::string_view, 5> kRuleKeys = {"users", "groups", "gpus", "min_w", "max_w"};

std::optional<std::uint32_t> uid_of(const std::string& name) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->pw_uid;
}

std::optional<std::uint32_t> gid_of(const std::string& name) {
  std::vector<char> buffer(65536);
  group entry{};
  group* found = nullptr;
  if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->gr_gid;
}

// `users` or `groups`: names (resolved now) or numeric ids.
std::vector<std::uint32_t> ids(const toml::table& rule, std::string_view key, std::string_view where, bool users) {
  std::vector<std::uint32_t> out;
  const toml::node* node = rule.get(key);
  if (node == nullptr) return out;
  const toml::array* list = node->as_array();
  if (list == nullptr) throw InputError(fmt::format("{}: '{}' must be a list of names or ids", where, key));
  for (const toml::node& item : *list) {
    if (auto id = item.value<std::int64_t>()) {
      if (*id < 0 || *id > 0xfffffffeLL) throw InputError(fmt::format("{}: '{}': {} is not an id", where, key, *id));
      out.push_back(static_cast<std::uint32_t>(*id));
    } else if (auto name = item.value<std::string>()) {
      const auto id_of_name = users ? uid_of(*name) : gid_of(*name);
      if (!id_of_name) {
        throw InputError(fmt::format("{}: '{}': no {} named '{}' on this host", where, key, users ? "user" : "group", *name));
      }
      out.push_back(*id_of_name);
    } else {
      throw InputError(fmt::format("{}: '{}' must be a list of names or ids", where, key));
    }
  }
  return out;
}

void read_gpus(const toml::table& table, std::string_view where, AccessRule& rule) {
  const toml::node* node = table.get("gpus");
  if (node == nullptr) throw InputError(fmt::format("{}: missing 'gpus' (\"all\" or a list of indices and UUIDs)", where));
  if (auto all = node->value<std::string>()) {
    if (*all != "all") throw InputError(fmt::format("{}: 'gpus' must be \"all\" or a list of indices and UUIDs", where));
    rule.all_gpus = true;
    return;
  }
  const toml::array* list = node->as_array();
  if (list == nullptr) throw InputError(fmt::format("{}: 'gpus' must be \"all\" or a list of indices and UUIDs", where));
  for (const toml::node& item : *list) {
    if (auto index = item.value<std::int64_t>(); index && *index >= 0 && *index < 65536) {
      rule.gpu_indices.push_back(static_cast<unsigned>(*index));
    } else if (auto uuid = item.value<std::string>(); uuid && uuid->rfind("GPU-", 0) == 0) {
      rule.gpu_uuids.push_back(*uuid);
    } else {
      throw InputError(fmt::format("{}: 'gpus': each entry must be an NVML index or a UUID (\"GPU-…\")", where));
    }
  }
}

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool matches(const AccessRule& rule, const PeerCredentials& peer) {
  if (contains(rule.uids, peer.uid)) return true;
  return std::any_of(peer.gids.begin(), peer.gids.end(), [&](std::uint32_t gid) { return contains(rule.gids, gid); });
}

bool names_gpu(const AccessRule& rule, unsigned index, const std::string& uuid) {
  if (rule.all_gpus) return true;
  if (std::find(rule.gpu_indices.begin(), rule.gpu_indices.end(), index) != rule.gpu_indices.end()) return true;
  return std::find(rule.gpu_uuids.begin(), rule.gpu_uuids.end(), uuid) != rule.gpu_uuids.end();
}

}  // namespace

std::string describe_user(std::uint32_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    return fmt::format("{} (uid {})", found->pw_name, uid);
  }
  return fmt::format("uid {}", uid);
}

AccessPolicy AccessPolicy::parse(std::string_view toml_text, const std::string& source) {
  const toml::table root = parse_toml(toml_text, source);
  AccessPolicy policy;
  policy.source_ = source;
  for (const auto& [key, node] : root) {
    if (key.str() != "allow") {
      throw InputError(fmt::format("{}: unknown key '{}' (the config holds [[allow]] rules)", source, key.str()));
    }
  }
  const toml::node* allow = root.get("allow");
  if (allow == nullptr) return policy;  // nobody is allowed anything: a valid, closed config
  const toml::array* rules = allow->as_array();
  if (rules == nullptr) throw InputError(fmt::format("{}: 'allow' must be an array of tables ([[allow]])", source));
  std::size_t n = 0;
  for (const toml::node& item : *rules) {
    ++n;
    const std::string where = fmt::format("{} [[allow]] #{}", source, n);
    const toml::table* table = item.as_table();
    if (table == nullptr) throw InputError(fmt::format("{}: not a table", where));
    for (const auto& [key, value] : *table) {
      if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key.str()) == kRuleKeys.end()) {
        throw InputError(fmt::format("{}: unknown key '{}' (known: users, groups, gpus, min_w, max_w)", where, key.str()));
      }
    }
    AccessRule rule;
    rule.uids = ids(*table, "users", where, true);
    rule.gids = ids(*table, "groups", where, false);
    if (rule.uids.empty() && rule.gids.empty()) {
      throw InputError(fmt::format("{}: names no 'users' and no 'groups': it would allow nobody", where));
    }
    read_gpus(*table, where, rule);
    if (auto w = toml_optional_number(*table, "min_w", where)) rule.min = Power::watts(*w);
    if (auto w = toml_optional_number(*table, "max_w", where)) rule.max = Power::watts(*w);
    if ((rule.min && rule.min->watts() <= 0) || (rule.max && rule.max->watts() <= 0)) {
      throw InputError(fmt::format("{}: 'min_w' and 'max_w' must be positive", where));
    }
    if (rule.min && rule.max && *rule.min > *rule.max) {
      throw InputError(fmt::format("{}: 'min_w' {:g} is above 'max_w' {:g}", where, rule.min->watts(), rule.max->watts()));
    }
    policy.rules_.push_back(std::move(rule));
  }
  return policy;
}

AccessPolicy AccessPolicy::load(const std::filesystem::path& path) {
  const LoadedText text = read_text_file(path);
  return parse(text.content, text.source);
}

AccessPolicy AccessPolicy::only_user(std::uint32_t uid, std::string source) {
  AccessPolicy policy;
  policy.source_ = std::move(source);
  AccessRule rule;
  rule.uids = {uid};
  rule.all_gpus = true;
  policy.rules_.push_back(rule);
  return policy;
}

bool AccessPolicy::knows(const PeerCredentials& peer) const {
  return std::any_of(rules_.begin(), rules_.end(), [&](const AccessRule& r) { return matches(r, peer); });
}

std::optional<PowerLimitRange> AccessPolicy::allowed_range(const PeerCredentials& peer, unsigned index,
                                                           const std::string& uuid, PowerLimitRange hardware) const {
  std::optional<PowerLimitRange> widest;
  for (const AccessRule& rule : rules_) {
    if (!matches(rule, peer) || !names_gpu(rule, index, uuid)) continue;
    const PowerLimitRange r{rule.min ? std::max(*rule.min, hardware.min) : hardware.min,
                            rule.max ? std::min(*rule.max, hardware.max) : hardware.max};
    if (r.max < r.min) continue;  // the rule allows nothing this GPU can be set to
    if (!widest || r.max - r.min > widest->max - widest->min) widest = r;
  }
  return widest;
}

std::optional<std::string> AccessPolicy::refusal(const PeerCredentials& peer, unsigned index, const std::string& uuid,
                                                 Power limit) const {
  if (!knows(peer)) {
    return fmt::format("{} may not control GPU power limits here ({} allows them no GPU)", describe_user(peer.uid),
                       source_);
  }
  bool gpu_named = false;
  std::vector<std::string> ranges;
  for (const AccessRule& rule : rules_) {
    if (!matches(rule, peer) || !names_gpu(rule, index, uuid)) continue;
    gpu_named = true;
    const bool above_min = !rule.min || limit >= *rule.min;
    const bool below_max = !rule.max || limit <= *rule.max;
    if (above_min && below_max) return std::nullopt;
    ranges.push_back(fmt::format("{}-{} W", rule.min ? fmt::format("{:g}", rule.min->watts()) : "any",
                                 rule.max ? fmt::format("{:g}", rule.max->watts()) : "any"));
  }
  if (!gpu_named) {
    return fmt::format("{} may not control GPU {} ({}) ({} does not name it for them)", describe_user(peer.uid), index,
                       uuid, source_);
  }
  return fmt::format("{} may not set GPU {} to {:g} W: {} allows them {}", describe_user(peer.uid), index, limit.watts(),
                     source_, fmt::format("{}", fmt::join(ranges, " or ")));
}

}  // namespace chase
