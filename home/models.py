from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from projects.site_settings import AbstractMunicipalitySettings

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Geef een kleur als #rrggbb, bijvoorbeeld #00689e."))

# WCAG 2.1 AA: normal text needs a contrast ratio of at least 4.5:1. The primary colour is
# used for white text on buttons and the header, and for links on white.
MIN_CONTRAST_WITH_WHITE = 4.5


def _relative_luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour: str) -> float:
    """The WCAG contrast ratio between ``hex_colour`` (#rrggbb) and white, 1 to 21."""
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


class HomePage(Page):
    intro = models.TextField(_("inleiding"), blank=True)
    how_it_works = RichTextField(
        _("zo werkt participatie hier"), blank=True, features=["bold", "italic", "link", "ul", "ol"],
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("how_it_works")]
    max_count = 1

    class Meta:
        verbose_name = _("startpagina")

    def get_context(self, request, *args, **kwargs):
        from projects.sections import home_sections
        from projects.selectors import project_list_running

        context = super().get_context(request, *args, **kwargs)
        context["running_projects"] = project_list_running(limit=6)
        # Upcoming sessions, the initiatives map...: other apps add them through the
        # "participatie_home_sections" hook (projects/sections.py).
        context["home_sections"] = home_sections(page=self, request=request)
        return context


class ContentPage(Page):
    """A plain page: privacy statement, accessibility statement, participation policy."""

    body = RichTextField(_("inhoud"), features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "document-link"])
    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("tekstpagina")


@register_setting(icon="site")
class SiteSettings(AbstractMunicipalitySettings):
    """The demo host's one settings screen: the plugin's fields plus its own look and links."""

    # Every page's header and footer show the logo and link these pages: one query, not four.
    select_related = ["logo", "privacy_page", "accessibility_page", "policy_page"]

    logo = models.ForeignKey("wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    primary_colour = models.CharField(_("hoofdkleur"), max_length=7, default="#00689e", validators=[colour_validator],
                                      help_text=_("Let op voldoende contrast met wit (minstens 4,5:1)."))
    contact_phone = models.CharField(_("telefoon"), max_length=50, blank=True)
    contact_address = models.TextField(_("adres"), blank=True)
    privacy_page = models.ForeignKey("wagtailcore.Page", verbose_name=_("privacyverklaring"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accessibility_page = models.ForeignKey("wagtailcore.Page", verbose_name=_("toegankelijkheidsverklaring"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    policy_page = models.ForeignKey("wagtailcore.Page", verbose_name=_("participatiebeleid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [
        MultiFieldPanel([FieldPanel("municipality_name"), FieldPanel("logo"), FieldPanel("primary_colour")], heading=_("Gemeente")),
        *AbstractMunicipalitySettings.map_panels,
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")], heading=_("Contact")),
        MultiFieldPanel([FieldPanel("privacy_page"), FieldPanel("accessibility_page"), FieldPanel("policy_page")], heading=_("Verklaringen")),
    ]

    class Meta:
        verbose_name = _("website-instellingen")

    def clean(self):
        super().clean()  # the plugin's rules for the map and bounds
        if self.primary_colour and colour_validator.regex.match(self.primary_colour):
            ratio = contrast_with_white(self.primary_colour)
            if ratio < MIN_CONTRAST_WITH_WHITE:
                raise ValidationError({"primary_colour": _(
                    "Deze kleur is te licht: witte tekst is er slecht op te lezen (contrast %(ratio)s:1, "
                    "minimaal 4,5:1). Kies een donkerdere kleur."
                ) % {"ratio": f"{ratio:.1f}".replace(".", ",")}})
