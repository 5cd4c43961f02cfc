"""Quality events' writers: every change to their records goes through one of these
(one module per area: actions/<area>.py)."""
