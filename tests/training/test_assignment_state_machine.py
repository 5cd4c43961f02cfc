"""Property: training assignments driven by random steps by random people stay sound.

Hypothesis drives one procedure and the people who train on it with random steps
(read and understood with a right or wrong password, quiz passed or failed, a new
revision, withdrawing the document, leaving or taking the job role, an evaluation found
effective or not, a classroom session) and checks after every step that:

- each person has at most one live assignment per revision;
- every signature not voided still verifies (core.signatures.check);
- every change of an assignment's state, and every new assignment, has its audit event;
- a step the lifecycle table refuses changed nothing and wrote no event, and a step it
  allows goes through (the table's answer is the truth the pages and the API show);
- a wrong password changed nothing but the record of the failed signing.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Signature, User
from openqms.core.signatures import Credentials, check
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType, RevisionState
from openqms.testing import PASSWORD, make_cast
from openqms.training import actions
from openqms.training.lifecycle import allowed_steps
from openqms.training.models import (
    Assignment,
    Evaluation,
    Holding,
    QuizAttempt,
    TrainingRule,
    TrainingSession,
)

from .conftest import make_person, new_document, new_revision

WRONG = Credentials("not the password")
# Who acts: the trainee, Pat, the QA lead (an evaluator), the outsider, or (None) the
# person the assignment is for.
WHO = st.one_of(st.none(), st.integers(0, 3))
# Which assignment: small numbers are the open ones (listed first).
INDEX = st.one_of(st.integers(0, 1), st.integers(0, 20))
# A wrong password now and then (each one counts toward the signer's lockout).
PASSWORD_OK = st.sampled_from([True, True, True, False])
# A refused password leaves only the record of the failure (and the lockout it may cause).
PASSWORD_EVENTS = ("core.auth.", "core.user.locked", "core.user.lock")


def _right(ok: bool) -> Credentials:
    return Credentials(PASSWORD) if ok else WRONG


def _snapshot() -> tuple:
    return (
        sorted(
            Assignment.objects.values_list(
                "pk", "state", "completed_at", "method", "closed_at", "revision_id", "person_id"
            )
        ),
        sorted(Signature.objects.values_list("pk", "voided_at")),
        Evaluation.objects.count(),
        QuizAttempt.objects.count(),
        sorted(TrainingSession.objects.values_list("pk", "signed_at")),
        sorted(Holding.objects.values_list("pk", "ended_on")),
    )


class AssignmentMachine(RuleBasedStateMachine):
    """One SOP, two trainees holding a job role that requires it, and the QA lead."""

    def __init__(self) -> None:
        super().__init__()
        # Each example starts from an empty database and leaves nothing behind: the
        # example runs in a savepoint rolled back at teardown. Marked like the test case's
        # own blocks, so that the actions' durable transactions may open inside it.
        self._atomic = transaction.atomic()
        self._atomic._from_testcase = True
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(quiz=st.booleans(), evaluated=st.booleans())
    def setup(self, quiz: bool, evaluated: bool) -> None:
        cast = self.cast = make_cast()
        sop_type = DocumentType.objects.get(code="procedure")
        TrainingRule.objects.filter(doc_type=sop_type).update(effectiveness_check=evaluated)
        self.pat = make_person("pat", "Pat Newcomer")
        self.role = actions.create_job_role(actor=cast.qa_lead, name="Operator")
        actions.add_requirement(
            actor=cast.qa_lead, job_role=self.role, kind="doc_type", doc_type=sop_type
        )
        for person in (cast.trainee, self.pat):
            actions.take_job_role(actor=cast.qa_lead, person=person, job_role=self.role)
        self.revision = new_document(cast, sop_type, "Cleaning")
        if quiz:
            actions.save_quiz(
                actor=cast.qa_lead,
                document=self.revision.document,
                pass_mark=1,
                questions=[{"text": "Clean with?", "choices": ["Water", "Sand"], "answer": 0}],
            )
        self.people = [cast.trainee, self.pat, cast.qa_lead, cast.outsider]

    # -- helpers -----------------------------------------------------------------------

    def _assignment(self, index: int) -> Assignment | None:
        """Mostly an open assignment (where the steps are), sometimes any of them."""
        found = sorted(Assignment.objects.all(), key=lambda a: (a.state != "open", a.pk))
        return found[index % len(found)] if found else None

    def _actor(self, who: int | None, assignment: Assignment | None) -> User:
        """`who` None: the person the assignment is for (the likeliest to act on it)."""
        if who is None and assignment is not None:
            return assignment.person
        return self.people[who or 0]

    def _fresh(self, user: User) -> User:
        return User.objects.get(pk=user.pk)

    def _attempt(self, allowed: bool, signed: bool, credentials, action) -> None:
        """Take a step; it must succeed exactly when allowed (and the password is right)."""
        before, seq = _snapshot(), AuditEvent.objects.count()
        password_ok = credentials is None or credentials.password == PASSWORD
        try:
            action()
        except DomainError:
            succeeded = False
        else:
            succeeded = True
        events = list(AuditEvent.objects.order_by("seq")[seq:])
        if not allowed:
            assert not succeeded, "a step the lifecycle table refuses went through"
            assert _snapshot() == before
            assert events == [], [e.action for e in events]
        elif signed and not password_ok:
            assert not succeeded
            assert _snapshot() == before
            assert all(e.action.startswith(PASSWORD_EVENTS) for e in events)
        else:
            assert succeeded, "a step the lifecycle table allows was refused"

    def _locked_or_inactive(self, user: User) -> bool:
        fresh = self._fresh(user)
        return fresh.is_locked() or not fresh.is_active

    # -- rules -------------------------------------------------------------------------

    @rule(who=WHO, index=INDEX, password_ok=PASSWORD_OK)
    def sign_read_and_understood(self, who: int | None, index: int, password_ok: bool) -> None:
        assignment = self._assignment(index)
        actor = self._actor(who, assignment)
        if assignment is None or self._locked_or_inactive(actor):
            return  # a locked account is refused before any step (core's own tests)
        self._attempt(
            "sign" in allowed_steps(assignment, actor),
            True,
            _right(password_ok),
            lambda: actions.sign_trained(
                actor=actor, assignment=assignment, credentials=_right(password_ok)
            ),
        )

    @rule(who=WHO, index=INDEX, passes=st.booleans())
    def take_the_quiz(self, who: int | None, index: int, passes: bool) -> None:
        assignment = self._assignment(index)
        actor = self._actor(who, assignment)
        if assignment is None or self._locked_or_inactive(actor):
            return
        allowed = "quiz" in allowed_steps(assignment, actor)
        self._attempt(
            allowed,
            False,
            None,
            lambda: actions.submit_quiz(
                actor=actor, assignment=assignment, answers=[0 if passes else 1]
            ),
        )

    @rule(who=WHO, index=INDEX, effective=st.booleans(), password_ok=PASSWORD_OK)
    def evaluate(self, who: int | None, index: int, effective: bool, password_ok: bool) -> None:
        # `who` None: the QA lead, who evaluates training.
        actor, assignment = self.people[2 if who is None else who], self._assignment(index)
        if assignment is None or self._locked_or_inactive(actor):
            return
        step = "evaluate" if effective else "evaluate_not_effective"
        self._attempt(
            step in allowed_steps(assignment, actor),
            True,
            _right(password_ok),
            lambda: actions.evaluate_training(
                actor=actor,
                assignment=assignment,
                method="Observed",
                result="effective" if effective else "not_effective",
                comment="Seen at work",
                credentials=_right(password_ok),
            ),
        )

    def _in_force(self):
        return self.revision.document.revisions.filter(state=RevisionState.EFFECTIVE).first()

    @rule(no_retraining=st.booleans())
    def new_revision_becomes_effective(self, no_retraining: bool) -> None:
        current = self._in_force()
        if current is None:
            return  # withdrawn
        extra = {"no_retraining": "Typo corrected"} if no_retraining else {}
        self.revision = new_revision(self.cast, current, body=f"Text {current.sequence}", **extra)

    @precondition(lambda self: self.revision.document.withdrawn_at is None)
    @rule(when=st.integers(0, 9))
    def withdraw_the_document(self, when: int) -> None:
        # Now and then (withdrawing ends the walk's interesting part).
        if when == 0:
            documents.withdraw_document(
                actor=self.cast.qa_lead, document=self.revision.document, reason="Merged"
            )
            self.revision.document.refresh_from_db()

    @rule(who=st.integers(0, 1))
    def leave_or_take_the_job_role(self, who: int) -> None:
        person = self.people[who]
        holding = Holding.objects.filter(
            person=person, job_role=self.role, ended_on__isnull=True
        ).first()
        if holding is None:
            actions.take_job_role(actor=self.cast.qa_lead, person=person, job_role=self.role)
        else:
            actions.leave_job_role(actor=self.cast.qa_lead, holding=holding, reason="Moved")

    @rule(trainer=st.integers(0, 2), attendee=st.integers(0, 1), password_ok=PASSWORD_OK)
    def classroom_session(self, trainer: int, attendee: int, password_ok: bool) -> None:
        teacher, pupil = self.people[trainer], self.people[attendee]
        if teacher == pupil or self._locked_or_inactive(teacher):
            return
        current = self._in_force()
        if current is None:
            return  # withdrawn: nothing to train on
        try:
            session = actions.record_session(
                actor=self.cast.qa_lead,
                revision=current,
                trainer=teacher,
                held_on=timezone.localdate(),
                attendees=[pupil],
                material="Walk-through",
            )
        except DomainError:
            return  # the trainer is not trained on it: nothing to sign
        self._attempt(
            True,
            True,
            _right(password_ok),
            lambda: actions.sign_session(
                actor=teacher, session=session, credentials=_right(password_ok)
            ),
        )

    # -- what must hold after every step -------------------------------------------------

    @invariant()
    def one_live_assignment_per_person_and_revision(self) -> None:
        live = list(
            Assignment.objects.filter(state__in=["open", "completed"]).values_list(
                "person_id", "revision_id"
            )
        )
        assert len(live) == len(set(live))

    @invariant()
    def every_live_signature_verifies(self) -> None:
        for sig in Signature.objects.filter(voided_at__isnull=True).select_related("audit_event"):
            model = apps.get_model(sig.object_type)
            shown = check(sig, model.objects.get(pk=sig.object_id))
            assert shown.valid, (sig.object_type, sig.meaning, shown.problem)

    @invariant()
    def every_assignment_state_has_its_event(self) -> None:
        events: dict[str, list[dict]] = {}
        for action, object_id, changes in AuditEvent.objects.filter(
            action__startswith="training.assignment."
        ).values_list("action", "object_id", "changes"):
            events.setdefault(action, []).append({"id": object_id, **json.loads(changes)})
        for a in Assignment.objects.select_related("person", "revision__document"):
            named = f"{a.person.username}: {a.revision.document.number} rev {a.revision.label}"
            assert any(
                a.person.username in e["people"] and e["revision"] == a.revision.label
                for e in events.get("training.assignment.created", [])
            ), f"no event created {named}"
            if a.completed_at is not None:
                assert any(
                    e["id"] == str(a.pk) for e in events.get("training.assignment.completed", [])
                ), f"no event completed {named}"
            if a.state in ("superseded", "cancelled"):
                assert any(
                    named in e["assignments"]
                    for e in events.get(f"training.assignment.{a.state}", [])
                ), f"no event closed {named}"
            if a.state == "ineffective":
                assert any(
                    e["id"] == str(a.pk) for e in events.get("training.assignment.ineffective", [])
                ), f"no event found {named} not effective"


@pytest.mark.django_db
def test_random_steps_by_random_people_keep_assignments_sound():
    AssignmentMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    AssignmentMachine.TestCase().runTest()
