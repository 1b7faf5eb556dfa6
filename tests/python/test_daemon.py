"""chase.torch through chased: a training loop whose own NVML may not set limits (the fixture
answers NVML_ERROR_NO_PERMISSION, as for a user who is not root) controls its GPU through the
daemon named by CHASE_DAEMON_SOCKET, and the limit is back when the loop ends — or within a
second when its process is killed with SIGKILL. The fake's state file is the machine's GPUs,
shared by chased and the loop's process."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

A40 = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"
LOOP = """
import sys, time
import chase, chase.torch
profile = [(300.0, 0.10, 24.0), (200.0, 0.12, 21.6), (100.0, 0.20, 19.9)]
ctl = chase.torch.PowerLimitController(source=250.0, total_steps=100000, profile=profile, frame_minutes=0.01,
                                       devices=chase.discover(powercap_root="/nonexistent", devices=["nvml"]),
                                       record=False)
with ctl:
    while ctl.current_limit_w is None or ctl.current_limit_w == 300.0:
        ctl.on_step_begin(); time.sleep(0.002); ctl.on_step_end()
    print("controlling", ctl.current_limit_w, flush=True)
    if sys.argv[1] == "hold":
        time.sleep(600)
"""


def limit_mw(state: Path):
    try:
        return json.loads(state.read_text())["power_limit_mw"][A40]
    except (OSError, ValueError, KeyError):
        return None


def history_mw(state: Path):
    try:
        return json.loads(state.read_text())["set_history_mw"][A40]
    except (OSError, ValueError, KeyError):
        return []


@pytest.fixture
def daemon(tmp_path, fixtures):
    chased = os.environ.get("CHASE_TEST_CHASED")
    if not chased:
        pytest.fail("CHASE_TEST_CHASED is not set: run these tests through ctest")
    library = os.environ["CHASE_TEST_FAKE_NVML"]
    state = tmp_path / "nvml-state.json"
    socket = tmp_path / "chased.sock"
    env = dict(os.environ, CHASE_FAKE_NVML_FIXTURE=str(fixtures / "nvml" / "two-gpus.json"),
               CHASE_FAKE_NVML_STATE=str(state))
    process = subprocess.Popen([chased, "--socket", str(socket), "--state-dir", str(tmp_path / "chased-state"),
                                "--nvml-library", library], env=env, stderr=subprocess.PIPE, text=True)
    for _ in range(3000):
        if socket.exists() or process.poll() is not None:
            break
        time.sleep(0.01)
    assert socket.exists(), process.stderr.read() if process.poll() is not None else "chased did not start"
    client_env = dict(os.environ, CHASE_FAKE_NVML_FIXTURE=str(fixtures / "nvml" / "two-gpus-unprivileged.json"),
                      CHASE_FAKE_NVML_STATE=str(state), CHASE_NVML_LIBRARY=library, CUDA_VISIBLE_DEVICES="0",
                      CHASE_DAEMON_SOCKET=str(socket))
    yield state, client_env
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_a_loop_without_the_privilege_controls_through_chased(daemon):
    state, env = daemon
    out = subprocess.run([sys.executable, "-c", LOOP, "exit"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("controlling"), out.stdout
    history = history_mw(state)
    assert any(mw < 300000 for mw in history), history   # chased set what the loop decided
    assert history[-1] == 300000                            # and the loop's end restored it


def test_a_loop_killed_with_sigkill_has_its_limit_back_within_a_second(daemon):
    state, env = daemon
    loop = subprocess.Popen([sys.executable, "-c", LOOP, "hold"], env=env, stdout=subprocess.PIPE, text=True)
    assert loop.stdout.readline().startswith("controlling")
    assert limit_mw(state) < 300000
    loop.kill()
    deadline = time.monotonic() + 1.0
    while limit_mw(state) != 300000 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert limit_mw(state) == 300000
    loop.wait()


def test_without_chased_a_loop_killed_with_sigkill_is_cleaned_up_after_by_the_next(tmp_path, fixtures):
    """No daemon, root: the loop records the originals before changing them; killed with SIGKILL it
    leaves the GPU lowered, and the next loop restores the original first and ends back at it."""
    state = tmp_path / "nvml-state.json"
    env = dict(os.environ, CHASE_FAKE_NVML_FIXTURE=str(fixtures / "nvml" / "two-gpus.json"),
               CHASE_FAKE_NVML_STATE=str(state), CHASE_NVML_LIBRARY=os.environ["CHASE_TEST_FAKE_NVML"],
               CUDA_VISIBLE_DEVICES="0", CHASE_LIMIT_RECORDS_DIR=str(tmp_path / "records"))
    env.pop("CHASE_DAEMON_SOCKET", None)
    if os.geteuid() != 0 and os.path.exists("/run/chase/chased.sock"):
        pytest.skip("a chased runs here: an unprivileged loop would use it")
    loop = subprocess.Popen([sys.executable, "-c", LOOP, "hold"], env=env, stdout=subprocess.PIPE, text=True)
    assert loop.stdout.readline().startswith("controlling")
    loop.kill()
    loop.wait()
    lowered = limit_mw(state)
    assert lowered < 300000
    assert [p.name for p in (tmp_path / "records").iterdir()] == [f"chase-{loop.pid}.json"]
    after = subprocess.run([sys.executable, "-c", LOOP, "exit"], env=env, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    assert f"from {lowered / 1000:g} W to its original 300 W: chase pid {loop.pid}" in after.stderr, after.stderr
    assert limit_mw(state) == 300000  # restored to the true original, not to what it found
    assert list((tmp_path / "records").iterdir()) == []
