"""User requirements as data (ISO 13485 4.1.6, GAMP 5): what each module promises.

Each module lists its requirements in `<module>/requirements.py` and hands them to
core through `Module(requirements=...)`; tests name the requirements they verify with
`@pytest.mark.verifies("DOC-012")` (read by `core.tracing`). This file holds the
shape of a requirement and the rules every list must keep; it reads no registry, so
the module contract can import it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Impact(StrEnum):
    PRODUCT_QUALITY = "product quality"
    PATIENT_SAFETY = "patient safety"
    DATA_INTEGRITY = "data integrity"


@dataclass(frozen=True)
class Requirement:
    id: str  # module prefix + "-" + 3 digits: "DOC-012"; never reused
    statement: str  # one plain sentence of what the system does or refuses
    clauses: tuple[str, ...]  # "ISO 13485 4.2.4", "21 CFR 11.10(e)", "Annex 11 9", …
    risk: Risk  # GAMP 5 style, from the impacts below
    impacts: tuple[Impact, ...] = ()

    @property
    def prefix(self) -> str:
        return self.id.split("-", 1)[0]


# Upper-case letters, a hyphen, exactly three digits: "CORE-001", "DOC-012".
ID_FORMAT = re.compile(r"[A-Z]{2,8}-\d{3}")


def id_problems(
    declared: Mapping[str, Sequence[Requirement]], prefixes: Mapping[str, str] | None = None
) -> list[str]:
    """What is wrong with the ids of `declared` ({module label: its requirements}), one
    sentence each; [] when they hold. A module uses one prefix, no two modules share one,
    an id is used once, and with `prefixes` ({label: prefix}) each module uses its own."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    prefix_owner: dict[str, str] = {}
    for label, requirements in declared.items():
        own: set[str] = set()
        for requirement in requirements:
            problems += _content_problems(label, requirement)
            if not ID_FORMAT.fullmatch(requirement.id):
                problems.append(
                    f"{label}: the id {requirement.id!r} is not PREFIX-NNN "
                    "(capital letters, a hyphen, three digits)"
                )
                continue
            if requirement.id in seen:
                problems.append(
                    f"{label}: the id {requirement.id} is declared twice "
                    f"(also by {seen[requirement.id]})"
                )
            seen.setdefault(requirement.id, label)
            own.add(requirement.prefix)
        expected = (prefixes or {}).get(label)
        foreign = ", ".join(sorted(own - {expected})) if expected else ""
        if foreign:
            problems.append(f"{label}: ids must start with {expected}-, not {foreign}-")
        elif expected is None and len(own) > 1:
            problems.append(f"{label}: ids use several prefixes ({', '.join(sorted(own))})")
        for prefix in sorted(own):
            if prefix_owner.setdefault(prefix, label) != label:
                problems.append(
                    f"{label}: the prefix {prefix} belongs to {prefix_owner[prefix]} already"
                )
    return problems


def _content_problems(label: str, requirement: Requirement) -> list[str]:
    problems = []
    if not requirement.statement.strip():
        problems.append(f"{label}: {requirement.id} has no statement")
    if not isinstance(requirement.risk, Risk):
        problems.append(f"{label}: {requirement.id} has the risk {requirement.risk!r}")
    return problems


def find(requirements: Sequence[Requirement], requirement_id: str) -> Requirement:
    """The requirement with this id, or LookupError naming it."""
    for requirement in requirements:
        if requirement.id == requirement_id:
            return requirement
    raise LookupError(f"no requirement {requirement_id!r}")


# Core's own requirements: the audit trail, signatures, access and the records' keeping.
HIGH, MEDIUM, LOW = Risk.HIGH, Risk.MEDIUM, Risk.LOW
DI, PQ = (Impact.DATA_INTEGRITY,), (Impact.PRODUCT_QUALITY,)
TRAIL = ("21 CFR 11.10(e)", "Annex 11 9", "ISO 13485 4.2.5")
SIGN = ("21 CFR 11.50", "21 CFR 11.70", "21 CFR 11.200(a)", "Annex 11 14")
ACCESS = ("21 CFR 11.10(d)", "21 CFR 11.10(g)", "Annex 11 12.1")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "CORE-001",
        "Every regulated change writes its audit event (who, what, when, why) in the same "
        "transaction, and an event outside a transaction or of an undeclared type is refused.",
        TRAIL,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-002", "The database refuses to change or delete an audit event.", TRAIL, HIGH, DI
    ),
    Requirement(
        "CORE-003",
        "Audit events form a hash chain, and verification names an event deleted or changed.",
        TRAIL,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-004",
        "`openqms verify` finds records changed in the database behind the application's "
        "back by comparing each module's rows with the audit trail.",
        ("21 CFR 11.10(a)", "21 CFR 11.10(e)", "Annex 11 5"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-005",
        "`openqms verify` fails and names each protective database trigger that is missing.",
        ("21 CFR 11.10(a)", "Annex 11 5"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-006",
        "Signing asks again for the signer's password (and second factor when enrolled); a "
        "missing or wrong one signs nothing and is audited.",
        SIGN,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-007",
        "A signature shows the signer's name, its meaning and time and is bound to the hash "
        "of the content signed, so changed or moved content shows it broken.",
        SIGN,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-008",
        "A signed step is refused when what the signer was shown has changed since.",
        SIGN,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-009",
        "Signatures are never edited or deleted, only voided, and a step that voids them says so.",
        SIGN,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-010",
        "Repeated wrong passwords lock the account, and a locked account cannot sign in, "
        "sign or use an API token.",
        ("21 CFR 11.300(d)", "Annex 11 12.1"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-011",
        "Sign-in is audited; a wrong password and an unknown username get the same plain "
        "message and are audited too.",
        ("21 CFR 11.10(d)", "21 CFR 11.300(d)"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-012",
        "Sign-in failures are throttled per address without letting anyone lock an "
        "administrator out.",
        ("21 CFR 11.300(d)",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-013",
        "An idle session is signed out after the configured time, and the sign-out is audited.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-014",
        "A deactivated account cannot sign in, sign or use a token; deactivation needs a "
        "reason and is audited.",
        ACCESS,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-015",
        "A record the user may not open answers the same 404 as a missing one, on pages and "
        "in the API, and a refused request writes nothing.",
        ACCESS,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-016",
        "Roles are granted and revoked with an audit event and kept history; nobody grants "
        "themselves a role or widens a role they hold.",
        (*ACCESS, "Annex 11 12.3"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-017",
        "A signer whose role is revoked after they typed their password signs nothing.",
        (*ACCESS, "21 CFR 11.10(g)"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-018",
        "API tokens expire, are named in every event written through them, and end when "
        "their account is deactivated or locked.",
        ("21 CFR 11.10(d)", "21 CFR 11.300(b)"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-019",
        "The audit trail's CSV export neutralises spreadsheet formulas.",
        ("Annex 11 8.1",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-020",
        "Audit-trail reviews are signed as reviewed, listed for trail readers, and never "
        "changed once signed.",
        ("Annex 11 9",),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-021",
        "Signed checkpoints of the audit chain let verification name a rewritten chain, "
        "even a whole one.",
        TRAIL,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-022",
        "Without its audit key an anchored instance refuses to write unsealed events and "
        "refuses to serve.",
        TRAIL,
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-023",
        "`openqms archive` exports every record with its chain, and a forged archive is "
        "flagged by verify and refused at import.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(b)", "21 CFR 11.10(c)", "Annex 11 17"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-024",
        "A backup restores what was acknowledged, and restore refuses a backup that is "
        "forged or signed by a key the instance does not know.",
        ("Annex 11 7.2", "21 CFR 11.10(c)"),
        HIGH,
        DI,
    ),
    Requirement(
        "CORE-025",
        "Retention rules per record class are changed with the old and new rule in the trail, "
        "never below the minimum a regulation sets.",
        ("ISO 13485 4.2.5",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-026",
        "Legal holds are placed and released with a reason by those allowed, and audited.",
        ("ISO 13485 4.2.5",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-027",
        "Health data is hidden from roles without the grant, and each read by a holder is "
        "recorded.",
        ("ISO 13485 4.2.5", "UK GDPR art 32"),
        HIGH,
        (Impact.DATA_INTEGRITY, Impact.PATIENT_SAFETY),
    ),
    Requirement(
        "CORE-028",
        "Text a database cannot store (such as NUL) is refused in every form and API body.",
        ("21 CFR 11.10(a)",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "CORE-029",
        "`openqms tick` runs every periodic job; a failing job is audited and the others "
        "still run.",
        ("ISO 13485 4.1.6",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "CORE-030",
        "Every requirement is traced to the tests that verify it, and `openqms requirements` "
        "lists them.",
        ("ISO 13485 4.1.6", "Annex 11 4.4"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "CORE-031",
        "Queued emails are retried with growing waits until the mail server answers.",
        ("ISO 13485 5.5.3",),
        LOW,
    ),
    Requirement(
        "CORE-032",
        "My tasks groups tasks by kind with their counts, the most urgent first.",
        ("ISO 13485 5.5.1",),
        LOW,
    ),
)
