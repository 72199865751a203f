"""Build hook: compile the apps' .po catalogues to .mo inside the build, so wheels ship them.

The .mo files are not in git (they are build output); everything else lives in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class build_py_with_catalogues(build_py):
    def run(self):
        super().run()
        # Imported here: Babel is a build requirement, not something setup.py needs to be parsed.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in Path(self.build_lib).glob("*/locale/*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


setup(cmdclass={"build_py": build_py_with_catalogues})
