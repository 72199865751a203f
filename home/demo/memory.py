"""Demo: fill the search's memory once everything else is seeded (some demo content is made in
bulk, past the services that keep the memory in step). Idempotent like the rest of seed_demo:
call it last."""

from projects.memory import memory_rebuild


def seed(*, stdout) -> None:
    counts = memory_rebuild()
    stdout.write(f"  Zoeken: {counts['documents']} documenten in het geheugen.")
