"""Landmarks a screen reader lists on a project page can be told apart; project cards explain
their ladder level in words; dates read as words on a phone."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.projects.factories import ProjectPageFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date.today()

# The landmarks on the page with their role and accessible name (aria-label or aria-labelledby),
# as the browser resolves them; sections and forms count only with a name, as in ARIA.
LANDMARKS_JS = """
() => {
  const implicit = {HEADER: 'banner', NAV: 'navigation', MAIN: 'main', ASIDE: 'complementary',
                    FOOTER: 'contentinfo', SECTION: 'region', FORM: 'form', SEARCH: 'search'};
  const nameOf = (el) => {
    if (el.getAttribute('aria-labelledby')) {
      return el.getAttribute('aria-labelledby').split(/\\s+/)
        .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim().replace(/\\s+/g, ' ');
    }
    return (el.getAttribute('aria-label') || '').trim();
  };
  const out = [];
  for (const el of document.querySelectorAll('header, nav, main, aside, footer, section, form, search, [role]')) {
    let role = el.getAttribute('role') || implicit[el.tagName];
    if (!['banner', 'navigation', 'main', 'complementary', 'contentinfo', 'region', 'form', 'search'].includes(role)) continue;
    // header/footer inside sectioning content are no banner/contentinfo
    if (!el.getAttribute('role') && (el.tagName === 'HEADER' || el.tagName === 'FOOTER')
        && el.parentElement.closest('article, aside, main, nav, section')) continue;
    const name = nameOf(el);
    if ((role === 'region' || role === 'form') && !name) continue;
    out.push(role + ': ' + name);
  }
  return out;
}
"""


@pytest.fixture
def project():
    return ProjectPageFactory(
        title="Groen Schoneveld", summary="Schoneveld wordt groener.", ladder_level="raadplegen",
        contact_name="Marieke Jansen", contact_email="m.jansen@example.org", contact_phone="030 123 45 67",
        phases=[phase("dialoog", "Gesprekken", TODAY - datetime.timedelta(days=3), TODAY + datetime.timedelta(days=30))],
        groups=["Bewoners"],
    )


def test_project_page_landmarks_have_unique_names(page, project):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(project.url)
    landmarks = page.evaluate(LANDMARKS_JS)
    assert "region: Contactpersoon" in landmarks  # the project's contact person, not a second "Contact"
    duplicates = sorted({x for x in landmarks if landmarks.count(x) > 1})
    assert not duplicates, landmarks
    # axe agrees (landmark-unique is a "moderate" rule, so assert_accessible would not see it).
    violations = [v["id"] for v in Axe().run(page).response["violations"]]
    assert "landmark-unique" not in violations and "landmark-no-duplicate-contentinfo" not in violations
    assert_accessible(page)


def test_project_cards_explain_the_ladder_level(page, project):
    for url in ("/", project.get_parent().url):
        page.goto(url)
        card = page.locator(".card", has_text="Groen Schoneveld")
        text = card.inner_text()
        assert "Uw invloed: Raadplegen." in text
        assert "Wij vragen uw mening." in text  # what "Raadplegen" means, in one plain sentence
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)


def test_timeline_dates_read_as_words_on_a_phone(page, project):
    page.goto(project.url)
    timeline = page.locator(".timeline").inner_text()
    assert re.search(r"\d{1,2} [a-z]+ \d{4} tot en met \d{1,2} [a-z]+ \d{4}", timeline), timeline
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}", timeline)
