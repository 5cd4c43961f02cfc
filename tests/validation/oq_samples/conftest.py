"""Samples for the OQ runner's own tests (tests/validation/test_oq_run.py): one passes,
one is skipped, one fails on purpose, one file skips as a whole and one cannot be
imported. The runner's tests hand this folder to the runner as the suite, copied to
<scratch>/tests; anywhere else (the normal suite, and the full OQ run, which ships this
folder as part of the suite) they are never collected."""

from pathlib import Path

if Path(__file__).resolve().parent.name != "tests":
    collect_ignore_glob = ["test_*.py"]
