#pragma once
// Who may set which GPU's power limit, within which range: chased's access policy, read from
// its TOML config and checked against the peer's credentials (SO_PEERCRED) on every set.
//
//   [[allow]]
//   users = ["alice", 1001]       # user names or uids (names resolved when the file is read)
//   groups = ["ml"]               # group names or gids: the peer's primary or supplementary groups
//   gpus = "all"                  # or a list of NVML indices and UUIDs: [0, "GPU-8932f937-…"]
//   min_w = 150                   # optional: the lowest limit they may set (W)
//   max_w = 300                   # optional: the highest
//
// A peer matches a rule when its uid is in `users` or one of its groups in `groups`. A set is
// allowed when some matching rule names the GPU and holds the limit in its range. No rule is
// implicit: root is not special (it can set limits without chased anyway). Without a config
// file, the policy allows the daemon's own user every GPU and its whole range — what a user
// gets who starts chased for themselves (and what tests use).

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/units.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct PeerCredentials {
  std::int64_t pid = 0;
  std::uint32_t uid = 0;
  std::vector<std::uint32_t> gids = {};  // primary first, then supplementary
};

struct AccessRule {
  std::vector<std::uint32_t> uids = {};
  std::vector<std::uint32_t> gids = {};
  bool all_gpus = false;
  std::vector<unsigned> gpu_indices = {};
  std::vector<std::string> gpu_uuids = {};
  std::optional<Power> min = {};
  std::optional<Power> max = {};
};

class AccessPolicy {
 public:
  // Parses the config text; InputError/ParseError naming `source`, the rule and the key (an
  // unknown user or group name, a GPU that is neither index nor UUID, min above max, an unknown key).
  static AccessPolicy parse(std::string_view toml_text, const std::string& source);
  static AccessPolicy load(const std::filesystem::path& path);
  // Every GPU, any limit, for `uid` alone.
  static AccessPolicy only_user(std::uint32_t uid, std::string source);

  // Why `peer` may not set GPU (index, uuid) to `limit`; nullopt when it may. One line that
  // names the user and the config.
  std::optional<std::string> refusal(const PeerCredentials& peer, unsigned index, const std::string& uuid,
                                     Power limit) const;
  // The limits `peer` may set on GPU (index, uuid), within the GPU's own `hardware` range: the
  // widest range of the rules that match the peer and name the GPU (rules with ranges that do not
  // meet are not joined: a limit between them is refused). None: the peer may set none.
  std::optional<PowerLimitRange> allowed_range(const PeerCredentials& peer, unsigned index, const std::string& uuid,
                                               PowerLimitRange hardware) const;
  // True when some rule matches `peer` at all (a peer with no rule is refused everything).
  bool knows(const PeerCredentials& peer) const;

  const std::vector<AccessRule>& rules() const { return rules_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<AccessRule> rules_;
  std::string source_;
};

// "alice (uid 1001)", or "uid 1001" when the user has no name here.
std::string describe_user(std::uint32_t uid);

}  // namespace chase
