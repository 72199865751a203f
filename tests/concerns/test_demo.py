import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from concerns.models import Submission, SubmissionStatus
from projects.sources import signal_counts

pytestmark = pytest.mark.django_db


def test_demo_has_top3s_over_months_and_wijken_and_is_idempotent(client, seeded_demo):
    published = Submission.objects.filter(status=SubmissionStatus.PUBLISHED)
    assert published.values("area").distinct().count() == 5
    assert published.filter(project__slug="groen-schoneveld").exists()
    assert {s.status for s in Submission.objects.all()} == set(SubmissionStatus.values)
    oldest = published.order_by("created_at").first().created_at
    assert timezone.now() - oldest > datetime.timedelta(days=120)
    now = timezone.now()
    recent = [c for c in signal_counts(since=now - datetime.timedelta(days=30), until=now) if c.source == "concerns"]
    assert recent and any(c.area == "WK999901" and c.theme == "Verkeer" for c in recent)
    count = Submission.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Submission.objects.count() == count
    html = client.get("/wat-houdt-u-bezig/uitkomst/").content.decode()
    assert "Houten-Noord" in html and "anoniem" not in html and "zorgbewoner" not in html
