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
    names = ("ConfigError", "HorizonError", "InfeasibleError", "MailError", "MissingPackageError", "PlanFileError")
    for name in (*names, "UnreadableFile", "UsageError"):
        assert issubclass(getattr(rotation, name), rotation.RotationError)
    assert issubclass(rotation.RotationError, ValueError)


def test_every_error_is_defined_once_in_the_error_module_and_exported():
    """The error tree lives in `rotation.errors`; the modules that raise an error re-export the same class."""
    import inspect

    from calendars import mail
    from rotation import documents, errors, files

    tree = {name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, Exception)}
    assert tree <= set(rotation.__all__)
    assert tree == set(errors.__all__) & tree
    for name in tree:
        assert getattr(rotation, name).__module__ == "rotation.errors"
        assert f"{name} " in errors.__doc__  # the tree in the docstring names it, with its exit code
    assert mail.MailError is rotation.MailError
    assert documents.MissingPackageError is rotation.MissingPackageError
    assert files.UnreadableFile is rotation.UnreadableFile
    codes = {name: getattr(rotation, name).exit_code for name in tree}
    assert codes["InfeasibleError"] == errors.EXIT_INFEASIBLE
    assert {code for name, code in codes.items() if name != "InfeasibleError"} == {errors.EXIT_INPUT}


def test_import_loads_only_what_a_command_needs():
    """replan, alternatives and explain load when first used; a submodule import leaves the function in place."""
    code = (
        "import sys, rotation; "
        "later = ('rotation.replan', 'rotation.alternatives', 'rotation.explain'); "
        "print(sorted(m for m in later if m in sys.modules)); "
        "import rotation.replan, rotation.validate; "
        "print(callable(rotation.replan), callable(rotation.validate), rotation.Changes.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "True True rotation.replan.records"]


def test_the_dutch_holidays_without_every_country_of_the_holidays_package():
    code = (
        "import sys, datetime as dt; from calendars.blackouts import public_holidays, school_holidays; "
        "print(len(public_holidays('NL', dt.date(2023, 1, 1), dt.date(2023, 12, 31)))); "
        "print(len(school_holidays('NL', 'Noord', dt.date(2023, 1, 1), dt.date(2023, 12, 31)))); "
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries'))); "
        "import holidays; print(holidays.country_holidays('BE', years=2023).get('2023-07-21'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    public, school, modules, belgian = out.splitlines()
    assert int(public) >= 8 and int(school) >= 5
    assert modules == "['holidays.countries.netherlands']"
    assert belgian != "None"  # the rest of the package still works


def test_the_committee_validator_and_the_reader_do_not_import_each_other():
    """Both hold a committee to the limits of `rotation.limits`; the validator needs no reader, the reader no solver."""
    code = (
        "import sys, rotation.committee_check; print('rotation.config' in sys.modules); "
        "import rotation.config; print(sorted(m for m in ('rotation.solve', 'rotation.model') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["False", "[]"]
