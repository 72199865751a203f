"""Admin integration for projects: protection against silent loss of residents' input."""

from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.admin import messages

from .selectors import page_delete_blockers


def _refuse(request, title: str, reasons: list[str], back_to: int):
    messages.error(
        request,
        _("U kunt “%(title)s” niet verwijderen. %(reasons)s %(advice)s")
        % {"title": title, "reasons": " ".join(reasons), "advice": _("Zet de pagina offline (depubliceren) in plaats van haar te verwijderen.")},
    )
    return redirect("wagtailadmin_explore", back_to)


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_records(request, page):
    """Projects with participation records or followers, and news already mailed, stay."""
    reasons = page_delete_blockers(page)
    if reasons:
        return _refuse(request, page.get_admin_display_title(), reasons, page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_pages_with_records(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    for page in objects:
        if not hasattr(page, "get_descendants"):
            continue  # not a page (bulk actions on users, images...)
        reasons = page_delete_blockers(page)
        if reasons:
            return _refuse(request, page.get_admin_display_title(), reasons, page.get_parent().pk)
    return None


@hooks.register("register_admin_viewset")
def register_decision_viewset():
    from .viewsets import decision_viewset

    return decision_viewset


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    from .viewsets import outbox_viewset

    return outbox_viewset


@hooks.register("register_log_actions")
def register_mail_log_actions(actions):
    from django.utils.translation import gettext_lazy

    actions.register_action("projects.mail_retry", gettext_lazy("Opnieuw proberen"),
                            gettext_lazy("E-mail opnieuw aangeboden om te versturen"))


@hooks.register("register_log_actions")
def register_project_log_actions(actions):
    """The project's own staff writes, shown in the project page's history."""
    from django.utils.translation import gettext_lazy

    @actions.register_action("projects.report_freeze")
    class ReportFreeze(LogFormatter):
        label = gettext_lazy("Participatieverslag vastgesteld")

        def format_message(self, log_entry):
            return _("Versie %(version)s van het participatieverslag vastgesteld") % {
                "version": log_entry.data.get("version", "?")}

    @actions.register_action("projects.results_publish")
    class ResultsPublish(LogFormatter):
        label = gettext_lazy("Resultaten gepubliceerd")

        def format_message(self, log_entry):
            return ngettext("Resultaten gepubliceerd (publicatie %(number)s), %(count)s persoon gemaild",
                            "Resultaten gepubliceerd (publicatie %(number)s), %(count)s personen gemaild",
                            log_entry.data.get("recipients", 0)) % {
                "number": log_entry.data.get("number", "?"), "count": log_entry.data.get("recipients", 0)}

    @actions.register_action("projects.goal_assess")
    class GoalAssess(LogFormatter):
        label = gettext_lazy("Doel beoordeeld")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Succescriteria beoordeeld: %(reached)s bereikt, %(partly)s deels, %(not)s niet bereikt") % {
                "reached": data.get("bereikt", 0), "partly": data.get("deels", 0), "not": data.get("niet", 0)}

    @actions.register_action("projects.editor_group_create")
    class EditorGroupCreate(LogFormatter):
        label = gettext_lazy("Redactiegroep aangemaakt")

        def format_message(self, log_entry):
            group = Group.objects.filter(pk=log_entry.data.get("group_id")).first()
            return _("Redactiegroep “%(name)s” aangemaakt") % {"name": group.name if group else "?"}


@hooks.register("after_create_page")
def give_new_project_its_editor_group(request, page):
    """A new project gets its own editor group, "Redactie <projecttitel>" (see the service)."""
    from .models import ProjectPage
    from .services import project_editor_group_ensure

    if isinstance(page.specific, ProjectPage):
        project_editor_group_ensure(project=page.specific, user=request.user)


@hooks.register("after_copy_page")
def give_copied_project_its_editor_group(request, page, new_page):
    """A copied project is a new project: its own group, not the original's editors."""
    give_new_project_its_editor_group(request, new_page)


@hooks.register("register_admin_urls")
def register_results_admin_urls():
    from django.urls import path

    from . import views_results

    return [
        path("participatie/project/<int:project_id>/resultaten/", views_results.admin_results, name="projects_results_admin"),
        path("participatie/project/<int:project_id>/vaststellen/", views_results.admin_report_freeze, name="projects_report_freeze"),
        path("participatie/project/<int:project_id>/publiceren/", views_results.admin_results_publish, name="projects_results_publish"),
        path("participatie/project/<int:project_id>/doel/", views_results.admin_goal, name="projects_goal_admin"),
    ]


@hooks.register("participatie_project_sections")
def project_results_links(*, project, request):
    """Links to "Wat is er met uw inbreng gedaan", the participation report and the open figures."""
    from .sections import SLOT_RESULTS, PageSection

    return PageSection(key="projects-results", title=_("Resultaten en verslag"), slot=SLOT_RESULTS,
                       template="projects/results/project_section.html", order=90)


@hooks.register("register_admin_menu_item")
def register_council_menu_item():
    """Editors see what the council sees: the overview of all projects and their compliance."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy
    from wagtail.admin.menu import MenuItem

    return MenuItem(gettext_lazy("Raadsoverzicht"), reverse("projects:council"), icon_name="view", order=320)


@hooks.register("participatie_home_sections")
def council_home_link(*, page, request):
    """Council members (and editors) find their overview on the home page; nobody else sees it."""
    from .sections import SLOT_HOME, PageSection
    from .views_results import can_view_council

    user = getattr(request, "user", None)
    if user is None or not can_view_council(user):
        return None
    return PageSection(key="projects-council", title=_("Voor de gemeenteraad"), slot=SLOT_HOME,
                       template="projects/council/home_section.html", order=5)


@hooks.register("participatie_home_sections")
def what_lives_home_teaser(*, page, request):
    """ "Wat leeft er?": the three themes residents raised most in the last months."""
    from .sections import SLOT_HOME, PageSection
    from .what_lives import what_lives_get

    figures = what_lives_get()
    if not figures.themes:
        return None
    return PageSection(key="projects-what-lives", title=_("Wat leeft er?"), slot=SLOT_HOME,
                       template="projects/what_lives/home_section.html", context={"figures": figures}, order=40)


@hooks.register("register_admin_urls")
def register_commitments_admin_urls():
    from django.urls import path

    from . import views_accountability

    return [
        path("participatie/afspraken/", views_accountability.admin_commitments, name="projects_commitments_admin"),
        path("participatie/afspraken/bijwerken/", views_accountability.admin_commitment_update, name="projects_commitment_update"),
    ]


@hooks.register("register_admin_menu_item")
def register_commitments_menu_item():
    """Everyone with admin access: the list itself shows only what the user may follow up."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy
    from wagtail.admin.menu import MenuItem

    return MenuItem(gettext_lazy("Afspraken en uitvoering"), reverse("projects_commitments_admin"), icon_name="tasks", order=310)


@hooks.register("before_serve_page")
def page_cache_every_page(page, request, serve_args, serve_kwargs):
    """Every Wagtail page may be kept for anonymous visitors (projects/page_cache.py): it shows
    the page tree and the site's settings (``site``); what else it shows, its own code declares.
    A page type that shows something nobody declares sets ``page_cache_exempt = True``. Pages
    with a view restriction are never cached."""
    from . import page_cache

    if not page_cache.recording() or getattr(page.specific_class, "page_cache_exempt", False):
        return None
    if page.get_view_restrictions().exists():
        page_cache.never_cache_this()
    else:
        page_cache.depends_on(page_cache.SITE)
    return None
