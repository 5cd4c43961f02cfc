"""The QMS frame's forms, one file per area (forms/<area>.py)."""
