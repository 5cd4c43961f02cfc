"""Quality events pages, one file per area (views/<area>.py)."""
