"""Factories for geo. Initiatives that matter for behaviour are made through the services."""

from __future__ import annotations

import io

import factory
from PIL import Image

from geo import clustering
from geo.models import Area, Initiative, Moderation, Theme
from projects.geometry import geometry_bbox


def square(min_lon, min_lat, max_lon, max_lat) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat], [min_lon, min_lat]]],
    }


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WK0321{n:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    kind = Area.Kind.WIJK
    geometry = factory.LazyFunction(lambda: square(5.10, 51.99, 5.24, 52.06))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat = geometry_bbox(obj.geometry)
        obj.save()
        return obj


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A published initiative, counted on the map (MapCell kept in step)."""

    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiatief {n}")
    description = "Een bankje bij de speeltuin, zodat ouders kunnen zitten."
    theme = factory.SubFactory(ThemeFactory)
    lat = 52.03
    lon = 5.17
    moderation = Moderation.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        clustering.cells_track(None, clustering.map_position(obj))
        return obj


def image_bytes(fmt="JPEG", size=(800, 600), exif_gps=False, mode="RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        gps = {1: "N", 2: (52.0, 1.0, 30.0), 3: "E", 4: (5.0, 10.0, 20.0)}
        exif[0x8825] = gps  # GPSInfo IFD
        kwargs["exif"] = exif.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
