"""Forecasts through the registry, on a fixture trace whose forecasts are known."""

from datetime import datetime, timezone

import pytest

import chase

UTC = timezone.utc


def test_the_registry():
    models = chase.forecasters()
    assert chase.default_forecaster() in models
    assert models["persistence"] == "every future frame equals the last one"


def test_persistence_repeats_the_last_frame(fixtures):
    trace = str(fixtures / "forecast" / "linear-rise.csv")
    f = chase.forecast(trace, model="persistence", horizon=3)
    assert f.model == "persistence"
    assert f.frame_s == 3600
    assert f.last_observed == datetime(2020, 1, 1, 11, tzinfo=UTC)
    assert f.last_intensity_g_per_kwh == 210
    assert [fr.intensity_g_per_kwh for fr in f.frames] == [210, 210, 210]
    assert [fr.valid_from.hour for fr in f.frames] == [12, 13, 14]
    assert f.to_dict()["model"] == "persistence"


def test_a_source_object_works_as_well(fixtures):
    source = chase.TraceSource(str(fixtures / "forecast" / "linear-rise.csv"))
    f = chase.forecast(source, model="persistence", horizon=1, frame_minutes=120)
    assert f.frame_s == 7200
    assert len(f.frames) == 1


def test_bad_arguments(fixtures):
    trace = str(fixtures / "forecast" / "linear-rise.csv")
    with pytest.raises(ValueError, match="horizon"):
        chase.forecast(trace, horizon=0)
    with pytest.raises(ValueError, match="crystal-ball"):
        chase.forecast(trace, model="crystal-ball")


def test_backtest_scores_persistence_by_its_known_error(fixtures):
    report = chase.backtest(str(fixtures / "forecast" / "linear-rise.csv"), models=["persistence"], horizons=[1])
    # One model at one lead: the flat record `chase forecast backtest --json` prints.
    assert report["model"] == "persistence"
    assert report["horizon_frames"] == 1
    # Persistence is off by exactly 10 g/kWh at lead 1 on a rise of 10 per frame.
    assert report["mae_g_per_kwh"] == pytest.approx(10)
