"""The public surface: a sorted `__all__`, every name importable, and a light import."""

from __future__ import annotations

import subprocess
import sys

import rotation


def test_all_is_sorted_and_complete():
    assert rotation.__all__ == sorted(rotation.__all__)
    for name in rotation.__all__:
        assert hasattr(rotation, name), name
    public = {name for name in vars(rotation) if not name.startswith("_")}
    submodules = {name for name in public if type(getattr(rotation, name)).__name__ == "module"}
    assert public - submodules - {"annotations"} <= set(rotation.__all__)


def test_import_does_not_load_the_solver():
    """Importing the library (and so starting the command line) stays fast: OR-Tools loads when a plan is made."""
    code = "import sys, rotation, rotation.cli; print('ortools' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_errors_are_value_errors():
    for name in ("ConfigError", "HorizonError", "InfeasibleError", "PlanFileError"):
        assert issubclass(getattr(rotation, name), rotation.RotationError)
    assert issubclass(rotation.RotationError, ValueError)
