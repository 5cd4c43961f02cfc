"""The pytest plugin of an OQ run: one JSON line per test, read back by `validation.oq`.

The runner starts pytest with `-p openqms.validation.oq_plugin` and names the file in
OPENQMS_OQ_RESULTS. Each line holds what `results.TestOutcome` holds: the node id, the
requirement IDs and refusal flag of the test's `verifies` markers, the outcome (an error
in setup or teardown is an "error", as pytest counts it), why it failed or was skipped,
how long it took (without the session's one-off set-up, the scratch database), and the
SHA-256 of the test function's source. Before the first test runs it writes the list
of tests collected beside that file, so that a test never reported is seen.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from openqms.core.tracing import scan_source
from openqms.validation.results import COLLECTED_SUFFIX

RESULTS_ENV = "OPENQMS_OQ_RESULTS"
MESSAGE_LIMIT = 600  # characters of a failure kept: its first lines, not the traceback


def _marker_of(item: pytest.Item) -> tuple[list[str], bool]:
    ids: list[str] = []
    refusal = False
    for mark in item.iter_markers("verifies"):
        ids.extend(str(i) for i in mark.args if str(i) not in ids)
        refusal = refusal or bool(mark.kwargs.get("refusal", False))
    return sorted(ids), refusal


def _source_sha256(item: pytest.Item) -> str:
    function = getattr(item, "function", None)
    if function is None:
        return ""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _message(report: pytest.TestReport) -> str:
    if report.skipped:
        if isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2])
            return reason.removeprefix("Skipped: ")
        return getattr(report, "wasxfail", "") or "skipped"
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return text.strip()[:MESSAGE_LIMIT]


class _Recorder:
    def __init__(self, path: str, rootpath: Path) -> None:
        self.path = path
        self.rootpath = rootpath
        self.pending: dict[str, dict[str, Any]] = {}
        # Creating the scratch database (pytest-django's session fixture) falls in the
        # setup of whichever test asks first; it is the run's cost, not that test's, so
        # it is left out of the test's seconds (OQ's split weighs files by them).
        self.session_setup = 0.0

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Generator[None, Any, Any]:
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            if fixturedef.scope == "session":
                self.session_setup += time.perf_counter() - started

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        entry = self.pending.get(item.nodeid)
        if entry is None:
            ids, refusal = _marker_of(item)
            entry = self.pending[item.nodeid] = {
                "nodeid": item.nodeid,
                "requirements": ids,
                "refusal": refusal,
                "outcome": "passed",
                "message": "",
                "seconds": 0.0,
                "source_sha256": _source_sha256(item),
            }
        spent = report.duration
        if report.when == "setup":
            spent, self.session_setup = max(0.0, spent - self.session_setup), 0.0
        entry["seconds"] = round(entry["seconds"] + spent, 3)
        if entry["outcome"] != "passed":
            return report  # the first thing that went wrong is what the report shows
        if report.skipped:
            entry["outcome"], entry["message"] = "skipped", _message(report)
        elif report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["message"] = _message(report)
        return report

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # Every test the run is to execute, written before the first runs: the runner
        # reports any of them that never reported (a process that ended early, even
        # with exit code 0) as an error, rather than leaving it out of the report.
        collected = []
        for item in session.items:
            ids, refusal = _marker_of(item)
            collected.append({"nodeid": item.nodeid, "requirements": ids, "refusal": refusal})
        with open(self.path + COLLECTED_SUFFIX, "w", encoding="utf-8") as out:
            json.dump(collected, out)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        entry = self.pending.pop(nodeid, None)
        if entry is not None:
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(json.dumps(entry, sort_keys=True) + "\n")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # A file that cannot be imported (an error) or skips itself as a whole (a
        # missing optional library) runs none of its tests; each of its marked tests,
        # read from the file as core.tracing reads it, gets that outcome and reason.
        if not (report.failed or report.skipped) or not report.nodeid.endswith(".py"):
            return
        outcome = "error" if report.failed else "skipped"
        if report.skipped and isinstance(report.longrepr, tuple):
            message = str(report.longrepr[2]).removeprefix("Skipped: ")
        else:
            lines = str(report.longrepr).strip().splitlines() or [""]
            message = lines[-1]
        tests: dict[str, dict[str, Any]] = {}
        path = self.rootpath / report.nodeid
        if path.is_file():
            scan = scan_source(path.read_text(encoding="utf-8"), report.nodeid)
            for requirement, traces in scan.traces.items():
                for trace in traces:
                    entry = tests.setdefault(trace.test, {"requirements": [], "refusal": False})
                    entry["requirements"] = sorted({*entry["requirements"], requirement})
                    entry["refusal"] = entry["refusal"] or trace.refusal
        if not tests and report.failed:  # no markers to read: the file's own error
            tests[report.nodeid] = {"requirements": [], "refusal": False}
        for nodeid, marker in sorted(tests.items()):
            entry = {
                "nodeid": nodeid,
                "requirements": marker["requirements"],
                "refusal": marker["refusal"],
                "outcome": outcome,
                "message": message[:MESSAGE_LIMIT],
                "seconds": 0.0,
                "source_sha256": "",
            }
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(json.dumps(entry, sort_keys=True) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get(RESULTS_ENV)
    if path:
        config.pluginmanager.register(_Recorder(path, config.rootpath), "openqms-oq-recorder")
