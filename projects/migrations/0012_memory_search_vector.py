"""The memory's own search vector: a tsvector column with a GIN index (PostgreSQL), instead of
Wagtail's index table, whose join and per-row ``title || body`` vector took minutes at 50,000
initiatives (bench/search.py).

The column exists everywhere (empty outside PostgreSQL); the index and the vectors of the rows
already there are made on PostgreSQL only. The index is not in ``MemoryEntry.Meta.indexes``:
SQLite cannot build a GIN index and rebuilds a table with every index Django knows of.
"""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "projects_memory_vector"


def create_index_and_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    from projects.conf import search_config

    schema_editor.execute(f"CREATE INDEX {INDEX} ON projects_memoryentry USING gin (search_vector)")
    # As projects.memory_entry.search_vector_of does (participatie_memory_rebuild corrects any drift).
    config = search_config()
    MemoryEntry = apps.get_model("projects", "MemoryEntry")
    MemoryEntry.objects.update(search_vector=SearchVector("title", weight="A", config=config)
                               + SearchVector("body", weight="B", config=config))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def forget_wagtail_index_entries(apps, schema_editor):
    """The memory's rows in Wagtail's index table: nothing reads them any more, and Wagtail's
    ``update_index`` only cleans up after models that are still indexed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    content_type = ContentType.objects.filter(app_label="projects", model="memoryentry").first()
    if content_type is not None:
        IndexEntry.objects.filter(content_type_id=content_type.pk).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("projects", "0011_memory_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="memoryentry",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index_and_vectors, drop_index),
        migrations.RunPython(forget_wagtail_index_entries, migrations.RunPython.noop),
    ]
