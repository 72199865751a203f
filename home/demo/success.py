"""Demo content for "Doel bereikt?": success criteria for the demo projects, and the
assessment of Groen Schoneveld (in its last phase, "Terugblik").

Criteria are page content, added through a page revision; the assessment goes through
``projects.services.goal_assess``, as in the admin. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from projects.models import ProjectPage, SuccessCriterion
from projects.services import goal_assess

CRITERIA = {
    "nieuwbouw": [
        "Minstens 60 bewoners doen mee, uit elke groep uit het plan.",
        "Ten minste 70 procent van de deelnemers voelt zich gehoord.",
        "Het advies van de buurt staat in het stedenbouwkundig plan.",
    ],
    "zorg": [
        "Minstens 40 ouderen en 15 mantelzorgers doen mee.",
        "Na een half jaar zeggen deelnemers dat ze zich minder alleen voelen.",
    ],
    "groen": [
        "Uit elke straat komt minstens één idee.",
        "Bewoners zijn tevreden over het resultaat (gemiddeld minstens een 7).",
        "De tien gekozen ideeën zijn aangelegd.",
    ],
}

# (outcome, explanation) per criterion of Groen Schoneveld, in order.
GROEN_ASSESSMENT = [
    ("bereikt", "Uit alle 14 straten kwamen ideeën, 212 in totaal."),
    ("bereikt", "In de evaluatie gaven bewoners gemiddeld een 7,6."),
    ("deels", "Acht van de tien ideeën zijn aangelegd. De twee speelplekken volgen in het voorjaar, omdat de grond eerst gesaneerd moet worden."),
]


def _add_criteria(project: ProjectPage, texts: list[str]) -> bool:
    if SuccessCriterion.objects.filter(project_id=project.pk).exists():
        return False
    for i, text in enumerate(texts):
        project.criteria.add(SuccessCriterion(sort_order=i, text=text))
    project.save_revision().publish()
    return True


def seed(*, stdout, projects: dict[str, ProjectPage]) -> None:
    for key, texts in CRITERIA.items():
        project = projects.get(key)
        if project is not None and _add_criteria(project, texts):
            stdout.write(f"  succescriteria voor {project.title} toegevoegd")
    groen = projects.get("groen")
    if groen is None or not SuccessCriterion.objects.filter(project_id=groen.pk, assessment__isnull=True).exists():
        return
    admin = get_user_model().objects.filter(email__iexact="admin@example.org").first()
    criteria = list(SuccessCriterion.objects.filter(project_id=groen.pk).order_by("sort_order", "pk"))
    goal_assess(project=groen, user=admin, assessments={
        criterion.pk: outcome for criterion, outcome in zip(criteria, GROEN_ASSESSMENT)})
    stdout.write(f"  doel van {groen.title} beoordeeld")
