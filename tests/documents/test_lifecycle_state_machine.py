"""The document lifecycle driven by random steps of random people of the cast.

After every step: at most one effective revision per document, every live signature
verifies, every state change has its audit event, and a refused step changed nothing
(the only events it may leave are the signer's own failed-signing records).
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Signature, User
from openqms.core.signatures import Credentials, content_hash, manifestations
from openqms.documents import actions
from openqms.documents.models import Document, DocumentType, PeriodicReview, Revision
from openqms.testing import PASSWORD, event_count, named

PEOPLE = ["author", "reviewer", "approver", "qa_lead", "trainee", "auditor", "outsider"]
# Half the time the person whose job the step is, else anyone of the cast.
people = st.sampled_from([*PEOPLE, *[None] * len(PEOPLE)])
NATURAL = {
    "submit": "author",
    "review": "reviewer",
    "approve": "approver",
    "reject": "reviewer",
    "edit": "author",
    "start": "author",
    "periodic_review": "reviewer",
    "withdraw": "qa_lead",
}
MOSTLY_TRUE = st.sampled_from([True, True, True, False])  # the right password, mostly
# Only the signer's own account may record something when a signing is refused.
REFUSAL_TRACES = {"core.auth.signing_failed", "core.auth.refused_while_locked", "core.user.locked"}


class DocumentLifecycle(RuleBasedStateMachine):
    cast = None  # set by the test below

    def __init__(self) -> None:
        super().__init__()
        # Each example starts with rested accounts and a new document (the database
        # lives through the examples; every check is about this example's document).
        User.objects.update(failed_sign_ins=0, locked_until=None)
        draft = actions.create_document(
            actor=self.cast.author,
            doc_type=DocumentType.objects.get(code="procedure"),
            title="Random walk",
            body="1. Purpose",
        )
        self.document = draft.document
        self.edits = 0

    # -- helpers -------------------------------------------------------------------------

    def _person(self, name: str) -> User:
        return getattr(self.cast, name)

    def _revision(self) -> Revision:
        """The open revision if there is one, else the newest."""
        return self.document.revisions.order_by("-sequence").first()

    def _snapshot(self) -> dict:
        self.document.refresh_from_db()
        return {
            "revisions": dict(self.document.revisions.values_list("pk", "state")),
            "signatures": Signature.objects.count(),
            "voided": Signature.objects.filter(voided_at__isnull=False).count(),
            "reviews": PeriodicReview.objects.filter(document=self.document).count(),
            "document": (self.document.withdrawn_at, self.document.next_review),
            "bodies": dict(self.document.revisions.values_list("pk", "body")),
        }

    def _take(self, who: str | None, step: str, call, *, signing: bool) -> None:
        actor = self._person(who or NATURAL[step])
        before, count = self._snapshot(), event_count()
        try:
            call(actor)
        except DomainError:
            assert self._snapshot() == before, "a refused step changed something"
            traces = list(AuditEvent.objects.order_by("seq")[count:])
            for event in traces:
                assert signing, f"a refused step wrote {event.action}"
                assert event.action in REFUSAL_TRACES, event.action
                assert (event.object_type, event.object_id) == ("core.user", str(actor.pk))
            return
        self._each_change_is_audited(before["revisions"], count)

    def _each_change_is_audited(self, states: dict, count: int) -> None:
        """Each revision's state change is told by its events, step by step (an approval
        that makes the revision effective at once writes both steps)."""
        moves: dict[int, list] = {}
        for event in AuditEvent.objects.order_by("seq")[count:]:
            state = json.loads(event.changes).get("state") if event.changes else None
            if event.object_type == "documents.revision" and state:
                moves.setdefault(int(event.object_id), []).append(tuple(state))
        for pk, state in self.document.revisions.values_list("pk", "state"):
            old = states.get(pk)
            if old is None or old == state:
                continue
            path = [m for m in moves.get(pk, []) if m[0] != m[1]]
            told = [old] + [new for _, new in path]
            assert path and [m[0] for m in path] == told[:-1] and told[-1] == state, (
                f"revision {pk}: {old} → {state} not audited step by step: {path}"
            )

    def _credentials(self, good: bool, stale: bool) -> Credentials:
        shown = content_hash(self._revision().signature_content())
        return Credentials(
            PASSWORD if good else "not my password", "", "0" * 64 if stale else shown
        )

    # -- rules ---------------------------------------------------------------------------

    @rule(
        who=people,
        step=st.sampled_from(["submit", "review", "approve", "reject"]),
        good=MOSTLY_TRUE,
        stale=MOSTLY_TRUE.map(lambda b: not b),
    )
    def take_a_step(self, who: str | None, step: str, good: bool, stale: bool) -> None:
        signed = step in ("review", "approve")
        credentials = self._credentials(good, stale) if signed else None
        self._take(
            who,
            step,
            lambda actor: actions.take_step(
                actor=actor,
                revision=self._revision(),
                step=step,
                reason="Needs another look" if step == "reject" else "",
                credentials=credentials,
                **(named(self.cast) if step == "submit" else {}),
            ),
            signing=signed,
        )

    @rule(outcome=st.sampled_from(["no_change", "change_needed", "new revision"]))
    def advance(self, outcome: str) -> None:
        """The step the lifecycle expects next, by the person whose job it is (so the
        walk reaches approval, supersession and periodic review, not only refusals)."""
        revision = self._revision()
        reviewed = Signature.objects.filter(
            object_id=str(revision.pk), meaning="reviewed", voided_at__isnull=True
        ).exists()
        step = {
            "draft": "submit",
            "in_review": "approve" if reviewed else "review",
        }.get(revision.state)
        if revision.state == "effective" and outcome != "new revision":
            self.periodic_review(None, outcome, good=True)
        elif step is None:
            self.start_a_new_revision(None)
        else:
            self.take_a_step(None, step, good=True, stale=False)

    @rule(who=people)
    def edit_the_draft(self, who: str | None) -> None:
        self.edits += 1
        revision = self._revision()
        self._take(
            who,
            "edit",
            lambda actor: actions.edit_draft(
                actor=actor,
                revision=revision,
                body=f"{revision.body}\n\nEdit {self.edits}.",
                change_summary="Edited",
                change_reason="Improvement",
            ),
            signing=False,
        )

    @rule(who=people)
    def start_a_new_revision(self, who: str | None) -> None:
        self._take(
            who,
            "start",
            lambda actor: actions.start_revision(
                actor=actor, document=self.document, change_reason="Next issue"
            ),
            signing=False,
        )

    @rule(who=people, outcome=st.sampled_from(["no_change", "change_needed"]), good=MOSTLY_TRUE)
    def periodic_review(self, who: str | None, outcome: str, good: bool) -> None:
        effective = self.document.revisions.filter(state="effective").first()
        shown = content_hash(effective.signature_content()) if effective else ""
        credentials = Credentials(PASSWORD if good else "wrong", "", shown)
        self._take(
            who,
            "periodic_review",
            lambda actor: actions.complete_periodic_review(
                actor=actor,
                document=self.document,
                outcome=outcome,
                comment="Checked",
                credentials=credentials,
            ),
            signing=True,
        )

    @rule(who=people, data=st.data())
    def withdraw(self, who: str | None, data) -> None:
        # Rare: a withdrawn document ends the walk's interesting part.
        if data.draw(st.integers(0, 9)) != 0:
            return
        self._take(
            who,
            "withdraw",
            lambda actor: actions.withdraw_document(
                actor=actor, document=self.document, reason="Retired"
            ),
            signing=False,
        )

    @rule()
    def tick(self) -> None:
        count = event_count()
        states = dict(self.document.revisions.values_list("pk", "state"))
        actions.make_due_revisions_effective()
        self._each_change_is_audited(states, count)

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def at_most_one_effective_revision(self) -> None:
        for document in Document.objects.all():
            assert document.revisions.filter(state="effective").count() <= 1

    @invariant()
    def every_live_signature_verifies(self) -> None:
        signed = [*self.document.revisions.all(), *self.document.reviews.all()]
        for obj in signed:
            for shown in manifestations(obj):
                assert shown.valid or shown.problem.startswith("voided"), shown.problem


def test_random_walks_through_the_document_lifecycle_keep_the_rules(cast):
    DocumentLifecycle.cast = cast
    run_state_machine_as_test(
        DocumentLifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
