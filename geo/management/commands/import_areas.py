"""Import CBS wijk/buurt boundaries from a GeoJSON file; re-importing updates by code."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from geo.services import area_import, initiative_areas_refresh


class Command(BaseCommand):
    help = "Importeer wijken of buurten uit een GeoJSON-bestand (CBS). Bestaande codes worden bijgewerkt."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection met polygonen")
        parser.add_argument("--kind", choices=["wijk", "buurt"], help="soort, als het bestand dat niet per gebied zegt")
        parser.add_argument("--code-field", default="", help="naam van het veld met de code (standaard: wijkcode, buurtcode, statcode of code)")
        parser.add_argument("--name-field", default="", help="naam van het veld met de naam (standaard: wijknaam, buurtnaam, statnaam of naam)")

    def handle(self, *args, file, kind=None, code_field="", name_field="", **options):
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise CommandError(f"Het bestand {file} bestaat niet.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Het bestand {file} is geen geldige GeoJSON: {exc}") from None
        try:
            result = area_import(data=data, kind=kind, code_field=code_field, name_field=name_field)
        except ValidationError as exc:
            raise CommandError("Niets geïmporteerd. " + " ".join(exc.messages)) from None
        moved = initiative_areas_refresh()
        self.stdout.write(self.style.SUCCESS(
            f"Klaar: {result['created']} nieuw, {result['updated']} bijgewerkt. {moved} initiatieven kregen een ander gebied."
        ))
