"""Compile .po catalogues to .mo with Babel, so setting up needs no GNU gettext on the machine.

Compiles the host's LOCALE_PATHS and the locale/ folder of every installed app that has one and
that this process can write to, except apps installed as packages: those ship compiled catalogues
(this distribution's wheel compiles them at build time), and their .po files are not ours to rebuild.
"""

import os
import sysconfig
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def locale_dirs() -> list[Path]:
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        app_path = Path(config.path).resolve()
        if not any(app_path.is_relative_to(prefix) for prefix in installed):
            dirs.append(app_path / "locale")
    unique: dict[Path, None] = {}
    for path in dirs:
        if path.is_dir():
            unique.setdefault(path.resolve(), None)
    return list(unique)


class Command(BaseCommand):
    help = "Compile the .po translation files to .mo (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        count = skipped = 0
        for locale_dir in locale_dirs():
            for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                target = mo_path if mo_path.exists() else po_path.parent
                if not os.access(target, os.W_OK):
                    skipped += 1
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                count += 1
        message = f"Compiled {count} translation file(s)."
        if skipped:
            message += f" Skipped {skipped} read-only one(s) (installed packages ship compiled catalogues)."
        self.stdout.write(message)
