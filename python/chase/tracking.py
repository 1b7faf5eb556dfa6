"""``chase.track``: meter a block of Python and record it in the run store.

The CodeCarbon-style convenience over the library's tracked run (``runs/tracked_run.hpp``)::

    with chase.track(region="DE", name="fine-tune") as run:
        train()
    print(run.result.energy_j, run.result.carbon_g, run.id)

    @chase.track(region="FR")
    def train(): ...

The run is recorded like ``chase measure`` records a command (``chase runs list`` shows it, kind
``track``): its devices, power samples, the intensity steps it was priced with, the totals, and
its status — ``completed``, ``failed`` (the block raised; the exception is the note) or
``interrupted`` (``KeyboardInterrupt``). Exceptions from the block always propagate.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, Optional, Sequence, TypeVar, Union

from . import _chase

F = TypeVar("F", bound=Callable[..., Any])


def resolve_source(source: Any = None, region: Optional[str] = None, year: Optional[int] = None) -> Any:
    """The intensity source from ``source`` (an IntensitySource or a number in gCO2e/kWh) or
    ``region`` (+ ``year``, a RegionSource); None when neither is given.

    Raises ValueError when both are given, or for an unknown region or year."""
    if source is not None and region is not None:
        raise ValueError("give source= or region=, not both")
    if region is not None:
        return _chase.RegionSource(region, year)
    if year is not None:
        raise ValueError("year= goes with region=")
    return source


def store_path(db: Any) -> Optional[str]:
    """The run store's path as the library takes it: None (the default place) or a non-empty
    path. Raises ValueError for an empty one."""
    if db is None:
        return None
    path = str(db)
    if not path:
        raise ValueError("db: an empty path (None: $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db)")
    return path


def resolve_devices(devices: Any = None) -> _chase.Devices:
    """``devices``: None (discover every device), a :class:`Devices` from :func:`discover`, or
    device ids/backends to keep (``["nvml"]``, ``["rapl:package-0"]``)."""
    if devices is None:
        return _chase.discover()
    if isinstance(devices, _chase.Devices):
        return devices
    if isinstance(devices, str):
        devices = [devices]
    return _chase.discover(devices=list(devices))


class Run:
    """A tracked run while it goes, and its result once the block ends.

    ``id`` (the run store's id, None when not recorded), ``db_path``, ``begin_window(name)`` /
    ``end_window(name)`` for named parts (→ :class:`Measurement`), and after the block
    ``result`` (:class:`TrackedResult`: ``time_s``, ``energy_j``, ``carbon_g``)."""

    def __init__(self, native: "_chase._TrackedRun"):
        self._native = native
        self.result: Optional[_chase.TrackedResult] = None

    @property
    def id(self) -> Optional[int]:
        return self._native.id

    @property
    def db_path(self) -> Optional[str]:
        return self._native.db_path

    def begin_window(self, name: str) -> None:
        self._native.begin_window(name)

    def end_window(self, name: str) -> _chase.Measurement:
        return self._native.end_window(name)

    def __repr__(self) -> str:
        return f"<chase.track.Run id={self.id} result={self.result!r}>"


def end_status(exc: Optional[BaseException]) -> tuple[str, Optional[str]]:
    """The run store's status and note for a block that ended with ``exc`` (None: normally)."""
    if exc is None:
        return "completed", None
    if isinstance(exc, SystemExit) and exc.code in (0, None):
        return "completed", None  # sys.exit(0) is a normal end
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", "KeyboardInterrupt"
    message = str(exc).splitlines()[0] if str(exc) else ""
    return "failed", f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class track:
    """Meter (and record) a block: ``with chase.track(...) as run:`` or ``@chase.track(...)``.

    Args:
        name: what the run store records as the run's command (default: the script's argv; a
            decorated function's qualified name).
        source: an IntensitySource (TraceSource, RegionSource, LiveSource) or a constant in
            gCO2e/kWh; prices the energy as ∫P·CI dt on the source's own steps.
        region, year: shorthand for ``source=RegionSource(region, year)``.
        db: the run store's path (default: $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db).
        record: False to meter without recording.
        devices: None (every device discovery finds), a :class:`Devices`, or ids/backends.
        interval_ms: the sampling period, ms (1–3,600,000).

    Raises ValueError for bad arguments or a store that cannot be opened; HardwareError when no
    device can be metered."""

    def __init__(self, name: Optional[str] = None, *, source: Any = None, region: Optional[str] = None,
                 year: Optional[int] = None, db: Optional[str] = None, record: bool = True,
                 devices: Union[None, _chase.Devices, Sequence[str], str] = None, interval_ms: float = 100.0):
        self._name = name
        self._source = resolve_source(source, region, year)
        self._db = store_path(db)
        self._record = record
        self._devices = devices
        self._interval_ms = interval_ms
        self._run: Optional[Run] = None

    def __enter__(self) -> Run:
        if self._run is not None and self._run.result is None:
            raise RuntimeError("this chase.track is already running (make one per block)")
        found = resolve_devices(self._devices)
        command = [self._name] if self._name else (list(sys.argv) if sys.argv and sys.argv[0] else ["python"])
        native = _chase._TrackedRun(list(found.devices), list(found.metering), self._source, self._db,
                                    self._record, "track", command, float(self._interval_ms))
        self._run = Run(native)
        return self._run

    def __exit__(self, exc_type, exc, tb) -> bool:
        run = self._run
        assert run is not None
        status, note = end_status(exc)
        run.result = run._native.finish(status, note)
        return False  # never swallow the block's exception

    def __call__(self, fn: F) -> F:
        name = self._name or f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            tracker = track(name, source=self._source, db=self._db, record=self._record, devices=self._devices,
                            interval_ms=self._interval_ms)
            with tracker:
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
