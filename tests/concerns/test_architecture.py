"""The app is part of the plugin: it never imports the demo host, and ``projects`` never imports it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST_IMPORT = re.compile(r"^\s*(from|import)\s+(home|participatie)(\.|\s|$)", re.M)


def test_concerns_never_imports_the_host():
    files = list((ROOT / "concerns").rglob("*.py"))
    assert len(files) > 10
    offenders = [str(p.relative_to(ROOT)) for p in files if HOST_IMPORT.search(p.read_text())]
    assert offenders == []


def test_projects_never_imports_concerns():
    pattern = re.compile(r"^\s*(from|import)\s+concerns(\.|\s|$)", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "projects").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []
