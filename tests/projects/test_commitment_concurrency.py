"""Staff saving the same commitment at the same moment (PostgreSQL, real transactions): the row
lock makes the updates take turns, so the audit trail is one unbroken chain of status changes."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from projects.sources import commitment_update, commitments_for
from tests.concurrency import run_concurrently
from tests.conftest import ensure_site
from tests.projects.commitment_data import adopted_initiative, editor_for, outcome_with_agreements
from tests.projects.factories import ProjectPageFactory

STATUSES = ["bezig", "gedaan", "open", "vervallen", "bezig", "gedaan"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["agreement", "initiative"])
def test_simultaneous_updates_take_turns(kind):
    ensure_site()
    project = ProjectPageFactory()
    editor = editor_for(project, "gelijktijdig")
    if kind == "agreement":
        _, outcome = outcome_with_agreements(project, [{"what": "Folder maken", "who": "Wijkteam"}])
        key, action = f"agreement:{outcome.agreements.get().pk}", "dialogues.agreement_update"
    else:
        key, action = f"initiative:{adopted_initiative(project).pk}", "geo.initiative_execution_update"
    targets = [lambda s=s, n=n: commitment_update(key, status=s, progress=f"stap {n}", by=editor) for n, s in enumerate(STATUSES)]
    assert run_concurrently(targets) == []
    entries = list(ModelLogEntry.objects.filter(action=action).order_by("pk"))
    assert len(entries) == len(STATUSES)
    previous = "open"
    for entry in entries:
        assert entry.data["from_status"] == previous  # each save saw the one before it
        previous = entry.data["to_status"]
    final = commitments_for([project], include_private=True)[project.pk][0]
    assert final.status == previous
