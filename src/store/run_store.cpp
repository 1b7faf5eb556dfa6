#include "store/run_store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <ctime>

#include "core/error.hpp"
#include "core/process_identity.hpp"
#include "store/run_schema.hpp"
#include "store/run_totals.hpp"

namespace chase {
namespace {

constexpr std::array<const char*, 4> kStatusNames = {"running", "completed", "failed", "interrupted"};

constexpr const char* kRunColumns =
    "id, kind, command_json, started_ms, heartbeat_ms, ended_ms, status, exit_code, host, user, chase_version, pid, "
    "pid_start_ticks, boot_id, intensity_source, time_s, energy_j, carbon_g, note, intensity_basis";

std::optional<Mass> grams(const std::optional<double>& g) {
  return g ? std::optional<Mass>(Mass::grams(*g)) : std::nullopt;
}

std::optional<double> grams_of(const std::optional<Mass>& m) {
  return m ? std::optional<double>(m->grams()) : std::nullopt;
}

std::optional<double> joules_of(const std::optional<Energy>& e) {
  return e ? std::optional<double>(e->joules()) : std::nullopt;
}

void insert_steps(const SqliteDatabase& db, RunId id, const std::vector<PricedStep>& steps) {
  SqliteStatement insert(db,
                         "INSERT OR REPLACE INTO intensity_steps (run_id, from_ms, until_ms, intensity_g_per_kwh, source, "
                         "fallback, age_s, energy_j, carbon_g) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const PricedStep& s : steps) {
    insert.bind(1, id)
        .bind(2, s.from.epoch_ms())
        .bind(3, s.until.epoch_ms())
        .bind(4, s.intensity.g_per_kwh())
        .bind(5, s.source)
        .bind(6, static_cast<std::int64_t>(s.fallback))
        .bind(7, s.age ? std::optional<double>(s.age->seconds()) : std::nullopt)
        .bind(8, joules_of(s.energy))
        .bind(9, grams_of(s.carbon));
    insert.run();
    insert.reset();
  }
}

}  // namespace

const char* to_string(RunStatus status) { return kStatusNames.at(static_cast<std::size_t>(status)); }

std::optional<RunStatus> parse_run_status(const std::string& text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (text == kStatusNames[i]) return static_cast<RunStatus>(i);
  }
  return std::nullopt;
}

std::filesystem::path default_run_store_path(const EnvironmentLookup& environment) {
  if (auto db = environment("CHASE_DB"); db && !db->empty()) return *db;
  if (auto data = environment("XDG_DATA_HOME"); data && !data->empty()) {
    return std::filesystem::path(*data) / "chase" / "runs.db";
  }
  if (auto home = environment("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".local" / "share" / "chase" / "runs.db";
  }
  return "chase-runs.db";
}

RunStore::RunStore(const std::filesystem::path& path)
    : db_("run store", path),
      liveness_([](const RunHeader& h) { return is_running(ProcessIdentity{h.pid, h.pid_start_ticks, h.boot_id}); }),
      this_host_(host_name()) {
  db_.migrate(run_store_schema(), "use another --db file");
}

RunId RunStore::begin(const RunHeader& header, const std::vector<RunDevice>& devices) {
  RunId id = 0;
  db_.transaction([&] {
    SqliteStatement insert(db_,
                           "INSERT INTO runs (kind, command_json, started_ms, heartbeat_ms, status, host, user, "
                           "chase_version, pid, pid_start_ticks, boot_id, intensity_source, intensity_basis) "
                           "VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, header.kind)
        // Arguments may be any bytes; JSON holds UTF-8 only, so a bad byte is kept as U+FFFD.
        .bind(2, nlohmann::json(header.command).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .bind(3, header.started_at.epoch_ms())
        .bind(4, header.started_at.epoch_ms())
        .bind(5, header.host)
        .bind(6, header.user)
        .bind(7, header.chase_version)
        .bind(8, header.pid)
        .bind(9, header.pid_start_ticks)
        .bind(10, header.boot_id)
        .bind(11, header.intensity_source)
        .bind(12, header.intensity_basis);
    insert.run();
    id = db_.last_insert_id();
    SqliteStatement context(db_, "INSERT INTO run_context (run_id, name, value) VALUES (?, ?, ?)");
    for (const auto& [name, value] : header.context) {
      context.bind(1, id).bind(2, name).bind(3, value).run();
      context.reset();
    }
    SqliteStatement device(db_,
                           "INSERT INTO run_devices (run_id, device_index, device_id, name, uuid, backend, metering, "
                           "reason, estimated, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const RunDevice& d : devices) {
      device.bind(1, id)
          .bind(2, static_cast<std::int64_t>(d.index))
          .bind(3, d.device_id)
          .bind(4, d.name)
          .bind(5, d.uuid)
          .bind(6, d.backend)
          .bind(7, d.metering)
          .bind(8, d.reason)
          .bind(9, static_cast<std::int64_t>(d.estimated))
          .bind(10, d.rank ? std::optional<std::int64_t>(*d.rank) : std::nullopt);
      device.run();
      device.reset();
    }
  });
  return id;
}

void RunStore::append(RunId id, const std::vector<PowerSample>& samples, const std::vector<PricedStep>& steps,
                      const std::vector<RecordedDecision>& decisions, UtcTime heartbeat) {
  db_.transaction([&] {
    SqliteStatement sample(db_,
                           "INSERT INTO power_samples (run_id, device_index, at_ms, energy_j, power_w) "
                           "VALUES (?, ?, ?, ?, ?)");
    for (const PowerSample& s : samples) {
      sample.bind(1, id)
          .bind(2, static_cast<std::int64_t>(s.device_index))
          .bind(3, s.at.epoch_ms())
          .bind(4, s.energy.joules())
          .bind(5, s.power ? std::optional<double>(s.power->watts()) : std::nullopt);
      sample.run();
      sample.reset();
    }
    insert_steps(db_, id, steps);
    SqliteStatement decision(db_,
                             "INSERT OR REPLACE INTO decisions (run_id, frame, from_ms, until_ms, limit_w, "
                             "predicted_g_per_kwh, actual_g_per_kwh, source, fallback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const RecordedDecision& d : decisions) {
      decision.bind(1, id)
          .bind(2, static_cast<std::int64_t>(d.frame))
          .bind(3, d.from.epoch_ms())
          .bind(4, d.until.epoch_ms())
          .bind(5, d.limit.watts())
          .bind(6, d.predicted.g_per_kwh())
          .bind(7, d.actual ? std::optional<double>(d.actual->g_per_kwh()) : std::nullopt)
          .bind(8, d.source)
          .bind(9, static_cast<std::int64_t>(d.fallback));
      decision.run();
      decision.reset();
    }
    SqliteStatement beat(db_, "UPDATE runs SET heartbeat_ms = MAX(heartbeat_ms, ?) WHERE id = ?");
    beat.bind(1, heartbeat.epoch_ms()).bind(2, id).run();
  });
}

void RunStore::set_profile(RunId id, const std::vector<RunProfilePoint>& profile) {
  db_.transaction([&] {
    SqliteStatement clear(db_, "DELETE FROM profile_points WHERE run_id = ?");
    clear.bind(1, id).run();
    SqliteStatement insert(db_,
                           "INSERT OR REPLACE INTO profile_points (run_id, limit_w, time_s, energy_j) "
                           "VALUES (?, ?, ?, ?)");
    for (const RunProfilePoint& p : profile) {
      insert.bind(1, id).bind(2, p.limit.watts()).bind(3, p.time_per_unit.seconds()).bind(4, p.energy_per_unit.joules()).run();
      insert.reset();
    }
  });
}

void RunStore::finish(RunId id, const RunEnd& end, const std::vector<RunDevice>& devices,
                      const std::vector<PricedStep>& steps) {
  db_.transaction([&] {
    SqliteStatement update(db_,
                           "UPDATE runs SET ended_ms = ?, heartbeat_ms = MAX(heartbeat_ms, ?), status = ?, exit_code = ?, "
                           "time_s = ?, energy_j = ?, carbon_g = ?, note = ? WHERE id = ?");
    update.bind(1, end.ended_at.epoch_ms())
        .bind(2, end.ended_at.epoch_ms())
        .bind(3, std::string(to_string(end.status)))
        .bind(4, end.exit_code ? std::optional<std::int64_t>(*end.exit_code) : std::nullopt)
        .bind(5, end.time.seconds())
        .bind(6, end.energy.joules())
        .bind(7, grams_of(end.carbon))
        .bind(8, end.note)
        .bind(9, id);
    update.run();
    SqliteStatement device(db_, "UPDATE run_devices SET energy_j = ?, carbon_g = ? WHERE run_id = ? AND device_index = ?");
    for (const RunDevice& d : devices) {
      device.bind(1, joules_of(d.energy)).bind(2, grams_of(d.carbon)).bind(3, id).bind(4, static_cast<std::int64_t>(d.index));
      device.run();
      device.reset();
    }
    if (!steps.empty()) {
      SqliteStatement clear(db_, "DELETE FROM intensity_steps WHERE run_id = ?");
      clear.bind(1, id).run();
      insert_steps(db_, id, steps);
    }
  });
}

StoredRun RunStore::read_run(const SqliteStatement& row) const {
  StoredRun r;
  r.id = row.integer(0);
  r.header.kind = row.text(1);
  try {
    r.header.command = nlohmann::json::parse(row.text(2)).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw Error(db_.describe(fmt::format("run {}: command_json is not a list of strings", r.id)));
  }
  r.header.started_at = UtcTime::from_epoch_ms(row.integer(3));
  r.last_heartbeat = UtcTime::from_epoch_ms(row.integer(4));
  if (auto ended = row.optional_integer(5)) r.ended_at = UtcTime::from_epoch_ms(*ended);
  const auto status = parse_run_status(row.text(6));
  if (!status) throw Error(db_.describe(fmt::format("run {}: unknown status '{}'", r.id, row.text(6))));
  r.status = *status;
  if (auto code = row.optional_integer(7)) r.exit_code = static_cast<int>(*code);
  r.header.host = row.text(8);
  r.header.user = row.text(9);
  r.header.chase_version = row.text(10);
  r.header.pid = row.integer(11);
  r.header.pid_start_ticks = row.integer(12);
  r.header.boot_id = row.text(13);
  r.header.intensity_source = row.optional_text(14);
  const auto time_s = row.optional_real(15);
  r.time = time_s ? Duration::seconds(*time_s) : (r.ended_at.value_or(r.last_heartbeat) - r.header.started_at);
  if (auto e = row.optional_real(16)) r.energy = Energy::joules(*e);
  r.carbon = grams(row.optional_real(17));
  r.note = row.optional_text(18);
  r.header.intensity_basis = row.optional_text(19);
  r.totals_from_samples = !row.optional_real(16).has_value();
  return r;
}

void RunStore::load_details(StoredRun& run) const {
  {
    SqliteStatement q(db_, "SELECT name, value FROM run_context WHERE run_id = ? ORDER BY name");
    q.bind(1, run.id);
    while (q.step()) run.header.context[q.text(0)] = q.text(1);
  }
  {
    SqliteStatement q(db_,
                      "SELECT device_index, device_id, name, uuid, backend, metering, reason, estimated, energy_j, carbon_g, rank "
                      "FROM run_devices WHERE run_id = ? ORDER BY device_index");
    q.bind(1, run.id);
    while (q.step()) {
      RunDevice d;
      d.index = static_cast<int>(q.integer(0));
      d.device_id = q.text(1);
      d.name = q.text(2);
      d.uuid = q.text(3);
      d.backend = q.text(4);
      d.metering = q.text(5);
      d.reason = q.text(6);
      d.estimated = q.integer(7) != 0;
      if (auto e = q.optional_real(8)) d.energy = Energy::joules(*e);
      d.carbon = grams(q.optional_real(9));
      if (auto rank = q.optional_integer(10)) d.rank = static_cast<int>(*rank);
      run.devices.push_back(std::move(d));
    }
  }
  {
    SqliteStatement q(db_,
                      "SELECT limit_w, time_s, energy_j FROM profile_points WHERE run_id = ? ORDER BY limit_w");
    q.bind(1, run.id);
    while (q.step()) {
      run.profile.push_back(RunProfilePoint{Power::watts(q.real(0)), Duration::seconds(q.real(1)), Energy::joules(q.real(2))});
    }
  }
  auto count = [&](const char* table) {
    SqliteStatement q(db_, fmt::format("SELECT COUNT(*) FROM {} WHERE run_id = ?", table));
    q.bind(1, run.id);
    return q.step() ? static_cast<std::size_t>(q.integer(0)) : std::size_t{0};
  };
  {
    SqliteStatement q(db_,
                      "SELECT source, MAX(fallback), SUM(energy_j), COUNT(energy_j) FROM intensity_steps WHERE run_id = ? "
                      "GROUP BY source ORDER BY SUM(energy_j) DESC, source");
    q.bind(1, run.id);
    while (q.step()) {
      StepSourceShare share{q.text(0), q.integer(1) != 0, std::nullopt};
      if (q.integer(3) > 0) share.energy = Energy::joules(q.real(2));
      run.step_sources.push_back(std::move(share));
    }
  }
  run.sample_count = count("power_samples");
  run.step_count = count("intensity_steps");
  run.decision_count = count("decisions");

  if (run.totals_from_samples) {
    // The run did not end: its totals are what it recorded.
    const RecordedTotals totals = totals_from_samples(samples(run.id), steps(run.id), static_cast<int>(run.devices.size()));
    run.energy = totals.energy;
    if (run.header.intensity_source) run.carbon = totals.carbon;
    for (RunDevice& d : run.devices) {
      const auto i = static_cast<std::size_t>(d.index);
      if (i < totals.device_energy.size()) d.energy = totals.device_energy[i];
      if (run.header.intensity_source && i < totals.device_carbon.size()) d.carbon = totals.device_carbon[i];
    }
  }
}

std::size_t RunStore::reconcile(UtcTime now) {
  std::vector<std::pair<RunId, std::int64_t>> dead;  // id, heartbeat
  {
    SqliteStatement q(db_, fmt::format("SELECT {} FROM runs WHERE status = 'running'", kRunColumns));
    while (q.step()) {
      const StoredRun r = read_run(q);
      const bool same_host = r.header.host == this_host_;
      const bool alive = same_host ? (!liveness_ || liveness_(r.header))
                                   : (now - r.last_heartbeat) < kForeignHeartbeatTimeout;
      if (!alive) dead.emplace_back(r.id, r.last_heartbeat.epoch_ms());
    }
  }
  if (dead.empty()) return 0;
  db_.transaction([&] {
    SqliteStatement mark(db_,
                         "UPDATE runs SET status = 'interrupted', ended_ms = ?, note = COALESCE(note, ?) "
                         "WHERE id = ? AND status = 'running'");
    for (const auto& [id, heartbeat] : dead) {
      mark.bind(1, heartbeat)
          .bind(2, std::string("chase stopped before the run ended (killed, or the machine went down); "
                               "totals are what was recorded up to its last write"))
          .bind(3, id)
          .run();
      mark.reset();
    }
  });
  return dead.size();
}

std::vector<StoredRun> RunStore::list(const RunListFilter& filter) {
  reconcile(UtcTime::from_epoch_seconds(static_cast<double>(::time(nullptr))));
  std::string sql = fmt::format("SELECT {} FROM runs", kRunColumns);
  if (filter.since) sql += " WHERE started_ms >= ?";
  sql += " ORDER BY id DESC";
  if (filter.limit) sql += fmt::format(" LIMIT {}", *filter.limit);
  SqliteStatement q(db_, sql);
  if (filter.since) q.bind(1, filter.since->epoch_ms());
  std::vector<StoredRun> out;
  while (q.step()) out.push_back(read_run(q));
  for (StoredRun& r : out) load_details(r);
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<StoredRun> RunStore::find(RunId id) {
  reconcile(UtcTime::from_epoch_seconds(static_cast<double>(::time(nullptr))));
  SqliteStatement q(db_, fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns));
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  StoredRun r = read_run(q);
  load_details(r);
  return r;
}

std::vector<PowerSample> RunStore::samples(RunId id) const {
  SqliteStatement q(db_,
                    "SELECT device_index, at_ms, energy_j, power_w FROM power_samples WHERE run_id = ? "
                    "ORDER BY at_ms, device_index");
  q.bind(1, id);
  std::vector<PowerSample> out;
  while (q.step()) {
    PowerSample s;
    s.device_index = static_cast<int>(q.integer(0));
    s.at = UtcTime::from_epoch_ms(q.integer(1));
    s.energy = Energy::joules(q.real(2));
    if (auto p = q.optional_real(3)) s.power = Power::watts(*p);
    out.push_back(s);
  }
  return out;
}

std::vector<PricedStep> RunStore::steps(RunId id) const {
  SqliteStatement q(db_,
                    "SELECT from_ms, until_ms, intensity_g_per_kwh, source, fallback, age_s, energy_j, carbon_g "
                    "FROM intensity_steps WHERE run_id = ? ORDER BY from_ms");
  q.bind(1, id);
  std::vector<PricedStep> out;
  while (q.step()) {
    PricedStep s;
    s.from = UtcTime::from_epoch_ms(q.integer(0));
    s.until = UtcTime::from_epoch_ms(q.integer(1));
    s.intensity = CarbonIntensity::g_per_kwh(q.real(2));
    s.source = q.text(3);
    s.fallback = q.integer(4) != 0;
    if (auto age = q.optional_real(5)) s.age = Duration::seconds(*age);
    if (auto e = q.optional_real(6)) s.energy = Energy::joules(*e);
    s.carbon = grams(q.optional_real(7));
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<RecordedDecision> RunStore::decisions(RunId id) const {
  SqliteStatement q(db_,
                    "SELECT frame, from_ms, until_ms, limit_w, predicted_g_per_kwh, actual_g_per_kwh, source, fallback "
                    "FROM decisions WHERE run_id = ? ORDER BY frame");
  q.bind(1, id);
  std::vector<RecordedDecision> out;
  while (q.step()) {
    RecordedDecision d;
    d.frame = static_cast<int>(q.integer(0));
    d.from = UtcTime::from_epoch_ms(q.integer(1));
    d.until = UtcTime::from_epoch_ms(q.integer(2));
    d.limit = Power::watts(q.real(3));
    d.predicted = CarbonIntensity::g_per_kwh(q.real(4));
    if (auto a = q.optional_real(5)) d.actual = CarbonIntensity::g_per_kwh(*a);
    d.source = q.text(6);
    d.fallback = q.integer(7) != 0;
    out.push_back(std::move(d));
  }
  return out;
}

bool RunStore::remove(RunId id) {
  reconcile(UtcTime::from_epoch_seconds(static_cast<double>(::time(nullptr))));
  {
    SqliteStatement q(db_, "SELECT status, host, pid FROM runs WHERE id = ?");
    q.bind(1, id);
    if (q.step() && q.text(0) == "running") {
      // Its recorder would go on writing rows for a run that no longer exists.
      throw InputError(fmt::format("run {} is still running (chase pid {} on {}); delete it once it has ended", id,
                                   q.integer(2), q.text(1)));
    }
  }
  bool removed = false;
  db_.transaction([&] {
    SqliteStatement q(db_, "DELETE FROM runs WHERE id = ?");
    q.bind(1, id).run();
    removed = db_.changes() > 0;
  });
  return removed;
}

}  // namespace chase
