"""System checks: tell a host, in plain words, what it forgot (filled in below)."""
