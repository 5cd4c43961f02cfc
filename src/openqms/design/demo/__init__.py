"""The design controls demo: RhythmCheck's design project, one file per area
(demo/<area>.py), each step idempotent, run after the devices and quality events."""
