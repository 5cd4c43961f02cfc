"""Only the revision in force is a controlled copy; a PDF of any other state says what
it is, on every page's footer, printed or not (ISO 13485 4.2.4 g; issue 10)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.documents import actions
from openqms.documents.pdf import render_revision
from openqms.testing import named
from tests.documents.conftest import SIGN
from tests.documents.pdf_text import pages

pytestmark = pytest.mark.verifies("DOC-013")


def _footers(pdf: bytes) -> list[str]:
    return [page.rsplit("\n", 2)[-2] for page in pages(pdf)]


def _revision_in(state: str, cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    if state == "draft":
        return b
    if state == "obsolete":
        actions.withdraw_document(actor=cast.qa_lead, document=effective.document, reason="Gone")
        effective.refresh_from_db()
        return effective
    if state == "superseded":
        effective.state = "superseded"  # as once B becomes effective
        return effective
    actions.edit_draft(
        actor=cast.author,
        revision=b,
        body="Changed.",
        change_summary="s",
        change_reason="x",
        effective_date=timezone.localdate() + dt.timedelta(days=30),
    )
    b = actions.take_step(actor=cast.author, revision=b, step="submit", **named(cast))
    if state == "in_review":
        return b
    actions.take_step(actor=cast.reviewer, revision=b, step="review", credentials=SIGN)
    return actions.take_step(actor=cast.approver, revision=b, step="approve", credentials=SIGN)


@pytest.mark.parametrize(
    ("state", "footer"),
    [
        ("draft", "Draft — not in force; for reference only"),
        ("in_review", "In review — not in force; for reference only"),
        ("approved", "Approved, not yet effective — not in force; for reference only"),
        ("superseded", "Superseded — not in force; for reference only"),
        ("obsolete", "Obsolete — not in force; for reference only"),
    ],
)
def test_a_revision_not_in_force_says_what_it_is_on_every_page(cast, effective, state, footer):
    shown = _revision_in(state, cast, effective)
    assert shown.state == state
    for printed_by in (None, cast.trainee):
        footers = _footers(render_revision(shown, printed_by=printed_by))
        assert all(f.startswith(footer) for f in footers), footers
        assert not any("Controlled copy" in f for f in footers)
    printed = _footers(render_revision(shown, printed_by=cast.trainee))[0]
    assert "printed" in printed and "by Taylor Trainee" in printed


def test_only_the_revision_in_force_is_a_controlled_copy(cast, effective):
    footers = _footers(render_revision(effective))
    assert all(f == "Controlled copy — the current version is in OpenQMS" for f in footers)
    printed = _footers(render_revision(effective, printed_by=cast.trainee))
    assert all(f.startswith("Uncontrolled when printed — printed ") for f in printed)
