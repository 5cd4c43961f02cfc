"""Demo training: three job roles, a team of eight, and the document-control SOP's new
revision B, approved three weeks ago, which assigned everyone who works to SOPs: some
have passed its quiz and signed, some are overdue. Seeded on the demo clock (see
`openqms.core.demo`), so dates, signatures and the compliance chart tell a real story."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from openqms.core import actions as core
from openqms.core.demo import at
from openqms.core.models import Role, User
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import Document, DocumentType, Revision, RevisionState
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState, Competency, JobRole

TEAM = [
    # username, name, department, manager, job roles
    ("priya", "Priya Shah", "Engineering", "approver", ["Software engineer"]),
    ("tom", "Tom Walker", "Engineering", "approver", ["Software engineer"]),
    ("lena", "Lena Fischer", "Clinical", "qa", ["Clinical specialist"]),
    ("omar", "Omar Haddad", "Engineering", "approver", ["Software engineer"]),
    ("grace", "Grace Lee", "Quality", "qa", ["QA specialist"]),
    ("trainee", None, "Engineering", "approver", ["Software engineer"]),
    ("reviewer", None, "Quality", "qa", ["QA specialist"]),
    ("approver", None, "Engineering", "qa", ["QA specialist", "Software engineer"]),
    ("qa", None, "Quality", "admin", ["QA specialist"]),
]
QUIZ = [
    {
        "text": "Who may approve a revision of a controlled document?",
        "choices": [
            "Its author",
            "A person other than its author with the approval right",
            "Anyone in the team",
        ],
        "answer": 1,
    },
    {
        "text": "How is a review or an approval recorded since revision B?",
        "choices": [
            "A wet-ink signature on the printed copy",
            "An electronic signature in OpenQMS",
            "An email to QA",
        ],
        "answer": 1,
    },
    {
        "text": "What happens to the previous revision when a new one becomes effective?",
        "choices": ["It is deleted", "It is superseded and kept", "It stays effective"],
        "answer": 1,
    },
]


def seed_training(password: str) -> None:
    if JobRole.objects.exists() or not Document.objects.filter(number="SOP-001").exists():
        return
    people = {u.username: u for u in User.objects.all()}
    if not {"qa", "author", "reviewer", "approver", "trainee"} <= set(people):
        return
    sign = Credentials(password)
    qa = people["qa"]
    at(58)
    employee = Role.objects.get(code="trainee")
    for username, name, *_ in TEAM:
        if username not in people:
            people[username] = core.create_user(
                actor=None,
                username=username,
                full_name=name,  # type: ignore[arg-type]
                email=f"{username}@demo.openqms.invalid",
                password=password,
                roles=[employee],
                reason="Demo instance",
            )
    for username, _, department, manager, _ in TEAM:
        actions.update_employee(
            actor=qa, person=people[username], department=department, manager=people[manager]
        )
    sop_type = DocumentType.objects.get(code="procedure")
    actions.update_training_rule(
        actor=qa,
        doc_type=sop_type,
        due_days=14,
        gate=True,
        effectiveness_check=True,
        reason="Procedures are trained within two weeks",
    )
    roles = _job_roles(qa)
    sop = Document.objects.get(number="SOP-001")
    actions.save_quiz(actor=qa, document=sop, pass_mark=2, questions=QUIZ)
    for username, *_, held in TEAM:
        for role in held:
            actions.take_job_role(
                actor=qa,
                person=people[username],
                job_role=roles[role],
                started_on=timezone.localdate(),
            )
    at(50)
    _complete_all(
        people, sign, skip={("lena", "QM-001"), ("lena", "POL-001"), ("grace", "POL-001")}
    )
    _competence(qa, people)
    at(45)
    policy = Revision.objects.get(document__number="POL-001", state=RevisionState.EFFECTIVE)
    session = actions.record_session(
        actor=qa,
        revision=policy,
        trainer=qa,
        held_on=timezone.localdate(),
        attendees=[people["lena"], people["grace"]],
        material="Quality policy briefing: the UK MDR 2002 commitment and what it asks of us.",
        file_name="policy-briefing.txt",
        file_content=io.BytesIO(b"Quality policy briefing\n"),
    )
    actions.sign_session(actor=qa, session=session, credentials=sign)
    first = Assignment.objects.get(
        person=people["priya"], document=sop, state=AssignmentState.COMPLETED
    )
    actions.evaluate_training(
        actor=qa,
        assignment=first,
        method="Observed at work",
        result="effective",
        comment="Raised and approved a change unaided.",
        credentials=sign,
    )
    # Revision B, a draft since the documents were seeded, is submitted, reviewed and
    # approved by people trained on revision A (the gate is on for procedures).
    at(21)
    sop_b = Revision.objects.get(document=sop, state=RevisionState.DRAFT)
    sop_b = documents.take_step(
        actor=people["author"],
        revision=sop_b,
        step="submit",
        reviewers=[people["reviewer"]],
        approvers=[people["approver"]],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    documents.take_step(actor=people["reviewer"], revision=sop_b, step="review", credentials=sign)
    documents.take_step(actor=people["approver"], revision=sop_b, step="approve", credentials=sign)
    at(15)
    for username, answers in [
        ("priya", [1, 1, 1]),
        ("grace", [0, 0, 1]),
        ("tom", [0, 0, 1]),
        ("tom", [1, 1, 1]),
    ]:
        assignment = Assignment.objects.get(
            person=people[username], document=sop, state=AssignmentState.OPEN
        )
        attempt = actions.submit_quiz(
            actor=people[username], assignment=assignment, answers=answers
        )
        if attempt.passed:
            actions.sign_trained(actor=people[username], assignment=assignment, credentials=sign)
    at(0)
    today = timezone.localdate()
    for weeks in range(8, -1, -1):
        actions.record_snapshot(today - dt.timedelta(weeks=weeks))


def _job_roles(qa: User) -> dict[str, JobRole]:
    types = {t.code: t for t in DocumentType.objects.all()}
    course = actions.create_competency(
        actor=qa, name="IEC 62304 software life cycle course", kind="course", validity_months=36
    )
    auditor = actions.create_competency(
        actor=qa, name="ISO 13485 lead auditor", kind="qualification"
    )
    licence = actions.create_competency(
        actor=qa, name="Professional registration (HCPC/GMC)", kind="licence", validity_months=12
    )
    policy = Document.objects.get(number="POL-001")
    manual = Document.objects.get(number="QM-001")
    plan = {
        "Software engineer": (
            "Writes and verifies device software to IEC 62304.",
            [("doc_type", types["procedure"]), ("document", policy), ("competency", course)],
        ),
        "QA specialist": (
            "Runs document control, training and internal audits.",
            [
                ("doc_type", types["procedure"]),
                ("clause", "4.2.4"),
                ("document", manual),
                ("document", policy),
                ("competency", auditor),
            ],
        ),
        "Clinical specialist": (
            "Clinical evaluation and post-market clinical follow-up.",
            [("document", policy), ("document", manual), ("competency", licence)],
        ),
    }
    roles = {}
    for name, (description, requirements) in plan.items():
        role = actions.create_job_role(actor=qa, name=name, description=description)
        for kind, target in requirements:  # type: ignore[attr-defined]
            actions.add_requirement(actor=qa, job_role=role, kind=kind, **{kind: target})
        roles[name] = role
    return roles


def _complete_all(people: dict[str, User], sign: Credentials, skip: set) -> None:
    """Everyone signs what they were first assigned, but for `skip` (left overdue)."""
    for assignment in Assignment.objects.filter(state=AssignmentState.OPEN).select_related(
        "person", "document"
    ):
        if (assignment.person.username, assignment.document.number) in skip:
            continue
        person = people[assignment.person.username]
        if hasattr(assignment.document, "quiz"):
            actions.submit_quiz(actor=person, assignment=assignment, answers=[1, 1, 1])
        actions.sign_trained(actor=person, assignment=assignment, credentials=sign)


def _competence(qa: User, people: dict[str, User]) -> None:
    competencies = {c.name: c for c in Competency.objects.all()}
    today = timezone.localdate()
    records = [
        (
            "priya",
            "certificate",
            "IEC 62304 software life cycle course",
            "BSI Training",
            today - dt.timedelta(days=400),
        ),
        (
            "tom",
            "certificate",
            "IEC 62304 software life cycle course",
            "TÜV SÜD",
            today - dt.timedelta(days=1070),
        ),
        (
            "lena",
            "certificate",
            "Professional registration (HCPC/GMC)",
            "HCPC",
            today - dt.timedelta(days=380),
        ),
        (
            "grace",
            "qualification",
            "ISO 13485 lead auditor",
            "CQI/IRCA",
            today - dt.timedelta(days=900),
        ),
        (
            "approver",
            "qualification",
            "ISO 13485 lead auditor",
            "CQI/IRCA",
            today - dt.timedelta(days=1500),
        ),
    ]
    for username, kind, name, issuer, obtained in records:
        actions.add_competence_record(
            actor=qa,
            person=people[username],
            kind=kind,
            title=name,
            issuer=issuer,
            obtained_on=obtained,
            competency=competencies[name],
            file_name=f"{username}-certificate.txt",
            file_content=io.BytesIO(f"{name} certificate of {username}\n".encode()),
        )
    actions.add_competence_record(
        actor=qa,
        person=people["priya"],
        kind="education",
        title="MEng Computer Science",
        issuer="University of Manchester",
        obtained_on=today - dt.timedelta(days=2200),
    )
