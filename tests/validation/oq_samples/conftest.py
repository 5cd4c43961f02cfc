"""Samples for the OQ runner's own tests: one passes, one is skipped, one fails on
purpose. They run only inside an OQ run the runner's tests start (which names a results
file in OPENQMS_OQ_RESULTS); the normal suite leaves them alone, and the shipped suite
does not carry them (validation.suite.EXCLUDED_DIRS)."""

import os

if not os.environ.get("OPENQMS_OQ_RESULTS"):
    collect_ignore_glob = ["test_*.py"]
