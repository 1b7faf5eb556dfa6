"""simulate() gives the numbers `chase simulate --json` prints for the same inputs."""

import json
import subprocess

import pytest

import chase


def cli_json(cli, *args):
    out = subprocess.run([cli, "simulate", "--json", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


FIELDS = ["policy", "trace", "profile", "start", "end", "work_hours", "slowdown_budget", "forecaster", "time_s",
          "energy_j", "carbon_g", "slowdown_pct", "carbon_saved_pct", "energy_saved_pct", "baseline"]


def test_the_bundled_defaults_match_the_cli(cli):
    expected = cli_json(cli)
    result = chase.simulate()
    got = result.to_dict()
    for field in FIELDS:
        assert got[field] == expected[field], field
    assert result.carbon_g == expected["carbon_g"]
    assert result.energy_j == expected["energy_j"]
    assert result.time_s == expected["time_s"]
    assert result.slowdown_pct == expected["slowdown_pct"]
    assert result.carbon_saved_pct == expected["carbon_saved_pct"]
    assert result.baseline.carbon_g == expected["baseline"]["carbon_g"]
    assert set(result.policies) == {"max", expected["policy"]}
    assert len(result.run.frames) == len(expected["frames"])


def test_other_inputs_match_the_cli(cli):
    args = ["--trace", "fr-2020", "--profile", "v100-bert-base", "--policy", "zeus", "--slowdown-budget", "none",
            "--frame-minutes", "trace", "--work-hours", "12", "--start", "2020-03-01T00:00:00Z", "--eta", "0.3"]
    expected = cli_json(cli, *args)
    result = chase.simulate(trace="fr-2020", profile="v100-bert-base", policy="zeus", slowdown_budget=None,
                            frame_minutes=None, work_hours=12, start="2020-03-01T00:00:00Z", parameters={"eta": 0.3})
    got = result.to_dict()
    for field in FIELDS + ["frame_s", "eta"]:
        assert got[field] == expected[field], field


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="nope"):
        chase.simulate(policy="nope")
    with pytest.raises(ValueError, match="slowdown_budget"):
        chase.simulate(slowdown_budget=-1)
    with pytest.raises(ValueError, match="no policy takes 'beta'"):
        chase.simulate(parameters={"beta": 1})
