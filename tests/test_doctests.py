"""Code examples in the docstrings run as tests, so they cannot drift from the code."""

import doctest
import importlib
import pkgutil

import pytest

import t86audit


MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(t86audit.__path__, "t86audit.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    """Every >>> example in the module's docstrings gives the output it shows."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert result.failed == 0
