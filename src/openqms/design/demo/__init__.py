"""Design controls' demo, one file per area (demo/<area>.py)."""
