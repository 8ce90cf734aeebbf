"""What importing t86audit loads: public names resolve on first use, heavy modules stay unloaded.

The command line imports the package before it runs, so everything imported up front is paid by
every ``t86audit`` command (the ten-entry audit of benchmarks/README.md). These tests pin which
modules load, not how long anything takes.
"""

import subprocess
import sys
from pathlib import Path

import pytest

import t86audit
from t86audit import reference


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"


def _modules_after(code: str) -> set[str]:
    """The modules loaded in a fresh interpreter after running ``code``."""
    script = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(result.stdout.split())


def test_importing_the_package_loads_no_submodule():
    """import t86audit defines the public names without importing the modules behind them."""
    loaded = _modules_after("import t86audit")

    assert not {m for m in loaded if m.startswith("t86audit.")}


@pytest.mark.parametrize("name", t86audit.__all__)
def test_every_public_name_resolves(name):
    """Each name in __all__ is reachable as an attribute and through from-import."""
    namespace: dict[str, object] = {}
    exec(f"from t86audit import {name}", namespace)

    assert namespace[name] is getattr(t86audit, name)


def test_public_names_are_listed_and_unknown_names_fail():
    """dir() lists the public names before they are used; a misspelt name is an AttributeError."""
    assert set(t86audit.__all__) <= set(dir(t86audit))
    with pytest.raises(AttributeError, match="no attribute 'audti'"):
        _ = t86audit.audti


def test_submodules_are_reachable_from_a_bare_import():
    """After a bare import t86audit, t86audit.reference and friends resolve as before."""
    code = (
        "import t86audit\n"
        "assert t86audit.reference.hts_schedule is not None\n"
        "assert t86audit.io.load is t86audit.load\n"
        "assert t86audit.rules.BUILTIN_PACK.name == 'core'\n"
    )

    loaded = _modules_after(code)

    assert {"t86audit.reference", "t86audit.io", "t86audit.rules"} <= loaded


def test_public_names_are_the_objects_of_their_modules():
    """A lazily resolved name is the very object its module defines."""
    from t86audit.api import audit  # noqa: PLC0415
    from t86audit.io import load  # noqa: PLC0415
    from t86audit.report import Report  # noqa: PLC0415

    assert t86audit.audit is audit
    assert t86audit.load is load
    assert t86audit.Report is Report


def test_a_plain_audit_from_the_command_line_loads_only_what_it_needs(tmp_path):
    """Auditing a CSV of plain date-times to JSON needs no sampling module, no dateutil, no
    file-reading half of the reference module and none of the standard modules named below."""
    output = tmp_path / "report.json"
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['t86audit', 'audit', {str(EXAMPLES / 'entries-2.csv')!r},"
        f" '--format', 'json', '--output', {str(output)!r}]\n"
        "try:\n"
        "    runpy.run_module('t86audit', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
    )

    loaded = _modules_after(code)

    assert output.stat().st_size > 0
    assert "t86audit.api" in loaded
    assert not {"t86audit.sample", "t86audit.reference._files", "dateutil"} & loaded
    # Standard modules a ten-entry audit does without (each costs it milliseconds): pack
    # discovery reads entry_points.txt itself, package data is read beside the code, the
    # report is written without tempfile, and the rest load only on the paths that use them.
    assert (
        not {
            "importlib.metadata",
            "importlib.resources",
            "multiprocessing",
            "tempfile",
            "logging",
            "statistics",
            "difflib",
        }
        & loaded
    )


def test_the_rule_listing_loads_no_engine_loader_or_report():
    """t86audit rules needs the registry and the rules, not the engine, loaders or report."""
    code = (
        "import contextlib, io, runpy, sys\n"
        "sys.argv = ['t86audit', 'rules']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        runpy.run_module('t86audit', run_name='__main__')\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
    )

    loaded = _modules_after(code)

    assert "t86audit.rules" in loaded
    assert not {"t86audit.engine", "t86audit.io", "t86audit.report", "t86audit.api"} & loaded


def test_reference_file_readers_load_on_first_use():
    """t86audit.reference leaves its file readers and user tables unloaded until one is used."""
    loaded = _modules_after("import t86audit.reference as r\nr.hts_schedule().is_valid('61')")
    used = _modules_after("from t86audit.reference import QuotaTable")

    assert "t86audit.reference._files" not in loaded
    assert "t86audit.reference._files" in used


def test_reference_names_from_the_file_readers_resolve():
    """Names defined by the file-reading module are public names of t86audit.reference."""
    from t86audit.reference import _files as _reference_io  # noqa: PLC0415

    for name in _reference_io.__all__:
        assert name in reference.__all__
        assert getattr(reference, name) is getattr(_reference_io, name)
        assert name in dir(reference)
    with pytest.raises(AttributeError, match="no attribute 'QuotaTabel'"):
        _ = reference.QuotaTabel


def test_reference_forwards_exactly_the_names_its_private_module_defines():
    """The lazily forwarded names are listed twice (to keep the import lazy): they must agree."""
    from t86audit.reference import _files as _reference_io  # noqa: PLC0415

    # The names forwarded are the public ones the module does not define before any is used.
    code = "import t86audit.reference as r\nprint(*(n for n in r.__all__ if n not in vars(r)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    forwarded = result.stdout.split()

    assert set(forwarded) == set(_reference_io.__all__)
    for name in forwarded:
        assert getattr(reference, name) is getattr(_reference_io, name)
