"""Licence hygiene of the package data: every data file has a licence line in NOTICE, and no
packaged file is under a non-commercial licence (the default wheel must be usable commercially)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

NOTICE_HEADING = "Licence of every packaged data file"
# A licence that forbids commercial use: CC BY-NC, CC BY-NC-SA, CC BY-NC-ND, or said in words.
NON_COMMERCIAL = re.compile(r"\bNC\b|-NC-|non-?commercial", re.IGNORECASE)


def data_dir() -> Path:
    return Path(str(resources.files("rasad") / "data"))


def packaged_data_files(root: Path) -> list[str]:
    """Paths (under `root`, with /) of the files the wheel ships from it besides Python code.

    The wheel takes the whole of src/rasad (pyproject.toml), less what git ignores
    (__pycache__, compiled files)."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or "__pycache__" in relative.parts:
            continue
        if path.suffix in (".py", ".pyc", ".pyo"):
            continue
        found.append(relative.as_posix())
    return found


def notice_licences(text: str) -> dict[str, str]:
    """The «path | licence» lines under NOTICE's list of packaged files."""
    _, heading, rest = text.partition(NOTICE_HEADING)
    if not heading:
        raise AssertionError(f"NOTICE has no section {NOTICE_HEADING!r}")
    licences: dict[str, str] = {}
    for line in rest.splitlines():
        path, bar, licence = line.strip().partition(" | ")
        if bar and path and licence.strip():
            licences[path] = licence.strip()
    return licences


@pytest.fixture(scope="module")
def licences() -> dict[str, str]:
    return notice_licences((data_dir() / "NOTICE").read_text(encoding="utf-8"))


def test_every_packaged_data_file_has_a_notice_line(licences: dict[str, str]) -> None:
    files = packaged_data_files(data_dir())
    assert "ner/model.crfsuite" in files  # the walk does see the data
    missing = [path for path in files if path not in licences]
    assert not missing, f"packaged data files without a licence line in NOTICE: {missing}"


def test_notice_lists_no_file_that_is_not_packaged(licences: dict[str, str]) -> None:
    files = set(packaged_data_files(data_dir()))
    stale = sorted(path for path in licences if path not in files)
    assert not stale, f"NOTICE lists files the package does not have: {stale}"


def test_no_packaged_file_is_non_commercial(licences: dict[str, str]) -> None:
    flagged = {path: licences[path] for path in packaged_data_files(data_dir())
               if NON_COMMERCIAL.search(licences.get(path, ""))}
    assert not flagged, f"packaged files under a non-commercial licence: {flagged}"


def test_checks_can_fail(tmp_path: Path) -> None:
    """The helpers catch an unlisted file and an NC licence (so the tests above can fail)."""
    (tmp_path / "ner").mkdir()
    (tmp_path / "ner" / "clusters.tsv.gz").write_bytes(b"")
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "__init__.py").write_text("")
    listed = notice_licences(f"{NOTICE_HEADING}\n  a.yaml | CC BY-NC-SA 4.0\n")
    assert packaged_data_files(tmp_path) == ["a.yaml", "ner/clusters.tsv.gz"]
    assert "ner/clusters.tsv.gz" not in listed
    assert NON_COMMERCIAL.search(listed["a.yaml"])
    for ok in ("CC BY-SA 4.0", "Apache-2.0", "CC BY 4.0 (GeoNames)", "Unicode License v3"):
        assert not NON_COMMERCIAL.search(ok)
    for bad in ("CC BY-NC 4.0", "CC BY-NC-ND 4.0", "research use only, non-commercial"):
        assert NON_COMMERCIAL.search(bad)
