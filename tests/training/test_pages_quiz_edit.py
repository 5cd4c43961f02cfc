"""Editing a document's quiz on its page: a pass mark and question blocks, empty blocks
ignored, answers numbered from 1; only those who keep training records reach it."""

import pytest

from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Quiz

URL = "/training/quizzes/SOP-001/"
TWO_QUESTIONS = {
    "pass_mark": "1",
    "q1_text": "Who approves a procedure?",
    "q1_choices": "The author\nThe approver\n\n",
    "q1_answer": "2",
    "q2_text": "Where is the current revision?",
    "q2_choices": "In the system\nIn a drawer",
    "q2_answer": "1",
    "q3_text": "",
    "q3_choices": "",
    "q3_answer": "",
}
SAVED = [
    {"text": "Who approves a procedure?", "choices": ["The author", "The approver"], "answer": 1},
    {
        "text": "Where is the current revision?",
        "choices": ["In the system", "In a drawer"],
        "answer": 0,
    },
]


def _quizzes():
    return list(Quiz.objects.values_list("document__number", "pass_mark", "questions"))


def test_a_quiz_is_saved_with_empty_blocks_ignored(signed_in, cast, sop_a):
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post(URL, TWO_QUESTIONS)
    assert response.url == URL
    assert _quizzes() == [("SOP-001", 1, SAVED)]
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        ("training.quiz.saved", {"pass_mark": [None, 1], "questions": [None, SAVED]})
    ]


def test_the_saved_quiz_is_shown_for_editing_with_spare_blocks(signed_in, cast, sop_a):
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, pass_mark=2, questions=SAVED)
    page = signed_in(cast.qa_lead).get(URL).content.decode()
    assert "Who approves a procedure?" in page
    assert 'name="q1_answer" value="2"' in page
    assert 'name="q5_text"' in page and 'name="q6_text"' not in page
    assert "Question blocks left empty are ignored" in page


def test_an_answer_outside_the_choices_is_refused(signed_in, cast, sop_a):
    before = event_count()
    page = signed_in(cast.qa_lead).post(URL, TWO_QUESTIONS | {"q2_answer": "3"})
    assert "Question 2 needs its right answer among its choices." in page.content.decode()
    assert _quizzes() == [] and event_count() == before


def test_a_quiz_without_questions_is_refused(signed_in, cast, sop_a):
    before = event_count()
    page = signed_in(cast.qa_lead).post(URL, {"pass_mark": "1", "q1_text": ""})
    assert "A quiz needs at least one question." in page.content.decode()
    assert _quizzes() == [] and event_count() == before


def test_a_pass_mark_above_the_questions_is_refused(signed_in, cast, sop_a):
    before = event_count()
    page = signed_in(cast.qa_lead).post(URL, TWO_QUESTIONS | {"pass_mark": "3"})
    assert "The pass mark is between 1 and 2 correct answers." in page.content.decode()
    assert _quizzes() == [] and event_count() == before


@pytest.mark.parametrize("who", ["outsider", "admin", "trainee"])
def test_only_those_who_keep_training_records_reach_the_quiz(signed_in, cast, sop_a, who):
    # The administrator manages job roles but does not keep training records.
    client = signed_in(getattr(cast, who))
    before = event_count()
    assert client.get(URL).status_code == 404
    assert client.post(URL, TWO_QUESTIONS).status_code == 404
    assert _quizzes() == [] and event_count() == before


def test_a_missing_document_has_no_quiz_page(signed_in, cast, sop_a):
    assert signed_in(cast.qa_lead).get("/training/quizzes/SOP-999/").status_code == 404


def test_the_quiz_list_shows_quizzes_and_opens_a_documents_quiz_by_number(signed_in, cast, sop_a):
    client = signed_in(cast.qa_lead)
    assert "No quiz yet." in client.get("/training/quizzes/").content.decode()
    response = client.get("/training/quizzes/", {"number": "SOP-001"})
    assert response.status_code == 302 and response["Location"] == "/training/quizzes/SOP-001/"
    page = client.get("/training/quizzes/", {"number": "SOP-999"}, follow=True)
    assert "There is no document SOP-999 you may see." in page.content.decode()


def test_the_quiz_list_is_for_record_keepers_only(signed_in, cast, sop_a):
    for person in (cast.trainee, cast.admin, cast.outsider):
        assert signed_in(person).get("/training/quizzes/").status_code == 404
