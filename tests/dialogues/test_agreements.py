"""Agreements as commitments (dialogues/sources.py) and their update service."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from dialogues.services import agreement_update
from dialogues.sources import DialogueSource
from projects.sources import CommitmentStatus, commitment_update
from tests.projects.commitment_data import days, editor_for, outcome_with_agreements
from tests.projects.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(site):
    return ProjectPageFactory(title="Samen zorgen")


def test_only_published_outcomes_are_public(project):
    _, published = outcome_with_agreements(project, [{"what": "Folder maken", "who": "Wijkteam", "due_date": days(10)}])
    _, draft = outcome_with_agreements(project, [{"what": "Nog geheim", "who": "Gemeente"}], published=False)
    public = DialogueSource().commitments_many([project])[project.pk]
    assert [c.title for c in public] == ["Folder maken"]
    c = public[0]
    assert c.public and c.public_url and c.key == f"agreement:{published.agreements.get().pk}"
    assert (c.kind, c.who, c.due_date, c.status, c.status_label) == ("agreement", "Wijkteam", days(10), "open", "Open")
    everything = DialogueSource().commitments_many([project], include_private=True)[project.pk]
    hidden = next(c for c in everything if c.title == "Nog geheim")
    assert not hidden.public and hidden.public_url == ""


def test_overdue_only_while_open_or_in_progress(project):
    outcome_with_agreements(project, [
        {"what": "Te laat open", "who": "A", "due_date": days(-1), "status": CommitmentStatus.OPEN},
        {"what": "Te laat bezig", "who": "A", "due_date": days(-1), "status": CommitmentStatus.IN_PROGRESS},
        {"what": "Op tijd gedaan", "who": "A", "due_date": days(-1), "status": CommitmentStatus.DONE},
        {"what": "Vervallen", "who": "A", "due_date": days(-1), "status": CommitmentStatus.LAPSED},
        {"what": "Vandaag", "who": "A", "due_date": days(0)},
        {"what": "Geen datum", "who": "A"},
    ])
    today = datetime.date.today()
    overdue = {c.title for c in DialogueSource().commitments_many([project])[project.pk] if c.is_overdue(today)}
    assert overdue == {"Te laat open", "Te laat bezig"}


def test_update_checks_permission_validates_and_logs(project):
    session, outcome = outcome_with_agreements(project, [{"what": "Folder maken", "who": "Wijkteam"}])
    agreement = outcome.agreements.get()
    other_editor = editor_for(ProjectPageFactory(title="Elders"), "elders")
    with pytest.raises(PermissionDenied):
        agreement_update(agreement_id=agreement.pk, status="gedaan", progress="", by=other_editor)
    editor = editor_for(project, "hier")
    with pytest.raises(ValidationError) as exc:
        agreement_update(agreement_id=agreement.pk, status="klaar", progress="x" * 301, by=editor)
    assert set(exc.value.message_dict) == {"status", "progress"}
    result = commitment_update(f"agreement:{agreement.pk}", status="bezig", progress="Drukker gevonden", by=editor,
                               due_date=days(3))
    assert (result.status, result.status_label, result.progress, result.due_date) == ("bezig", "Bezig", "Drukker gevonden", days(3))
    agreement.refresh_from_db()
    assert (agreement.status, agreement.progress_note, agreement.who) == ("bezig", "Drukker gevonden", "Wijkteam")
    entry = ModelLogEntry.objects.get(action="dialogues.agreement_update")
    assert entry.object_id == str(session.pk)
    assert entry.data == {"agreement": agreement.pk, "from_status": "open", "to_status": "bezig", "progress_changed": True,
                          "due_date": days(3).isoformat()}
    assert "Afspraak %s: status Open → Bezig, voortgang aangepast" % agreement.pk == entry.message
