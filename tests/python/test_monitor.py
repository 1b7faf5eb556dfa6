"""Monitor windows on the fake GPUs: energy from the fixture's counter arithmetic, carbon from it."""

import pytest

import chase

# The fake adds power x 0.1 s to a GPU's counter at each read (energy_mode per_call); the A40
# draws 240 W at its 300 W limit, the V100 140 + (250 - 150) / 150 x 140 W at 250 W.
A40_J_PER_READ = 240 * 0.1
V100_J_PER_READ = (140 + (250 - 150) / 150 * 140) * 0.1
# A sampling period so long that only the window's own reads happen (begin and end).
NO_SAMPLING_MS = 3_600_000


@pytest.fixture
def gpus(fake_nvml):
    library = fake_nvml("two-gpus.json")
    return chase.discover(nvml_library=library, powercap_root="/nonexistent", devices=["nvml"])


def test_a_window_is_one_read_of_each_gpu(gpus):
    with chase.Monitor(gpus, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("epoch")
        m = monitor.end_window("epoch")
    assert m.name == "epoch"
    assert m.energy_per_device_j["nvml:0"] == pytest.approx(A40_J_PER_READ, abs=1e-3)
    assert m.energy_per_device_j["nvml:1"] == pytest.approx(V100_J_PER_READ, abs=1e-3)
    assert m.energy_j == pytest.approx(A40_J_PER_READ + V100_J_PER_READ, abs=2e-3)
    assert m.carbon_g is None and m.source is None
    assert not m.estimated and m.estimated_devices == []
    assert m.time_s >= 0
    assert [d.id for d in m.devices] == ["nvml:0", "nvml:1"]
    assert m.to_dict()["energy_j"] == pytest.approx(m.energy_j)


def test_carbon_is_energy_times_the_regions_intensity(gpus):
    region = chase.RegionSource("DE", year=2024)
    with chase.Monitor(gpus, source=region, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("w")
        m = monitor.end_window("w")
    assert m.source == "static:DE"
    assert m.carbon_g == pytest.approx(m.energy_j / 3.6e6 * 341, rel=1e-9)
    assert [s.intensity_g_per_kwh for s in m.segments] == [341]


def test_carbon_at_a_constant_intensity(gpus):
    with chase.Monitor(gpus, source=500, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("w")
        m = monitor.end_window("w")
    assert m.carbon_g == pytest.approx(m.energy_j / 3.6e6 * 500, rel=1e-9)


def test_nested_and_overlapping_windows(gpus):
    with chase.Monitor(gpus, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("outer")   # read 1
        monitor.begin_window("inner")   # read 2
        assert monitor.open_windows == ["inner", "outer"]
        inner = monitor.end_window("inner")  # read 3
        monitor.begin_window("overlap")      # read 4
        outer = monitor.end_window("outer")  # read 5
        overlap = monitor.end_window("overlap")  # read 6
    per_read = A40_J_PER_READ + V100_J_PER_READ
    assert inner.energy_j == pytest.approx(1 * per_read, abs=1e-2)
    assert outer.energy_j == pytest.approx(4 * per_read, abs=1e-2)
    assert overlap.energy_j == pytest.approx(2 * per_read, abs=1e-2)


def test_ending_an_unknown_window_names_the_open_ones(gpus):
    with chase.Monitor(gpus, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("train")
        monitor.begin_window("eval")
        with pytest.raises(ValueError) as raised:
            monitor.end_window("test")
        assert "test" in str(raised.value)
        assert "train" in str(raised.value) and "eval" in str(raised.value)
        with pytest.raises(ValueError):
            monitor.begin_window("train")


def test_the_sampler_runs_until_closed(gpus):
    monitor = chase.Monitor(gpus, interval_ms=1)
    monitor.begin_window("w")
    m = monitor.end_window("w")
    monitor.close()
    taken = monitor.samples
    assert taken >= 1
    monitor.close()
    assert monitor.samples == taken
    # Each read adds one step of the fake, so a window's energy is a whole number of reads.
    reads = m.energy_per_device_j["nvml:0"] / A40_J_PER_READ
    assert reads >= 1 and reads == pytest.approx(round(reads), abs=1e-6)


def test_an_estimated_cpu_is_marked(fixtures):
    cpu = chase.discover(nvml_library="/nonexistent", powercap_root="/nonexistent",
                         proc_root=str(fixtures / "proc" / "before"), cpu_tdp_w=100)
    with chase.Monitor(cpu, interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("w")
        m = monitor.end_window("w")
    assert m.estimated and m.estimated_devices == ["estimated:cpu"]


def test_devices_by_id_and_a_wrong_type(fake_nvml, monkeypatch):
    monkeypatch.setenv("CHASE_NVML_LIBRARY", fake_nvml("two-gpus.json"))
    with chase.Monitor(devices=["nvml:1"], interval_ms=NO_SAMPLING_MS) as monitor:
        monitor.begin_window("w")
        assert list(monitor.end_window("w").energy_per_device_j) == ["nvml:1"]
    with pytest.raises(TypeError, match="devices: 42 is not a Devices, a list of Device, or device ids/backends"):
        chase.Monitor(devices=42)


def test_a_bool_is_not_an_intensity(gpus):
    with pytest.raises(TypeError, match="source: expected an IntensitySource or a constant intensity"):
        chase.Monitor(gpus, source=True)
