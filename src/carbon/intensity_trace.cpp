#include "carbon/intensity_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "carbon/intensity_bounds.hpp"
#include "core/csv.hpp"
#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"
#include "core/text_file.hpp"
#include "core/time_grid.hpp"
#include "core/time_stamp.hpp"

namespace chase {

IntensityTrace::IntensityTrace(std::string source, std::vector<IntensitySample> samples)
    : source_(std::move(source)), samples_(std::move(samples)) {
  if (samples_.empty()) throw InputError(fmt::format("{}: trace has no samples", source_));
  for (std::size_t i = 0; i < samples_.size(); ++i) {
    const double v = samples_[i].intensity.g_per_kwh();
    if (!plausible_intensity(v)) {
      throw InputError(fmt::format("{}: sample {} at {}: intensity {} gCO2e/kWh is not within [0, {}]", source_,
                                   i + 1, samples_[i].time.iso8601(), v, kMaxPlausibleIntensityGPerKwh));
    }
    if (i > 0 && samples_[i].time <= samples_[i - 1].time) {
      throw InputError(fmt::format("{}: sample {} at {} is not after the previous one ({})", source_, i + 1,
                                   samples_[i].time.iso8601(), samples_[i - 1].time.iso8601()));
    }
  }
}

IntensityTrace IntensityTrace::parse_csv(std::string_view text, std::string source) {
  const CsvTable table = CsvTable::parse(text, source);
  const std::size_t time_col = table.column("timestamp");
  const std::size_t value_col = table.column("intensity_g_per_kwh");
  std::vector<IntensitySample> samples;
  samples.reserve(table.rows().size());
  const CsvRow* previous = nullptr;
  const CsvRow* first_epoch = nullptr;  // the row that fixed the column's epoch unit
  TimeStampForm epoch_form = TimeStampForm::iso8601;
  for (const CsvRow& row : table.rows()) {
    const std::string& stamp = row.fields[time_col];
    const TimeStampReading reading = read_time_stamp(stamp, EpochNumbers::accepted);
    if (!reading.time) table.fail(row, time_stamp_problem(stamp, reading.problem));
    // Seconds and milliseconds are told apart by their digits; one column mixing them was
    // surely not written that way on purpose.
    if (reading.form != TimeStampForm::iso8601) {
      if (first_epoch == nullptr) {
        first_epoch = &row;
        epoch_form = reading.form;
      } else if (reading.form != epoch_form) {
        table.fail(row, time_stamp_problem(stamp, fmt::format("is {}, but line {}'s {} is {}", form_name(reading.form),
                                                              first_epoch->line,
                                                              quoted_excerpt(first_epoch->fields[time_col]),
                                                              form_name(epoch_form))));
      }
    }
    const UtcTime time = *reading.time;
    const double value = table.number(row, value_col);
    if (value < 0) {
      table.fail(row, fmt::format("column 'intensity_g_per_kwh': {} is negative: an intensity is at least 0 g/kWh",
                                  quoted_excerpt(row.fields[value_col])));
    }
    if (!plausible_intensity(value)) {
      table.fail(row, fmt::format("column 'intensity_g_per_kwh': {} is above {} gCO2e/kWh, more than any grid emits "
                                  "(a value in g/MWh?)",
                                  quoted_excerpt(row.fields[value_col]), kMaxPlausibleIntensityGPerKwh));
    }
    if (!samples.empty() && time <= samples.back().time) {
      const std::string earlier = quoted_excerpt(previous->fields[time_col]);
      table.fail(row, time_stamp_problem(
                          stamp, time == samples.back().time
                                     ? fmt::format("is the same instant as line {}'s {}: a duplicate row, or local "
                                                   "times repeated when daylight saving time ends?",
                                                   previous->line, earlier)
                                     : fmt::format("is before line {}'s {}: rows must be in time order", previous->line,
                                                   earlier)));
    }
    samples.push_back({time, CarbonIntensity::g_per_kwh(value)});
    previous = &row;
  }
  if (samples.empty()) throw ParseError(table.source(), "no data rows after the header");
  IntensityTrace trace(table.source(), std::move(samples));
  // The last sample holds until one step after it: that end too stays within 2200.
  checked_time(trace.end(), fmt::format("{}: the last sample's step", trace.source()));
  return trace;
}

IntensityTrace IntensityTrace::load(std::string_view path_or_bundled_name) {
  LoadedText text = load_data_argument(path_or_bundled_name, "traces", ".csv");
  return parse_csv(text.content, std::move(text.source));
}

Duration IntensityTrace::step(std::size_t i) const {
  if (samples_.size() == 1) return Duration::hours(1);  // a lone sample: assume hourly
  if (i + 1 < samples_.size()) return samples_[i + 1].time - samples_[i].time;
  return samples_[i].time - samples_[i - 1].time;
}

UtcTime IntensityTrace::end() const { return samples_.back().time + step(samples_.size() - 1); }

Duration IntensityTrace::typical_step() const {
  std::map<std::int64_t, std::size_t> counts;
  for (std::size_t i = 0; i + 1 < samples_.size(); ++i) {
    ++counts[samples_[i + 1].time.epoch_ms() - samples_[i].time.epoch_ms()];
  }
  if (counts.empty()) return step(0);
  const auto best = std::max_element(counts.begin(), counts.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  return Duration::milliseconds(static_cast<double>(best->first));
}

namespace {

// The most common of steps[from, to) (ties go to the shorter step); 0 when the range is empty.
std::int64_t mode_of(const std::vector<std::int64_t>& steps, std::size_t from, std::size_t to) {
  std::map<std::int64_t, int> counts;
  for (std::size_t i = from; i < to; ++i) ++counts[steps[i]];
  std::int64_t best = 0;
  int best_count = 0;
  for (const auto& [step, count] : counts) {
    if (count > best_count) {
      best = step;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

std::vector<TraceGap> IntensityTrace::gaps() const {
  // A step is a gap when it is clearly longer than the resolution on both sides of it. Taking
  // the coarser of the two sides keeps a change of resolution (gb: 30 -> 15 min) from counting.
  constexpr std::size_t kWindow = 4;
  std::vector<std::int64_t> steps;
  for (std::size_t i = 0; i + 1 < samples_.size(); ++i) {
    steps.push_back(samples_[i + 1].time.epoch_ms() - samples_[i].time.epoch_ms());
  }
  std::vector<TraceGap> found;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::int64_t before = mode_of(steps, i >= kWindow ? i - kWindow : 0, i);
    const std::int64_t after = mode_of(steps, i + 1, std::min(steps.size(), i + 1 + kWindow));
    const std::int64_t expected = std::max(before, after);
    if (expected > 0 && steps[i] * 2 > expected * 3) {
      found.push_back({samples_[i].time, samples_[i + 1].time, Duration::milliseconds(static_cast<double>(expected))});
    }
  }
  return found;
}

std::size_t IntensityTrace::index_at(UtcTime t) const {
  if (!covers(t)) {
    throw InputError(fmt::format("{}: {} is outside the trace ({} to {})", source_, t.iso8601(), start().iso8601(),
                                 end().iso8601()));
  }
  const auto it = std::upper_bound(samples_.begin(), samples_.end(), t,
                                   [](UtcTime value, const IntensitySample& s) { return value < s.time; });
  return static_cast<std::size_t>(std::distance(samples_.begin(), it)) - 1;
}

void IntensityTrace::for_each_segment(UtcTime from, UtcTime to,
                                      const std::function<void(UtcTime, UtcTime, CarbonIntensity)>& fn) const {
  if (!(from < to)) return;
  std::size_t i = index_at(from);
  if (to > end()) {
    throw InputError(fmt::format("{}: {} is outside the trace ({} to {})", source_, to.iso8601(), start().iso8601(),
                                 end().iso8601()));
  }
  UtcTime cursor = from;
  while (cursor < to) {
    const UtcTime piece_end = std::min(to, i + 1 < samples_.size() ? samples_[i + 1].time : end());
    fn(cursor, piece_end, samples_[i].intensity);
    cursor = piece_end;
    ++i;
  }
}

CarbonIntensity IntensityTrace::mean(UtcTime from, UtcTime to) const {
  double weighted = 0.0;
  for_each_segment(from, to, [&](UtcTime a, UtcTime b, CarbonIntensity ci) {
    weighted += ci.g_per_kwh() * (b - a).seconds();
  });
  const double span = (to - from).seconds();
  return CarbonIntensity::g_per_kwh(span > 0 ? weighted / span : at(from).g_per_kwh());
}

CarbonIntensity IntensityTrace::sample_mean() const {
  double sum = 0.0;
  for (const auto& s : samples_) sum += s.intensity.g_per_kwh();
  return CarbonIntensity::g_per_kwh(sum / static_cast<double>(samples_.size()));
}

IntensityTrace IntensityTrace::resample(Duration frame, UtcTime from) const {
  std::vector<IntensitySample> out;
  out.reserve(checked_grid_steps(from, end(), frame, kFrameGrid));
  for (UtcTime t = from; t + frame <= end(); t = t + frame) out.push_back({t, mean(t, t + frame)});
  if (out.empty()) {
    throw InputError(fmt::format("{}: no whole {} s frame between {} and {}", source_, frame.seconds(),
                                 from.iso8601(), end().iso8601()));
  }
  return IntensityTrace(fmt::format("{} (resampled to {} min)", source_, frame.minutes()), std::move(out));
}

}  // namespace chase
