"""``chase.torch``: Chase inside a PyTorch training loop, on one GPU or a torch.distributed job.

The loop calls the controller at its boundaries, as it would Zeus's power-limit optimizer::

    import chase, chase.torch
    ctl = chase.torch.PowerLimitController(source=chase.RegionSource("GB"), epochs=3,
                                           steps_per_epoch=len(loader), slowdown_budget=0.025)
    with ctl:
        for epoch in range(3):
            for batch in loader:
                ctl.on_step_begin()
                train_step(batch)
                ctl.on_step_end()
            m = ctl.on_epoch_end()          # this rank's energy and CO2e of the epoch
            print(epoch, m.energy_j, m.carbon_g)

What it does (the library's TrainingController, ``control/training_controller.hpp``):

1. profiles the GPU power limits just in time from the loop's own steps (each limit from the
   maximum down: ``warmup_steps`` then ``measure_steps``), or starts from a saved ``profile``;
2. runs the Chase controller in a background thread, frame by frame (the source's steps, or
   ``frame_minutes``): forecast the frame's intensity, pick the limit, within the slowdown budget
   of the remaining steps — the loop's counted steps are the work meter;
3. records the run (kind ``train``) in the run store with its decisions and profile;
4. restores every limit when the loop ends (``close()``, the ``with`` block, an exception,
   SIGTERM, interpreter exit).

When the steps run off the profile (a limit's measured time per step departs from its row by
more than ``drift_threshold`` over several frames: a profile taken on another node, an
evaluation phase, a slower dataset), control goes on with what it measured, ``drift`` says where
as soon as it is seen, ``close()`` warns once (``ProfileDriftWarning``) and puts it in the run
record's note, and the corrected profile is ``result.corrected_profile`` (written to
``save_corrected_profile`` when given, for the job's next run).

Data-parallel jobs (torchrun): when ``torch.distributed`` is initialised, each rank meters and
controls only its local GPU (the ``LOCAL_RANK``-th GPU CUDA_VISIBLE_DEVICES leaves visible), and
only local rank 0 meters the node's CPU, so no device is counted twice. Every rank profiles its
GPU at the same steps; the measurements are combined (energy summed, time the slowest rank's);
rank 0 decides each frame's limit in its background thread and broadcasts it with the job's
own process group (every ``sync_every_steps`` steps), and every rank, rank 0 too, sets it at that
same step, so every GPU runs the same limit; at the end, every rank's device
totals go to rank 0, which writes one run record with the per-rank devices and the sums.
``close()`` is collective then: every rank must reach it (the ``with`` block does).
"""

from __future__ import annotations

import atexit
import numbers
import os
import signal
import sys
import threading
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _chase
from .tracking import end_status, resolve_source, store_path

ProfileRows = List[Tuple[float, float, float]]


def combine_profiles(profiles: Sequence[Optional[ProfileRows]]) -> ProfileRows:
    """One profile of a data-parallel job from each rank's (limit_w, time_s, energy_j) per step:
    at each limit the energy is summed over the ranks and the time is the slowest rank's (a step
    waits for every GPU). Raises ValueError when a rank has no profile or the ranks' limits differ."""
    if not profiles or any(p is None for p in profiles):
        raise ValueError("combine_profiles: a rank has no measured profile")
    by_limit: Dict[float, Tuple[float, float]] = {}
    limits = [sorted(p[0] for p in rows) for rows in profiles]  # type: ignore[union-attr]
    if any(l != limits[0] for l in limits):
        raise ValueError(f"combine_profiles: the ranks profiled different limits: {limits}")
    for rows in profiles:
        for limit, time_s, energy_j in rows:  # type: ignore[union-attr]
            t, e = by_limit.get(limit, (0.0, 0.0))
            by_limit[limit] = (max(t, time_s), e + energy_j)
    return [(limit, t, e) for limit, (t, e) in sorted(by_limit.items(), reverse=True)]


def job_steps(total_steps: Any, epochs: Any, steps_per_epoch: Any) -> int:
    """The job's steps: ``total_steps``, or ``epochs`` x ``steps_per_epoch`` (whole numbers > 0).
    Raises ValueError for neither, both, or a value that is not a positive whole number."""
    def whole(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
            raise ValueError(f"{name}: {value!r} is not a positive whole number of steps")
        return int(value)

    if total_steps is not None:
        if epochs is not None or steps_per_epoch is not None:
            raise ValueError("give total_steps, or epochs and steps_per_epoch, not both")
        return whole("total_steps", total_steps)
    if epochs is None or steps_per_epoch is None:
        raise ValueError("give total_steps, or epochs and steps_per_epoch")
    return whole("epochs", epochs) * whole("steps_per_epoch", steps_per_epoch)


def shared_gpus(everyone: Sequence[Sequence[dict]]) -> None:
    """Raises HardwareError when two ranks would meter and control the same GPU (same UUID): each
    rank must see its own (LOCAL_RANK picks it among the visible ones)."""
    seen: Dict[str, int] = {}
    for rank, devices in enumerate(everyone):
        for d in devices:
            if d["backend"] != "nvml" or not d["uuid"]:
                continue
            uuid = d["uuid"].split(",")[0]
            if uuid in seen:
                raise _chase.HardwareError(f"ranks {seen[uuid]} and {rank} both have GPU {uuid}: give each process "
                                           f"its own GPU (LOCAL_RANK, CUDA_VISIBLE_DEVICES)")
            seen[uuid] = rank


class _Distributed:
    """The job's process group, or a single process."""

    def __init__(self, group: Any = None):
        self.dist = None
        self.group = group
        self.rank = 0
        self.world_size = 1
        try:
            import torch.distributed as dist  # noqa: WPS433 (torch is optional for chase)
        except ImportError:
            return
        if dist.is_available() and dist.is_initialized():
            self.dist = dist
            self.rank = dist.get_rank(group)
            self.world_size = dist.get_world_size(group)

    @property
    def active(self) -> bool:
        return self.dist is not None and self.world_size > 1

    def broadcast(self, value: Any) -> Any:
        if not self.active:
            return value
        box = [value]
        self.dist.broadcast_object_list(box, src=0, group=self.group)
        return box[0]

    def gather(self, value: Any) -> List[Any]:
        if not self.active:
            return [value]
        out: List[Any] = [None] * self.world_size
        self.dist.all_gather_object(out, value, group=self.group)
        return out


def local_devices(devices: Any = None, local_rank: Optional[int] = None) -> Tuple[list, list, list]:
    """This process's devices: (metered devices, their entries, the GPUs to control).

    With ``LOCAL_RANK`` set (torchrun), the GPU is the LOCAL_RANK-th one CUDA_VISIBLE_DEVICES leaves
    visible (or the only one, when each process sees one), and the node's CPU/DRAM are metered by
    local rank 0 only. Raises HardwareError when there is no GPU with a settable power limit for
    this rank."""
    found = devices if isinstance(devices, _chase.Devices) else _chase.discover(devices=devices)
    if local_rank is None and os.environ.get("LOCAL_RANK", "") != "":
        local_rank = int(os.environ["LOCAL_RANK"])
    gpus = [d for d in found.devices if d.backend == "nvml"]
    others = [d for d in found.devices if d.backend != "nvml"]
    if local_rank is not None and len(gpus) > 1:
        if local_rank >= len(gpus):
            raise _chase.HardwareError(
                f"LOCAL_RANK {local_rank} has no GPU: {len(gpus)} visible ({', '.join(g.id for g in gpus)})")
        gpus = [gpus[local_rank]]
    if local_rank not in (None, 0):
        others = []  # the node's CPU and DRAM are local rank 0's
    metered = gpus + others
    ids = {d.id for d in metered}
    entries = [e for e in found.metering if e.id in ids]
    controllable = [g for g in gpus if g.supports_power_limit]
    if not controllable:
        raise _chase.HardwareError("no GPU with a settable power limit here (see `chase devices`)")
    return metered, entries, controllable


class ProfileDriftWarning(UserWarning):
    """The training steps ran off the power profile control started with (PowerLimitController.drift)."""


class PowerLimitController:
    """Carbon-aware GPU power limits for a training loop (see the module's docstring).

    Args:
        source: an IntensitySource or a constant gCO2e/kWh (or ``region``/``year``).
        total_steps: the job's steps; or ``epochs`` x ``steps_per_epoch``.
        policy: ``chase`` (the paper's), ``zeus`` (energy-time trade-off) or ``max``.
        slowdown_budget: allowed slowdown as a fraction (0.025 = +2.5 %, the Chase paper's).
        forecaster: the forecaster's name (``chase.forecasters()``).
        frame_minutes: frame length; None: the source's own steps.
        history_hours: intensity read before the start for the forecaster.
        profile: a saved profile (CSV path or bundled name) or (limit_w, time_s, energy_j) rows
            per step; None: profile just in time with ``warmup_steps`` + ``measure_steps`` at each
            of ``profile_limits_w`` (default: the GPU's range every 25 W from the maximum).
        devices: None (discover), a :class:`Devices`, or ids/backends to keep.
        db, record, name: where and whether the run is recorded, and its command (default argv).
        process_group: the torch.distributed group (default: the default group, when initialised).
        sync_every_steps: how often rank 0's limit is broadcast (data-parallel jobs).
        interval_ms: the meter's sampling period.
        drift_threshold: how far (fraction of the time per step, 0.10 = 10 %) a limit's measured
            steps may depart from the profile before the run counts as drifted.
        save_corrected_profile: a CSV path for the profile learned from a run that drifted (the
            profile argument of the job's next run); None: not written.

    Raises ValueError for bad arguments, HardwareError when no GPU's limit can be set,
    ChasePermissionError without the privilege to set limits (checked before training starts)."""

    def __init__(self, *, source: Any = None, region: Optional[str] = None, year: Optional[int] = None,
                 total_steps: Optional[int] = None, epochs: Optional[int] = None,
                 steps_per_epoch: Optional[int] = None, policy: str = "chase",
                 slowdown_budget: Optional[float] = 0.025, forecaster: str = "persistence",
                 frame_minutes: Optional[float] = None, history_hours: float = 0.0, profile: Any = None,
                 profile_limits_w: Optional[Sequence[float]] = None, warmup_steps: int = 5,
                 measure_steps: int = 20, devices: Any = None, db: Optional[str] = None, record: bool = True,
                 name: Optional[str] = None, process_group: Any = None, sync_every_steps: int = 1,
                 interval_ms: float = 100.0, drift_threshold: float = 0.10,
                 save_corrected_profile: Optional[str] = None):
        total_steps = job_steps(total_steps, epochs, steps_per_epoch)
        if sync_every_steps < 1:
            raise ValueError(f"sync_every_steps: {sync_every_steps} is not at least 1")
        self._source = resolve_source(source, region, year)
        if self._source is None:
            raise ValueError("source: control needs an intensity source (source= or region=)")
        self._dist = _Distributed(process_group)
        self._sync_every = int(sync_every_steps)
        self._total_steps = total_steps
        self._closed = False
        self._lock = threading.Lock()
        self._epoch = 0
        self.result: Optional[_chase.TrainingResult] = None
        self.run_result: Optional[_chase.TrackedResult] = None

        metered, entries, gpus = self._local_devices(devices)
        self._gpus = gpus
        rank = self._dist.rank if self._dist.active else None
        # Rank 0 lists every rank's devices in the job's one run record.
        described = [{"rank": self._dist.rank, "id": e.id, "name": e.name, "backend": e.backend,
                      "metering": e.metering, "reason": e.reason, "uuid": e.detail,
                      "estimated": e.metering == "estimate"} for e in entries]
        everyone = self._dist.gather(described)
        shared_gpus(everyone)
        others = [d for r, ds in enumerate(everyone) if r != self._dist.rank for d in ds]
        recording = record and self._dist.rank == 0
        command = [name] if name else (list(sys.argv) if sys.argv and sys.argv[0] else ["python"])
        self._run = _chase._TrackedRun(metered, entries, self._source, store_path(db), recording, "train", command,
                                       float(interval_ms), rank, others if recording else [])
        try:
            self._native = self._make_native(gpus, total_steps, policy, slowdown_budget, forecaster, frame_minutes,
                                             history_hours, profile, profile_limits_w, warmup_steps, measure_steps,
                                             drift_threshold, save_corrected_profile)
        except BaseException:
            self._run.discard()  # a refused controller records nothing
            raise
        self._run.begin_window("whole run")
        self._run.begin_window("epoch 0")
        self._install_exit_hooks()

    def _local_devices(self, devices: Any) -> Tuple[list, list, list]:
        """local_devices(), checked on every rank at once: a rank without a GPU of its own fails
        the whole job here, instead of leaving the others waiting in a collective."""
        try:
            found = local_devices(devices)
            problem = None
        except _chase.HardwareError as error:
            if not self._dist.active:
                raise
            found, problem = None, str(error)
        problems = [(r, p) for r, p in enumerate(self._dist.gather(problem)) if p]
        if problems:
            raise _chase.HardwareError("; ".join(f"rank {r}: {p}" for r, p in problems))
        return found

    def _make_native(self, gpus, total_steps, policy, slowdown_budget, forecaster, frame_minutes, history_hours,
                     profile, profile_limits_w, warmup_steps, measure_steps, drift_threshold,
                     save_corrected_profile) -> "_chase._TrainingController":
        follower = self._dist.active and self._dist.rank != 0

        def native(limits: Optional[List[float]]) -> "_chase._TrainingController":
            return _chase._TrainingController(
                gpus, self._source, self._run, total_steps=total_steps, policy=policy,
                slowdown_budget=slowdown_budget, forecaster=forecaster, frame_minutes=frame_minutes,
                history_hours=history_hours, profile=profile, profile_limits_w=limits, warmup_steps=warmup_steps,
                measure_steps=measure_steps, follower=follower, start_after_profiling=not self._dist.active,
                apply_at_steps=self._dist.active, drift_threshold=drift_threshold,
                save_corrected_profile=None if follower or save_corrected_profile is None
                else os.fspath(save_corrected_profile))

        limits = None if profile_limits_w is None else [float(w) for w in profile_limits_w]
        if not (self._dist.active and profile is None and limits is None):
            return native(limits)
        # Every rank steps through the same limits: those rank 0's profiler chose. Rank 0 sends its
        # error instead, so that no rank waits for limits that never come.
        if self._dist.rank == 0:
            try:
                made = native(None)
            except Exception as error:
                self._dist.broadcast(error)
                raise
            self._dist.broadcast(made.profile_limits_w)
            return made
        chosen = self._dist.broadcast(None)
        if isinstance(chosen, BaseException):
            raise chosen
        return native(chosen)

    # -- the loop's hooks ---------------------------------------------------------------------
    def _require_open(self) -> None:
        if self._closed:
            raise RuntimeError("this PowerLimitController is closed (its limits are restored); make a new one")

    def on_step_begin(self) -> None:
        self._require_open()
        self._native.on_step_begin()

    def on_step_end(self) -> None:
        self._require_open()
        self._native.on_step_end()
        if not self._dist.active:
            return
        phase = self._native.phase
        if phase == "profiled":
            # Every rank finished profiling at this same step: combine, then control.
            combined = combine_profiles(self._dist.gather(self._native.measured_profile()))
            self._native.start_control(combined)
        elif phase in ("controlling", "following") and self._native.steps_done % self._sync_every == 0:
            # Every rank, rank 0 too, sets rank 0's decision at this same step.
            limit = self._dist.broadcast(self._native.decided_limit_w if self._dist.rank == 0 else None)
            if limit is not None:
                self._native.apply_limit_w(limit)

    def on_epoch_end(self) -> _chase.Measurement:
        """Ends the epoch: this rank's :class:`Measurement` of it (time_s, energy_j, carbon_g)."""
        self._require_open()
        self._native.on_epoch_end()
        measurement = self._run.end_window(f"epoch {self._epoch}")
        self._epoch += 1
        self._run.begin_window(f"epoch {self._epoch}")
        return measurement

    # -- state --------------------------------------------------------------------------------
    @property
    def phase(self) -> str:
        """profiling, profiled, controlling, following or finished."""
        return self._native.phase

    @property
    def rank(self) -> int:
        return self._dist.rank

    @property
    def current_limit_w(self) -> Optional[float]:
        return self._native.current_limit_w

    @property
    def run_id(self) -> Optional[int]:
        return self._run.id

    @property
    def devices(self) -> list:
        return list(self._gpus)

    @property
    def drift(self) -> Optional[dict]:
        """Where the steps first ran off the profile, as soon as control saw it (rank 0 decides,
        so other ranks say None): {limit_w, profile_steps_per_s, measured_steps_per_s, seen_at,
        description}; None before."""
        return self._native.drift

    def decisions(self) -> List[dict]:
        return self._native.decisions()

    # -- the end ------------------------------------------------------------------------------
    def close(self, exc: Optional[BaseException] = None) -> Optional[_chase.TrackedResult]:
        """Stops control, restores every limit and ends the run record (collective in a
        data-parallel job, except after an exception, when each rank ends on its own)."""
        with self._lock:
            if self._closed:
                return self.run_result
            self._closed = True
        self.result = self._native.finish()
        if self.result.drift is not None:
            saved = self.result.corrected_profile_saved_to
            warnings.warn(f"chase: the job ran off its profile at {self.result.drift['description']}"
                          + (f"; corrected profile saved to {saved}" if saved else ""),
                          ProfileDriftWarning, stacklevel=2)
        status, note = end_status(exc)
        if status == "completed":
            note = self._end_note()
        # This rank's totals over the whole run (the window opened when it started).
        whole = self._run.end_window("whole run")
        mine = [(self._dist.rank, d.id, d.energy_j, d.carbon_g) for d in whole.devices]
        others: list = []
        if self._dist.active and exc is None:
            gathered = self._dist.gather(mine)
            others = [t for r, ts in enumerate(gathered) if r != self._dist.rank for t in ts]
        self.run_result = self._run.finish(status, note, others if self._dist.rank == 0 else [])
        return self.run_result

    def _end_note(self) -> Optional[str]:
        """What a completed run's record says about how control went, when not as planned."""
        r = self.result
        notes = []
        if r.error:
            notes.append(f"control stopped early: {r.error}")
        if r.profile is None:
            notes.append(f"profiling did not finish ({r.profiling_steps} steps): the limits were never controlled")
        if r.steps < self._total_steps:
            notes.append(f"the loop ended after {r.steps} of {self._total_steps} steps")
        if r.drift is not None:
            notes.append(f"the steps ran off the profile at {r.drift['description']}")
        if r.save_error:
            notes.append(f"a profile could not be saved: {r.save_error}")
        return "; ".join(notes) or None

    def _install_exit_hooks(self) -> None:
        atexit.register(self._close_quietly)
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGTERM)

            def on_term(signum: int, frame: Any) -> None:
                self._close_quietly(interrupted=True)
                signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
                if callable(previous):
                    previous(signum, frame)
                else:
                    os.kill(os.getpid(), signal.SIGTERM)

            signal.signal(signal.SIGTERM, on_term)

    def _close_quietly(self, interrupted: bool = False) -> None:
        try:
            self.close(KeyboardInterrupt() if interrupted else (None if self._closed else RuntimeError(
                "the training loop ended without close()")))
        except Exception:  # noqa: BLE001 (an exit hook has no one to tell)
            pass

    def __enter__(self) -> "PowerLimitController":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.close(exc)
        return False
