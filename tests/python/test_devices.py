"""discover() through the hardware seams: the fake NVML library, fixture powercap trees, /proc."""

import chase


def test_the_fake_gpus_with_their_names_and_limits(fake_nvml, fixtures):
    library = fake_nvml("two-gpus.json")
    found = chase.discover(nvml_library=library, powercap_root=str(fixtures / "rapl" / "intel-2socket"))
    assert [d.id for d in found.devices] == ["nvml:0", "nvml:1", "rapl:package-0", "rapl:package-0/dram",
                                             "rapl:package-1", "rapl:package-1/dram"]
    a40, v100 = found.devices[0], found.devices[1]
    assert (a40.name, a40.backend, a40.estimated) == ("NVIDIA A40", "nvml", False)
    assert a40.uuid == "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"
    assert a40.supports_power_limit
    assert a40.power_limit_w == 300
    assert a40.power_limit_range_w == (100, 300)
    assert v100.name == "Tesla V100-SXM2-32GB"
    assert v100.power_limit_w == 250
    assert v100.default_power_limit_w == 300
    assert v100.power_limit_range_w == (150, 300)
    states = {b.backend: b.state for b in found.backends}
    assert states == {"nvml": "available", "rapl": "available", "estimated": "not-used"}
    assert {d["id"] for d in found.to_dict()["devices"]} == {d.id for d in found.devices}


def test_setting_a_limit_changes_the_power_the_fake_draws(fake_nvml):
    library = fake_nvml("two-gpus.json")
    a40 = chase.discover(nvml_library=library, powercap_root="/nonexistent", devices=["nvml:0"]).devices[0]
    assert a40.power_w() == 240  # power_at_limit_w at 300 W
    a40.set_power_limit_w(200)
    assert a40.power_limit_w == 200
    assert a40.power_w() == 180


def test_the_environment_names_the_library_as_for_the_cli(fake_nvml, monkeypatch):
    monkeypatch.setenv("CHASE_NVML_LIBRARY", fake_nvml("two-gpus.json"))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    found = chase.discover(powercap_root="/nonexistent", devices=["nvml"])
    assert [d.name for d in found.devices] == ["Tesla V100-SXM2-32GB"]
    hidden = [e for e in found.not_metered if e.backend == "nvml"]
    assert [e.name for e in hidden] == ["NVIDIA A40"]
    assert "CUDA_VISIBLE_DEVICES" in hidden[0].reason


def test_without_gpus_or_rapl_the_cpu_is_estimated(fixtures):
    found = chase.discover(nvml_library="/nonexistent/libnvidia-ml.so", powercap_root="/nonexistent",
                           proc_root=str(fixtures / "proc" / "before"))
    assert [d.id for d in found.devices] == ["estimated:cpu"]
    cpu = found.devices[0]
    assert cpu.estimated
    # The TDP comes from the preset /proc/cpuinfo names (a Xeon Gold 6248: 150 W).
    assert "150" in cpu.detail
    assert {e.id: e.metering for e in found.metering} == {"nvml": "none", "rapl": "none", "estimated:cpu": "estimate"}


def test_a_device_name_that_matches_nothing_is_a_value_error(fixtures):
    try:
        chase.discover(nvml_library="/nonexistent", powercap_root="/nonexistent",
                       proc_root=str(fixtures / "proc" / "before"), devices=["nvml:7"])
    except ValueError as e:
        assert "nvml:7" in str(e) and "estimated:cpu" in str(e)
    else:
        raise AssertionError("no ValueError")
