"""Photo uploads: recognised by content, resized and re-encoded so no metadata survives."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # larger images are refused as possible decompression bombs
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_prepare(upload) -> ContentFile:
    """Validate an uploaded file and return a clean re-encoded copy (JPEG, or WebP when the
    original has transparency). Raises ValidationError with a Dutch message."""
    name = getattr(upload, "name", "foto")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("De foto %(name)s is groter dan 10 MB. Kies een kleinere foto.") % {"name": name}, code="too_big")
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Het bestand %(name)s is geen JPEG-, PNG- of WebP-foto.") % {"name": name}, code="format"
                    )
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("De foto %(name)s heeft te veel pixels.") % {"name": name}, code="bomb")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("De foto %(name)s heeft te veel pixels.") % {"name": name}, code="bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Het bestand %(name)s is geen JPEG-, PNG- of WebP-foto, of het is beschadigd.") % {"name": name}, code="format"
        ) from None
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    # A fresh image holds pixels only: no EXIF, GPS, XMP, ICC or comments are carried over.
    clean = Image.new("RGBA" if has_alpha else "RGB", image.size)
    clean.paste(image.convert("RGBA" if has_alpha else "RGB"))
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="WEBP", quality=85)
        ext = "webp"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    content = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
    content.width, content.height = clean.size
    return content
