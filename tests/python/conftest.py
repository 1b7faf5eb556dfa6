"""Shared fixtures of the Python module's tests.

ctest sets the environment (tests/python/CMakeLists.txt): PYTHONPATH (the built module),
CHASE_TEST_FAKE_NVML (the fake libnvidia-ml.so), CHASE_TEST_FIXTURES (tests/fixtures),
CHASE_TEST_CLI (the built chase binary), CHASE_TEST_CHASED (the built daemon) and XDG_DATA_HOME/XDG_CACHE_HOME inside the build tree.
"""

import os
from pathlib import Path

import pytest


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through ctest (tests/python/CMakeLists.txt)")
    return value


@pytest.fixture(autouse=True)
def limit_records(monkeypatch, tmp_path):
    """The records of the limits a controller holds without chased (limits/abandoned_limits.hpp)
    go to the test's own folder, inherited by the processes it starts: never /run/chase, and
    never another test's fake GPUs, which have the same UUIDs."""
    monkeypatch.setenv("CHASE_LIMIT_RECORDS_DIR", str(tmp_path / "limit-records"))
    monkeypatch.delenv("CHASE_DAEMON_SOCKET", raising=False)


@pytest.fixture
def fixtures() -> Path:
    return Path(_required("CHASE_TEST_FIXTURES"))


@pytest.fixture
def cli() -> str:
    return _required("CHASE_TEST_CLI")


@pytest.fixture
def fake_nvml(monkeypatch, fixtures):
    """Returns a function that points the fake NVML library at a fixture and gives its path."""
    library = _required("CHASE_TEST_FAKE_NVML")
    monkeypatch.delenv("CHASE_FAKE_NVML_STATE", raising=False)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.delenv("CHASE_NVML_LIBRARY", raising=False)

    def use(fixture: str) -> str:
        monkeypatch.setenv("CHASE_FAKE_NVML_FIXTURE", str(fixtures / "nvml" / fixture))
        return library

    return use
