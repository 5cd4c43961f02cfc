"""A sample suite run in two processes, the second of which ends with exit code 0 before
it has collected anything (as an import-time exit or a crash would): the OQ runner must
say so rather than report a run without that process's tests
(tests/validation/test_oq_run.py). It acts only when the runner copies this folder as
the suite (<scratch>/tests); the runner gives process N the data folder data-N."""

import os
from pathlib import Path

if Path(__file__).resolve().parent.name != "tests":
    collect_ignore_glob = ["test_*.py"]
elif os.environ.get("OPENQMS_DATA_DIR", "").endswith("data-1"):
    os._exit(0)
