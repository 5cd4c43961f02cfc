"""My tasks asks the assignment lifecycle table about every row in a fixed number of
queries, however many trainings are open or waiting for an evaluation."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.training import actions

from .conftest import new_document, open_assignments, set_rule, sign_all

QUIZ = [{"text": "Clean with?", "choices": ["Water", "Sand"], "answer": 0}]


def _documents(cast, sop_type, count):
    """`count` new SOPs in force, every other one with a quiz."""
    for n in range(count):
        revision = new_document(cast, sop_type, f"Procedure {n}")
        if n % 2:
            actions.save_quiz(
                actor=cast.qa_lead, document=revision.document, pass_mark=1, questions=QUIZ
            )


def _train_all(person):
    for assignment in open_assignments(person):
        if hasattr(assignment.document, "quiz"):
            actions.submit_quiz(actor=person, assignment=assignment, answers=[0])
    sign_all(person)


def _tasks(client, kind):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    return html.count(kind), len(queries)


def test_my_open_training_costs_the_same_queries_with_2_or_12_assignments(
    signed_in, cast, engineer, sop_type
):
    client = signed_in(cast.trainee)
    _documents(cast, sop_type, 2)
    few, few_queries = _tasks(client, "Train on SOP-")
    _documents(cast, sop_type, 10)
    quizzed = [a for a in open_assignments(cast.trainee) if hasattr(a.document, "quiz")]
    actions.submit_quiz(actor=cast.trainee, assignment=quizzed[0], answers=[0])  # passed
    many, many_queries = _tasks(client, "Train on SOP-")
    assert (few, many) == (2, 12)
    assert many_queries == few_queries


def test_evaluations_waiting_cost_the_same_queries_with_2_or_12_trainings(
    signed_in, cast, engineer, sop_type
):
    set_rule(sop_type, effectiveness_check=True)
    client = signed_in(cast.qa_lead)
    _documents(cast, sop_type, 2)
    _train_all(cast.trainee)
    few, few_queries = _tasks(client, "Evaluate Taylor Trainee")
    _documents(cast, sop_type, 10)
    _train_all(cast.trainee)
    many, many_queries = _tasks(client, "Evaluate Taylor Trainee")
    assert (few, many) == (2, 12)
    assert many_queries == few_queries
