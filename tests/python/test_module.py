"""The package imports, says its version, and its stubs cover every public name."""

import ast
import re
from pathlib import Path

import chase


def test_version_is_the_projects():
    cmake = (Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text()
    version = re.search(r"project\(chase VERSION ([0-9.]+)", cmake).group(1)
    assert chase.__version__ == version


def test_every_public_name_is_in_the_stubs():
    stub = Path(chase.__file__).with_name("_chase.pyi")
    tree = ast.parse(stub.read_text())
    stubbed = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stubbed.add(node.target.id)
        elif isinstance(node, ast.Assign):
            stubbed.update(t.id for t in node.targets if isinstance(t, ast.Name))
    # Names written in Python (chase/tracking.py) carry their own annotations.
    pure = {name for name in chase.__all__ if getattr(getattr(chase, name), "__module__", "") == "chase.tracking"}
    assert pure == {"Run", "track"}
    missing = [name for name in chase.__all__ if name not in stubbed | pure]
    assert missing == []


def test_every_bound_name_is_exported():
    bound = {name for name in dir(chase._chase) if not name.startswith("_")}
    assert bound - set(chase.__all__) == set()


def test_results_document_their_units():
    assert "J" in chase.Device.energy_j.__doc__
    assert "gCO2e" in chase.Measurement.carbon_g.__doc__
