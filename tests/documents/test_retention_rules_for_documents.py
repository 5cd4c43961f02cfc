"""Documents' retention comes from core's rules: one record class per document type,
counted from withdrawal, never less than two years (ISO 13485 4.2.5)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import retention
from openqms.core.actions.retention import place_hold, set_retention_rule
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import RecordHold
from openqms.documents import actions
from openqms.documents.actions.records import retention_ends_many
from openqms.documents.models import Document, DocumentType
from openqms.testing import event_count
from tests.documents.conftest import SIGN


@pytest.fixture
def withdrawn(cast, effective):
    """SOP-001, withdrawn four years ago under its type's ten-year proposal."""
    DocumentType.objects.filter(pk=effective.document.doc_type_id).update(retention_years=10)
    document = actions.withdraw_document(
        actor=cast.qa_lead, document=effective.document, reason="Process retired"
    )
    Document.objects.filter(pk=document.pk).update(
        withdrawn_at=timezone.now() - dt.timedelta(days=4 * 366)
    )
    return Document.objects.select_related("doc_type").get(pk=document.pk)


def _code(document):
    return f"documents.type.{document.doc_type.code}"


def test_each_document_type_is_a_record_class_with_a_two_year_minimum(cast, withdrawn):
    rule = retention.rule(_code(withdrawn))
    cls = rule.record_class
    assert (cls.object_type, cls.counted_from, cls.minimum_years, cls.own_controls) == (
        "documents.document",
        "closed",
        2,
        True,
    )
    assert (rule.years, rule.stored) == (10, False)
    codes = {r.record_class.code for r in retention.rules()}
    codes = {c for c in codes if c.startswith("documents.")}
    assert codes == {f"documents.type.{t.code}" for t in DocumentType.objects.all()}


def test_a_rule_set_on_the_retention_page_replaces_the_type_years(cast, withdrawn):
    with pytest.raises(TransitionNotAllowed, match=r"must be kept until .* \(rule: 10 years"):
        actions.dispose_document(
            actor=cast.qa_lead, document=withdrawn, reason="Over", credentials=SIGN
        )
    set_retention_rule(
        actor=cast.qa_lead, code=_code(withdrawn), years=3, counted_from="closed", reason="SOP"
    )
    disposition = actions.dispose_document(
        actor=cast.qa_lead, document=withdrawn, reason="Over", credentials=SIGN
    )
    withdrawn_on = timezone.localtime(withdrawn.withdrawn_at).date()
    assert disposition.retention_ended == retention.add_years(withdrawn_on, 3)


def test_a_type_proposing_one_year_is_kept_two_and_a_rule_cannot_say_one(cast, withdrawn):
    DocumentType.objects.filter(pk=withdrawn.doc_type_id).update(retention_years=1)
    withdrawn_on = timezone.localtime(withdrawn.withdrawn_at).date()
    assert actions.retention_ends(withdrawn) == retention.add_years(withdrawn_on, 2)
    before = event_count()
    with pytest.raises(InvalidInput, match=r"minimum .* is 2 years"):
        set_retention_rule(
            actor=cast.qa_lead, code=_code(withdrawn), years=1, counted_from="closed", reason="x"
        )
    assert event_count() == before


def test_retention_of_many_documents_is_answered_in_one_batch(cast, withdrawn, effective):
    ends = retention_ends_many([withdrawn])
    assert ends == {withdrawn.pk: actions.retention_ends(withdrawn)}


def test_documents_keep_their_own_holds_not_core_generic_ones(cast, withdrawn):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="their own legal holds"):
        place_hold(
            actor=cast.qa_lead, code=_code(withdrawn), object_id=str(withdrawn.pk), reason="x"
        )
    assert event_count() == before and not RecordHold.objects.exists()
