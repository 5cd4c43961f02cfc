"""The integrity page shows administrators and auditors the last scheduled checks, each
finding in plain words, and the public key to give the auditor; others get a 404."""

import datetime as dt
import html
from types import SimpleNamespace

import pytest
from django.utils import timezone

from openqms.core import checkpoints, integrity
from openqms.core.integrity import Finding, IntegrityReport, Section
from openqms.core.periodic import StillFailing
from openqms.core.views import integrity as page
from openqms.training.models import CompetenceRecord
from tests import integrity_world


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _page(client) -> str:
    response = client.get("/integrity/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_before_any_check_the_page_says_how_to_run_one(signed_in, cast):
    page = _page(signed_in(cast.auditor))
    assert "No scheduled check has run yet" in page
    assert "The scheduled check has not run yet." in page
    assert "Is <code>openqms tick</code> scheduled?" in page
    assert "openqms verify" in page
    assert checkpoints.public_key_text() in page


def test_the_last_result_and_each_finding_are_shown(signed_in, world, cast, settings):
    settings.INTEGRITY_HOURS = 0
    integrity.scheduled_check()
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    with pytest.raises(StillFailing, match="integrity check FAILED with 1 finding"):
        integrity.scheduled_check()
    checkpoints.make_checkpoint()
    page = _page(signed_in(cast.admin))
    assert "problems found" in page
    assert "<strong>1 problem found</strong>" in page
    assert "1 problems" not in page
    assert '<a href="#found">' in page
    record = f"training.competencerecord {world.competence.pk} (trainee: GCP course)"
    assert f'<td data-label="Record">{record}</td>' in page
    assert '<td data-label="The record says now">expires 2099-01-01</td>' in page
    assert "Earlier checks" in page  # the first one, which held
    assert "Last checkpoints" in page


def test_the_navigation_offers_the_page_to_auditors_only(signed_in, cast):
    assert 'href="/integrity/"' in signed_in(cast.auditor).get("/").content.decode()
    assert 'href="/integrity/"' not in signed_in(cast.author).get("/").content.decode()


def _section(name: str, found: int = 0) -> Section:
    return Section(name, not found, 10, 0.01, found)


def _chain_and_record_findings() -> None:
    """A result as the scheduled check records it: a cut trail and one edited record."""
    cut = (
        "truncated tail: the trail ends at #205 but checkpoint #2 of "
        "2026-11-29T15:26:18.239684+00:00 covered up to #213: events #206..#213 were deleted."
    )
    report = IntegrityReport(
        [
            _section(integrity.CHAIN, 1),
            _section("signatures"),
            _section("file store", 1),
            _section("documents: revision states", 1),
        ],
        [
            Finding(integrity.CHAIN, "audit trail (head #205)", "the checkpoints agree", cut),
            Finding("file store", "core.storedfile 3 (ab12)", "SHA-256 ab12…", "its bytes differ"),
            Finding("documents: revision states", "WI-001 rev A", "in review (#55)", "effective"),
        ],
    )
    integrity._record(report)


def test_chain_and_file_findings_are_sentences_apart_from_the_record_table(signed_in, cast):
    _chain_and_record_findings()
    text = _page(signed_in(cast.admin))
    problems, table = text.split('<ul class="integrity-problems">')[1].split("</ul>", 1)
    assert "events #206..#213 were deleted" in problems
    assert "checkpoint #2 of 2026-11-29 15:26 UTC covered up to #213" in problems
    assert "the checkpoints agree" not in text  # the chain's boilerplate is left out
    assert "its bytes differ" in problems and "expected: SHA-256 ab12…" in problems
    rows = table.split('<table class="grid integrity-findings">')[1].split("</table>")[0]
    assert rows.count("<tr>") == 2  # the head and the one record
    assert '<td data-label="Record">WI-001 rev A</td>' in rows
    assert "18.239684" not in text
    assert "The audit trail itself failed its check" in text
    assert "<strong>3 problems found</strong>" in text


def test_a_current_result_carries_no_warning(signed_in, cast, settings):
    settings.INTEGRITY_HOURS = 24
    integrity.scheduled_check()
    text = _page(signed_in(cast.auditor))
    assert "all checks hold" in text
    assert "has not run" not in text
    assert "out of date" not in text
    latest = text.split('class="card integrity-latest"')[1].split("</section>")[0]
    assert "problem" not in latest


@pytest.mark.parametrize("hours, late", [(24, 26), (0, 3)])
def test_a_result_older_than_the_interval_says_the_check_stopped(
    signed_in, cast, settings, monkeypatch, hours, late
):
    settings.INTEGRITY_HOURS = hours
    integrity.scheduled_check()
    [event] = integrity.last_results(1)
    later = timezone.now() + dt.timedelta(hours=late)
    monkeypatch.setattr(page, "timezone", SimpleNamespace(now=lambda: later))
    text = _page(signed_in(cast.auditor))
    when = event.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert 'The scheduled check has not run since <time datetime="' in text
    assert f">{when} UTC</time>.</strong>" in text
    assert "Is <code>openqms tick</code> scheduled?" in text
    latest = text.split('class="card integrity-latest"')[1].split("</section>")[0]
    assert "out of date" in latest
    assert "all checks held then" in latest
    assert "all checks hold" not in latest


def test_the_auditor_is_told_what_the_key_is_for_and_what_to_run(signed_in, cast):
    text = _page(signed_in(cast.auditor))
    key = checkpoints.public_key_text()
    assert "For your auditor" in text
    assert "openqms audit verify" in text
    assert f"openqms archive verify FILE --public-key {key}" in text


def test_checkpoint_hashes_show_their_start_and_the_whole_on_demand(signed_in, cast):
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint is not None
    text = _page(signed_in(cast.auditor))
    head = checkpoint.head_hash
    assert f'title="{head}">{head[:16]}…</code>' in text
    assert f'<code class="hash">{head}</code>' in text


def test_others_get_a_404(signed_in, cast):
    assert signed_in(cast.outsider).get("/integrity/").status_code == 404
    assert signed_in(cast.author).get("/integrity/").status_code == 404
    assert signed_in(cast.trainee).get("/integrity/").status_code == 404
