"""The participation report as a PDF that assistive technology can read: PDF/UA-1, tagged, with
the document's language and title, headings and table headers in its structure tree."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.projects.sources_fake import fake_source, only_fake_sources  # noqa: F401 (fixtures)
from tests.projects.test_reports import project  # noqa: F401  (the seeded project fixture)

pytestmark = pytest.mark.django_db


def pdfinfo(content: bytes, tmp_path, *args: str) -> str:
    # poppler-utils (installed by .ci/run); a missing pdfinfo fails loudly, it never skips.
    assert shutil.which("pdfinfo"), "pdfinfo missing: apt-get install poppler-utils"
    path = tmp_path / "verslag.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", *args, str(path)], check=True, capture_output=True, text=True).stdout


def test_live_report_pdf_is_tagged_with_title_and_language(client, project, tmp_path):  # noqa: F811
    content = client.get(f"/projecten/{project.pk}/verslag.pdf").content
    info = pdfinfo(content, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+Participatieverslag: Herinrichting Marktplein$", info, re.MULTILINE), info
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # readers show the title, not the file name
    assert "/Metadata" in root  # PDF/UA's XMP identification


def test_report_pdf_structure_has_headings_and_table_headers(client, project, tmp_path):  # noqa: F811
    content = client.get(f"/projecten/{project.pk}/verslag.pdf").content
    tags = [line.split()[0].rstrip(":") for line in pdfinfo(content, tmp_path, "-struct").splitlines() if line.strip()]
    assert tags[0] == "Document"
    assert tags.count("H1") == 1 and "H2" in tags and "H3" in tags
    assert "Table" in tags and "TH" in tags and "TD" in tags
    assert "/Headers" in tags  # each data cell names its header cells


def test_frozen_report_pdf_is_tagged_and_named_by_version(project, tmp_path, settings, django_capture_on_commit_callbacks):  # noqa: F811
    from projects.reports import report_freeze

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # without Redis the PDF job runs in-process
        report = report_freeze(project=project)
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        info = pdfinfo(handle.read(), tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert "Title:           Participatieverslag: Herinrichting Marktplein, versie 1" in info
