"""A sample suite whose first test ends its pytest process with exit code 0, as a test
that calls os._exit or a crash would end it: the OQ runner must report the test after
it as an error, not leave it out (tests/validation/test_oq_run.py). Collected only when
the runner copies this folder as the suite (<scratch>/tests), like oq_samples."""

from pathlib import Path

if Path(__file__).resolve().parent.name != "tests":
    collect_ignore_glob = ["test_*.py"]
