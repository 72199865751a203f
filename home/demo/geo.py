"""Demo content for geo (filled in by the geo work; called by seed_demo)."""


def seed(*, stdout, projects: dict) -> None:
    """Create demo content idempotently. ``projects`` maps demo keys to ProjectPage objects."""
    return None
