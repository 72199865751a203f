"""Adopted initiatives as commitments (geo/sources.py) and carrying them out (geo/execution.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from geo import services
from geo.execution import initiative_execution_update
from geo.models import Moderation, Status
from geo.sources import InitiativeSource
from projects.sources import CommitmentStatus
from tests.projects.commitment_data import adopted_initiative, days, editor_for, user_in
from tests.projects.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(site):
    return ProjectPageFactory(title="Groen")


def test_adopted_published_initiatives_are_public_commitments(project):
    adopted_initiative(project, title="Overgenomen", responsible="Team Groen", due_date=days(5))
    adopted_initiative(project, title="Deels", status=Status.DEELS_OVERGENOMEN)
    adopted_initiative(project, title="Uitgevoerd", status=Status.UITGEVOERD)
    adopted_initiative(project, title="Niet overgenomen", status=Status.NIET_OVERGENOMEN)
    adopted_initiative(project, title="In behandeling", status=Status.IN_BEHANDELING)
    adopted_initiative(project, title="Afgewezen maar overgenomen", moderation=Moderation.REJECTED)
    public = InitiativeSource().commitments_many([project])[project.pk]
    assert {c.title for c in public} == {"Overgenomen", "Deels", "Uitgevoerd"}
    first = next(c for c in public if c.title == "Overgenomen")
    assert (first.who, first.due_date, first.status, first.area, first.public) == ("Team Groen", days(5), "open", "Wijk Noord", True)
    assert first.public_url.startswith("/") and not first.is_overdue(days(0)) and first.is_overdue(days(6))
    private = InitiativeSource().commitments_many([project], include_private=True)[project.pk]
    hidden = next(c for c in private if c.title == "Afgewezen maar overgenomen")
    assert not hidden.public and hidden.public_url == ""


def test_carried_out_sets_done_but_done_does_not_change_the_public_status(project):
    initiative = adopted_initiative(project, title="Bankje")
    moderator = user_in("Moderatoren", "moderator")
    initiative_execution_update(initiative_id=initiative.pk, status=CommitmentStatus.DONE, progress="Staat er", by=moderator)
    initiative.refresh_from_db()
    assert (initiative.execution_status, initiative.status) == ("gedaan", Status.OVERGENOMEN)
    initiative_execution_update(initiative_id=initiative.pk, status=CommitmentStatus.IN_PROGRESS, progress="", by=moderator)
    services.initiative_set_status(initiative=initiative, to_status=Status.UITGEVOERD, answer="Het bankje staat er.", by=moderator)
    initiative.refresh_from_db()
    assert (initiative.execution_status, initiative.status) == ("gedaan", Status.UITGEVOERD)
    with pytest.raises(ValidationError) as exc:
        initiative_execution_update(initiative_id=initiative.pk, status=CommitmentStatus.OPEN, progress="", by=moderator)
    assert "blijft daarom op ‘Gedaan’" in exc.value.message_dict["status"][0]


def test_only_adopted_initiatives_have_an_execution(project):
    initiative = adopted_initiative(project, status=Status.INGEDIEND)
    with pytest.raises(ValidationError) as exc:
        initiative_execution_update(initiative_id=initiative.pk, status="bezig", progress="", by=user_in("Moderatoren", "m"))
    assert "niet overgenomen" in exc.value.message_dict["status"][0]


def test_permission_and_audit(project):
    initiative = adopted_initiative(project)
    with pytest.raises(PermissionDenied):
        initiative_execution_update(initiative_id=initiative.pk, status="bezig", progress="", by=editor_for(ProjectPageFactory(), "elders"))
    with pytest.raises(PermissionDenied):
        initiative_execution_update(initiative_id=initiative.pk, status="bezig", progress="", by=user_in("Raadsleden", "raad"))
    editor = editor_for(project, "hier")
    initiative_execution_update(initiative_id=initiative.pk, status="bezig", progress="Besteld", by=editor, responsible="Aannemer")
    entry = ModelLogEntry.objects.get(action="geo.initiative_execution_update")
    assert entry.object_id == str(initiative.pk) and entry.user_id == editor.pk
    assert entry.data == {"initiative": initiative.pk, "from_status": "open", "to_status": "bezig", "progress_changed": True,
                          "responsible_changed": True}
    assert entry.message == "Uitvoering: Open → Bezig, voortgang aangepast"
