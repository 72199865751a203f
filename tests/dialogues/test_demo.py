"""seed_demo builds dialogue rounds in every state, through the services, and twice changes nothing."""
import io
import pytest
from django.core.management import call_command
from dialogues.models import DialogueSession, Registration, SessionOutcome

@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # runs after truncating tests: start from migrated data
def test_seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    n = (DialogueSession.objects.count(), Registration.objects.count(), SessionOutcome.objects.count())
    call_command("seed_demo", stdout=out)
    assert n == (DialogueSession.objects.count(), Registration.objects.count(), SessionOutcome.objects.count())
    print(n, out.getvalue()[-500:])
    assert n[0] == 6
    assert DialogueSession.objects.filter(status="afgelast").count() == 1
    assert Registration.objects.filter(status="waitlisted").exists()
