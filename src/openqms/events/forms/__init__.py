"""Quality events forms, one file per area (forms/<area>.py)."""
