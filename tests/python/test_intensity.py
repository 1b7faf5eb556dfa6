"""Intensity sources: a fixture trace's values, a region's yearly figure from data/regions/."""

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import chase

DATA = Path(__file__).resolve().parents[2] / "data"
UTC = timezone.utc


def test_a_trace_gives_the_value_in_effect(fixtures):
    trace = chase.TraceSource(str(fixtures / "traces" / "step-change.csv"))
    first = trace.at(datetime(2020, 1, 1, 0, 30, tzinfo=UTC))
    assert first.intensity_g_per_kwh == 100
    assert first.valid_from == datetime(2020, 1, 1, 0, 0, tzinfo=UTC)
    assert first.valid_until == datetime(2020, 1, 1, 1, 0, tzinfo=UTC)
    assert first.valid_from.tzinfo is not None
    second = chase.intensity(trace, "2020-01-01T01:15:00Z")
    assert second.intensity_g_per_kwh == 400
    assert second.source == trace.name
    assert trace.name.startswith("trace:")


def test_naive_datetimes_are_utc(fixtures):
    trace = chase.TraceSource(str(fixtures / "traces" / "step-change.csv"))
    assert trace.at(datetime(2020, 1, 1, 1, 15)).intensity_g_per_kwh == 400
    # 02:15 at UTC+2 is 00:15 UTC.
    assert trace.at(datetime(2020, 1, 1, 2, 15, tzinfo=timezone(timedelta(hours=2)))).intensity_g_per_kwh == 100


def test_a_held_value_over_a_gap_is_marked(fixtures):
    trace = chase.TraceSource(str(fixtures / "traces" / "with-gap.csv"))
    held = trace.at("2020-01-01T02:00:00Z")
    assert held.intensity_g_per_kwh == 120
    assert held.fallback


def test_history_lists_the_steps(fixtures):
    trace = chase.TraceSource(str(fixtures / "traces" / "with-gap.csv"))
    steps = trace.history("2020-01-01T00:00:00Z", "2020-01-01T01:00:00Z")
    assert [s.intensity_g_per_kwh for s in steps] == [100, 110]
    with pytest.raises(ValueError):
        trace.history("2020-01-01T01:00:00Z", "2020-01-01T00:00:00Z")


def test_a_time_outside_the_trace_is_a_value_error(fixtures):
    trace = chase.TraceSource(str(fixtures / "traces" / "step-change.csv"))
    with pytest.raises(ValueError):
        trace.at("2021-01-01T00:00:00Z")
    with pytest.raises(TypeError):
        trace.at(12345)


def test_a_region_is_the_data_files_figure():
    with open(DATA / "regions" / "electricitymaps-yearly.csv", newline="") as f:
        rows = {(r["zone"], int(r["year"])): float(r["intensity_g_per_kwh"]) for r in csv.DictReader(f)}
    for name in ("DEU", "DE", "Germany"):
        source = chase.RegionSource(name, year=2024)
        assert source.intensity_g_per_kwh == rows[("DE", 2024)]
        assert source.at().intensity_g_per_kwh == rows[("DE", 2024)]
    assert chase.RegionSource("DEU").year == 2024
    assert chase.RegionSource("DEU", year=2021).intensity_g_per_kwh == rows[("DE", 2021)]
    with pytest.raises(ValueError, match="2001"):
        chase.RegionSource("DEU", year=2001)


def test_the_catalog_lists_the_regions():
    regions = {r["key"]: r for r in chase.regions()}
    de = regions["DE"]
    assert de["name"] == "Germany"
    assert 2024 in de["years"]
    assert de["intensity_g_per_kwh"] == chase.RegionSource("DE").intensity_g_per_kwh
    assert chase.region("germany")["key"] == "DE"


def test_a_live_provider_falls_back_to_its_region_without_network(tmp_path):
    source = chase.LiveSource("uk-carbon-intensity", base_url="http://127.0.0.1:9", cache=str(tmp_path / "c.sqlite"),
                              timeout_s=1)
    reading = source.at()
    assert reading.fallback
    assert source.last_failure is not None
    assert reading.intensity_g_per_kwh == chase.region("GB")["intensity_g_per_kwh"]


def test_an_unknown_provider_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="electricitymaps"):
        chase.LiveSource("nope", cache=str(tmp_path / "c.sqlite"))
