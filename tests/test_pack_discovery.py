"""Finding installed rule packs without importlib.metadata: the same packs, the same order.

The registry reads the ``entry_points.txt`` files on ``sys.path`` itself (importing
importlib.metadata costs a ten-entry audit a sixth of its time). These tests build
distributions in temporary folders and check that the scan finds exactly what
``importlib.metadata.entry_points`` finds, and falls back to it where it cannot read the path.
"""

import importlib.metadata
import sys
import textwrap
import zipfile
from importlib.machinery import PathFinder

import pytest

from t86audit.exceptions import PackLoadError
from t86audit.registry import ENTRY_POINT_GROUP, _scan_entry_points, load_packs


PACK_MODULE = textwrap.dedent(
    """
    from t86audit.rules import RulePack
    PACK = RulePack(name="{name}", version="1.0", prefixes=("{prefix}",), rules=())
    """
)


def _distribution(folder, dist, version, entries, *, metadata_name=None, egg=False):
    """Write a distribution's metadata folder holding ``entries`` (an entry_points.txt)."""
    suffix = "egg-info" if egg else "dist-info"
    info = folder / f"{dist}-{version}.{suffix}"
    info.mkdir(parents=True)
    (info / ("PKG-INFO" if egg else "METADATA")).write_text(
        f"Metadata-Version: 2.1\nName: {metadata_name or dist}\nVersion: {version}\n\nbody\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(entries), encoding="utf-8")
    return info


def _found(eps):
    return sorted((ep.name, ep.value, ep.dist.name) for ep in eps)


def _scan(group):
    """The scan's answer as it is where no import hook finds distributions of its own.

    The importlib_metadata backport (Dask imports it) adds such a hook; with it there the scan
    rightly hands over to importlib.metadata (see the last test), so it is hidden here, and
    only here: importlib.metadata, compared against, keeps it (the backport disables the
    standard library's own finder).
    """
    kept = sys.meta_path
    # The backport also takes the standard finder's find_distributions away: put it back.
    restore = not hasattr(PathFinder, "find_distributions")
    if restore:
        setattr(PathFinder, "find_distributions", classmethod(_standard_find))  # noqa: B010
    sys.meta_path = [f for f in kept if f is PathFinder or not hasattr(f, "find_distributions")]
    try:
        return _scan_entry_points(group)
    finally:
        sys.meta_path = kept
        if restore:
            delattr(PathFinder, "find_distributions")


def _standard_find(cls, *args, **kwargs):
    """The standard library's PathFinder.find_distributions (Python 3.11)."""
    return importlib.metadata.MetadataPathFinder.find_distributions(*args, **kwargs)


@pytest.fixture
def on_path(monkeypatch):
    """Put folders first on sys.path for one test (and forget imported pack modules)."""

    def put(*folders):
        for folder in reversed(folders):
            monkeypatch.syspath_prepend(str(folder))
        importlib.invalidate_caches()

    yield put
    for name in [m for m in sys.modules if m.startswith("acme_pack")]:
        del sys.modules[name]


def test_the_scan_finds_what_importlib_metadata_finds(tmp_path, on_path):
    """Packs of several distributions, comments, blank lines, other groups and spacing."""
    (tmp_path / "acme_pack_one.py").write_text(
        PACK_MODULE.format(name="acme-one", prefix="ACM"), encoding="utf-8"
    )
    (tmp_path / "acme_pack_two.py").write_text(
        PACK_MODULE.format(name="acme-two", prefix="ACN"), encoding="utf-8"
    )
    _distribution(
        tmp_path,
        "acme_rules",
        "1.0",
        f"""
        # a comment
        [console_scripts]
        acme = acme_pack_one:main

        [{ENTRY_POINT_GROUP}]
        one   =   acme_pack_one:PACK
        """,
        metadata_name="Acme-Rules",
    )
    _distribution(tmp_path, "acme.more", "2.0", f"[{ENTRY_POINT_GROUP}]\ntwo=acme_pack_two:PACK\n")
    _distribution(tmp_path, "unrelated", "0.1", "[console_scripts]\nx = y:z\n")
    on_path(tmp_path)

    scanned = _scan(ENTRY_POINT_GROUP)
    expected = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)

    assert scanned is not None
    assert _found(scanned) == _found(expected)
    assert ("one", "acme_pack_one:PACK", "Acme-Rules") in _found(scanned)
    names = [pack.name for pack in load_packs()]
    assert names == ["core", "acme-one", "acme-two"]  # entry-point name order: core, one, two


def test_the_first_distribution_of_a_name_on_the_path_wins(tmp_path, on_path):
    """A distribution installed in two folders counts once, from the folder first on the path."""
    first, second = tmp_path / "first", tmp_path / "second"
    _distribution(first, "acme_rules", "2.0", f"[{ENTRY_POINT_GROUP}]\nnew = acme_pack:NEW\n")
    _distribution(second, "Acme.Rules", "1.0", f"[{ENTRY_POINT_GROUP}]\nold = acme_pack:OLD\n")
    on_path(first, second)

    scanned = _scan(ENTRY_POINT_GROUP)

    assert scanned is not None
    assert _found(scanned) == _found(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    assert "old" not in {ep.name for ep in scanned}


def test_an_egg_info_folder_is_read_too(tmp_path, on_path):
    """A development install's ``*.egg-info`` declares packs as a ``*.dist-info`` does."""
    _distribution(
        tmp_path, "acme_dev", "0.0", f"[{ENTRY_POINT_GROUP}]\ndev = acme_pack:P\n", egg=True
    )
    on_path(tmp_path)

    scanned = _scan(ENTRY_POINT_GROUP)

    assert scanned is not None
    assert _found(scanned) == _found(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    assert ("dev", "acme_pack:P", "acme_dev") in _found(scanned)


def test_a_zip_archive_on_the_path_falls_back_to_importlib_metadata(tmp_path, on_path):
    """The scan does not read archives: it says so, and the packs still load."""
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("acme_pack_zip.py", PACK_MODULE.format(name="acme-zip", prefix="ACZ"))
        zipped.writestr(
            "acme_zip-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: acme-zip\n"
        )
        zipped.writestr(
            "acme_zip-1.0.dist-info/entry_points.txt",
            f"[{ENTRY_POINT_GROUP}]\nzip = acme_pack_zip:PACK\n",
        )
    on_path(archive)

    assert _scan(ENTRY_POINT_GROUP) is None
    assert [pack.name for pack in load_packs()] == ["core", "acme-zip"]
    sys.modules.pop("acme_pack_zip", None)


def test_a_broken_pack_found_by_the_scan_is_named_by_its_distribution(tmp_path, on_path):
    """The error names the distribution as its metadata spells it, and the entry point."""
    _distribution(
        tmp_path,
        "acme_rules",
        "1.0",
        f"[{ENTRY_POINT_GROUP}]\nbroken = acme_pack_missing:PACK\n",
        metadata_name="Acme-Rules",
    )
    on_path(tmp_path)

    with pytest.raises(PackLoadError, match=r"Acme-Rules\[broken\]"):
        load_packs()
    with pytest.warns(RuntimeWarning, match=r"Acme-Rules\[broken\]"):
        assert [pack.name for pack in load_packs(on_error="warn")] == ["core"]


def test_an_entry_point_naming_an_attribute_path_loads_it(tmp_path, on_path):
    """``module:outer.inner`` loads the nested attribute, as importlib.metadata does."""
    (tmp_path / "acme_pack_nested.py").write_text(
        PACK_MODULE.format(name="acme-nested", prefix="ACX")
        + "\nclass Holder:\n    pack = PACK\n",
        encoding="utf-8",
    )
    _distribution(
        tmp_path,
        "acme_nested",
        "1.0",
        f"[{ENTRY_POINT_GROUP}]\nn = acme_pack_nested:Holder.pack\n",
    )
    on_path(tmp_path)

    assert [pack.name for pack in load_packs()] == ["core", "acme-nested"]


class _OwnFinder:
    """An import hook that finds distributions of its own (as importlib_metadata's does)."""

    def find_spec(self, *args):
        return None

    def find_distributions(self, *args, **kwargs):
        return iter(())


def test_an_import_hook_finding_distributions_hands_over_to_importlib_metadata(monkeypatch):
    """The scan reads only folders; with a hook of its own on the path, importlib decides."""
    monkeypatch.setattr(sys, "meta_path", [_OwnFinder(), *sys.meta_path])

    assert _scan_entry_points(ENTRY_POINT_GROUP) is None
    assert [pack.name for pack in load_packs()] == ["core"]


def test_what_the_scan_could_read_otherwise_is_left_to_importlib_metadata(tmp_path, on_path):
    """An egg (linked under its name), a folder named in capitals, a line without '=' and
    a path without the standard finder: the scan hands over instead of guessing."""
    unpacked = tmp_path / "unpacked"
    (unpacked / "EGG-INFO").mkdir(parents=True)
    egg = tmp_path / "acme_egg-1.0.egg"
    egg.symlink_to(unpacked, target_is_directory=True)
    capitals = tmp_path / "capitals"
    _distribution(capitals, "acme_caps", "1.0", f"[{ENTRY_POINT_GROUP}]\nc = acme_pack:P\n")
    (capitals / "acme_caps-1.0.dist-info").rename(capitals / "Acme_Caps-1.0.DIST-INFO")
    no_equals = tmp_path / "no_equals"
    _distribution(no_equals, "acme_odd", "1.0", "[console_scripts]\njust a name\n")

    for folder in (egg, capitals, no_equals):
        with pytest.MonkeyPatch.context() as patch:
            patch.syspath_prepend(str(folder))
            assert _scan(ENTRY_POINT_GROUP) is None, folder.name
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "meta_path", [f for f in sys.meta_path if f is not PathFinder])
        assert _scan(ENTRY_POINT_GROUP) is None


def test_a_name_header_in_lower_case_names_the_distribution(tmp_path, on_path):
    """Metadata header names ignore case, as importlib.metadata reads them."""
    info = _distribution(
        tmp_path, "acme_low", "1.0", f"[{ENTRY_POINT_GROUP}]\nlow = acme_pack_missing:P\n"
    )
    (info / "METADATA").write_text("Metadata-Version: 2.1\nname: Acme-Low\n", encoding="utf-8")
    on_path(tmp_path)

    assert _found(_scan(ENTRY_POINT_GROUP))[-1] == ("low", "acme_pack_missing:P", "Acme-Low")
