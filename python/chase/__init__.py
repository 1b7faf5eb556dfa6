"""chase: measure, forecast and cut the carbon footprint of DNN training.

The Python face of the chase C++ library (the same code as the ``chase`` command):

* devices and metering: :func:`discover`, :class:`Device`, :class:`Monitor` (Zeus-style
  ``begin_window(name)`` / ``end_window(name)`` → :class:`Measurement`);
* grid carbon intensity: :class:`TraceSource`, :class:`RegionSource`, :class:`LiveSource`,
  :func:`intensity`, :func:`regions`;
* forecasting: :func:`forecasters`, :func:`forecast`, :func:`backtest`;
* accounting (Patterson et al. 2021): :func:`estimate`, :func:`estimate_preset`, :func:`compare`;
* simulation (Chase, Yang et al. 2023): :func:`simulate`;
* the run store: :class:`track` (``with chase.track(region=...) as run:`` or ``@chase.track(...)``);
* training loops: ``chase.torch.PowerLimitController`` (``import chase.torch``; PyTorch and
  torch.distributed).

Units are in the names: ``energy_j`` (J), ``power_w`` (W), ``time_s`` (s), ``carbon_g`` (gCO2e),
``intensity_g_per_kwh`` (gCO2e/kWh). Times are timezone-aware ``datetime`` in UTC; a naive
``datetime`` given to chase is taken as UTC, and an ISO 8601 string with a zone is accepted too.

Bad input raises ``ValueError`` with the library's one-line message; other failures raise
:class:`ChaseError` or one of its kinds (:class:`HardwareError`, :class:`ChasePermissionError`,
:class:`NetworkError`).
"""

from ._chase import (
    BackendReport,
    ChaseError,
    ChasePermissionError,
    Device,
    DeviceEntry,
    DeviceMeasurement,
    Devices,
    Estimate,
    Forecast,
    ForecastFrame,
    HardwareError,
    IntensityReading,
    IntensitySource,
    LiveSource,
    Measurement,
    Monitor,
    NetworkError,
    PolicyRun,
    RegionSource,
    Segment,
    SimulationResult,
    TraceSource,
    TrackedResult,
    TrainingResult,
    WhatIf,
    WhatIfRow,
    __version__,
    backtest,
    compare,
    default_forecaster,
    discover,
    estimate,
    estimate_preset,
    forecast,
    forecasters,
    intensity,
    policies,
    presets,
    region,
    regions,
    simulate,
)
from .tracking import Run, track

__all__ = [
    "BackendReport",
    "ChaseError",
    "ChasePermissionError",
    "Device",
    "DeviceEntry",
    "DeviceMeasurement",
    "Devices",
    "Estimate",
    "Forecast",
    "ForecastFrame",
    "HardwareError",
    "IntensityReading",
    "IntensitySource",
    "LiveSource",
    "Measurement",
    "Monitor",
    "NetworkError",
    "PolicyRun",
    "RegionSource",
    "Segment",
    "SimulationResult",
    "TraceSource",
    "WhatIf",
    "WhatIfRow",
    "__version__",
    "backtest",
    "compare",
    "default_forecaster",
    "discover",
    "estimate",
    "estimate_preset",
    "forecast",
    "forecasters",
    "intensity",
    "policies",
    "presets",
    "region",
    "regions",
    "simulate",
    "Run",
    "TrackedResult",
    "TrainingResult",
    "track",
]
