#include "control/chase_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace chase {
namespace {

// A day of history holds one of each hour: the shape the rest of the job is likely to follow.
constexpr double kDayS = 24.0 * 3600.0;
// How fast today's departure from yesterday fades into the future. Chosen by walk-forward runs
// on gb-2020 and fr-2020 (flat between 8 and 24 h) and checked on ercot-2022 and bpa-2022.
constexpr double kAnomalyFadeS = 12.0 * 3600.0;
// How much of the repeated day's departure from the current forecast the future really shows.
// Yesterday's shape overstates how far the rest of the job moves away from now on weather-driven
// grids: regressing the realised departure (value at lead h − forecast now) on the repeated
// day's (scenario at h − forecast now), least squares through the origin on a 30-minute grid,
// starts every 1.5 h (scripts/departure_shrink.py), gives slopes of 0.62–0.70 on gb-2020,
// 0.45–0.49 on fr-2020, 0.39–0.55 on ercot-2022 and 0.71–0.78 on bpa-2022, about the same at
// every lead from 0 to 24 h. A grid ruled by a repeating daily cycle has a slope near 1, and
// there shrinking costs: 0.6 lost 0.64 pp against the equal-slowdown peer on a pure daily sine
// (v100-bert-base) and 9 points of runs within 0.05 pp on a noisy solar-like trace. 0.8 keeps
// most of the gain on the real grids (peer within 0.05 pp: 78.5 % unshrunk, 79.6 % at 0.8,
// 79.9 % at 0.6), costs 0.19 pp on the pure sine and nothing measurable on the solar-like trace
// (BENCHMARKS.md, "A peer at equal slowdown").
constexpr double kDepartureShrink = 0.8;
// The premium on the price of work at the start of the job (none at its end). Measured like the
// fade: 3 % costs at most 0.015 pp of mean saving anywhere and keeps chase from spending a tight
// budget on bets that a single limit would not have needed (a40-resnet50 at +5 %).
constexpr double kEarlyPremium = 0.03;

// The finest grain of the history the scenario is built from. Frames shorter than this (a
// sub-minute --frame-minutes) pool into entries about this long: the scenario needs no finer
// grain (see fade_after), and a day of 1-second frames would otherwise be 86,400 entries sorted
// at every frame, quadratic in the job's length. Frames of a minute or more are kept as they
// are, so 5-minute results are unchanged.
constexpr double kFinestHistoryS = 60.0;

// Relative slack on the time left to the deadline, for rounding in sums of work and time: a job
// whose budget is exactly one limit's slowdown needs exactly that limit's rate, and must not
// read a rounding error as "a little faster" and run a frame at a faster limit. 1e-9 of the time
// left is 86 µs in a day, far inside the benchmark's 1e-7 of the job.
constexpr double kArithmeticSlack = 1e-9;

// exp(−t / kAnomalyFadeS) on a one-minute grid over two days: the scenario needs ~100 of these
// per frame, and a minute is nothing against a 12-hour fade.
double fade_after(double seconds) {
  static const std::vector<double> table = [] {
    std::vector<double> t(2 * 24 * 60 + 1);
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = std::exp(-60.0 * static_cast<double>(i) / kAnomalyFadeS);
    return t;
  }();
  const double minutes = std::clamp(seconds / 60.0 + 0.5, 0.0, static_cast<double>(table.size() - 1));
  return table[static_cast<std::size_t>(minutes)];
}

}  // namespace

PolicyEntry chase_policy_entry() {
  return {.name = "chase", .description = "Chase (Yang et al. 2023): per frame, the limit with the least carbon-aware cost at "
                                          "the forecast intensity, within the slowdown budget",
          .is_default = true, .in_default_benchmark = true, .parameters = {positive_eta_parameter()},
          .make = [](const PolicyOptions& o) { return std::make_unique<ChasePolicy>(o.parameters.at("eta")); }};
}

PolicyEntry chase_open_loop_policy_entry() {
  return {.name = "chase-open-loop",
          .description = "Chase believing its profile exactly: work counted from the profile's rates, not measured "
                         "(what chase did before it closed the loop)",
          .parameters = {positive_eta_parameter()},
          .make = [](const PolicyOptions& o) {
            return std::make_unique<ChasePolicy>(o.parameters.at("eta"), ChasePolicy::Loop::kOpen);
          }};
}

ChasePolicy::ChasePolicy(double eta, Loop loop) : eta_(eta), loop_(loop) {
  if (!(eta > 0 && eta <= 1)) throw InputError(fmt::format("chase: eta {} must be within (0, 1]", eta));
}

void ChasePolicy::begin(const PolicyJob& job) {
  job_ = job;
  last_budget_value_g_ = 0;
  choices_ = job.points->efficient_only();
  modelled_done_units_ = 0;
  model_.reset();
  if (loop_ == Loop::kClosed) {
    // A job stated in measured units and hours at the maximum limit states its rate there.
    std::optional<double> max_rate;
    if (job.total_work_units && job.work_at_max.seconds() > 0) max_rate = *job.total_work_units / job.work_at_max.seconds();
    model_.emplace(*job.points, job.start, job.work_at_max, max_rate);
    if (model_->departed()) refresh_choices();
  }
}

void ChasePolicy::refresh_choices() {
  // Only a measured limit may rule another out: a row nobody ran is a promise.
  const OnlineJobModel& model = *model_;
  choices_ = model.points_now().efficient_only([&model](Power limit) { return model.known(limit); });
}

void ChasePolicy::measured(const FrameMeasurement& frame) {
  if (!model_) {
    // Open loop: the profile says what the frame did.
    modelled_done_units_ += job_.points->at(frame.limit).rate_per_s * (frame.until - frame.from).seconds();
    return;
  }
  const bool departed = model_->departed();
  model_->add(frame);
  if (departed || model_->departed()) refresh_choices();
}

std::optional<double> ChasePolicy::deadline_after_start_s() const {
  // The budget is against the same job at the maximum limit, which slows down with it.
  PolicyJob moved = job_;
  if (model_) moved.work_at_max = model_->baseline_end() - job_.start;
  const auto allowed = moved.allowed_time();
  return allowed ? std::optional<double>(allowed->seconds()) : std::nullopt;
}

void ChasePolicy::observe(UtcTime from, UtcTime until, CarbonIntensity actual) {
  if (!(from < until)) return;
  const double value = actual.g_per_kwh();
  const double from_s = from.epoch_seconds();
  const double until_s = until.epoch_seconds();
  Observed* last = history_.empty() || history_.back().until_s != from_s ? nullptr : &history_.back();
  if (last != nullptr && last->intensity_g_per_kwh == value) {
    // Runs of equal values (a 30-minute trace seen in 5-minute frames) are one entry.
    last->until_s = until_s;
  } else if (last != nullptr && last->until_s - last->from_s < kFinestHistoryS) {
    // Sub-minute frames pool into entries of about a minute (time-weighted).
    const double before_s = last->until_s - last->from_s;
    const double added_s = until_s - from_s;
    last->intensity_g_per_kwh = (last->intensity_g_per_kwh * before_s + value * added_s) / (before_s + added_s);
    last->until_s = until_s;
  } else {
    history_.push_back({from_s, until_s, value});
  }
  const double oldest_s = until_s - kDayS;
  while (!history_.empty() && history_.front().until_s <= oldest_s) history_.pop_front();
  if (!history_.empty() && history_.front().from_s < oldest_s) history_.front().from_s = oldest_s;
}

double ChasePolicy::reference_intensity(double fallback_g_per_kwh) const {
  double weighted = 0;
  double weight = 0;
  for (const Observed& h : history_) {
    const double s = h.until_s - h.from_s;
    weighted += s * h.intensity_g_per_kwh;
    weight += s;
  }
  return weight > 0 ? weighted / weight : fallback_g_per_kwh;
}

void ChasePolicy::build_scenario(UtcTime now, double predicted_g_per_kwh, double horizon_s) {
  scenario_points_.clear();
  if (!history_.empty()) {
    const double now_s = now.epoch_seconds();
    // Today's departure from yesterday: the forecast for now against the value a day ago.
    double yesterday = history_.front().intensity_g_per_kwh;
    for (const Observed& h : history_) {
      if (h.from_s > now_s - kDayS) break;
      yesterday = h.intensity_g_per_kwh;
    }
    const double anomaly = predicted_g_per_kwh - yesterday;
    // Each past run repeats a day later (and two days later for jobs longer than a day).
    for (int days = 1; days <= 2; ++days) {
      const double shift_s = days * kDayS - now_s;
      for (const Observed& h : history_) {
        const double from_s = std::max(0.0, h.from_s + shift_s);
        if (from_s >= horizon_s) break;
        const double until_s = std::min(horizon_s, h.until_s + shift_s);
        if (!(until_s > from_s)) continue;
        const double fade = fade_after(0.5 * (from_s + until_s));
        const double repeated = h.intensity_g_per_kwh + anomaly * fade;
        const double expected = predicted_g_per_kwh + kDepartureShrink * (repeated - predicted_g_per_kwh);
        scenario_points_.push_back({std::max(0.0, expected), until_s - from_s});
      }
    }
  }
  // Nothing seen yet: the forecast is all there is to go on.
  if (scenario_points_.empty()) scenario_points_.push_back({predicted_g_per_kwh, 1.0});
  std::sort(scenario_points_.begin(), scenario_points_.end(),
            [](const ScenarioPoint& a, const ScenarioPoint& b) { return a.intensity_g_per_kwh < b.intensity_g_per_kwh; });
  scenario_intensity_.clear();
  scenario_weight_below_.assign(1, 0.0);
  for (const ScenarioPoint& p : scenario_points_) {
    scenario_intensity_.push_back(p.intensity_g_per_kwh);
    scenario_weight_below_.push_back(scenario_weight_below_.back() + p.weight_s);
  }
}

double ChasePolicy::expected_rate(double work_value_g) const {
  // A frame of intensity c runs at frontier point j or faster when c ≤ v·3.6e6 / marginal[j],
  // so the expected rate is the slowest rate plus each step's gain times the share of the
  // scenario clean enough to take it.
  const auto& frontier = choices_->frontier();
  const auto& marginal = choices_->marginal_energy_j_per_unit();
  const double total = scenario_weight_below_.back();
  double rate = frontier.back().rate_per_s;
  for (std::size_t j = 0; j < marginal.size(); ++j) {
    const double threshold = work_value_g * kJoulesPerKwh / marginal[j];
    const auto below = std::upper_bound(scenario_intensity_.begin(), scenario_intensity_.end(), threshold);
    const double share = scenario_weight_below_[static_cast<std::size_t>(below - scenario_intensity_.begin())] / total;
    rate += (frontier[j].rate_per_s - frontier[j + 1].rate_per_s) * share;
  }
  return rate;
}

double ChasePolicy::budget_work_value(double remaining_units, double time_left_s) {
  const auto& frontier = choices_->frontier();
  const auto& marginal = choices_->marginal_energy_j_per_unit();
  const double needed_rate = remaining_units / time_left_s;
  if (marginal.empty() || needed_rate <= frontier.back().rate_per_s) return 0.0;
  if (needed_rate >= frontier.front().rate_per_s) return std::numeric_limits<double>::infinity();
  // expected_rate is a non-decreasing step function of the price: bisect (geometrically) for
  // the least price that makes the work fit. The price moves little from frame to frame, so
  // start around the last one and widen until it brackets. A relative precision of 1e-3 moves
  // a threshold by 0.1 % of an intensity, far below what a forecast knows.
  const double cleanest = std::max(scenario_intensity_.front(), 1e-3);
  const double dirtiest = std::max(scenario_intensity_.back(), cleanest);
  const double lowest = cleanest * marginal.back() / kJoulesPerKwh * 0.5;
  const double highest = dirtiest * marginal.front() / kJoulesPerKwh * 2.0;
  // Inputs are bounded (plausible intensities, profiles' powers), but a price range that is not
  // a finite positive interval would never narrow: treat it as "no price fits" (run fastest).
  if (!(lowest > 0) || !std::isfinite(highest)) return std::numeric_limits<double>::infinity();
  if (expected_rate(highest) < needed_rate) return std::numeric_limits<double>::infinity();
  double low = lowest;
  double high = highest;
  if (last_budget_value_g_ > lowest && last_budget_value_g_ < highest) {
    low = std::max(lowest, last_budget_value_g_ / 1.25);
    high = std::min(highest, last_budget_value_g_ * 1.25);
    while (high < highest && expected_rate(high) < needed_rate) {
      low = high;
      high = std::min(highest, high * 2);
    }
    while (low > lowest && expected_rate(low) >= needed_rate) {
      high = low;
      low = std::max(lowest, low / 2);
    }
  }
  // Geometric bisection over any finite range of doubles reaches 1e-3 in at most ~20 halvings
  // (log2(ln(1e308/1e-308) / ln 1.001)); the cap only stops a NaN from looping.
  constexpr int kMaxBisections = 64;
  for (int i = 0; i < kMaxBisections && high > low * (1 + 1e-3); ++i) {
    const double mid = std::sqrt(low * high);
    if (expected_rate(mid) >= needed_rate) {
      high = mid;
    } else {
      low = mid;
    }
  }
  last_budget_value_g_ = high;
  return middle_of_step(high);
}

double ChasePolicy::middle_of_step(double least_g) const {
  // Every price from least_g up to the next scenario intensity that would flip a frame faster
  // plans the same: the scenario pins the price to that range only. Its middle keeps an actual
  // frame a little off the scenario from flipping either way.
  const auto& marginal = choices_->marginal_energy_j_per_unit();
  double upper_g = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < marginal.size(); ++j) {
    const double threshold = least_g * kJoulesPerKwh / marginal[j];
    const auto above = std::upper_bound(scenario_intensity_.begin(), scenario_intensity_.end(), threshold);
    if (above != scenario_intensity_.end()) upper_g = std::min(upper_g, *above * marginal[j] / kJoulesPerKwh);
  }
  if (!std::isfinite(upper_g) || !(upper_g > least_g)) return least_g;
  return std::sqrt(least_g * upper_g);
}

Power ChasePolicy::decide(const FrameContext& frame) {
  const OperatingPoints& points = *choices_;
  const double total = model_ ? job_.work_units() : job_.modelled_work_units();
  const double remaining = total - (model_ ? frame.work_done_units : modelled_done_units_);
  if (!(remaining > 0)) return points.most_efficient().limit;
  const double predicted = frame.predicted.g_per_kwh();
  double frame_s = (frame.until - frame.from).seconds();
  const double reference = reference_intensity(predicted);
  const auto deadline_s = deadline_after_start_s();
  // What the guard counts on to catch up: in the closed loop, a rate that was measured.
  const OperatingPoint& fastest = model_ ? model_->fastest_known() : points.fastest();

  double work_value_g = 0;
  double time_left_s = std::numeric_limits<double>::infinity();
  if (!deadline_s) {
    work_value_g = (1.0 - eta_) / eta_ * reference * points.max_limit().energy_per_unit.joules() / kJoulesPerKwh;
  } else {
    time_left_s = (*deadline_s - (frame.from - job_.start).seconds()) * (1 + kArithmeticSlack);
    if (!(time_left_s > 0)) return fastest.limit;
    frame_s = std::min(frame_s, time_left_s);
    build_scenario(frame.from, predicted, time_left_s);
    const double floor_g = reference * points.most_efficient().energy_per_unit.joules() / kJoulesPerKwh;
    // Slowing down commits budget that cannot be had back, while the scenario behind the price
    // is least reliable early on: value work slightly higher while much of it is left.
    const double left_share = std::clamp(remaining / total, 0.0, 1.0);
    work_value_g = std::max(floor_g, budget_work_value(remaining, time_left_s) * (1 + kEarlyPremium * left_share));
  }
  last_work_value_g_ = work_value_g;
  if (std::isinf(work_value_g)) return fastest.limit;

  // The frame's cost: its carbon minus the value of its work; a limit that finishes the job
  // inside the frame only pays for the time it runs.
  const double fastest_rate = fastest.rate_per_s;
  const OperatingPoint* best = nullptr;
  double best_cost = std::numeric_limits<double>::infinity();
  // Guard: whatever is left after this frame must still fit by the deadline at full speed. A
  // limit whose rate was never measured may promise work the job will not do: count on part of
  // it only.
  // Time kept for a stall like the longest seen, which may come just before the deadline.
  const double reserve_s = model_ ? model_->stall_reserve().seconds() : 0.0;
  const auto guard_allows = [&](const OperatingPoint& p) {
    if (!deadline_s) return true;
    const double finish_s = remaining / p.rate_per_s;
    const bool known = !model_ || model_->known(p.limit);
    // Compared as times: rate × (remaining ÷ rate) can come out an ulp short of remaining.
    if (known && finish_s <= frame_s) return true;
    const double work = p.rate_per_s * std::min(frame_s, finish_s);
    const double counted = known ? work : work * OnlineJobModel::kUnknownRateShare;
    return counted >= remaining || remaining - counted <= (time_left_s - frame_s - reserve_s) * fastest_rate;
  };
  // Closed loop, once the job has shown it is not its profile: a limit on the frontier that was
  // never run is run once, while the guard allows, so that the price and the guard both come to
  // rest on measured rates (a price that counts on an untried limit, with a guard that does
  // not, slows down cheaply early and catches up expensively at the maximum limit late).
  if (model_ && model_->departed() && model_->measures_work()) {
    for (const OperatingPoint& p : points.frontier()) {
      if (!model_->tried(p.limit) && guard_allows(p)) return p.limit;
    }
  }
  for (const OperatingPoint& p : points.all()) {
    const double run_s = std::min(frame_s, remaining / p.rate_per_s);
    const double work = p.rate_per_s * run_s;
    if (!guard_allows(p)) continue;
    const double cost = predicted * p.power.watts() * run_s / kJoulesPerKwh - work_value_g * work;
    if (cost < best_cost) {
      best_cost = cost;
      best = &p;
    }
  }
  return best ? best->limit : fastest.limit;
}

}  // namespace chase
