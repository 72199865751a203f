"""StreamField blocks for project content. Each block renders with projects/templates/projects/blocks/<name>.html."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("Alternatieve tekst"), max_length=250,
        help_text=_("Beschrijf wat op de afbeelding staat, voor wie haar niet kan zien."),
    )
    caption = blocks.CharBlock(label=_("Onderschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "projects/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Titel van de link"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "projects/blocks/document.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Vraag"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Antwoord"), features=["bold", "italic", "link", "ul", "ol"])


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Kop"), required=False, default=_("Veelgestelde vragen"))
    items = blocks.ListBlock(FAQItemBlock(), label=_("Vragen"))

    class Meta:
        icon = "help"
        label = _("Veelgestelde vragen")
        template = "projects/blocks/faq.html"


class ContentBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Tekst"), features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "document-link"],
        template="projects/blocks/text.html",
    )
    image = ImageBlock()
    document = DocumentBlock()
    embed = EmbedBlock(label=_("Video of embed"), icon="media", template="projects/blocks/embed.html")
    faq = FAQBlock()
