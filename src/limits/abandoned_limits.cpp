#include "limits/abandoned_limits.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "limits/access_policy.hpp"

namespace chase {
namespace {

using nlohmann::json;

constexpr const char* kSystemDir = "/run/chase/limits";

std::string since_text(std::int64_t unix_seconds) { return UtcTime::from_epoch_ms(unix_seconds * 1000).iso8601(); }

std::string owner_text(const LimitRecord& r) {
  return fmt::format("chase pid {} of {}, since {}", r.owner.pid, describe_user(r.uid), since_text(r.since_unix));
}

std::optional<LimitRecord> parse_record(const std::filesystem::path& file) {
  std::optional<LoadedText> text;
  try {
    text = read_text_file_if_exists(file);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!text) return std::nullopt;
  const json j = json::parse(text->content, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    LimitRecord r;
    r.file = file;
    r.owner.pid = j.at("pid").get<std::int64_t>();
    r.owner.start_ticks = j.at("start_ticks").get<std::int64_t>();
    r.owner.boot_id = j.at("boot_id").get<std::string>();
    r.uid = j.at("uid").get<std::uint32_t>();
    r.since_unix = j.at("since_unix").get<std::int64_t>();
    for (const json& e : j.at("limits")) {
      const auto mw = e.at("original_mw").get<std::int64_t>();
      if (mw <= 0) return std::nullopt;
      r.limits.push_back({e.at("device").get<std::string>(), e.at("uuid").get<std::string>(),
                          Power::milliwatts(static_cast<double>(mw))});
    }
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// Written whole or not at all: a reader never sees half a record.
void write_record(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(fmt::format("cannot write the power-limit record {}: {}", temp.string(), std::strerror(errno)));
  std::size_t done = 0;
  bool ok = true;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), file.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw Error(fmt::format("cannot write the power-limit record {}: {}", file.string(), reason));
  }
}

}  // namespace

std::filesystem::path limit_record_dir(const EnvironmentLookup& env) {
  if (auto dir = env(kLimitRecordsVariable); dir && !dir->empty()) return *dir;
  if (::geteuid() == 0) return kSystemDir;
  if (auto runtime = env("XDG_RUNTIME_DIR"); runtime && !runtime->empty()) {
    return std::filesystem::path(*runtime) / "chase" / "limits";
  }
  return std::filesystem::path(fmt::format("/tmp/chase-{}", ::geteuid())) / "limits";
}

std::vector<std::filesystem::path> limit_record_dirs(const EnvironmentLookup& env) {
  if (auto dir = env(kLimitRecordsVariable); dir && !dir->empty()) return {*dir};
  std::vector<std::filesystem::path> dirs{kSystemDir};
  if (const auto own = limit_record_dir(env); own != dirs.front()) dirs.push_back(own);
  return dirs;
}

std::vector<LimitRecord> read_limit_records(const std::vector<std::filesystem::path>& dirs) {
  std::vector<LimitRecord> out;
  for (const auto& dir : dirs) {
    std::error_code error;
    std::filesystem::directory_iterator it(dir, error);
    if (error) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : it) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("chase-", 0) == 0 && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (auto r = parse_record(file)) out.push_back(std::move(*r));
    }
  }
  return out;
}

AbandonedLimits recover_abandoned_limits(const std::vector<std::filesystem::path>& dirs,
                                         const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  AbandonedLimits result;
  for (const LimitRecord& record : read_limit_records(dirs)) {
    if (is_running(record.owner)) continue;
    bool all_back = true;
    for (const RecordedLimit& limit : record.limits) {
      const auto device = std::find_if(devices.begin(), devices.end(), [&](const auto& d) {
        return d->hardware_id() == limit.hardware_id && d->supports_power_limit();
      });
      if (device == devices.end()) {
        all_back = false;  // not seen by this run (CUDA_VISIBLE_DEVICES): a run that sees it restores it
        continue;
      }
      PowerDevice& d = **device;
      try {
        const Power now = d.power_limit();
        if (now == limit.original) continue;
        try {
          d.set_power_limit(limit.original);
          result.restored.push_back(fmt::format(
              "restored {} ({}) from {:g} W to its original {:g} W: {} ended without restoring it", d.id(),
              limit.hardware_id, now.watts(), limit.original.watts(), owner_text(record)));
        } catch (const Error& e) {
          all_back = false;
          result.lowered_ids.push_back(limit.hardware_id);
          result.left_lowered.push_back(fmt::format(
              "{} ({}) is left at {:g} W instead of its original {:g} W by {}, which ended without restoring it; "
              "this chase cannot restore it ({}); as root: `nvidia-smi -i {} -pl {:g}` or any `chase devices`",
              d.id(), limit.hardware_id, now.watts(), limit.original.watts(), owner_text(record), e.what(),
              d.id().substr(d.id().find(':') + 1), limit.original.watts()));
        }
      } catch (const Error& e) {
        all_back = false;
        result.lowered_ids.push_back(limit.hardware_id);
        result.left_lowered.push_back(fmt::format("{} ({}): cannot read its limit to restore the original {:g} W left by {}: {}",
                                                  d.id(), limit.hardware_id, limit.original.watts(), owner_text(record),
                                                  e.what()));
      }
    }
    // Every GPU of the record is back: the record has done its job.
    if (all_back) {
      std::error_code ignored;
      std::filesystem::remove(record.file, ignored);
    }
  }
  return result;
}

LimitRecordFile::LimitRecordFile(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& look_in,
                                 const std::vector<PowerDevice*>& devices) {
  const ProcessIdentity me = this_process();
  for (const LimitRecord& other : read_limit_records(look_in)) {
    if (other.owner.pid == me.pid || !is_running(other.owner)) continue;
    for (const RecordedLimit& limit : other.limits) {
      for (PowerDevice* d : devices) {
        if (d->hardware_id() == limit.hardware_id) {
          throw PermissionError(fmt::format(
              "{} ({}) is controlled by {} (record {}): two runs on one GPU would each restore the other's limit",
              d->id(), limit.hardware_id, owner_text(other), other.file.string()));
        }
      }
    }
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw Error(fmt::format("cannot make {} for the power-limit record: {} (set {})", dir.string(), error.message(),
                            kLimitRecordsVariable));
  }
  json limits = json::array();
  for (PowerDevice* d : devices) {
    if (!d->supports_power_limit()) continue;
    limits.push_back({{"device", d->id()},
                      {"uuid", d->hardware_id()},
                      {"original_mw", std::llround(d->power_limit().watts() * 1000.0)}});
  }
  const json record{{"version", 1},
                    {"pid", me.pid},
                    {"start_ticks", me.start_ticks},
                    {"boot_id", me.boot_id},
                    {"uid", ::geteuid()},
                    {"since_unix", static_cast<std::int64_t>(std::time(nullptr))},
                    {"limits", limits}};
  path_ = dir / fmt::format("chase-{}.json", me.pid);
  write_record(path_, record.dump(1) + "\n");
}

LimitRecordFile::~LimitRecordFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace chase
