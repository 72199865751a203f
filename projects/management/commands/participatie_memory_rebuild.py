"""Fill the search's memory from scratch (idempotent): ``manage.py participatie_memory_rebuild``.

Run it after installing the plugin on a site with content, after changing
WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG (with ``update_index``), or when in doubt.
"""

from django.core.management.base import BaseCommand

from projects.memory import memory_rebuild


class Command(BaseCommand):
    help = "Fill the search's memory with every public document of every source (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=1000, help="Documents written per transaction.")

    def handle(self, *args, chunk_size, **options):
        counts = memory_rebuild(chunk_size=chunk_size)
        self.stdout.write(
            f"{counts['documents']} documents in the memory: {counts['written']} written, {counts['deleted']} removed."
        )
