"""Moved to projects.geocoding (shared by geo and dialogues, which do not import each other)."""
from projects.geocoding import *  # noqa: F401,F403
