import pytest

from openqms.core.errors import NotFound
from openqms.documents import access, actions
from openqms.testing import named

pytestmark = pytest.mark.verifies("DOC-011")


@pytest.mark.verifies("DOC-011", refusal=True)
def test_an_outsider_reads_nothing(cast, effective):
    assert not access.visible_documents(cast.outsider).exists()
    with pytest.raises(NotFound):
        access.get_revision_for_user(cast.outsider, "SOP-001", "A")


def test_employees_read_the_effective_revision_but_not_drafts(cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    assert access.get_revision_for_user(cast.trainee, "SOP-001", "A") == effective
    with pytest.raises(NotFound):
        access.get_revision_for_user(cast.trainee, "SOP-001", b.label)


def test_superseded_revisions_are_hidden_from_ordinary_users_not_from_qa_or_auditors(
    cast, effective
):
    actions.withdraw_document(actor=cast.qa_lead, document=effective.document, reason="gone")
    with pytest.raises(NotFound):
        access.get_revision_for_user(cast.trainee, "SOP-001", "A")
    for reader in (cast.qa_lead, cast.auditor):
        assert access.get_revision_for_user(reader, "SOP-001", "A").state == "obsolete"


def test_reviewers_see_revisions_in_review(cast, draft):
    with pytest.raises(NotFound):
        access.get_revision_for_user(cast.reviewer, "SOP-001", "A")
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    assert access.get_revision_for_user(cast.reviewer, "SOP-001", "A").state == "in_review"
