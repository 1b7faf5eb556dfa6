"""examples/train_cnn.py as a user runs it: metering only (no GPU), under the controller on the
fake NVML library, and as a data-parallel job of 2 processes under torchrun (gloo, 127.0.0.1),
each with one fake GPU: one run record, per-rank devices, the sums, the same limits on both."""

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "train_cnn.py"
ARGS = ["--epochs", "2", "--steps-per-epoch", "30", "--frame-minutes", "0.01", "--warmup-steps", "1",
        "--measure-steps", "2"]


def env_with(tmp_path, fixture=None, **extra):
    env = dict(os.environ, OMP_NUM_THREADS="1", **extra)
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "CHASE_FAKE_NVML_STATE"):
        env.pop(name, None)
    if fixture:
        env["CHASE_NVML_LIBRARY"] = os.environ["CHASE_TEST_FAKE_NVML"]
        env["CHASE_FAKE_NVML_FIXTURE"] = str(Path(os.environ["CHASE_TEST_FIXTURES"]) / "nvml" / fixture)
        env["CHASE_FAKE_NVML_STATE"] = str(tmp_path / "nvml-state.json")
    else:
        env["CHASE_NVML_LIBRARY"] = "/nonexistent/libnvidia-ml.so.1"
    return env


def runs(cli, db):
    out = subprocess.run([cli, "runs", "list", "--db", str(db), "--json"], capture_output=True, text=True, check=True)
    listed = json.loads(out.stdout)
    return listed["runs"] if isinstance(listed, dict) else listed


def show(cli, db, run_id):
    return json.loads(subprocess.run([cli, "runs", "show", str(run_id), "--db", str(db), "--json"], capture_output=True,
                                     text=True, check=True).stdout)


EPOCH = re.compile(r"rank (\d) epoch (\d): loss [0-9.]+, [0-9.]+ s, ([0-9.]+) J, ([0-9.]+) gCO2e")


def test_without_a_gpu_it_meters_and_prints_each_epoch(tmp_path, cli):
    db = tmp_path / "runs.db"
    r = subprocess.run([sys.executable, str(EXAMPLE), *ARGS, "--db", str(db)], env=env_with(tmp_path),
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert "metering only" in r.stderr
    epochs = EPOCH.findall(r.stdout)
    assert [e[:2] for e in epochs] == [("0", "0"), ("0", "1")], r.stdout
    assert all(float(j) > 0 and float(g) > 0 for _, _, j, g in epochs)
    [run] = runs(cli, db)
    assert run["kind"] == "track" and run["status"] == "completed"


def test_on_a_gpu_the_controller_profiles_controls_and_restores(tmp_path, cli):
    db = tmp_path / "runs.db"
    r = subprocess.run([sys.executable, str(EXAMPLE), *ARGS, "--db", str(db)],
                       env=env_with(tmp_path, "two-a40-wall-clock.json"), capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert len(EPOCH.findall(r.stdout)) == 2, r.stdout
    assert "limits restored" in r.stdout
    [run] = runs(cli, db)
    assert run["kind"] == "train"
    state = json.loads((tmp_path / "nvml-state.json").read_text())
    assert set(state["power_limit_mw"].values()) == {300000}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun(tmp_path, processes, db):
    """The example under torchrun on the 2-GPU fixture, on 127.0.0.1; asserts it exited 0."""
    # Debian's torch 1.13 under Python 3.11 needs --redirects/--tee set (its default of 0 fails).
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(processes), "--redirects", "1",
               "--tee", "1", "--master_addr", "127.0.0.1", "--master_port", str(free_port()), "--log_dir",
               str(tmp_path / "logs"), str(EXAMPLE), *ARGS, "--db", str(db)]
    r = subprocess.run(command, env=env_with(tmp_path, "two-a40-wall-clock.json"), capture_output=True, text=True,
                       timeout=280)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def test_torchrun_two_ranks_make_one_run_with_both_gpus_and_the_same_limits(tmp_path, cli):
    db = tmp_path / "runs.db"
    r = torchrun(tmp_path, 2, db)
    epochs = EPOCH.findall(r.stdout)
    assert sorted(e[:2] for e in epochs) == [("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")], r.stdout
    [run] = runs(cli, db)  # one record for the job, written by rank 0
    stored = show(cli, db, run["id"])
    assert stored["kind"] == "train" and stored["status"] == "completed"
    assert stored["context"]["WORLD_SIZE"] == "2"
    gpus = [d for d in stored["devices"] if d["backend"] == "nvml"]
    assert sorted((d["rank"], d["id"]) for d in gpus) == [(0, "nvml:0"), (1, "nvml:1")]
    # Only local rank 0 meters the node's CPU: nothing is counted twice.
    assert [d["rank"] for d in stored["devices"] if d["backend"] != "nvml"] == [0]
    assert stored["energy_j"] == pytest.approx(sum(d["energy_j"] for d in stored["devices"]), rel=1e-9)
    assert stored["carbon_g"] == pytest.approx(sum(d["carbon_g"] for d in stored["devices"]), rel=1e-9)
    assert all(d["energy_j"] > 0 for d in gpus)
    # Both GPUs went through the same limits in the same order (profiling, then rank 0's
    # decisions), and are back at 300 W.
    state = json.loads((tmp_path / "nvml-state.json").read_text())
    histories = list(state["set_history_mw"].values())
    assert len(histories) == 2 and histories[0] == histories[1], histories
    assert histories[0][-1] == 300000
    assert set(state["power_limit_mw"].values()) == {300000}
    assert stored["decisions"] >= 1  # rank 0 decided, and recorded it


def test_more_ranks_than_gpus_is_one_clear_error_on_every_rank_not_a_hang(tmp_path, cli):
    db = tmp_path / "runs.db"
    r = torchrun(tmp_path, 3, db)
    # Every rank learns that rank 2 has no GPU, and the example falls back to metering on rank 0.
    assert r.stderr.count("rank 2: LOCAL_RANK 2 has no GPU: 2 visible (nvml:0, nvml:1)") == 1, r.stderr[-3000:]
    [run] = runs(cli, db)
    assert run["kind"] == "track" and run["status"] == "completed"
    state = json.loads((tmp_path / "nvml-state.json").read_text())
    assert set(state["power_limit_mw"].values()) == {300000}
