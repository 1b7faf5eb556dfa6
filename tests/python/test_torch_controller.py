"""chase.torch.PowerLimitController in one process, on the fake NVML library: just-in-time
profiling from the loop's steps, control, the run record and the limits restored."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import chase
import chase.torch

LIMITS = [300.0, 200.0, 100.0]
# The fake library reads its state file's path once per process (at its first nvmlInit_v2): one
# file for the whole module, and each test looks at the limits set since it began.
STATE = Path(tempfile.mkdtemp(prefix="chase-nvml-state-")) / "state.json"


@pytest.fixture
def gpus(fake_nvml, monkeypatch, tmp_path):
    library = fake_nvml("two-a40-wall-clock.json")
    monkeypatch.setenv("CHASE_NVML_LIBRARY", library)
    monkeypatch.setenv("CHASE_FAKE_NVML_STATE", str(STATE))
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    found = chase.discover(powercap_root="/nonexistent", devices=["nvml"])
    return found, Since(history())


def controller(gpus, tmp_path, **kw):
    found, _ = gpus
    args = dict(source=250.0, total_steps=100, profile_limits_w=LIMITS, warmup_steps=1, measure_steps=2,
                frame_minutes=0.01, devices=found, db=tmp_path / "runs.db", name="loop")
    args.update(kw)
    return chase.torch.PowerLimitController(**args)


def loop(ctl, steps):
    for _ in range(steps):
        ctl.on_step_begin()
        time.sleep(0.002)
        ctl.on_step_end()


def history():
    if not STATE.exists():
        return {}
    return {uuid: [mw / 1000 for mw in h] for uuid, h in json.loads(STATE.read_text())["set_history_mw"].items()}


class Since:
    """The limits each GPU was set to since this was made."""

    def __init__(self, before):
        self.before = before

    def limits(self):
        return {uuid: h[len(self.before.get(uuid, [])):] for uuid, h in history().items()}


def test_profiles_then_controls_records_and_restores(gpus, cli, tmp_path):
    _, state = gpus
    with controller(gpus, tmp_path) as ctl:
        assert ctl.phase == "profiling"
        loop(ctl, 8)  # 3 limits x (1 warm-up + 2 measured) = 9 steps of profiling
        assert ctl.phase == "profiling"
        loop(ctl, 1)
        assert ctl.phase == "controlling"
        for _ in range(2000):
            if ctl.current_limit_w is not None:
                break
            time.sleep(0.005)
        assert ctl.current_limit_w in LIMITS
        epoch = ctl.on_epoch_end()
        assert epoch.energy_j > 0 and epoch.carbon_g == pytest.approx(epoch.energy_j / 3.6e6 * 250, rel=1e-9)
    r = ctl.result
    assert r.steps == 9 and r.profiling_steps == 9 and r.epochs == 1
    assert [p[0] for p in r.profile] == LIMITS
    # The fake draws 240 W at 300 W and 99.5 W at 100 W: the profile saw power fall with the limit.
    power = {limit: energy / t for limit, t, energy in r.profile}
    assert power[300.0] > power[200.0] > power[100.0]
    for limits in state.limits().values():
        assert limits[:3] == LIMITS          # profiling, from the maximum down
        assert limits[-1] == 300.0           # restored
    stored = json.loads(subprocess.run([cli, "runs", "show", str(ctl.run_id), "--db", str(tmp_path / "runs.db"),
                                        "--json"], capture_output=True, text=True, check=True).stdout)
    assert stored["kind"] == "train" and stored["status"] == "completed"
    assert [p["power_limit_w"] for p in stored["profile"]] == sorted(LIMITS)
    assert stored["energy_j"] == pytest.approx(ctl.run_result.energy_j, rel=1e-9)
    decisions = json.loads(subprocess.run([cli, "runs", "export", str(ctl.run_id), "--db", str(tmp_path / "runs.db"),
                                           "--json"], capture_output=True, text=True, check=True).stdout)["decisions"]
    assert len(decisions) >= 1 and all(d["limit_w"] in LIMITS for d in decisions)


def test_an_exception_in_the_loop_restores_the_limits_and_fails_the_run(gpus, cli, tmp_path):
    _, state = gpus
    with pytest.raises(RuntimeError, match="out of memory"):
        with controller(gpus, tmp_path) as ctl:
            loop(ctl, 4)  # mid-profiling: at 200 W
            raise RuntimeError("CUDA out of memory")
    for limits in state.limits().values():
        assert limits[-1] == 300.0
    stored = json.loads(subprocess.run([cli, "runs", "show", str(ctl.run_id), "--db", str(tmp_path / "runs.db"),
                                        "--json"], capture_output=True, text=True, check=True).stdout)
    assert stored["status"] == "failed" and stored["note"] == "RuntimeError: CUDA out of memory"


def test_a_saved_profile_starts_control_at_once(gpus, tmp_path):
    profile = [(300.0, 0.10, 24.0), (200.0, 0.12, 21.6), (100.0, 0.20, 19.9)]
    with controller(gpus, tmp_path, profile=profile, record=False) as ctl:
        assert ctl.phase == "controlling"
    assert ctl.result.profiling_steps == 0 and ctl.result.profile == profile


def test_what_cannot_work_is_refused(gpus, fake_nvml, tmp_path):
    with pytest.raises(ValueError, match="give total_steps, or epochs and steps_per_epoch"):
        controller(gpus, tmp_path, total_steps=None)
    with pytest.raises(ValueError, match="slowdown_budget"):
        controller(gpus, tmp_path, slowdown_budget=2.0)
    with pytest.raises(ValueError, match="source: control needs an intensity source"):
        controller(gpus, tmp_path, source=None)
    # No GPU (another process: the fake library reads its fixture once per process).
    env = dict(os.environ, CHASE_FAKE_NVML_FIXTURE=str(Path(os.environ["CHASE_TEST_FIXTURES"]) / "nvml" / "no-gpus.json"))
    probe = ("import chase, chase.torch\n"
             "try:\n"
             "    chase.torch.PowerLimitController(source=250.0, total_steps=10,"
             " devices=chase.discover(powercap_root='/nonexistent'))\n"
             "except chase.HardwareError as e:\n"
             "    print('HardwareError:', e)\n")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout
    assert out.startswith("HardwareError: no GPU with a settable power limit here"), out


def test_combine_profiles_sums_energy_and_takes_the_slowest_time():
    combined = chase.torch.combine_profiles([[(300.0, 0.10, 24.0), (200.0, 0.12, 21.0)],
                                             [(300.0, 0.11, 25.0), (200.0, 0.12, 20.0)]])
    assert combined == [(300.0, 0.11, 49.0), (200.0, 0.12, 41.0)]
    with pytest.raises(ValueError, match="different limits"):
        chase.torch.combine_profiles([[(300.0, 0.1, 1.0)], [(250.0, 0.1, 1.0)]])


def test_sigterm_restores_the_limits_and_marks_the_run_interrupted(fake_nvml, tmp_path, cli):
    library = fake_nvml("two-a40-wall-clock.json")
    state = tmp_path / "state.json"
    script = ("import sys, time, chase, chase.torch\n"
              "ctl = chase.torch.PowerLimitController(source=250.0, total_steps=100000, profile_limits_w=[200, 100],"
              " warmup_steps=1, measure_steps=100000, db=sys.argv[1], name='term')\n"
              "for i in range(100000):\n"
              "    ctl.on_step_begin(); time.sleep(0.005); ctl.on_step_end()\n"
              "    if i == 2: print('at', ctl.devices[0].power_limit_w, flush=True)\n")
    env = dict(os.environ, CHASE_NVML_LIBRARY=library, CHASE_FAKE_NVML_STATE=str(state))
    env.pop("LOCAL_RANK", None)
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "runs.db")], env=env, stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "at 200.0"  # profiling at 200 W, the first limit
    child.terminate()
    assert child.wait(timeout=60) == -15  # the signal's own exit, after the limits were restored
    assert set(json.loads(state.read_text())["power_limit_mw"].values()) == {300000}
    [run] = json.loads(subprocess.run([cli, "runs", "list", "--db", str(tmp_path / "runs.db"), "--json"],
                                      capture_output=True, text=True, check=True).stdout)["runs"]
    assert run["status"] == "interrupted"


def test_a_refused_controller_records_nothing(gpus, cli, tmp_path):
    db = tmp_path / "runs.db"
    for kwargs, message in [({"policy": "garbage"}, "garbage"),
                            ({"total_steps": 2.5}, "total_steps: 2.5 is not a positive whole number of steps"),
                            ({"epochs": 3, "steps_per_epoch": 10}, "not both"),
                            ({"profile": [(100, 0.01)]}, "profile: .* is not a CSV path, a bundled name or rows"),
                            ({"profile_limits_w": []}, "profile_limits_w: no limits"),
                            ({"profile_limits_w": [150, 150]}, "profile_limits_w: 150 W is given twice")]:
        with pytest.raises(ValueError, match=message):
            controller(gpus, tmp_path, **kwargs)
    listed = subprocess.run([cli, "runs", "list", "--db", str(db), "--json"], capture_output=True, text=True)
    assert listed.returncode != 0 or json.loads(listed.stdout)["runs"] == []


def test_one_controller_per_gpu_and_no_steps_after_close(gpus, cli, tmp_path):
    _, state = gpus
    first = controller(gpus, tmp_path)
    with pytest.raises(chase.ChaseError, match="already under another training controller"):
        controller(gpus, tmp_path)
    loop(first, 4)  # profiling, at 200 W now
    first.close()
    assert all(limits[-1] == 300.0 for limits in state.limits().values())
    with pytest.raises(RuntimeError, match="closed"):
        first.on_step_end()
    with pytest.raises(RuntimeError, match="closed"):
        first.on_epoch_end()
    stored = json.loads(subprocess.run([cli, "runs", "show", str(first.run_id), "--db", str(tmp_path / "runs.db"),
                                        "--json"], capture_output=True, text=True, check=True).stdout)
    assert stored["status"] == "completed"
    assert stored["note"] == ("profiling did not finish (4 steps): the limits were never controlled; "
                              "the loop ended after 4 of 100 steps")
    with controller(gpus, tmp_path) as again:  # the GPUs are free again
        assert again.phase == "profiling"


def test_steps_off_the_profile_are_reported_warned_and_the_corrected_profile_saved(gpus, tmp_path):
    # The saved profile says a step takes 0.10 s at 300 W; the loop's steps take about 0.02 s.
    profile = [(300.0, 0.10, 24.0), (200.0, 0.12, 21.6), (100.0, 0.20, 19.9)]
    saved = tmp_path / "corrected.csv"
    ctl = controller(gpus, tmp_path, profile=profile, record=False, policy="max", total_steps=400,
                     save_corrected_profile=str(saved))
    assert ctl.drift is None
    for _ in range(400):
        ctl.on_step_begin()
        time.sleep(0.02)
        ctl.on_step_end()
        if ctl.drift is not None:
            break
    seen = ctl.drift
    assert seen is not None, "no drift seen in 8 s of steps five times faster than the profile"
    assert seen["limit_w"] == 300.0
    assert seen["profile_steps_per_s"] == pytest.approx(10.0)
    assert seen["measured_steps_per_s"] > 2 * seen["profile_steps_per_s"]
    assert "300 W" in seen["description"]
    with pytest.warns(chase.torch.ProfileDriftWarning, match="ran off its profile at limit 300 W"):
        ctl.close()
    r = ctl.result
    assert r.drift["limit_w"] == 300.0
    # The corrected profile has the same limits, and was written where asked, readable as a profile.
    assert [row[0] for row in r.corrected_profile] == [300.0, 200.0, 100.0]
    assert r.corrected_profile_saved_to == str(saved)
    assert saved.read_text().splitlines()[0] == "power_limit_w,time_s,energy_j"
    again = controller(gpus, tmp_path, profile=str(saved), record=False, policy="max", total_steps=10)
    again.close()
    assert again.result.profile == pytest.approx(r.corrected_profile)


def test_a_bad_drift_threshold_or_path_is_refused(gpus, tmp_path):
    with pytest.raises(ValueError, match="drift_threshold"):
        controller(gpus, tmp_path, record=False, drift_threshold=0.0)
    with pytest.raises(ValueError, match="save_corrected_profile"):
        controller(gpus, tmp_path, record=False, save_corrected_profile="")
