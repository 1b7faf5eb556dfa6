"""The library's errors arrive as Python exceptions with the library's one-line messages."""

import pytest

import chase


def test_unknown_region_is_a_value_error_with_the_librarys_message():
    with pytest.raises(ValueError) as raised:
        chase.RegionSource("germny")
    assert str(raised.value) == "unknown region 'germny' (did you mean: Germany (DE)?)"


def test_a_missing_trace_file_names_the_path(tmp_path):
    missing = tmp_path / "no-such-trace.csv"
    with pytest.raises(ValueError) as raised:
        chase.TraceSource(str(missing))
    assert str(missing) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_bad_trace_names_file_and_line(fixtures):
    path = fixtures / "traces" / "bad-value.csv"
    with pytest.raises(ValueError) as raised:
        chase.TraceSource(str(path))
    assert str(raised.value).startswith(f"{path}:")


def test_the_hierarchy():
    assert issubclass(chase.HardwareError, chase.ChaseError)
    assert issubclass(chase.NetworkError, chase.ChaseError)
    assert issubclass(chase.ChasePermissionError, chase.HardwareError)
    assert issubclass(chase.ChasePermissionError, PermissionError)
    assert not issubclass(chase.ChaseError, ValueError)


def test_setting_a_limit_without_the_privilege_is_a_permission_error(fake_nvml):
    library = fake_nvml("no-permission.json")
    devices = chase.discover(nvml_library=library, powercap_root="/nonexistent", devices=["nvml"])
    gpu = devices.devices[0]
    with pytest.raises(chase.ChasePermissionError) as raised:
        gpu.set_power_limit_w(200)
    assert isinstance(raised.value, PermissionError)
    assert "nvidia-smi" in str(raised.value)


def test_a_device_without_a_limit_is_a_hardware_error(fixtures):
    devices = chase.discover(nvml_library="/nonexistent/libnvidia-ml.so", powercap_root="/nonexistent",
                             proc_root=str(fixtures / "proc" / "before"), cpu_tdp_w=100)
    cpu = devices.devices[0]
    assert cpu.power_limit_w is None
    with pytest.raises(chase.HardwareError):
        cpu.set_power_limit_w(50)


def test_bad_keyword_values_are_value_errors():
    with pytest.raises(ValueError, match="missing processors"):
        chase.estimate(hours=10)
    with pytest.raises(ValueError, match="^processor: unknown processor 'h1000'"):
        chase.estimate(hours=10, processors=1, processor="h1000", pue=1.1, intensity_g_per_kwh=300)
    with pytest.raises(ValueError, match="interval_ms"):
        chase.Monitor(devices=[], interval_ms=0)
