"""What design controls put in My tasks, one file per area (inbox/<area>.py)."""
