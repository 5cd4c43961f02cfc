"""The design controls demo (docs/demo.md): RhythmCheck's design project, one step per
area, each idempotent, run after the devices (order 28) and events (39–49)."""
