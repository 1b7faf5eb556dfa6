"""The Patterson estimator: Table 4 rows, the formula, presets and what-ifs."""

import pytest

import chase


def test_gpt3_row_of_table_4_from_numbers():
    # Patterson et al. 2021, Table 4, GPT-3: 14.8 days on 10,000 V100 at 330 W, PUE 1.10,
    # 0.429 kgCO2e/kWh; the paper: 1,287 MWh and 552 tCO2e.
    e = chase.estimate(hours=14.8 * 24, processors=10_000, power_w=330, pue=1.10, intensity_g_per_kwh=429)
    assert e.energy_kwh == pytest.approx(14.8 * 24 * 10_000 * 330 * 1.10 / 1000, rel=1e-12)
    assert e.energy_mwh == pytest.approx(1287, rel=0.005)
    assert e.co2e_t == pytest.approx(552.1, rel=0.005)
    assert e.co2e_kg == pytest.approx(e.energy_kwh * 0.429, rel=1e-12)
    assert not e.headline_is_net


def test_the_preset_beside_the_papers_figures():
    e = chase.estimate_preset("gpt-3")
    assert e.preset == "gpt-3"
    assert e.published_energy_mwh == 1287
    assert e.published_co2e_net_t == 552.1
    assert e.energy_mwh == pytest.approx(e.published_energy_mwh, rel=0.005)
    assert e.to_dict()["published_energy_mwh"] == 1287


def test_evolved_transformer_nas_worked_formula():
    # Appendix D: 6.8 d x 24 x 200 x 208 W x 1.10 = 7,468 kWh; x 0.431 kg/kWh = 3.2 t.
    e = chase.estimate(hours=6.8 * 24, processors=200, power_w=208, pue=1.10, intensity_g_per_kwh=431)
    assert e.energy_kwh == pytest.approx(6.8 * 24 * 200 * 208 * 1.10 / 1000, rel=1e-12)
    assert e.co2e_t == pytest.approx(3.2, abs=0.05)


def test_presets_and_regions_resolve_as_for_the_cli():
    e = chase.estimate(hours=84, processors=8, processor="p100", datacenter="us-average-2020", region="DE", year=2024)
    assert e.power_w == 271  # P100's measured average (Table 3)
    assert e.intensity_g_per_kwh == 341
    assert e.region == "DE"
    assert e.energy_kwh == pytest.approx(84 * 8 * 271 * e.pue / 1000, rel=1e-12)
    assert e.to_dict()["energy_kwh"] == pytest.approx(e.energy_kwh)


def test_cfe_view():
    e = chase.estimate(hours=1000, processors=1, power_w=1000, pue=1.0, intensity_g_per_kwh=201, cfe=0.73)
    assert e.co2e_24x7_cfe_kg == pytest.approx(1000 * 0.201 * 0.27, rel=1e-12)


def test_an_unknown_region_names_the_keyword():
    with pytest.raises(ValueError) as raised:
        chase.estimate(hours=1, processors=1, power_w=300, pue=1.1, region="germny")
    assert str(raised.value) == "region: unknown region 'germny' (did you mean: Germany (DE)?)"


def test_what_if_a_cleaner_grid_divides_co2e_by_the_intensity_ratio():
    base = chase.estimate(hours=100, processors=8, power_w=300, pue=1.5, intensity_g_per_kwh=400)
    report = chase.compare(base, to_intensity_g_per_kwh=100, to_pue=1.1)
    location, datacenter = report.rows
    assert location.factor == "location"
    assert location.step_factor == pytest.approx(4)
    assert datacenter.step_factor == pytest.approx(1.5 / 1.1)
    assert report.combined_factor == pytest.approx(4 * 1.5 / 1.1)
    assert report.baseline_co2e_kg == pytest.approx(base.co2e_kg)
    with pytest.raises(ValueError, match="speedup"):
        chase.compare(base, to_processor="tpu-v3")
