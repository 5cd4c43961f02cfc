"""The evidence demo (order 61): a CI run in which every verification and validation item
of the demo project "RhythmCheck" passes, read into its open baseline "release 1.0" by
the demo engineer. Creates nothing when the project, the baseline or the user is missing
(the baselines demo makes the baseline) or the baseline is signed; idempotent."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from openqms.core.models import User
from openqms.design.actions.evidence import ingest_junit
from openqms.design.models import Baseline, BaselineState, Item, ItemState, TestRun

PROJECT = "RhythmCheck"
BASELINE = "release 1.0"
FILE_NAME = "junit-rhythmcheck.xml"
COMMIT = "4f2c9e1"
BUILD = "ci #128"


def junit_for(uids: list[str]) -> bytes:
    """A pytest-style JUnit file with one passing case per item, named after it."""
    cases = "".join(
        f"<testcase classname={quoteattr('tests.system.test_rhythmcheck')} "
        f'name={quoteattr("test_" + uid.replace("-", "_"))} time="0.{i % 9 + 1}"/>'
        for i, uid in enumerate(uids)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" '
        f'tests="{len(uids)}" failures="0" errors="0" skipped="0">{cases}</testsuite>'
        "</testsuites>\n"
    ).encode()


def run() -> None:
    baseline = Baseline.objects.filter(project__name=PROJECT, name=BASELINE).first()
    author = User.objects.filter(username="author", is_active=True).first()
    if baseline is None or author is None or baseline.state != BaselineState.OPEN:
        return
    if TestRun.objects.filter(baseline=baseline, file_name=FILE_NAME).exists():
        return
    uids = list(
        Item.objects.filter(
            project_id=baseline.project_id,
            state=ItemState.ACTIVE,
            item_type__needs_evidence=True,
        )
        .order_by("uid")
        .values_list("uid", flat=True)
    )
    if uids:
        ingest_junit(
            actor=author,
            baseline=baseline,
            data=junit_for(uids),
            file_name=FILE_NAME,
            commit=COMMIT,
            build=BUILD,
        )
