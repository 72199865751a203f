"""Faster reset between transactional tests on PostgreSQL, with the same result as Django's.

A transactional test (browser, live server, concurrency) ends with ``flush`` and the next one
starts by reloading the migrated baseline (serialized rollback, see ``tests/conftest.py``).
Django does both in the most general way: one ``TRUNCATE`` of every table (on a PostgreSQL
with many databases that costs up to seconds: every table gets new files) and a reload that
saves the baseline object by object through the ORM (content types, permissions, groups,
pages: about a thousand INSERTs). With only the baseline's few rows in the tables, a
``DELETE`` per table and a binary ``COPY`` of a snapshot taken right after the migrations
give the same database in a fraction of the time.

Same result, because: every foreign key Django creates on PostgreSQL is ``DEFERRABLE INITIALLY
DEFERRED`` (checked at commit, when every table is empty), the tables have no triggers of
their own, sequences are left alone by both (Django's flush here passes
``reset_sequences=False``), and the snapshot holds exactly the rows that Django serialized
(``install`` checks that, table by table, and falls back to Django's way when not).
Flushes that ask for more (``reset_sequences``, ``allow_cascade``) keep Django's ``TRUNCATE``.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter

from django.apps import apps
from django.db import connections, transaction


def install(alias: str = "default"):
    """Patch the connection's flush and baseline reload; return a function that undoes it."""
    connection = connections[alias]
    creation = connection.creation
    if getattr(connection, "_test_serialized_contents", None) is None:
        # pytest-django serializes only for tests that ask through their marker
        # (``django_db(serialized_rollback=True)``), but tests/conftest.py gives every
        # transactional test serialized rollback through the fixture: make sure there is a
        # baseline to reload, whichever tests were selected.
        connection._test_serialized_contents = creation.serialize_db_to_string()
    if connection.vendor != "postgresql":
        return lambda: None
    serialized = connection._test_serialized_contents
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    ops = connection.ops
    original_flush = ops.sql_flush

    def sql_flush(style, tables_, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables_:
            return original_flush(style, tables_, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {ops.quote_name(table)};" for table in tables_]

    ops.sql_flush = sql_flush
    undo = [lambda: delattr(ops, "sql_flush")]

    snapshot = _snapshot(connection, tables)
    mismatch = _row_mismatch(snapshot, serialized)
    if mismatch:
        warnings.warn(f"tests/db_reset.py: the snapshot differs from Django's serialized baseline, "
                      f"so the baseline is reloaded Django's way: {mismatch}", stacklevel=1)
    else:

        def deserialize_db_from_string(data):
            if data is not serialized:  # something else to reload: Django's way
                return type(creation).deserialize_db_from_string(creation, data)
            _restore(connection, tables, snapshot)

        creation.deserialize_db_from_string = deserialize_db_from_string
        undo.append(lambda: delattr(creation, "deserialize_db_from_string"))

    return lambda: [step() for step in reversed(undo)]


def tables_snapshot(connection) -> tuple[list[str], dict[str, tuple[int, bytes]]]:
    """Every Django table as it is now, also inside an open transaction (what it sees is what is
    copied): for a state that many tests read and that is slow to build (tests/conftest.py:
    ``seeded_demo``). Give it back with ``tables_restore``."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    return tables, _snapshot(connection, tables)


def tables_restore(connection, snapshot) -> None:
    """Make every Django table hold exactly the snapshot's rows, in the current transaction."""
    tables, data = snapshot
    _restore(connection, tables, data)
    _sequences_past_rows(connection, data)


def _sequences_past_rows(connection, tables) -> None:
    """Move each restored table's id sequence past its highest id, so that rows the test adds do
    not collide with the snapshot's: a sequence is not rolled back with the transaction that
    took the snapshot, but a flush with ``reset_sequences`` in between would start it again at 1.
    Sequences only ever move forward here."""
    columns = [(model._meta.db_table, model._meta.pk.column) for model in apps.get_models(include_auto_created=True)
               if model._meta.db_table in tables and model._meta.pk.get_internal_type() in
               ("AutoField", "BigAutoField", "SmallAutoField")]
    if not columns:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SELECT " + ", ".join("pg_get_serial_sequence(%s, %s)" for _ in columns),
                    [value for table, column in columns for value in (quote(table), column)])
        sequences = raw.fetchone()
        moves = [f"(SELECT setval('{sequence}', m) FROM (SELECT max({quote(column)}) AS m FROM {quote(table)}) AS t"
                 f" WHERE m >= (SELECT last_value FROM {sequence}))"
                 for (table, column), sequence in zip(columns, sequences) if sequence]
        for start in range(0, len(moves), 50):
            raw.execute("SELECT " + ", ".join(moves[start:start + 50]))


def _snapshot(connection, tables) -> dict[str, tuple[int, bytes]]:
    """Every non-empty table as (row count, binary COPY), taken while the database is the baseline."""
    snapshot = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in tables:
            name = connection.ops.quote_name(table)
            raw.execute(f"SELECT count(*) FROM {name}")
            count = raw.fetchone()[0]
            if count:
                with raw.copy(f"COPY {name} TO STDOUT (FORMAT BINARY)") as copy:
                    snapshot[table] = (count, b"".join(bytes(block) for block in copy))
    return snapshot


def _row_mismatch(snapshot, serialized: str) -> dict:
    """Tables where the snapshot does not hold the rows Django serialized, no more and no fewer."""
    expected = Counter()
    for obj in json.loads(serialized):
        model = apps.get_model(obj["model"])
        expected[model._meta.db_table] += 1
        for field in model._meta.many_to_many:
            if field.remote_field.through._meta.auto_created and field.name in obj.get("fields", {}):
                expected[field.remote_field.through._meta.db_table] += len(obj["fields"][field.name])
    found = Counter({table: count for table, (count, _) in snapshot.items()})
    return {table: (expected[table], found[table]) for table in expected.keys() | found.keys()
            if expected[table] != found[table]}


def _restore(connection, tables, snapshot):
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        raw = cursor.cursor
        names = [connection.ops.quote_name(table) for table in tables]
        # After a flush every table is empty; after a plain (rolled back) test it is the baseline.
        raw.execute("SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {name})" for name in names))
        if raw.fetchone()[0]:
            for name in names:
                raw.execute(f"DELETE FROM {name}")
        for table, (_, data) in snapshot.items():
            with raw.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
