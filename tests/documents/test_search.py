import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.triggers import missing_triggers, reinstall_after_migrate
from openqms.documents import actions
from openqms.documents.search import install_search_index, search_documents

pytestmark = pytest.mark.verifies("DOC-015")


@pytest.fixture
def library(cast, sop_type):
    def make(title, body):
        return actions.create_document(
            actor=cast.qa_lead, doc_type=sop_type, title=title, body=body
        )

    return [
        make("Control of documents", "Approvals are electronic signatures."),
        make("Corrective action", "Investigate the root cause of nonconformities."),
        make("Complaint handling", "Report serious incidents to the MHRA."),
    ]


def _numbers(documents):
    return sorted(d.number for d in documents)


def test_search_finds_words_in_bodies(cast, library):
    assert _numbers(search_documents(cast.qa_lead, "root cause")) == ["SOP-002"]
    assert _numbers(search_documents(cast.qa_lead, "signatures")) == ["SOP-001"]


def test_search_matches_numbers_and_titles(cast, library):
    assert _numbers(search_documents(cast.qa_lead, "SOP-003")) == ["SOP-003"]
    assert _numbers(search_documents(cast.qa_lead, "complaint")) == ["SOP-003"]


def test_search_sees_only_what_the_person_may_see(cast, library):
    assert _numbers(search_documents(cast.trainee, "root cause")) == []  # drafts
    assert _numbers(search_documents(cast.outsider, "SOP")) == []


def test_an_edited_body_is_found_by_its_new_words(cast, library):
    draft = library[0]
    actions.edit_draft(
        actor=cast.qa_lead,
        revision=draft,
        body="Wet ink is retired.",
        change_summary="",
        change_reason="Update",
    )
    assert _numbers(search_documents(cast.qa_lead, "retired")) == ["SOP-001"]
    assert _numbers(search_documents(cast.qa_lead, "signatures")) == []


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "*", "body:x", "-", "NEAR(a b)", "' OR 1=1 --"])
def test_search_syntax_from_people_is_harmless(cast, library, q):
    list(search_documents(cast.qa_lead, q))  # no error, whatever it matches


def test_search_query_count_is_constant(cast, library):
    with CaptureQueriesContext(connection) as queries:
        list(search_documents(cast.qa_lead, "the"))
    assert len(queries) <= 3


def test_the_index_survives_a_table_rebuild_by_a_schema_migration(cast, library):
    """SQLite rebuilds a table to alter it, dropping its triggers; post_migrate restores
    the search index (and the core's protective triggers) and reindexes."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL alters tables in place")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER documents_revision_fts_insert")
        cursor.execute("DROP TRIGGER core_auditevent_no_update")
    install_search_index(connection)
    reinstall_after_migrate(None, using="default")
    assert missing_triggers(connection) == []
    assert _numbers(search_documents(cast.qa_lead, "root cause")) == ["SOP-002"]
