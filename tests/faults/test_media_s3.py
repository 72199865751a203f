"""Uploaded media on S3-compatible storage: the plugin's files go through the storage API only.

A real S3 server (moto's, over HTTP on a port of ours) stands in for the municipality's bucket;
django-storages talks to it exactly as it would to AWS or MinIO. Photos and report PDFs are
written through the site and read back over HTTP, from the storage's own URL and from the site.
"""

from __future__ import annotations

import io
import re
import socket
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from geo.models import Initiative, Moderation
from projects.models import Decision, ParticipationReport
from projects.reports import report_freeze
from tests.geo.factories import ThemeFactory, image_bytes
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db

S3_PORT = 7701
BUCKET = "gemeente-media"


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    assert _free(S3_PORT), f"port {S3_PORT} is taken: another S3 test still running?"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{S3_PORT}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """STORAGES["default"] on the S3 server, configured as production does (private bucket, signed URLs)."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": "eu-west-1",
                    "access_key": "test", "secret_key": "test", "addressing_style": "path",
                    "querystring_auth": True, "default_acl": None, "file_overwrite": True},
    }}
    # No file may reach the local disk: an accidental FileSystemStorage write would land here.
    settings.MEDIA_ROOT = "/nonexistent/participatie-media"
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix: str = "") -> list[str]:
    return sorted(obj["Key"] for obj in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local test server
        assert response.status == 200
        return response.read()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_initiative_photo_is_stored_in_the_bucket_and_served_from_it(client, site, s3):
    resident = UserFactory()
    client.force_login(resident)
    theme = ThemeFactory()
    photo = SimpleUploadedFile("foto.jpg", image_bytes(size=(2400, 1200), exif_gps=True), content_type="image/jpeg")
    response = client.post("/initiatief/nieuw/", {
        "title": "Bankje bij de speeltuin", "description": "Graag een bankje.", "theme": theme.pk,
        "address": "", "lat": "52.03", "lon": "5.17", "photos": [photo],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get()
    stored = initiative.photos.get()
    assert keys(s3, "initiatieven/") == [stored.image.name]

    Initiative.objects.filter(pk=initiative.pk).update(moderation=Moderation.PUBLISHED)
    html = client.get(initiative.get_absolute_url()).content.decode()
    src = re.search(r'<img src="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert src.startswith(f"http://127.0.0.1:{S3_PORT}/{BUCKET}/initiatieven/") and "Signature=" in src
    data = http_get(src)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (1600, 800)  # the cleaned copy, not the upload
    assert b"CameraMaker" not in data
    # Private bucket: without the signature the object is not public.
    with pytest.raises(urllib.error.HTTPError) as refused:
        http_get(src.split("?")[0])
    assert refused.value.code == 403


def test_report_pdfs_live_and_frozen_in_the_bucket(client, site, s3, django_capture_on_commit_callbacks):
    project = ProjectPageFactory(title="Herinrichting Marktplein")
    first = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert first.status_code == 200 and "Herinrichting Marktplein" in pdf_text(first.content)
    live = keys(s3, f"participatieverslagen/{project.pk}/")
    assert len(live) == 1 and "/actueel-" in live[0]
    assert http_get_object(s3, live[0]) == first.content
    again = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert again.content == first.content  # read back from the bucket, not rendered again

    # The report changes: a new PDF under its new hash, the stale one removed from the bucket.
    Decision.objects.create(project=project, title="Het plein krijgt bomen", decided_on=timezone.localdate(),
                            reasoning="Bewoners vroegen om groen.", published=True)
    changed = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert "Het plein krijgt bomen" in pdf_text(changed.content)
    now_live = keys(s3, f"participatieverslagen/{project.pk}/")
    assert len(now_live) == 1 and now_live != live

    # A frozen version: rendered by the (in-process) job into the bucket, served by the site.
    with django_capture_on_commit_callbacks(execute=True):
        report_freeze(project=project, user=UserFactory(is_staff=True))
    frozen = ParticipationReport.objects.get(project=project)
    assert frozen.pdf.name == f"participatieverslagen/{project.pk}/verslag-{project.pk}-v1.pdf"
    assert frozen.pdf.name in keys(s3, f"participatieverslagen/{project.pk}/")
    response = client.get(f"/projecten/{project.pk}/verslag/versie-1.pdf")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert "Het plein krijgt bomen" in pdf_text(served)
    assert http_get(frozen.pdf.url) == served  # the storage's signed URL gives the same bytes


def http_get_object(client, key: str) -> bytes:
    url = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=60)
    return http_get(url)
