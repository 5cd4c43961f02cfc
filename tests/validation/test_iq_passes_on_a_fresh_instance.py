"""IQ on a fresh instance, set up as production would be, passes every check and
writes nothing to the database."""

import json

import pytest
from django.core.management import call_command

from openqms.core.models import AuditEvent
from openqms.validation import iq

pytestmark = pytest.mark.django_db


def chain_head():
    return list(AuditEvent.objects.order_by("-seq").values_list("seq", "hash")[:1])


@pytest.mark.verifies("VAL-002", "VAL-004", "VAL-005", "VAL-006", "VAL-008", "VAL-011", "VAL-043")
def test_every_iq_check_passes_on_a_fresh_instance(cast, release_files, production_like):
    manifest_path, lock_path = release_files
    head = chain_head()

    results = iq.run(iq.Sources(manifest=manifest_path, lock=lock_path))

    assert [(r.id, r.deviation) for r in results if not r.passed] == []
    assert [r.id for r in results] == [f"IQ-{n:02}" for n in range(1, 13)]
    assert chain_head() == head
    assert head  # the cast's creation wrote events: there is a head to compare


@pytest.mark.verifies("VAL-012")
def test_validate_iq_only_writes_both_reports_and_exits_zero(
    capsys, tmp_path, release_files, production_like
):
    manifest_path, lock_path = release_files
    out = tmp_path / "report"

    call_command(
        "validate",
        "--iq-only",
        "--output",
        str(out),
        "--manifest",
        str(manifest_path),
        "--lock",
        str(lock_path),
    )

    body = json.loads((out / "iq.json").read_text())
    assert body["passed"] is True
    assert "oq" not in body
    assert {c["id"]: c["passed"] for c in body["checks"]}["IQ-07"] is True
    assert set(body["checks"][0]) == {"id", "title", "expected", "found", "passed", "deviation"}
    text = (out / "iq.txt").read_text()
    assert "IQ passed: 12 of 12 checks." in text
    assert "OQ" not in text
    printed = capsys.readouterr().out
    assert "IQ-02   pass    Installed files match the release manifest" in printed
