"""chase.track: a block metered and recorded in the run store like `chase measure` records a command."""

import json
import subprocess

import pytest

import chase

INTENSITY = 200.0  # gCO2e/kWh, a constant source


@pytest.fixture
def gpus(fake_nvml):
    library = fake_nvml("two-gpus.json")
    return chase.discover(nvml_library=library, powercap_root="/nonexistent", devices=["nvml"])


def show(cli, db, run_id):
    out = subprocess.run([cli, "runs", "show", str(run_id), "--db", str(db), "--json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def test_a_block_is_one_recorded_run_with_its_energy_and_carbon(gpus, cli, tmp_path):
    db = tmp_path / "runs.db"
    with chase.track("fine-tune", source=INTENSITY, db=db, devices=gpus) as run:
        run.begin_window("part")
        part = run.end_window("part")
    assert isinstance(run.id, int) and run.db_path == str(db)
    r = run.result
    assert r.energy_j > 0 and part.energy_j > 0
    assert r.carbon_g == pytest.approx(r.energy_j / 3.6e6 * INTENSITY, rel=1e-9)
    stored = show(cli, db, run.id)
    assert stored["status"] == "completed"
    assert stored["kind"] == "track"
    assert stored["command"] == ["fine-tune"]
    assert stored["energy_j"] == pytest.approx(r.energy_j, rel=1e-9)
    assert stored["carbon_g"] == pytest.approx(r.carbon_g, rel=1e-9)
    assert sorted(d["id"] for d in stored["devices"] if d["metering"] != "none") == ["nvml:0", "nvml:1"]


def test_an_exception_fails_the_run_and_still_propagates(gpus, cli, tmp_path):
    db = tmp_path / "runs.db"
    tracker = chase.track(source=INTENSITY, db=db, devices=gpus)
    with pytest.raises(ZeroDivisionError):
        with tracker as run:
            1 / 0
    stored = show(cli, db, run.id)
    assert stored["status"] == "failed"
    assert stored["note"] == "ZeroDivisionError: division by zero"
    assert run.result.energy_j > 0


def test_the_decorator_records_each_call(gpus, cli, tmp_path):
    db = tmp_path / "runs.db"

    @chase.track(source=INTENSITY, db=db, devices=gpus)
    def train(epochs):
        return epochs * 2

    assert train(3) == 6 and train(4) == 8
    listed = json.loads(subprocess.run([cli, "runs", "list", "--db", str(db), "--json"], capture_output=True, text=True,
                                       check=True).stdout)
    runs = listed["runs"] if isinstance(listed, dict) else listed
    assert len(runs) == 2
    assert {tuple(r["command"]) for r in runs} == {("test_track.test_the_decorator_records_each_call.<locals>.train",)}


def test_not_recorded_and_bad_arguments(gpus):
    with chase.track(source=INTENSITY, record=False, devices=gpus) as run:
        pass
    assert run.id is None and run.db_path is None and run.result.energy_j > 0
    with pytest.raises(ValueError, match="give source= or region=, not both"):
        chase.track(source=INTENSITY, region="DE")
    with pytest.raises(ValueError, match="unknown region 'germny'"):
        chase.track(region="germny")
    with pytest.raises(ValueError, match="interval_ms"):
        with chase.track(record=False, devices=gpus, interval_ms=0):
            pass


def test_a_region_prices_at_its_figure(gpus, tmp_path):
    de = chase.region("DE")["intensity_g_per_kwh"]
    with chase.track(region="DEU", db=tmp_path / "runs.db", devices=gpus) as run:
        pass
    assert run.result.carbon_g == pytest.approx(run.result.energy_j / 3.6e6 * de, rel=1e-9)


def test_sys_exit_0_is_a_normal_end_and_an_empty_db_path_is_refused(gpus, cli, tmp_path):
    db = tmp_path / "runs.db"
    with pytest.raises(SystemExit):
        with chase.track(source=INTENSITY, db=db, devices=gpus) as run:
            raise SystemExit(0)
    assert show(cli, db, run.id)["status"] == "completed"
    with pytest.raises(SystemExit):
        with chase.track(source=INTENSITY, db=db, devices=gpus) as failed:
            raise SystemExit(3)
    assert show(cli, db, failed.id)["note"] == "SystemExit: 3"
    with pytest.raises(ValueError, match="db: an empty path"):
        chase.track(db="")
