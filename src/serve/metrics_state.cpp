#include "serve/metrics_state.hpp"

namespace chase {

MetricsState::MetricsState(std::vector<std::shared_ptr<PowerDevice>> devices, bool priced) : devices_(std::move(devices)) {
  state_.priced = priced;
  for (const auto& d : devices_) {
    DeviceMetrics m;
    m.id = d->id();
    m.name = d->name();
    m.backend = d->backend();
    m.estimated = d->estimated();
    if (priced) m.carbon = Mass::grams(0);
    state_.devices.push_back(std::move(m));
  }
}

Sampler::Sink MetricsState::sink(Sampler::Sink next) {
  return [this, next = std::move(next)](const SamplerSample& sample) {
    {
      std::lock_guard lock(mutex_);
      const std::size_t n = std::min(sample.energy.size(), state_.devices.size());
      for (std::size_t i = 0; i < n; ++i) {
        DeviceMetrics& m = state_.devices[i];
        m.energy = sample.energy[i];
        if (i < sample.average_power.size() && sample.average_power[i]) m.power = sample.average_power[i];
        if (state_.priced && i < sample.carbon.size()) m.carbon = sample.carbon[i];
      }
      if (sample.intensity) state_.intensity = sample.intensity;
      ++state_.samples;
    }
    if (next) next(sample);
  };
}

ObservedFeed::Observer MetricsState::step_observer(ObservedFeed::Observer next) {
  return [this, next = std::move(next)](const IntensityStep& step, std::optional<Duration> age) {
    {
      std::lock_guard lock(mutex_);
      state_.intensity = step;
      state_.intensity_age = age;
    }
    if (next) next(step, age);
  };
}

MetricsSnapshot MetricsState::snapshot() const {
  MetricsSnapshot out;
  {
    std::lock_guard lock(mutex_);
    out = state_;
  }
  for (std::size_t i = 0; i < devices_.size() && i < out.devices.size(); ++i) {
    if (!devices_[i]->supports_power_limit()) continue;
    try {
      out.devices[i].power_limit = devices_[i]->power_limit();
    } catch (const std::exception&) {
      // Not served: a limit that cannot be read is no number.
    }
  }
  return out;
}

}  // namespace chase
